import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from doctor.config import Settings
from doctor.models import LogRecord
from doctor.pipeline import diagnose, fetch_digest
from doctor.sources import Limits, Selector, SourceError, Window, source_title
from doctor.sources.collect import collect, notes_from
from doctor.sources.loki import LokiSource

from .fakes.loki_server import FakeLoki

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
WINDOW = Window(T0, T0 + timedelta(hours=1))


class ScriptedSource:
    """A source whose pages and pace a test controls (it stands for any LogSource)."""

    def __init__(self, name, pages, *, delay=0.0, fail_after=None):
        self.name, self.pages, self.delay, self.fail_after = name, pages, delay, fail_after
        self.title = source_title(name)  # a registered source's words when it stands for one
        self.asked: list[Window] = []  # the windows (slices) asked for, in order

    @classmethod
    def from_settings(cls, settings, *, named):
        return None  # made by the tests, never from settings

    def configured_for(self, selector):
        return True

    def target(self, selector):  # what the real source of this name would say it reads
        if self.name not in ("cloudwatch", "loki"):
            return selector.service
        value = selector.logs.get(self.name, ())
        return ", ".join(value) if isinstance(value, tuple) else value

    def jobs(self, selector):
        return [selector]

    async def fetch(self, window, selector, limits):
        self.asked.append(window)
        for i, page in enumerate(self.pages):
            page = [r for r in page if window.start <= r.timestamp < window.end]  # as a real source answers
            if not page:
                continue
            if self.fail_after is not None and i >= self.fail_after:
                raise SourceError("connection refused by the test")
            await asyncio.sleep(self.delay)
            yield page

    async def health(self):
        raise NotImplementedError


def _page(name, seconds):
    return [LogRecord(T0 + timedelta(seconds=s), "file", f"{name}{s}", {"service": name}) for s in seconds]


def _run(jobs, limits=Limits()):
    got = []
    reports = asyncio.run(collect(jobs, WINDOW, limits, got.append))
    return [r.message for r in got], reports


