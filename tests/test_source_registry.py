"""A log source is one class and one line in the registry (`doctor.sources.SOURCES`): the service
map's key for it, `--source`, Slack's `source=`, `doctor sources` and the analysis all follow from
it; config.py does not name it. The service map's values are the sources' to parse and bound."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from doctor import sources
from doctor.cli import main
from doctor.config import ServiceLogs, Settings, get_settings
from doctor.models import LogRecord
from doctor.slack.commands import UsageError, parse_analyze
from doctor.slack.handlers import _rest_args
from doctor.sources import service_map, service_map_errors, source_settings
from doctor.sources.base import Health, ServiceMapError

CASES = Path(__file__).parent / "corpus" / "cases"
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


class JsonDirSource:
    """A fourth source, as its module would define it: a directory of JSON-lines files per service,
    `DOCTOR_LOCAL_LOGS_DIR/<dir>/*.jsonl`, one `{"time": ISO 8601, "message": ...}` object a line."""

    name = "jsondir"
    title = "JSON-lines directory"
    settings_fields = ("local_logs_dir", "max_line_chars")

    def __init__(self, root: Path, max_line_chars: int) -> None:
        self.root, self.max_line_chars = root, max_line_chars

    @classmethod
    def parse_selector(cls, raw):
        if not isinstance(raw, str) or not 0 < len(raw) <= 100 or "/" in raw or raw in (".", ".."):
            raise ValueError(f"jsondir is a directory's name in DOCTOR_LOCAL_LOGS_DIR, not {raw!r}")
        return raw

    @classmethod
    def from_settings(cls, settings, *, named):
        if settings.local_logs_dir is None:
            return None
        return cls(settings.local_logs_dir, settings.max_line_chars)

    def configured_for(self, selector):
        return selector.logs.get(self.name) is not None

    def target(self, selector):
        return f"{selector.logs.get(self.name)}/*.jsonl"

    def jobs(self, selector):
        return [selector]

    async def fetch(self, window, selector, limits):
        records = []
        for path in sorted((self.root / selector.logs[self.name]).glob("*.jsonl")):
            for line in path.read_text().splitlines():
                obj = json.loads(line)
                ts = datetime.fromisoformat(obj["time"])
                if window.start <= ts < window.end:
                    records.append(LogRecord(ts, self.name, obj["message"][: self.max_line_chars],
                                             {"service": selector.service, "file": path.name}))
        if records:
            yield sorted(records, key=lambda r: r.timestamp)

    async def health(self):
        return Health(self.root.is_dir(), f"JSON lines under {self.root}")


@pytest.fixture
def registered(monkeypatch):
    """The registry with the fourth source added, as its one line would add it."""
    monkeypatch.setattr(sources, "SOURCES", (*sources.SOURCES, JsonDirSource))


def _corpus_log(case_id: str) -> list[str]:
    """A verbatim log excerpt of the public corpus (its thread's URL is in the case)."""
    for path in CASES.glob("*.yaml"):
        for case in yaml.safe_load(path.read_text()):
            if case["id"] == case_id:
                return case["log"].splitlines()
    raise LookupError(case_id)


def _journal(root: Path) -> list[str]:
    # https://github.com/PostgresApp/PostgresApp/issues/566 (tests/corpus/cases/postgresql.yaml),
    # its lines one a second from 09:20, as JSON lines.
    lines = _corpus_log("postgresql-autovacuum-no-space")
    (root / "pg-journal").mkdir()
    (root / "pg-journal" / "part-0.jsonl").write_text("".join(
        json.dumps({"time": (T0 + timedelta(minutes=20, seconds=i)).isoformat(), "message": line}) + "\n"
        for i, line in enumerate(lines)))
    return lines


def test_the_service_map_takes_a_registered_sources_key(registered):
    s = Settings(services={"db": {"jsondir": "pg-journal", "channel": "C1"}, "web": {"loki": '{app="web"}'}})
    assert s.services["db"].logs == {"jsondir": "pg-journal"} and s.services["db"].channel == "C1"
    assert service_map(s) == {"db": {"jsondir": "pg-journal"}, "web": {"loki": '{app="web"}'}}
    # Its value is its own to check.
    bad = Settings(services={"db": {"jsondir": "../etc"}})
    assert service_map_errors(bad) == ["service 'db': jsondir is a directory's name in DOCTOR_LOCAL_LOGS_DIR, "
                                       "not '../etc'"]


def test_an_unknown_key_names_the_sources(registered):
    s = Settings(services={"db": {"jsondri": "pg-journal"}})
    (error,) = service_map_errors(s)
    assert error == ("service 'db': 'jsondri' is not a log source (the sources: cloudwatch, loki, file, jsondir; "
                     "an entry's other keys: channel, platform, match)")
    with pytest.raises(ServiceMapError, match="'jsondri' is not a log source"):
        sources.selectors(s, ["db"])


def test_cli_slack_and_an_analysis_accept_the_fourth_source(registered, tmp_path, monkeypatch, capsys):
    lines = _journal(tmp_path)
    monkeypatch.setenv("DOCTOR_LOCAL_LOGS_DIR", str(tmp_path))
    monkeypatch.setenv("DOCTOR_SERVICES", json.dumps({"db": {"jsondir": "pg-journal"}}))
    monkeypatch.setenv("DOCTOR_DEFAULT_SERVICES", '["db"]')
    monkeypatch.setenv("DOCTOR_FETCH_WORKERS", "1")  # in-process: the class lives in this test module
    monkeypatch.setenv("DOCTOR_DATABASE_URL", f"sqlite:///{tmp_path / 'doctor.db'}")
    get_settings.cache_clear()
    try:
        assert main(["sources"]) == 0
        listed = capsys.readouterr().out
        code = main(["analyze", "--service", "db", "--source", "jsondir", "--since", "2026-11-20T09:00:00Z",
                     "--until", "2026-11-20T10:00:00Z", "--format", "json", "--no-save"])
        out = capsys.readouterr().out
        with pytest.raises(SystemExit) as refused:  # argparse's choices: the registry's names
            main(["analyze", "--service", "db", "--source", "jsondri"])
        assert refused.value.code == 2 and "invalid choice: 'jsondri'" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()
    assert "  db (default): cloudwatch -; loki -; file db.log; jsondir pg-journal/*.jsonl" in listed
    assert "  jsondir (configured): DOCTOR_LOCAL_LOGS_DIR, DOCTOR_MAX_LINE_CHARS" in listed
    assert "  jsondir: ok - JSON lines under" in listed
    assert code == 0
    result = json.loads(out)
    assert result["digest"]["lines_in"] == len(lines)
    assert result["category"] == "disk_full"  # the offline engine read the journal's lines
    assert any("No space left on device" in e["text"] for e in result["evidence"]), result["evidence"]
    # Slack's argument, and the "Read the rest" button's value, take its name from the same registry.
    args = parse_analyze("service=db source=jsondir", known_services=["db"], default_services=["db"],
                         default_window="30m")
    assert args.sources == ("jsondir",)
    with pytest.raises(UsageError, match="source=kafka` is not one of cloudwatch, loki, file, jsondir, all"):
        parse_analyze("source=kafka", known_services=["db"], default_services=["db"], default_window="30m")
    rest = {"services": ["db"], "since": "2026-11-20T09:00:00Z", "until": "2026-11-20T10:00:00Z", "query": None}
    assert _rest_args(json.dumps({**rest, "sources": ["jsondir"]}), known={"db"}).sources == ("jsondir",)
    assert _rest_args(json.dumps({**rest, "sources": ["kafka"]}), known={"db"}) is None


def test_an_analysis_reads_it_next_to_the_others(registered, tmp_path):
    from doctor.pipeline import fetch_digest
    from doctor.sources import Window

    lines = _journal(tmp_path)
    (tmp_path / "web.log").write_text("2026-11-20T09:21:00Z ERROR web: could not connect to server\n")
    s = Settings(local_logs_dir=tmp_path, aws_region=None, loki_url=None, fetch_workers=1,
                 services={"db": {"jsondir": "pg-journal"}, "web": {}})
    digest, reports = asyncio.run(fetch_digest(settings=s, services=["db", "web"],
                                               window=Window(T0, T0 + timedelta(hours=1))))
    got = {(r.source, r.service, r.target, r.outcome, r.lines) for r in reports}
    assert got == {("jsondir", "db", "pg-journal/*.jsonl", "complete", len(lines)),
                   ("file", "web", "web.log", "complete", 1)}
    assert digest.lines_in == len(lines) + 1 and "No space left on device" in digest.render()


def test_the_three_sources_parse_and_bound_their_values():
    ok = Settings(services={"a": ServiceLogs(cloudwatch=["/ecs/a", "/ecs/b"], loki='{app="a"}', file="logs/a.log")})
    assert service_map(ok) == {"a": {"cloudwatch": ("/ecs/a", "/ecs/b"), "loki": '{app="a"}', "file": "logs/a.log"}}
    cases = {
        "cloudwatch": ("/ecs/a", "cloudwatch is a list of log group names, not str"),
        "loki": (["{a=\"b\"}"], "loki (a LogQL stream selector) is a string, not list"),
        "file": ("/etc/passwd", "file '/etc/passwd' is not a path under DOCTOR_LOCAL_LOGS_DIR (absolute, or with ..)"),
    }
    for key, (value, message) in cases.items():
        assert service_map_errors(Settings(services={"a": {key: value}})) == [f"service 'a': {message}"]
    too_many = Settings(services={"a": {"cloudwatch": [f"/g/{i}" for i in range(51)]}})
    assert service_map_errors(too_many) == ["service 'a': cloudwatch names at most 50 log groups, not 51"]
    too_long = Settings(services={"a": {"loki": "{" + "x" * 5000 + "}"}})
    assert service_map_errors(too_long) == ["service 'a': loki (a LogQL stream selector) is 1 to 4096 characters, "
                                            "not 5002"]
    with pytest.raises(ValueError, match="at most 16 log source keys in one entry, not 17"):
        Settings(services={"a": {f"s{i}": "x" for i in range(17)}})
    with pytest.raises(ValueError, match="logs\n  Input should be a valid dictionary"):
        Settings(services={"a": {"logs": ["x"], "loki": "{}"}})


def test_a_bad_service_map_stops_the_cli_with_one_line_and_fails_the_check(monkeypatch, capsys):
    monkeypatch.setenv("DOCTOR_SERVICES", json.dumps({"api": {"lokki": '{app="api"}'}}))
    monkeypatch.setenv("DOCTOR_DEFAULT_SERVICES", '["api"]')
    get_settings.cache_clear()
    try:
        assert main(["sources"]) == 2
        err = capsys.readouterr().err
        assert main(["check", "--only", "sources", "--format", "json"]) == 1
        checked = json.loads(capsys.readouterr().out)
    finally:
        get_settings.cache_clear()
    assert err == ("doctor: setting DOCTOR_SERVICES: service 'api': 'lokki' is not a log source (the sources: "
                   "cloudwatch, loki, file; an entry's other keys: channel, platform, match)\n")
    (failed,) = [r for r in checked["results"] if r["name"] == "service map"]
    assert failed["status"] == "fail" and "'lokki' is not a log source" in failed["detail"]


@pytest.mark.parametrize("kind", sources.SOURCES, ids=lambda k: k.name)
def test_a_source_reads_the_settings_it_declares(kind, tmp_path):
    """`settings_fields` is what `doctor sources`, `doctor check` and the README list: it must be
    what `from_settings` reads (the first turns the source on), and the README must document each."""
    assert set(kind.settings_fields) <= set(Settings.model_fields)

    class Reading:
        def __init__(self, settings):
            self.settings, self.read = settings, []

        def __getattr__(self, field):
            self.read.append(field)
            return getattr(self.settings, field)

    on = Reading(Settings(aws_region="eu-west-1", loki_url="http://127.0.0.1:3100", local_logs_dir=tmp_path))
    assert kind.from_settings(on, named=False) is not None
    assert on.read[0] == kind.settings_fields[0] and set(on.read) <= set(kind.settings_fields)
    off = Reading(Settings(aws_region=None, loki_url=None, local_logs_dir=None))
    assert kind.from_settings(off, named=False) is None
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    configuration = readme.split("\n## Configuration\n")[1].split("\n## ")[0]
    for env in source_settings(kind):
        assert f"`{env}`" in configuration, env
    (row,) = [line for line in readme.split("\n## Log sources\n")[1].split("\n## ")[0].splitlines()
              if line.startswith(f"| `{kind.name}` |")]
    assert row.rstrip(" |").rsplit(" | ", 1)[1] == ", ".join(f"`{env}`" for env in source_settings(kind))
