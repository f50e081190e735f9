"""Fetch from every source at once, merge by time, stop at the limits, say what is missing.

Each (source, service) pair runs as a producer task that puts pages on a small
bounded queue; the merger emits records in time order from the queue heads.
Bounded queues keep memory flat: records stream into the digest, and a fast
source waits for the merge rather than piling up a window's worth of strings.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from collections.abc import Callable, Iterable

from doctor.models import LogRecord
from doctor.sources.base import FetchReport, Limits, LogSource, Selector, SourceError, Window

_DONE = object()
QUEUE_PAGES = 4


async def _produce(source: LogSource, window: Window, selector: Selector, limits: Limits,
                   queue: asyncio.Queue, report: FetchReport) -> None:
    start = time.monotonic()
    try:
        async with asyncio.timeout(limits.deadline_s):
            async for page in source.fetch(window, selector, limits):
                keep, capped_by = page, ""
                room = limits.max_lines - report.lines
                if len(keep) > room:
                    keep, capped_by = keep[:room], f"line cap {limits.max_lines:,}"
                size = 0
                for n, r in enumerate(keep):
                    if report.bytes + size + len(r.message) > limits.max_bytes:
                        keep, capped_by = keep[:n], f"byte cap {limits.max_bytes:,}"
                        break
                    size += len(r.message)
                report.lines += len(keep)
                report.bytes += size
                if keep:
                    await queue.put(keep)
                if capped_by:
                    report.outcome, report.detail = "capped", capped_by
                    break
    except TimeoutError:
        report.outcome = "timed_out"
    except SourceError as exc:
        report.outcome, report.detail = "failed", str(exc)
    except Exception as exc:  # a source bug must not take the diagnosis down with it
        report.outcome, report.detail = "failed", f"{type(exc).__name__}: {exc}"
    finally:
        report.seconds = time.monotonic() - start
        await queue.put(_DONE)


async def collect(
    jobs: Iterable[tuple[LogSource, Selector]],
    window: Window,
    limits: Limits,
    sink: Callable[[LogRecord], None],
) -> list[FetchReport]:
    """Run every (source, selector) job concurrently; feed `sink` in time order; report each."""
    queues: list[asyncio.Queue] = []
    reports: list[FetchReport] = []
    tasks = []
    for source, selector in jobs:
        q: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_PAGES)
        report = FetchReport(source=source.name, service=selector.service, target=_target(source, selector))
        queues.append(q)
        reports.append(report)
        tasks.append(asyncio.create_task(_produce(source, window, selector, limits, q, report)))
    try:
        await _merge(queues, sink)
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return reports


async def _merge(queues: list[asyncio.Queue], sink: Callable[[LogRecord], None]) -> None:
    # Heap of (timestamp, queue index, position in page, page).
    heap: list = []

    async def refill(i: int) -> None:
        while True:
            page = await queues[i].get()
            if page is _DONE:
                return
            if page:
                heapq.heappush(heap, (page[0].timestamp, i, 0, page))
                return

    await asyncio.gather(*(refill(i) for i in range(len(queues))))
    while heap:
        ts, i, pos, page = heapq.heappop(heap)
        sink(page[pos])
        if pos + 1 < len(page):
            heapq.heappush(heap, (page[pos + 1].timestamp, i, pos + 1, page))
        else:
            await refill(i)


def _target(source: LogSource, selector: Selector) -> str:
    if source.name == "cloudwatch":
        return ", ".join(selector.cloudwatch_groups)
    if source.name == "loki":
        return selector.loki_selector or ""
    path = getattr(source, "path_for", lambda s: None)(selector)
    return path.name if path else selector.service


def notes_from(reports: list[FetchReport]) -> list[str]:
    """One line per source that delivered less than the whole window, and a summary of the rest."""
    gaps = [r.sentence() for r in reports if r.outcome != "complete"]
    if not gaps:
        return []
    whole = [r.sentence() for r in reports if r.outcome == "complete"]
    return gaps + ([f"complete: {'; '.join(whole)}"] if whole else [])


def _job_in_process(job: tuple) -> tuple:
    """Runs in a worker process: one (source, selector) job into a ShapeTally."""
    from doctor.digest import Redactor, ShapeTally
    from doctor.sources import build_sources

    settings, source_name, selector, window, limits, redactor_key = job
    source = build_sources(settings, only=(source_name,))[source_name]
    tally = ShapeTally(redactor=Redactor(extra=tuple(settings.redact_extra), key=redactor_key),  # the parent's key
                       max_line_chars=settings.max_line_chars)
    (report,) = asyncio.run(collect([(source, selector)], window, limits, tally.add))
    return tally, report


def collect_in_processes(settings, jobs: list[tuple[LogSource, Selector]], window: Window, limits: Limits,
                         *, redactor_key: bytes, workers: int) -> list[tuple]:
    """Each job in its own process (parsing is CPU work, and one process has one GIL); returns
    (ShapeTally, FetchReport) per job. Tallies merge exactly, so the digest is the same as in-process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    specs = [(settings, source.name, selector, window, limits, redactor_key) for source, selector in jobs]
    # spawn, not fork: the service calls this from a threaded server, where fork is unsafe.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_job_in_process, specs))


def fetch_workers(setting: int, jobs: int) -> int:
    """Processes to fetch with: the setting, or (0 = auto) one per job up to the usable cores; 1 = in-process."""
    import os

    if setting:
        return max(1, min(setting, jobs))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, jobs))
