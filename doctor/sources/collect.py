"""Fetch from every source at once, newest minutes first, stop at the limits, say what was read.

Each (source, service) job reads its window in slices, in the order `doctor.sources.plan` gives
(the incident's minutes, then a sample of the baseline, then the rest), a few slices in flight at
once; a deadline or a cap therefore drops the oldest baseline, never the newest minutes. Each job
puts pages on a small bounded queue, and the digest takes them as they come: its counts do not
depend on the order of records. Bounded queues keep memory flat: a fast source waits for the
digest rather than piling up a window's worth of strings.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import multiprocessing
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

from doctor.config import Settings
from doctor.digest import Redactor, ShapeTally
from doctor.models import LogRecord
from doctor.sources import build_sources
from doctor.sources.base import FetchReport, Limits, LogSource, Selector, SourceError, Window
from doctor.sources.plan import Slice, merge_spans, plan


class _Done:
    """The end of a job's pages, on its queue."""


_DONE = _Done()
# A job's queue: (slice, page) as read, (slice, None) when the slice is read whole, then _DONE.
_Item = tuple[Slice, list[LogRecord] | None] | _Done
_Queue = asyncio.Queue[_Item]
# Worker process input: (settings, (source name, selector) jobs, window, limits, redactor key, focus)
_Spec = tuple[Settings, list[tuple[str, Selector]], Window, Limits, bytes, datetime | None]
QUEUE_PAGES = 4
_T = TypeVar("_T")


class _Capped(Exception):
    pass


class _Gate:
    """At most `size` slices of one source read at once, shared by every job of that source in this
    analysis (a log store answers a few queries at a time: Loki's querier runs 4 by default and
    queues the rest, CloudWatch throttles). A free place goes to the waiting slice earliest in its
    job's read order, so every service's newest minutes come before any service's baseline; among
    equals, first come first served."""

    def __init__(self, size: int) -> None:
        self.free = max(1, size)
        self.waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    @contextlib.asynccontextmanager
    async def place(self, rank: int) -> AsyncIterator[None]:
        if self.free and not self.waiting:
            self.free -= 1
        else:
            turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            heapq.heappush(self.waiting, (rank, next(self._seq), turn))
            try:
                await turn
            except asyncio.CancelledError:
                if turn.done() and not turn.cancelled():
                    self._release()  # handed a place just as we were cancelled: pass it on
                raise
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        while self.waiting:
            _, _, turn = heapq.heappop(self.waiting)
            if not turn.done():  # a waiter cancelled meanwhile has a cancelled future: skip it
                turn.set_result(None)
                return
        self.free += 1


@dataclass
class _Digested:
    """What of one job's window the digest has taken: slices whole, and slices in part (sources read a
    slice forward, so a part is its start up to the newest record taken)."""

    done: list[Slice] = field(default_factory=list)
    reached: dict[Slice, datetime] = field(default_factory=dict)
    finished: bool = False  # the job's last page was digested

    def settle(self, queue: _Queue) -> None:
        """After the deadline: the pages left on the queue are dropped, but a slice whose pages were all
        digested before them still counts as read (its end marker may be queued behind other pages)."""
        dropped: set[Slice] = set()
        while not queue.empty():
            item = queue.get_nowait()
            if isinstance(item, _Done):
                break
            sl, page = item
            if page is not None:
                dropped.add(sl)
            elif sl not in dropped:
                self.reached.pop(sl, None)
                self.done.append(sl)

    def spans(self) -> list[tuple[datetime, datetime]]:
        return merge_spans([(s.window.start, s.window.end) for s in self.done]
                           + [(s.window.start, t) for s, t in self.reached.items() if t > s.window.start])


