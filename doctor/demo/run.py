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


def fix_matches(result: pipeline.Result, scenario: Scenario) -> bool:
    if scenario.expected_fix is None:
        return result.fix is None
    if result.fix is None or not result.fix.valid:
        return False
    return f"{result.fix.target.address}.{result.fix.target.attribute}" == scenario.expected_fix


def run_scenario(scenario: Scenario, *, out: Path, settings: Settings) -> pipeline.Result:
    files = write_window(scenario, out / "windows" / scenario.name)
    result = pipeline.run_diagnosis(read_files(files), settings=settings)
    (out / f"{scenario.name}.md").write_text(report.render_markdown(result, title=scenario.title), encoding="utf-8")
    (out / f"{scenario.name}.json").write_text(
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
    right = 0
    for name in names:
        sc = SCENARIOS[name]
        result = run_scenario(sc, out=out, settings=settings)
        d = result.diagnosis
        ok = d.category == sc.expected_category and fix_matches(result, sc)
        right += ok
        print("=" * 78)
        print(f"{'PASS' if ok else 'MISS'}  {sc.title}  [{name}]")
        print(f"  truth:     {sc.expected_category}: {sc.true_cause}")
        print(f"  expected fix: {sc.expected_fix or 'none (not an infrastructure change)'}")
        print("-" * 78)
        print(report.render_text(result))
    if only is None:  # the whole demo: the rounds too (doctor/demo/rounds.py)
        try:
            print_rounds_demo(run_rounds_demo(out=out, settings=settings))
        finally:
            stop_fetch_processes()
    print("=" * 78)
    print(f"{right}/{len(names)} scenarios diagnosed as their ground truth says. "
          f"Reports (Markdown and JSON) and the log windows are in {out}/")
    return 0
