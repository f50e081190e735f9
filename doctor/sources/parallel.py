"""Digest large log files on every core: byte ranges tallied in worker processes, merged exactly.

A `ShapeTally` needs no shared state, and the only step that does (template
mining) runs once per line shape in the parent, so the result is the same as
reading the files in one process. Small inputs and gzip files (which cannot
be split) are read in-process or one worker per file.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

from doctor.digest.digest import Digest
from doctor.digest.redact import Redactor
from doctor.digest.tally import DigestBuilder, ShapeTally
from doctor.sources.file import is_gzip, read_file, read_files, record_boundaries

CHUNK_BYTES = 16 * 1024 * 1024
PARALLEL_MIN_BYTES = 32 * 1024 * 1024


# (path, byte range or None for the whole file, redactor key, redactor extra kinds, since, until, max_line_chars)
_RangeJob = tuple[Path, tuple[int, int] | None, bytes, tuple[str, ...], datetime | None, datetime | None, int]


def _tally_range(job: _RangeJob) -> tuple[ShapeTally, list[str]]:
    path, byte_range, redactor_key, extra, since, until, max_line_chars = job
    tally = ShapeTally(redactor=Redactor(extra=extra, key=redactor_key), since=since, until=until,
                       max_line_chars=max_line_chars)
    notes: list[str] = []
    tally.add_many(read_file(path, max_line_chars=max_line_chars, byte_range=byte_range, reference=until, notes=notes))
    return tally, notes


def digest_files(
    paths: list[Path],
    *,
    redactor: Redactor,
    workers: int = 0,
    since: datetime | None = None,
    until: datetime | None = None,
    incident_start: datetime | None = None,
    max_line_chars: int = 16_384,
) -> Digest:
    """The digest of `paths`; `workers` = 0 uses every core."""
    paths = [Path(p) for p in paths]
    builder = DigestBuilder(redactor=redactor, since=since, until=until, incident_start=incident_start,
                            max_line_chars=max_line_chars)
    workers = workers or os.cpu_count() or 1
    total = sum(p.stat().st_size for p in paths if p.is_file())
    if workers < 2 or total < PARALLEL_MIN_BYTES:
        builder.add_many(read_files(paths, max_line_chars=max_line_chars, reference=until, notes=builder.notes))
        return builder.build()
    jobs = []
    for p in paths:
        if not p.is_file():
            list(read_file(p))  # raises the InputError that says why
        ranges = [None] if is_gzip(p) else _ranges(p, workers)
        jobs += [(p, r, redactor.key, redactor.extra, since, until, max_line_chars) for r in ranges]
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        for tally, notes in pool.map(_tally_range, jobs):
            builder.merge(tally)
            builder.notes.extend(n for n in notes if n not in builder.notes)
    return builder.build()


def _ranges(path: Path, workers: int) -> list[tuple[int, int]]:
    # A multiple of the worker count, so no worker idles through the last range.
    size = path.stat().st_size
    parts = workers * max(1, -(-size // (CHUNK_BYTES * workers)))
    cuts = record_boundaries(path, parts)
    return list(zip(cuts, cuts[1:]))
