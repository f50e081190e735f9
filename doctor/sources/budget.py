"""An analysis's fetch budget, from the instance it runs on and the analyses running beside it.

The deadline is the analysis's, not each job's: every (source, service) job starts with it, reads
newest first and stops together with the others, each having read its newest minutes. It is the
smaller of `DOCTOR_FETCH_DEADLINE_SECONDS` and half the job deadline (the request timeout Cloud Run
gives a task: the rest is left to the digest, the diagnosis and the reply); a "Read the rest" job
gets most of the job deadline and is not divided with other analyses. Line and byte caps are the analysis's too, shared by its jobs and by
the analyses running at once in this process, so two analyses on one instance split it fairly; so are
the queries in flight at each source (`SOURCE_INFLIGHT`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from doctor.config import Settings
from doctor.sources.base import Limits

_CGROUP_MEMORY = (Path("/sys/fs/cgroup/memory.max"), Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"))
HEADROOM = 0.5  # of the instance's memory left to the interpreter, the digest and the other process
# Queries in flight at one source from the whole instance: Loki's querier runs 4 at once by default
# (`querier.max_concurrent`, grafana/loki#10785) and queues the rest; CloudWatch throttles FilterLogEvents
# per account. More in flight only lengthens each answer (the newest minutes arrive later) and
# leaves more work abandoned at the deadline.
SOURCE_INFLIGHT = 4


@dataclass(frozen=True)
class Instance:
    cores: int
    memory_bytes: int


def instance() -> Instance:
    """Usable cores (CPU affinity) and memory (the cgroup's limit, else the machine's)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    memory = 0
    for path in (*_own_cgroup_memory(), *_CGROUP_MEMORY):
        try:
            text = path.read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 1 << 60:  # v1 writes a huge number for "no limit"
            memory = int(text)
            break
    if not memory:
        try:
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal:"):
                    memory = int(line.split()[1]) * 1024
                    break
        except OSError:
            memory = 512 * 1024 * 1024
    return Instance(cores=max(1, cores), memory_bytes=memory or 512 * 1024 * 1024)


def _own_cgroup_memory() -> list[Path]:
    """The memory limit files of this process's own cgroup (v2 `0::/path`, v1 `N:memory:/path`)."""
    out: list[Path] = []
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "" and path not in ("", "/"):
            out.append(Path("/sys/fs/cgroup") / path.lstrip("/") / "memory.max")
        elif "memory" in controllers.split(",") and path not in ("", "/"):
            out.append(Path("/sys/fs/cgroup/memory") / path.lstrip("/") / "memory.limit_in_bytes")
    return out


_running = 0
_lock = threading.Lock()


@contextmanager
def sharing() -> Iterator[int]:
    """Counts this analysis among those running in the process; yields how many run now, itself included."""
    global _running
    with _lock:
        _running += 1
        now = _running
    try:
        yield now
    finally:
        with _lock:
            _running -= 1


def limits_for(settings: Settings, *, jobs: int, running: int = 1, full: bool = False, inst: Instance | None = None) -> Limits:
    """Per-job limits that add up to one analysis's share of the instance."""
    inst = inst or instance()
    share = max(1, running) * max(1, jobs)
    deadline = min(settings.fetch_deadline_seconds, settings.job_deadline_seconds * 0.5)
    if full:  # asked for by a person who read an incomplete answer: most of the job's time, and its jobs'
        deadline = settings.job_deadline_seconds * 0.8  # share of the caps whatever else runs
        share = max(1, jobs)
    max_lines = max(1, settings.fetch_max_lines // share)
    # Bytes read are streamed into counts, not held; the cap bounds the work a share may cost, and
    # never exceeds what the instance's memory could hold if a source sent it all at once.
    max_bytes = max(1024, min(settings.fetch_max_bytes, int(inst.memory_bytes * HEADROOM)) // share)
    # The store's capacity, not ours, bounds the queries worth having in flight: the analyses running
    # at once divide the instance's places at each source rather than each taking them all.
    return Limits(deadline_s=deadline, max_lines=max_lines, max_bytes=max_bytes,
                  inflight=max(1, SOURCE_INFLIGHT // max(1, running)))
