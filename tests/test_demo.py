import json
import subprocess
import sys
from pathlib import Path

import pytest

from doctor.config import Settings
from doctor.demo.run import fix_matches, run_demo, run_scenario
from doctor.demo.scenarios import SCENARIOS

from .conftest import REPO


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_scenario_is_diagnosed_as_its_ground_truth(name, tmp_path):
    sc = SCENARIOS[name]
    result = run_scenario(sc, out=tmp_path, settings=Settings(terraform_dir=REPO / "terraform"))
    assert result.diagnosis.category == sc.expected_category, result.diagnosis.summary
    assert fix_matches(result, sc), (result.fix and result.fix.target, result.fix_note)
    report = json.loads((tmp_path / f"{name}.json").read_text())
    assert report["category"] == sc.expected_category
    assert (tmp_path / f"{name}.md").read_text().startswith(f"# {sc.title}")


def test_demo_command_reports_every_scenario(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert run_demo(out=tmp_path, only=None, settings=Settings()) == 0
    out = capsys.readouterr().out
    assert f"{len(SCENARIOS)}/{len(SCENARIOS)} scenarios diagnosed as their ground truth says" in out
    # Incident memory: the scenario run a second time (another seed) is recognised, and says so.
    assert "Incident memory: the second db_pool_exhaustion was recognised as seen before." in out
    again = out[out.index("AGAIN "):]
    assert "🧠 Seen 1 time before: last on" in again and "diagnosed as db_connections" in again


def test_windows_are_deterministic(tmp_path):
    from doctor.demo.scenarios import write_window

    a = write_window(SCENARIOS["tls_expired"], tmp_path / "a")
    b = write_window(SCENARIOS["tls_expired"], tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_a_round_finds_the_problem_before_the_alert_which_attaches_to_it(tmp_path):
    from doctor.demo.rounds import run_rounds_demo

    demo = run_rounds_demo(out=tmp_path, settings=Settings(terraform_dir=REPO / "terraform"))
    assert set(demo.rounds["09:20"].values()) == {"healthy"} and len(demo.rounds["09:20"]) == 6
    assert demo.rounds["09:30"].pop("executor") == "sick" and set(demo.rounds["09:30"].values()) == {"healthy"}
    assert demo.details["executor"].startswith("upstream_rate_limit: ")
    assert demo.alert is not None and demo.alert.action == "attach"
    assert demo.alert.group is not None and demo.alert.group["incident_id"] == demo.incident_id


def test_the_generated_windows_are_removed_when_the_process_ends(tmp_path):
    """A window is generated once per process into a temporary directory, which must not outlive it."""
    code = ("import sys; from pathlib import Path; from doctor.demo import scenarios as s; "
            "s.write_window(s.SCENARIOS['disk_full'], Path(sys.argv[1])); print(s._generated[('disk_full', 7)])")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out")], capture_output=True, text=True,
                         check=True, cwd=REPO)
    cache = Path(out.stdout.strip())
    assert cache.name.startswith("doctor-window-disk_full-")
    assert list((tmp_path / "out").glob("*.log")), "the copy the caller asked for stays"
    assert not cache.exists()