def test_sources_are_read_at_once_newest_minutes_first():
    """Each job reads its window in slices, the newest first; every record arrives exactly once."""
    per_minute = lambda name: [[LogRecord(T0 + timedelta(minutes=m, seconds=s), "file", f"{name}{m}:{s}",  # noqa: E731
                                          {"service": name}) for s in (0, 30)] for m in range(60)]
    a, b = ScriptedSource("a", per_minute("a")), ScriptedSource("b", per_minute("b"))
    messages, reports = _run([(a, Selector("a")), (b, Selector("b"))], Limits(inflight=1))
    assert sorted(messages) == sorted(f"{n}{m}:{s}" for n in "ab" for m in range(60) for s in (0, 30))
    assert [r.outcome for r in reports] == ["complete", "complete"] and [r.coverage for r in reports] == [1.0, 1.0]
    a_order = [int(x[1:].split(":")[0]) for x in messages if x[0] == "a"]
    assert set(a_order[:2 * 15]) == set(range(45, 60))  # the newest minutes first
    # 20 slices of 3 minutes: the newest 40% newest first, then every third older slice, then the rest.
    starts = [int((w.start - T0).total_seconds()) // 180 for w in a.asked]
    assert starts[:8] == [19, 18, 17, 16, 15, 14, 13, 12]
    assert starts[8:12] == [9, 6, 3, 0] and sorted(starts) == list(range(20))


def test_a_slow_source_times_out_and_the_rest_still_arrives():
    fast = ScriptedSource("fast", [_page("f", range(10))])
    slow = ScriptedSource("slow", [_page("s", range(5)), _page("s", range(5, 10))], delay=0.4)
    messages, reports = _run([(fast, Selector("fast")), (slow, Selector("slow"))], Limits(deadline_s=0.6))
    by = {r.source: r for r in reports}
    assert by["fast"].outcome == "complete" and by["fast"].lines == 10
    assert by["slow"].outcome == "timed_out" and by["slow"].lines == 5
    assert sorted(messages) == sorted([f"f{s}" for s in range(10)] + [f"s{s}" for s in range(5)])
    # Its other slices (empty) were read first, newest first; the oldest slice was cut short at 09:00:04.
    assert notes_from(reports)[0] == ("slow slow timed out after 1 s with 5 lines; 95% of the window read, the newest "
                                      "first; not read: 09:00–09:03Z")


@pytest.mark.parametrize("limits,kept,detail", [
    (Limits(max_lines=25), 25, "line cap 25"),
    (Limits(max_bytes=10 * 3), 10, "byte cap 30"),  # each message is 3 bytes: "x10".."x39"
])
def test_caps_stop_a_source_and_say_so(limits, kept, detail):
    src = ScriptedSource("x", [_page("x", range(10, 20)), _page("x", range(20, 30)), _page("x", range(30, 40))])
    messages, (report,) = _run([(src, Selector("x"))], limits)
    assert len(messages) == kept == report.lines
    assert report.outcome == "capped" and report.detail == detail


def test_a_failing_source_is_reported_with_what_it_delivered():
    bad = ScriptedSource("loki", [_page("l", range(3)), _page("l", range(3, 6))], fail_after=1)
    good = ScriptedSource("cloudwatch", [_page("c", range(4))])
    messages, reports = _run([(bad, Selector("executor", logs={"loki": "{}"})), (good, Selector("executor"))])
    assert len(messages) == 7
    notes = notes_from(reports)
    assert notes[0] == "Loki {} failed: connection refused by the test (after 3 lines)"
    assert notes[1].startswith("complete: CloudWatch")


def test_fetch_digest_end_to_end_with_one_source_down(tmp_path):
    lines = [f"2026-11-20T09:{m:02d}:00Z INFO strategy.rsi: signal hold for BTC-USDT rsi=5{m % 10}" for m in range(40)]
    lines += [f"2026-11-20T09:{m:02d}:30Z ERROR strategy.db: sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 "
              f"overflow 10 reached, connection timed out, timeout 30.00" for m in range(25, 40) for _ in range(3)]
    (tmp_path / "strategy.log").write_text("\n".join(sorted(lines)) + "\n")
    with FakeLoki() as loki:
        ns = int((T0 + timedelta(minutes=26)).timestamp()) * 10**9
        loki.push([{"stream": {"service": "postgres"},
                    "values": [[str(ns + i), "FATAL:  sorry, too many clients already"] for i in range(40)]}])
        settings = Settings(local_logs_dir=tmp_path, loki_url=loki.url, aws_region=None)
        digest, reports = asyncio.run(fetch_digest(settings=settings, services=["strategy", "postgres", "executor"],
                                                   window=WINDOW))
        broken = Settings(local_logs_dir=tmp_path, loki_url="http://127.0.0.1:9")
        digest2, _ = asyncio.run(fetch_digest(settings=broken, services=["strategy", "postgres"], window=WINDOW,
                                              limits=Limits(deadline_s=5)))
    result = diagnose(digest, settings=settings)
    assert result.diagnosis.category == "db_connections"
    assert result.diagnosis.signature == "postgres_too_many_clients"
    assert digest.lines_in == len(lines) + 40
    # Every source delivered its whole window; the one note says which platform streams came along.
    assert result.diagnosis.notes == [
        "platform streams read with the services: ecs-events (the lines naming strategy, executor)"]
    assert {(r.source, r.service): r.lines for r in reports} == {
        ("file", "strategy"): len(lines), ("loki", "strategy"): 0, ("loki", "postgres"): 40, ("loki", "executor"): 0,
        ("loki", "ecs-events"): 0}
    # With Loki down the diagnosis still goes ahead on the file, and says what is missing.
    result2 = diagnose(digest2, settings=broken)
    assert result2.diagnosis.category == "db_connections"
    assert any(n.startswith('Loki {service="postgres"} failed: cannot reach Loki') for n in result2.diagnosis.notes)
    assert any(n.startswith("Loki {service=\"strategy\"} failed") for n in result2.diagnosis.notes)


def test_unknown_service_and_no_source_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="unknown service"):
        asyncio.run(fetch_digest(settings=Settings(local_logs_dir=tmp_path), services=["nope"], window=WINDOW))
    with pytest.raises(ValueError, match="no log source is configured"):
        asyncio.run(fetch_digest(settings=Settings(), services=["executor"], window=WINDOW))


def test_loki_source_is_built_from_settings(tmp_path):
    from doctor.sources import build_sources

    s = Settings(loki_url="http://loki:3100", loki_tenant="t", loki_token="tok", local_logs_dir=tmp_path)
    built = build_sources(s)
    assert isinstance(built["loki"], LokiSource) and set(built) == {"loki", "file"}
    assert set(build_sources(s, only=("file",))) == {"file"}


