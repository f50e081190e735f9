"""`doctor demo`: every bundled scenario through the offline doctor, next to its ground truth."""

from __future__ import annotations

import json
from pathlib import Path

from doctor import pipeline
from doctor.config import Settings
from doctor.deliver import report
from doctor.demo.rounds import print_rounds_demo, run_rounds_demo
from doctor.demo.scenarios import SCENARIOS, Scenario, write_window
from doctor.errors import InputError
from doctor.sources.collect import stop_fetch_processes
from doctor.sources.file import read_files
from doctor.store import Store

# The scenario the demo runs a second time (another seed: other numbers, other secrets' placeholders),
# to show incident memory recognising it.
AGAIN = "db_pool_exhaustion"


def fix_matches(result: pipeline.Result, scenario: Scenario) -> bool:
    if scenario.expected_fix is None:
        return result.fix is None
    if result.fix is None or not result.fix.valid:
        return False
    return f"{result.fix.target.address}.{result.fix.target.attribute}" == scenario.expected_fix


def run_scenario(scenario: Scenario, *, out: Path, settings: Settings, store: Store | None = None,
                 seed: int = 7, name: str | None = None) -> pipeline.Result:
    """Diagnose the scenario's window; with a `store`, record the incident there (incident memory)."""
    name = name or scenario.name
    files = write_window(scenario, out / "windows" / name, seed=seed)
    result = pipeline.run_diagnosis(read_files(files), settings=settings)
    if store is not None:
        pipeline.save_incident(result, settings=settings, store=store)
    (out / f"{name}.md").write_text(report.render_markdown(result, title=scenario.title), encoding="utf-8")
    (out / f"{name}.json").write_text(
        json.dumps({"scenario": scenario.name, "true_cause": scenario.true_cause,
                    "expected_category": scenario.expected_category, "expected_fix": scenario.expected_fix,
                    **result.to_dict(budget_tokens=settings.budget_tokens)}, indent=2),
        encoding="utf-8",
    )
    return result


def run_demo(*, out: Path, only: list[str] | None, settings: Settings) -> int:
    names = only or list(SCENARIOS)
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        raise InputError(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    out.mkdir(parents=True, exist_ok=True)
    # A store of the demo's own, in memory: each run starts with no history, whatever was run before.
    store = Store("sqlite://")
    right = 0
    for name in names:
        sc = SCENARIOS[name]
        result = run_scenario(sc, out=out, settings=settings, store=store)
        d = result.diagnosis
        ok = d.category == sc.expected_category and fix_matches(result, sc)
        right += ok
        print("=" * 78)
        print(f"{'PASS' if ok else 'MISS'}  {sc.title}  [{name}]")
        print(f"  truth:     {sc.expected_category}: {sc.true_cause}")
        print(f"  expected fix: {sc.expected_fix or 'none (not an infrastructure change)'}")
        print("-" * 78)
        print(report.render_text(result))
    if AGAIN in names:
        again = run_scenario(SCENARIOS[AGAIN], out=out, settings=settings, store=store, seed=8, name=f"{AGAIN}-again")
        print("=" * 78)
        print(f"AGAIN  {SCENARIOS[AGAIN].title}, a second occurrence (other numbers, other secrets)  [{AGAIN}]")
        print("-" * 78)
        print(report.render_text(again))
        print("=" * 78)
        print(f"Incident memory: the second {AGAIN} was "
              + ("recognised as seen before." if again.history else "NOT recognised as seen before."))
    if only is None:  # the whole demo: the rounds too (doctor/demo/rounds.py)
        try:
            print_rounds_demo(run_rounds_demo(out=out, settings=settings))
        finally:
            stop_fetch_processes()
    print("=" * 78)
    print(f"{right}/{len(names)} scenarios diagnosed as their ground truth says. "
          f"Reports (Markdown and JSON) and the log windows are in {out}/")
    return 0
