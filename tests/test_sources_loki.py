import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest

from doctor.sources import Limits, Selector, Window
from doctor.sources.collect import collect
from doctor.sources.loki import LokiSource, logql, parse_line

from .fakes.loki_server import FakeLoki, parse_logql

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
NS0 = int(T0.timestamp()) * 10**9
WINDOW = Window(T0, T0 + timedelta(hours=1))


def _fetch(source, selector, window=WINDOW, limits=Limits(deadline_s=30)):
    got = []
    (report,) = asyncio.run(collect([(source, selector)], window, limits, got.append))
    return got, report


def test_paging_past_the_entry_cap_loses_and_repeats_nothing():
    with FakeLoki(max_entries=5000) as loki:
        # 12,001 lines; runs of 7 share one nanosecond, so page edges fall inside runs.
        values = [[str(NS0 + (i // 7) * 1000), f"line {i:05d}"] for i in range(12_001)]
        loki.push([{"stream": {"service": "executor", "pod": "a"}, "values": values[::2]},
                   {"stream": {"service": "executor", "pod": "b"}, "values": values[1::2]}])
        got, report = _fetch(LokiSource(url=loki.url, page_size=1000), Selector("executor", logs={"loki": '{service="executor"}'}))
    messages = [r.message for r in got]
    assert report.outcome == "complete" and report.lines == 12_001
    assert sorted(messages) == [f"line {i:05d}" for i in range(12_001)]
    assert len(set(messages)) == len(messages)
    assert all(a.timestamp <= b.timestamp for a, b in zip(got, got[1:]))
    assert len(loki.queries) >= 13 and all(q["direction"] == "forward" for q in loki.queries)
    assert all(q["start"].isdigit() and len(q["start"]) == 19 for q in loki.queries)  # nanoseconds


def test_limit_above_the_server_cap_is_halved_not_fatal():
    with FakeLoki(max_entries=1000) as loki:
        loki.push([{"stream": {"service": "s"}, "values": [[str(NS0 + i), f"l{i}"] for i in range(2500)]}])
        got, report = _fetch(LokiSource(url=loki.url, page_size=5000), Selector("s", logs={"loki": '{service="s"}'}))
        assert report.outcome == "complete" and len(got) == 2500
        assert {q["limit"] for q in loki.queries} >= {"5000", "625"}


def test_selectors_and_line_filters():
    with FakeLoki() as loki:
        loki.push([
            {"stream": {"service": "executor", "env": "prod"}, "values": [[str(NS0 + 1), "ERROR order failed"],
                                                                      [str(NS0 + 2), "INFO order filled"]]},
            {"stream": {"service": "executor", "env": "dev"}, "values": [[str(NS0 + 3), "ERROR dev only"]]},
            {"stream": {"service": "strategy", "env": "prod"}, "values": [[str(NS0 + 4), "ERROR other service"]]},
        ])
        source = LokiSource(url=loki.url)
        got, _ = _fetch(source, Selector("executor", logs={"loki": '{service="executor", env!="dev"}'}, query="ERROR"))
        assert [r.message for r in got] == ["ERROR order failed"]
        got, _ = _fetch(source, Selector("x", logs={"loki": '{service=~"exec.*|strat.*"} |~ "ERROR (order|other)"'}))
        assert [r.message for r in got] == ["ERROR order failed", "ERROR other service"]


def test_bad_query_is_a_clear_message():
    with FakeLoki() as loki:
        got, report = _fetch(LokiSource(url=loki.url), Selector("x", logs={"loki": 'service="executor"'}))
    assert report.outcome == "failed"
    assert report.detail.startswith('Loki rejected the query service="executor": parse error')


def test_tenant_header_and_bearer_token():
    with FakeLoki(tenant="team-a", token="s3cret") as loki:
        loki.push([{"stream": {"service": "s"}, "values": [[str(NS0 + 1), "hello"]]}])
        sel = Selector("s", logs={"loki": '{service="s"}'})
        _, report = _fetch(LokiSource(url=loki.url, tenant="team-a"), sel)
        assert report.outcome == "failed" and "credentials (401)" in report.detail
        got, report = _fetch(LokiSource(url=loki.url, tenant="team-a", token="s3cret"), sel)
        assert [r.message for r in got] == ["hello"] and report.outcome == "complete"


def test_unreachable_loki_is_reported():
    got, report = _fetch(LokiSource(url="http://127.0.0.1:9", timeout_s=2), Selector("s", logs={"loki": '{service="s"}'}))
    assert report.outcome == "failed" and "cannot reach Loki at http://127.0.0.1:9" in report.detail


def test_json_lines_become_level_and_message_and_plain_lines_stay():
    assert parse_line('{"message": "order rejected", "level": "ERROR", "name": "executor"}') == ("order rejected", "ERROR")
    assert parse_line('{"message": "boom", "level": "ERROR", "stacktrace": "Traceback...\\nKeyError: \'x\'"}') == (
        "boom | KeyError: 'x'", "ERROR")
    assert parse_line("plain text line") == ("plain text line", None)
    assert logql(Selector("s", logs={"loki": '{a="b"}'}, query='say "hi"')) == '{a="b"} |= "say \\"hi\\""'
    assert parse_logql(logql(Selector("s", logs={"loki": '{a="b"}'}, query='say "hi"')))[1][0][1] == 'say "hi"'


def test_loki_logger_handler_pushes_and_the_doctor_reads_it_back():
    from loki_logger_handler.loki_logger_handler import LokiLoggerHandler

    with FakeLoki() as loki:
        handler = LokiLoggerHandler(url=f"{loki.url}/loki/api/v1/push", labels={"service": "executor", "env": "test"},
                                    timeout=0.2)
        log = logging.getLogger("patient.executor.test")
        log.propagate = False
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        try:
            log.info("order ord-1 filled buy 0.1 BTC-USDT")
            try:
                raise TimeoutError("exchange did not answer")
            except TimeoutError:
                log.error("order ord-2 failed", exc_info=True)
            deadline = time.time() + 10
            while loki.pushes == 0 and time.time() < deadline:
                time.sleep(0.05)
        finally:
            log.removeHandler(handler)
        now = datetime.now(UTC)
        got, report = _fetch(LokiSource(url=loki.url), Selector("executor", logs={"loki": '{service="executor"}'}),
                             Window(now - timedelta(minutes=5), now + timedelta(minutes=1)))
    assert report.outcome == "complete"
    assert [(r.level, r.message) for r in got] == [
        ("INFO", "order ord-1 filled buy 0.1 BTC-USDT"),
        ("ERROR", "order ord-2 failed | TimeoutError: exchange did not answer"),
    ]
    assert got[0].labels["env"] == "test" and got[0].source == "loki"


def test_health():
    with FakeLoki() as loki:
        loki.push([{"stream": {"service": "s", "env": "prod"}, "values": [[str(NS0), "x"]]}])
        health = asyncio.run(LokiSource(url=loki.url).health())
    assert health.ok and set(health.reachable) == {"env", "service"}
    assert not asyncio.run(LokiSource(url="http://127.0.0.1:9", timeout_s=1).health()).ok


@pytest.mark.parametrize("query", ["", "{}", 'service="a"'])
def test_fake_server_rejects_what_loki_rejects(query):
    with pytest.raises(ValueError):
        parse_logql(query)


# --- A busy Loki sheds load with 429 (issue #17) ---

SHORT = Window(T0, T0 + timedelta(minutes=5))  # five one-minute slices


def _minutes(loki, n=5, per_minute=20):
    values = [[str(NS0 + m * 60 * 10**9 + i * 10**9), f"minute {m} line {i}"] for m in range(n) for i in range(per_minute)]
    loki.push([{"stream": {"service": "executor"}, "values": values}])


def test_the_stand_in_sheds_load_as_loki_does():
    """Beyond the queue, a query is a 429 "too many outstanding requests" (text, as Loki's scheduler says it)."""
    import httpx

    with FakeLoki(max_outstanding=0) as loki:
        resp = httpx.get(f"{loki.url}/loki/api/v1/query_range", params={"query": '{service="executor"}'})
    assert resp.status_code == 429 and resp.text.strip() == "too many outstanding requests"
    assert loki.rejected == 1 and loki.queries == []


def test_a_busy_loki_is_retried_with_backoff_and_read_whole():
    """One querier and a queue of one against four slices at once: some queries are turned away with 429,
    and each is asked again after a pause until the window is read whole."""
    with FakeLoki(max_concurrent=1, max_outstanding=1, query_delay_s=0.5) as loki:
        _minutes(loki)
        source = LokiSource(url=loki.url, attempts=60, backoff_base_s=0.05, backoff_cap_s=0.2)
        got, report = _fetch(source, Selector("executor", logs={"loki": '{service="executor"}'}), SHORT,
                             Limits(deadline_s=60, inflight=4))
    assert loki.rejected > 0
    assert report.outcome == "complete" and report.coverage == 1.0
    assert sorted(r.message for r in got) == sorted(f"minute {m} line {i}" for m in range(5) for i in range(20))


def test_a_loki_that_stays_overloaded_gives_a_partial_read_never_an_all_clear(monkeypatch):
    """Loki answers the newest minutes, then only 429s: the job stops after its tries with what it read
    (the newest minutes), says why, and the answer heads with the incomplete read."""
    from doctor.config import ServiceLogs, Settings
    from doctor.models import NO_PROBLEM
    from doctor.pipeline import diagnose, fetch_digest

    original = LokiSource.__init__
    # The client as the settings make it, with short pauses so the test is quick.
    monkeypatch.setattr(LokiSource, "__init__", lambda self, **kw: original(
        self, **kw, attempts=3, backoff_base_s=0.01, backoff_cap_s=0.02))
    with FakeLoki() as loki:
        _minutes(loki)
        query_range, served = loki.query_range, []

        def then_overloaded(q):  # other users fill the queue after the first two queries
            served.append(q)
            if len(served) == 2:
                loki.max_outstanding = 0
            return query_range(q)

        monkeypatch.setattr(loki, "query_range", then_overloaded)
        settings = Settings(loki_url=loki.url, local_logs_dir=None, aws_region=None,
                            services={"executor": ServiceLogs(loki='{service="executor"}')})
        digest, reports = asyncio.run(fetch_digest(settings=settings, services=["executor"], window=SHORT,
                                                   limits=Limits(deadline_s=30, inflight=1)))
    (report,) = [r for r in reports if r.service == "executor"]
    assert report.outcome == "failed" and "answered 429 too many outstanding requests to 3 tries" in report.detail
    assert report.lines == 40 and report.spans == [(T0 + timedelta(minutes=3), SHORT.end)]  # the newest two minutes
    assert loki.rejected == 3
    result = diagnose(digest, settings=settings)
    assert result.diagnosis.summary != NO_PROBLEM and result.diagnosis.summary.startswith("Incomplete read")
    assert any("429 too many outstanding requests" in n for n in result.diagnosis.notes)
