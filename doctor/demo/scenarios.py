"""The demo's incident windows: the patient (`patient_app`) run in simulated time, with each
chaos scenario injected at minute 25 and healed at minute 37.

The lines are what the patient's real components log when they really fail (SQLAlchemy's pool,
requests, redis-py, pydantic, botocore, the kernel), plus what PostgreSQL and ECS write
around them; each scenario carries its true root cause and the Terraform fix that should
follow: the ground truth the demo prints next to the diagnosis and the tests assert.
Generation is seeded and starts at a fixed minute (`DEMO_START`), so a window is the same on every
machine and every day: files have no age limit, unlike a log store (shipping windows start recently). A window is generated once
per process and copied after that (the tests ask for the same ones many times).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from patient_app.chaos import SCENARIOS as CHAOS

DEMO_START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # the demo windows' first minute


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    true_cause: str
    expected_category: str
    expected_fix: str | None  # "address.attribute" in terraform/patient, or None


SCENARIOS: dict[str, Scenario] = {
    name: Scenario(name, s.title, s.root_cause, s.category, s.fix_target) for name, s in CHAOS.items()}

_generated: dict[tuple[str, int], Path] = {}


def _remove_generated() -> None:
    """The cache lives as long as its process: without this, every `doctor demo` and every test run
    left its ten windows (about 10 MB) in the temporary directory for good."""
    for path in _generated.values():
        shutil.rmtree(path, ignore_errors=True)
    _generated.clear()


atexit.register(_remove_generated)


def write_window(scenario: Scenario, out_dir: Path, *, seed: int = 7) -> list[Path]:
    """Write the scenario's window, one `<service>.log` per service; returns the files."""
    # lazy: the patient is an optional extra (`.[patient]`), needed only by the demo
    from patient_app.simulate import write_window as simulate

    key = (scenario.name, seed)
    if key not in _generated or not any(_generated[key].glob("*.log")):
        cache = Path(tempfile.mkdtemp(prefix=f"doctor-window-{scenario.name}-"))
        simulate(scenario.name, cache, seed=seed, start=DEMO_START)
        _generated[key] = cache
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.log"):
        old.unlink()
    return [Path(shutil.copy2(p, out_dir / p.name)) for p in sorted(_generated[key].glob("*.log"))]