async def _produce(source: LogSource, window: Window, selector: Selector, limits: Limits,
                   queue: _Queue, report: FetchReport, gate: _Gate, focus: datetime | None = None) -> None:
    """Read the job's slices in plan order, a place at the source's gate each, onto `queue`. The caps
    count what is read here; the deadline is the collector's (it also covers the digest)."""
    # A Logs Insights query is the user's own (it may aggregate, and has its own row limit): one piece.
    slices = [Slice(window, "recent")] if selector.insights_query else plan(window, focus=focus)
    taken = {"lines": 0, "bytes": 0}

    async def read(rank: int, sl: Slice) -> None:
        lo, hi = sl.window.start, sl.window.end
        async with gate.place(rank):
            async for page in source.fetch(sl.window, selector, limits):
                keep = [r for r in page if lo <= r.timestamp < hi]  # a source may deliver more than it was asked
                if selector.platform_for:  # a platform stream: its lines about these services, marked
                    keep = selector.platform_page(keep)
                capped_by = ""
                room = limits.max_lines - taken["lines"]
                if len(keep) > room:
                    keep, capped_by = keep[:room], f"line cap {limits.max_lines:,}"
                size = 0
                for n, r in enumerate(keep):
                    if taken["bytes"] + size + len(r.message) > limits.max_bytes:
                        keep, capped_by = keep[:n], f"byte cap {limits.max_bytes:,}"
                        break
                    size += len(r.message)
                taken["lines"] += len(keep)
                taken["bytes"] += size
                if keep:
                    await queue.put((sl, keep))
                if capped_by:
                    report.outcome, report.detail = "capped", capped_by
                    raise _Capped
        await queue.put((sl, None))

    tasks = [asyncio.create_task(read(rank, sl)) for rank, sl in enumerate(slices)]
    try:
        await asyncio.gather(*tasks)
    except _Capped:
        pass
    except SourceError as exc:
        report.outcome, report.detail = "failed", str(exc)
    except Exception as exc:  # a source bug must not take the diagnosis down with it
        report.outcome, report.detail = "failed", f"{type(exc).__name__}: {exc}"
    finally:
        # Stopped early (a cap, a failure, the deadline): the slices still running are cancelled; a
        # Logs Insights query is stopped on the way out.
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    await queue.put(_DONE)  # not reached when the collector cancels us: it stops reading the queue first


async def collect(
    jobs: Iterable[tuple[LogSource, Selector]],
    window: Window,
    limits: Limits,
    sink: Callable[[LogRecord], None],
    focus: datetime | None = None,
) -> list[FetchReport]:
    """Run every (source, selector) job concurrently, each newest first (`focus`: an alert's start,
    read first), at most `limits.inflight` slices of one source at once; feed `sink` as pages arrive
    until the deadline; report each job with the parts of the window the digest took.

    The deadline covers the digest too: at the deadline the sources' calls still in flight are
    abandoned and the pages read but not yet digested are dropped, so the answer does not wait on
    stragglers, and coverage counts only what the digest has seen."""
    start = time.monotonic()
    queues: list[_Queue] = []
    reports: list[FetchReport] = []
    digested: list[_Digested] = []
    gates: dict[str, _Gate] = {}
    tasks = []
    for source, selector in jobs:
        q: _Queue = asyncio.Queue(maxsize=QUEUE_PAGES)
        report = FetchReport(source=source.name, service=selector.service, target=_target(source, selector),
                             title=source.title, window=window)
        gate = gates.setdefault(source.name, _Gate(limits.inflight))
        queues.append(q)
        reports.append(report)
        digested.append(_Digested())
        tasks.append(asyncio.create_task(_produce(source, window, selector, limits, q, report, gate, focus)))
    deadline = asyncio.get_running_loop().time() + limits.deadline_s
    try:
        async with asyncio.timeout_at(deadline):
            await _drain(queues, reports, digested, sink, start, deadline)
    except TimeoutError:
        pass
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for q, report, got in zip(queues, reports, digested):
            got.settle(q)
            report.spans = got.spans()
            if not got.finished:
                report.seconds = time.monotonic() - start
                if report.outcome == "complete":
                    report.outcome = "timed_out"
    return reports


