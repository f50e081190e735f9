"""Schema check for the public incident corpus under tests/corpus/cases/.

Each YAML file holds one system's cases (real logs copied from public threads).
This test only checks the data's shape, so a malformed case is caught before the
engine is scored against it; it says nothing about diagnosis quality.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench.corpus_data import MAX_LOG_LINES, case_problems

CASES_DIR = Path(__file__).parent / "corpus" / "cases"


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
    ({"source": "incident:Ab3_x-9"}, None),
    ({"source": "incident:"}, "not an https URL"),
    ({"source": "incident:../../etc/passwd"}, "not an https URL"),
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


# -- production cases: `doctor export-cases --wrong` ---------------------------------------------------

def test_an_incident_judged_wrong_exports_as_a_case_of_this_schema(tmp_path):
    """A miss in production becomes a corpus case: the schema holds, the loader reads it, its log goes
    through the real parser, and the secret in a note does not survive the export."""
    from bench.corpus_data import case_digest, load_cases
    from doctor.digest import Redactor
    from doctor.store import Store
    from doctor.verdicts.export import export_wrong

    store = Store(f"sqlite:///{tmp_path / 'doctor.db'}")
    # As the pipeline records a diagnosis: the evidence holds the (already redacted) exemplar lines.
    line = ("2026-11-20T09:31:02Z ERROR executor sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 "
            "reached, connection timed out, timeout 30.00")
    diagnosis = {"category": "timeout", "provider": "gemini:gemini-3.5-flash", "summary": "Requests time out",
                 "evidence": [{"text": line, "count": 40, "services": ["executor"]},
                              {"text": "2026-11-20T09:31:05Z WARNING ecs-events via executor: task stopped",
                               "count": 1, "services": ["ecs-events via executor"]}]}
    # The digest's top templates: one the evidence already shows, one it does not (the real cause, say),
    # and a steady INFO line that tells nothing.
    digest = {"top_templates": [
        {"level": "ERROR", "new": True, "bursting": True, "text": "sqlalchemy.exc.TimeoutError: QueuePool limit of "
         "size <*> overflow <*> reached, connection timed out, timeout <*>"},
        {"level": "ERROR", "new": True, "bursting": False, "text": "FATAL: remaining connection slots are reserved "
         "for non-replication superuser connections"},
        {"level": "INFO", "new": False, "bursting": False, "stopped": None, "text": "tick BTC-USDT price=<*>"}]}
    incident_id = store.save_incident(title="Requests time out", category="timeout", diagnosis=diagnosis,
                                      fix=None, digest=digest)
    store.record_verdict(incident_id=incident_id, user="U1", verdict="wrong", category="db_connections",
                         note="pool too small; DB password=Sup3rS3cret! was fine")
    done = export_wrong(store, tmp_path / "cases", redactor=Redactor())
    assert done.written == {tmp_path / "cases" / "executor.yaml": 1}
    (raw,) = yaml.safe_load((tmp_path / "cases" / "executor.yaml").read_text())
    assert case_problems(raw, "executor") == []
    (case,) = load_cases([tmp_path / "cases"])
    assert (case.id, case.source, case.category) == (f"executor-incident-{incident_id}", f"incident:{incident_id}",
                                                     "db_connections")
    assert "gemini:gemini-3.5-flash" in case.summary and "Sup3rS3cret" not in case.summary
    assert case.log.splitlines() == [line, "2026-11-20T09:31:05Z WARNING ecs-events via executor: task stopped",
                                     "FATAL: remaining connection slots are reserved for non-replication superuser "
                                     "connections"]
    digest = case_digest(case)
    assert digest.lines_in == 3 and any("QueuePool" in t.text for t in digest.templates)


def test_split_halves_follows_the_split_rule_on_the_named_key():
    from bench.corpus_data import is_held_out, split_halves

    items = [{"software": name} for name in "adef"]
    halves = split_halves(items, "software")
    assert [i["software"] for i in halves["readable"]] == [n for n in "adef" if not is_held_out(n)] == ["a", "d"]
    assert [i["software"] for i in halves["held-out"]] == ["e", "f"]