def test_fetching_in_worker_processes_gives_the_same_digest(tmp_path):
    for name in ("strategy", "executor"):
        (tmp_path / f"{name}.log").write_text("".join(
            f"2026-11-20T09:{m:02d}:{s:02d}Z {'ERROR' if m > 30 and s % 20 == 0 else 'INFO'} {name}.app: "
            f"step {m * 60 + s} token={m}{s}abcd\n" for m in range(40) for s in range(0, 60, 5)))
    base = {"local_logs_dir": tmp_path, "aws_region": None, "loki_url": None}
    one, _ = asyncio.run(fetch_digest(settings=Settings(**base, fetch_workers=1),
                                      services=["strategy", "executor"], window=WINDOW))
    many, reports = asyncio.run(fetch_digest(settings=Settings(**base, fetch_workers=2),
                                             services=["strategy", "executor"], window=WINDOW))
    summary = lambda d: sorted((t.text, t.count, t.level, t.first_seen, t.last_seen, tuple(sorted(t.services)),  # noqa: E731
                                t.new) for t in d.templates)
    assert summary(one) == summary(many) and one.redactions_made == many.redactions_made == 960
    assert [(r.service, r.lines) for r in reports] == [("strategy", 480), ("executor", 480)]  # in job order


def test_the_kept_fetch_process_parses_and_a_dead_one_is_replaced(tmp_path):
    """The service's analyses parse in a kept process. One that died while idle is replaced without the
    next analysis noticing; one that dies during an analysis fails that analysis with the reason."""
    import multiprocessing
    import os
    import signal
    import socket
    import threading
    import time

    from doctor.pipeline import redactor_for
    from doctor.sources import build_sources, jobs_for, selectors
    from doctor.sources.collect import FetchProcesses

    (tmp_path / "executor.log").write_text("".join(
        f"2026-11-20T09:{m:02d}:00Z ERROR executor.app: order {m} failed token=abc{m}def\n" for m in range(40)))
    files = Settings(local_logs_dir=tmp_path, aws_region=None, loki_url=None)
    limits = Limits(20, 1000, 1 << 20)

    def run(settings, procs):
        jobs = jobs_for(build_sources(settings), selectors(settings, ["executor"]))
        return procs.run(settings, jobs, WINDOW, limits, redactor_key=redactor_for(settings).key)

    before = {p.pid for p in multiprocessing.active_children()}
    procs = FetchProcesses(1)
    hanging = socket.socket()
    try:
        (tally,), reports = run(files, procs)
        assert tally.lines_in == 40 and [r.lines for r in reports] == [40] and tally.redactor.counts
        (worker,) = [p for p in multiprocessing.active_children() if p.pid not in before]
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(10)
        time.sleep(0.2)  # the pool's manager thread notices the death
        assert run(files, procs)[0][0].lines_in == 40  # a fresh process, no error

        hanging.bind(("127.0.0.1", 0))
        hanging.listen()
        loki = Settings(loki_url=f"http://127.0.0.1:{hanging.getsockname()[1]}", local_logs_dir=None, aws_region=None)
        failure: list = []
        caller = threading.Thread(target=lambda: failure.append(_raised(lambda: run(loki, procs))))
        caller.start()
        conn, _ = hanging.accept()  # the analysis is inside the process, waiting on "Loki"
        (worker,) = [p for p in multiprocessing.active_children() if p.pid not in before]
        os.kill(worker.pid, signal.SIGKILL)
        caller.join(20)
        conn.close()
        assert isinstance(failure[0], RuntimeError) and "process fetching the logs stopped" in str(failure[0])
        assert run(files, procs)[0][0].lines_in == 40
        # A service no source has logs for (a round of a platform stream that is not mapped): nothing to
        # fetch, an empty answer rather than an error.
        assert procs.run(files, [], WINDOW, limits, redactor_key=redactor_for(files).key) == ([], [])
    finally:
        hanging.close()
        procs.shutdown()


def _raised(call):
    try:
        call()
    except Exception as exc:
        return exc
    return None


# --- The deadline covers the digest; a source's places are shared by its jobs (issue #17) ---