async def _drain(queues: list[_Queue], reports: list[FetchReport], digested: list[_Digested],
                 sink: Callable[[LogRecord], None], start: float, deadline: float) -> None:
    """Every job's pages into `sink` as they arrive (no merge by time: the digest does not need one),
    until the deadline."""
    loop = asyncio.get_running_loop()

    async def drain(q: _Queue, report: FetchReport, got: _Digested) -> None:
        while not isinstance(item := await q.get(), _Done):
            if loop.time() >= deadline:
                # A queue that is never empty never suspends `get`, where the timeout would land.
                return
            sl, page = item
            if page is None:  # the slice is read whole
                got.reached.pop(sl, None)
                got.done.append(sl)
                continue
            for r in page:
                sink(r)
            report.lines += len(page)
            report.bytes += sum(len(r.message) for r in page)
            got.reached[sl] = max(got.reached.get(sl, sl.window.start), max(r.timestamp for r in page))
        got.finished = True
        report.seconds = time.monotonic() - start

    await asyncio.gather(*(drain(q, r, g) for q, r, g in zip(queues, reports, digested)))


def _target(source: LogSource, selector: Selector) -> str:
    return source.target(selector)


def notes_from(reports: list[FetchReport]) -> list[str]:
    """One line per source that delivered less than the whole window (what was read, what was not),
    and a summary of the rest."""
    gaps = [r.sentence() for r in reports if r.outcome != "complete"]
    if not gaps:
        return []
    whole = [r.sentence() for r in reports if r.outcome == "complete"]
    return gaps + ([f"complete: {'; '.join(whole)}"] if whole else [])


def _jobs_in_process(spec: _Spec) -> tuple[ShapeTally, list[FetchReport]]:
    """Runs in a worker process: (source, selector) jobs, fetched concurrently, into one ShapeTally."""
    settings, pairs, window, limits, redactor_key, focus = spec
    sources = build_sources(settings, only=tuple({name for name, _ in pairs}))
    tally = ShapeTally(redactor=Redactor(extra=tuple(settings.redact_extra), key=redactor_key),  # the parent's key
                       max_line_chars=settings.max_line_chars)
    reports = run_abandoning_threads(collect([(sources[name], selector) for name, selector in pairs], window, limits,
                                             tally.add, focus))
    return tally, reports


