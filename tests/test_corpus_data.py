"""Schema check for the public incident corpus under tests/corpus/cases/.

Each YAML file holds one system's cases (real logs copied from public threads).
This test only checks the data's shape, so a malformed case is caught before the
engine is scored against it; it says nothing about diagnosis quality.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from doctor.models import CATEGORIES

CASES_DIR = Path(__file__).parent / "corpus" / "cases"
REQUIRED = {"id", "system", "source", "category", "summary", "log"}
OPTIONAL = {"fix"}
MAX_LOG_LINES = 60


def case_problems(case: object, system: str) -> list[str]:
    """Everything wrong with one case of the `system` file; empty when it is valid."""
    if not isinstance(case, dict):
        return [f"case is {type(case).__name__}, not a mapping"]
    problems = []
    missing = REQUIRED - case.keys()
    if missing:
        problems.append(f"missing keys {sorted(missing)}")
    unknown = case.keys() - REQUIRED - OPTIONAL
    if unknown:
        problems.append(f"unknown keys {sorted(unknown)}")
    for key in REQUIRED & case.keys():
        if not isinstance(case[key], str) or not case[key].strip():
            problems.append(f"{key} must be a non-empty string")
    if problems:
        return problems
    if case["system"] != system:
        problems.append(f"system {case['system']!r} is not the file's system {system!r}")
    if not case["id"].startswith(f"{system}-"):
        problems.append(f"id {case['id']!r} does not start with {system + '-'!r}")
    if case["category"] not in CATEGORIES:
        problems.append(f"category {case['category']!r} is not in the vocabulary")
    if not case["source"].startswith("https://"):
        problems.append(f"source {case['source']!r} is not an https URL")
    if len(case["log"].splitlines()) > MAX_LOG_LINES:
        problems.append(f"log has more than {MAX_LOG_LINES} lines")
    if "fix" in case:
        fix = case["fix"]
        if not (isinstance(fix, dict) and set(fix) == {"resource", "attribute"}
                and all(isinstance(v, str) and v for v in fix.values())):
            problems.append("fix must be {resource: ..., attribute: ...}")
    return problems


def load_corpus() -> dict[str, list]:
    return {path.stem: yaml.safe_load(path.read_text()) for path in sorted(CASES_DIR.glob("*.yaml"))}


CORPUS = load_corpus()


def test_corpus_exists():
    assert CORPUS, f"no case files in {CASES_DIR}"


@pytest.mark.parametrize("system", sorted(CORPUS))
def test_cases_follow_the_schema(system):
    cases = CORPUS[system]
    assert system == system.lower(), "file names are lower-case system names"
    assert isinstance(cases, list) and cases, f"{system}.yaml must be a non-empty list of cases"
    problems = {f"{system}[{i}]": p for i, case in enumerate(cases) if (p := case_problems(case, system))}
    assert not problems, problems


def test_ids_are_unique_across_the_corpus():
    ids = [case["id"] for cases in CORPUS.values() for case in cases if isinstance(case, dict) and "id" in case]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, duplicates


GOOD = {
    "id": "redis-oom", "system": "redis", "source": "https://github.com/o/r/issues/1",
    "category": "cache_memory", "summary": "maxmemory reached", "log": "OOM command not allowed\n",
}


@pytest.mark.parametrize("change,expected", [
    ({}, None),
    ({"fix": {"resource": "aws_elasticache_parameter_group", "attribute": "parameter"}}, None),
    ({"category": "memory"}, "not in the vocabulary"),
    ({"id": "postgres-oom"}, "does not start with"),
    ({"system": "postgresql"}, "is not the file's system"),
    ({"source": "http://example.com/1"}, "not an https URL"),
    ({"log": "x\n" * (MAX_LOG_LINES + 1)}, "more than"),
    ({"log": "  "}, "non-empty string"),
    ({"fix": {"resource": "aws_db_parameter_group"}}, "fix must be"),
    ({"notes": "extra"}, "unknown keys"),
])
def test_checker_rejects_bad_cases(change, expected):
    problems = case_problems({**GOOD, **change}, "redis")
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems


def test_checker_reports_missing_keys():
    case = {k: v for k, v in GOOD.items() if k != "source"}
    assert case_problems(case, "redis") == ["missing keys ['source']"]