def test_pages_read_but_not_digested_by_the_deadline_are_dropped_and_not_counted():
    """The digest stops at the deadline: pages still queued are dropped, and the coverage and line count
    are what the digest took (here the first page of the oldest slice, 09:00:00 up to 09:00:04)."""
    src = ScriptedSource("x", [_page("x", range(0, 5)), _page("x", range(5, 10)), _page("x", range(10, 15))])
    got = []

    def slow_sink(record):
        if not got:
            import time

            time.sleep(0.6)  # the digest is behind: the deadline passes while it takes the first page
        got.append(record.message)

    (report,) = asyncio.run(collect([(src, Selector("x"))], WINDOW, Limits(deadline_s=0.3), slow_sink))
    assert got == [f"x{s}" for s in range(5)]
    assert report.outcome == "timed_out" and report.lines == 5 and report.bytes == 10
    # The oldest slice counts up to its newest digested record; the newest slice (empty) was read whole.
    assert report.spans[0] == (T0, T0 + timedelta(seconds=4)) and report.spans[-1][1] == WINDOW.end
    assert report.coverage < 1.0 and report.spans[1][0] > T0 + timedelta(seconds=4)


def test_a_call_in_flight_at_the_deadline_is_not_waited_for():
    """A source call that cannot be aborted (boto3 in its socket) is abandoned at the deadline: the fetch
    process's loop does not join its thread, as asyncio.run would."""
    import threading

    from doctor.sources.collect import run_abandoning_threads

    release, ended = threading.Event(), threading.Event()

    class Blocking(ScriptedSource):
        async def fetch(self, window, selector, limits):
            def call():
                release.wait(30)
                ended.set()

            await asyncio.to_thread(call)
            yield []

    src = Blocking("cloudwatch", [])
    got = []
    try:
        (report,) = run_abandoning_threads(collect([(src, Selector("x"))], WINDOW, Limits(deadline_s=0.2, inflight=2),
                                                   got.append))
        assert not ended.is_set()  # returned while the call was still running
    finally:
        release.set()
    assert report.outcome == "timed_out" and report.coverage == 0.0 and got == []


def test_one_source_s_jobs_share_its_places_newest_slices_first():
    """Two services read from one source with one place: never two calls at once, and each service's
    newest slice is read before either's second."""
    asked, active, most = [], [0], [0]

    class Counted(ScriptedSource):
        async def fetch(self, window, selector, limits):
            active[0] += 1
            most[0] = max(most[0], active[0])
            asked.append((selector.service, window))
            await asyncio.sleep(0.001)
            active[0] -= 1
            for page in self.pages:
                page = [r for r in page if window.start <= r.timestamp < window.end]
                if page:
                    yield page

    a, b = Counted("loki", [_page("a", range(0, 3600, 60))]), Counted("loki", [_page("b", range(0, 3600, 60))])
    messages, reports = _run([(a, Selector("a")), (b, Selector("b"))], Limits(inflight=1))
    assert most[0] == 1 and len(messages) == 120 and [r.coverage for r in reports] == [1.0, 1.0]
    newest = WINDOW.end - timedelta(minutes=3)
    assert [(s, w.start) for s, w in asked[:2]] == [("a", newest), ("b", newest)]
    assert {w.start for _, w in asked[2:4]} == {newest - timedelta(minutes=3)}


def test_the_diagnosis_is_warmed_while_the_fetch_runs_in_its_processes(tmp_path):
    """While the fetch runs in other processes, this one loads the signature catalog and parses the
    Terraform tree, so the diagnosis that follows does not start cold."""
    from doctor.diagnose.catalog import load_catalog
    from doctor.prescribe.hcl import _parse_error

    (tmp_path / "executor.log").write_text("".join(
        f"2026-11-20T09:{m:02d}:00Z INFO executor.app: step {m}\n" for m in range(40)))
    tf = tmp_path / "tf"
    tf.mkdir()
    (tf / "main.tf").write_text('resource "aws_ecs_service" "executor" {\n  desired_count = 1\n}\n')
    load_catalog.cache_clear()
    _parse_error.cache_clear()
    settings = Settings(local_logs_dir=tmp_path, aws_region=None, loki_url=None, terraform_dir=tf)
    asyncio.run(fetch_digest(settings=settings, services=["executor"], window=WINDOW, isolate=True))
    assert load_catalog.cache_info().currsize == 1 and _parse_error.cache_info().currsize == 1