def run_abandoning_threads(main: Coroutine[Any, Any, _T]) -> _T:
    """`asyncio.run(main)`, except that calls still running in worker threads when `main` returns are
    not waited for. asyncio.run joins them, and a CloudWatch call cancelled at the deadline cannot be
    aborted (boto3 blocks in its socket): on a busy store the answer waited for every abandoned call.
    They end on their own (the client's read timeout bounds them) and their results are dropped."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(main)
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()  # shuts the default executor down without waiting for its threads


def _spec(settings: Settings, jobs: list[tuple[LogSource, Selector]], window: Window, limits: Limits, redactor_key: bytes,
          focus: datetime | None) -> _Spec:
    return settings, [(source.name, selector) for source, selector in jobs], window, limits, redactor_key, focus


def collect_in_processes(settings: Settings, jobs: list[tuple[LogSource, Selector]], window: Window, limits: Limits,
                         *, redactor_key: bytes, workers: int, focus: datetime | None = None,
                         ) -> tuple[list[ShapeTally], list[FetchReport]]:
    """A one-off fetch (`doctor analyze`, the benchmarks) in `workers` processes started for it."""
    procs = FetchProcesses(workers)
    try:
        return procs.run(settings, jobs, window, limits, redactor_key=redactor_key, workers=workers, focus=focus)
    finally:
        procs.shutdown(wait=True)


class FetchProcesses:
    """Processes that fetch and parse (parsing is CPU work, and one process has one GIL).

    The service keeps one set (`fetch_processes`): an analysis's fetch never runs in the process
    whose event loop acknowledges Slack, where a parsing thread would hold the GIL and stretch
    every acknowledgement; kept, because starting a process costs about half a second of imports.
    A process that dies (out of memory on a huge window) fails that analysis with the reason, and
    the next one gets fresh processes."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the service runs this from a threaded server, where fork is unsafe.
                self._pool = ProcessPoolExecutor(max_workers=self.size, mp_context=multiprocessing.get_context("spawn"))
            return self._pool

    def run(self, settings: Settings, jobs: list[tuple[LogSource, Selector]], window: Window, limits: Limits,
            *, redactor_key: bytes, workers: int = 1, focus: datetime | None = None) -> tuple[list[ShapeTally], list[FetchReport]]:
        """`jobs` spread over up to `workers` processes, all started at once, each running its share
        concurrently; one source's jobs go to different processes first, so two sources never wait on
        each other. Returns a ShapeTally per share and the reports in job order (tallies merge
        exactly: the digest is the one an in-process fetch makes)."""
        order = sorted(range(len(jobs)), key=lambda i: jobs[i][0].name)
        shares = [order[w::workers] for w in range(workers) if order[w::workers]]
        # The analysis's places at each source are divided among its processes (each holds a gate).
        limits = replace(limits, inflight=max(1, limits.inflight // max(1, len(shares))))  # no jobs: no shares
        specs = [_spec(settings, [jobs[i] for i in share], window, limits, redactor_key, focus) for share in shares]
        pool = self._executor()
        try:
            futures = [pool.submit(_jobs_in_process, spec) for spec in specs]
        except BrokenProcessPool:  # a process died while idle: this fetch never reached it
            self._discard(pool)
            pool = self._executor()
            futures = [pool.submit(_jobs_in_process, spec) for spec in specs]
        try:
            results = [f.result() for f in futures]
        except BrokenProcessPool:
            self._discard(pool)
            raise RuntimeError("the process fetching the logs stopped (out of memory on a large window?); "
                               "try a shorter window or fewer services") from None
        by_job = {i: report for share, (_, reports) in zip(shares, results) for i, report in zip(share, reports)}
        return [tally for tally, _ in results], [by_job[i] for i in range(len(jobs))]

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self, *, wait: bool = False) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)

    def terminate(self, *, timeout: float = 2.0) -> None:
        """Stop the processes now, a fetch in flight included (it fails with BrokenProcessPool): the
        service is stopping and Cloud Run kills whatever is left 10 s after SIGTERM."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        # ProcessPoolExecutor has no public way to stop busy workers before Python 3.14
        # (terminate_workers); its process table is the one place that lists them.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for proc in processes:
            proc.terminate()
        for proc in processes:
            proc.join(timeout)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout)
        # The executor's own thread sees its workers gone and ends; its queues and locks are released.
        pool.shutdown(wait=True, cancel_futures=True)


_kept: list[FetchProcesses] = []
_kept_lock = threading.Lock()


def fetch_processes(size: int) -> FetchProcesses:
    """This process's kept fetch processes, one set per process like asyncio's default thread pool
    (`size` counts when the first caller makes them; processes start as they are needed)."""
    with _kept_lock:
        if not _kept:
            _kept.append(FetchProcesses(size))
        return _kept[0]


def stop_fetch_processes() -> None:
    """At shutdown: the kept processes terminated. multiprocessing's resource tracker (started with
    the first of them) then ends with this process: it exits when the last holder of its pipe does,
    and the workers that also held it are gone."""
    with _kept_lock:
        kept, _kept[:] = _kept[:], []
    for procs in kept:
        procs.terminate()


def fetch_workers(setting: int, jobs: int) -> int:
    """Processes to fetch with: the setting, or (0 = auto) one per job up to the usable cores; 1 = in-process."""
    if setting:
        return max(1, min(setting, jobs))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, jobs))
