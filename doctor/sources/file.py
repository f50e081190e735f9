"""The local file source: plain text or JSON lines, gzip or not, one record per event.

A Python traceback (and any indented continuation) is folded into the record
it belongs to, with the exception line appended, so `Traceback ... KeyError: x`
becomes one event that names its exception.
"""

from __future__ import annotations

import gzip
import heapq
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from doctor.digest.header import split_header
from doctor.digest.timestamps import parse_iso_prefix, parse_timestamp
from doctor.errors import InputError
from doctor.models import LogRecord

_ISO_PREFIX = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?")
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Timeout|Failure)\b.*")
_SNIFF_BYTES = 8192


def read_file(
    path: str | Path,
    *,
    service: str | None = None,
    max_line_chars: int = 16_384,
) -> Iterator[LogRecord]:
    """Yield the records of one log file. Raises InputError for a file that is not logs."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a log file")
    labels = {"service": service or _service_from_name(path), "file": path.name}
    with _open_text(path) as fh:
        yield from _records(fh, labels, max_line_chars, path)


def _service_from_name(path: Path) -> str:
    name = path.name
    for ext in (".gz", ".jsonl", ".ndjson", ".json", ".log", ".txt"):
        if name.endswith(ext):
            name = name[: -len(ext)]
    return name or "unknown"


def _open_text(path: Path) -> IO[str]:
    raw = path.open("rb")
    head = raw.read(_SNIFF_BYTES)
    raw.seek(0)
    if not head:
        raw.close()
        raise InputError(f"{path}: file is empty")
    stream: IO[bytes] = raw
    if head[:2] == b"\x1f\x8b":
        stream = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
        try:
            head = stream.read(_SNIFF_BYTES)
        except (OSError, EOFError) as exc:
            raw.close()
            raise InputError(f"{path}: not a readable gzip file ({exc})") from None
        stream.seek(0)
        if not head:
            raw.close()
            raise InputError(f"{path}: file is empty (after gunzip)")
    if b"\x00" in head:
        raw.close()
        raise InputError(f"{path}: looks binary (NUL bytes), not a text log")
    # Invalid UTF-8 is replaced, not fatal: one bad byte must not hide an incident.
    return io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline=None)


def _read_lines(fh: IO[str], limit: int, chunk_chars: int = 1 << 20) -> Iterator[tuple[str, bool]]:
    """Lines without their newline, cut to `limit` characters; (line, was_cut).

    Reads 1 MiB at a time and splits in C; a line longer than `limit` is cut and
    the rest of it skipped without ever being held whole, so a 10 GB line costs
    no more memory than a short one.
    """
    carry = ""
    skipping = False  # inside the overflow of a line already cut
    while True:
        chunk = fh.read(chunk_chars)
        if not chunk:
            break
        parts = chunk.split("\n")
        if skipping:
            if len(parts) == 1:
                continue
            parts = parts[1:]
            skipping = False
        parts[0] = carry + parts[0]
        carry = parts.pop()
        for line in parts:
            if len(line) > limit:
                yield line[:limit], True
            else:
                yield line, False
        if len(carry) > limit:
            yield carry[:limit], True
            carry = ""
            skipping = True
    if carry and not skipping:
        yield carry, False


def _records(fh, labels, limit, path) -> Iterator[LogRecord]:
    pending: LogRecord | None = None
    trace: list[str] = []
    last_ts: datetime | None = None
    any_text = False
    for line, _cut in _read_lines(fh, limit):
        if not line.strip():
            continue
        any_text = True
        if pending is not None and _is_continuation(line, trace):
            trace.append(line.strip())
            continue
        if pending is not None:
            yield _finish(pending, trace)
        trace = []
        pending = _parse_line(line, labels, last_ts)
        last_ts = pending.timestamp
    if pending is not None:
        yield _finish(pending, trace)
    if not any_text:
        raise InputError(f"{path}: holds no log lines (only blank lines)")


def _is_continuation(line: str, trace: list[str]) -> bool:
    if line[0] in " \t":
        return True
    if line.startswith(("Traceback (most recent call last)", "During handling of the above", "The above exception")):
        return True
    # The exception line that closes a traceback: `KeyError: 'x'`, `sqlalchemy.exc.TimeoutError: ...`
    return bool(trace) and _EXCEPTION_LINE.match(line) is not None


def _finish(record: LogRecord, trace: list[str]) -> LogRecord:
    if trace:
        exc = next((t for t in reversed(trace) if _EXCEPTION_LINE.match(t)), None)
        if exc and exc not in record.message:
            record.message = f"{record.message} | {exc}"
    return record


def _parse_line(line: str, labels: dict[str, str], last_ts: datetime | None) -> LogRecord:
    ts: datetime | None = None
    rec_labels = labels
    level = None
    if line[0] == "{":
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            svc = obj.get("service") or obj.get("service_name")
            if isinstance(svc, str) and svc:
                rec_labels = {**labels, "service": svc}
            for key in ("timestamp", "time", "ts", "@timestamp", "asctime"):
                value = obj.get(key)
                if isinstance(value, (int, float)):
                    ts = datetime.fromtimestamp(value / 1000 if value > 1e11 else value, UTC)
                    break
                if isinstance(value, str):
                    ts = parse_timestamp(value)
                    break
    else:
        m = _ISO_PREFIX.match(line)
        if m:
            ts = parse_iso_prefix(m.group(0))
        else:
            parsed = split_header(line)
            if parsed.timestamp:
                ts = parse_timestamp(parsed.timestamp)
    return LogRecord(
        timestamp=ts or last_ts or datetime.now(UTC),
        source="file",
        message=line,
        labels=rec_labels,
        level=level,
    )


def read_files(paths: list[str | Path], *, max_line_chars: int = 16_384) -> Iterator[LogRecord]:
    """Several files' records merged by time (each file is assumed to be in time order)."""
    if len(paths) == 1:
        return read_file(paths[0], max_line_chars=max_line_chars)
    return heapq.merge(*(read_file(p, max_line_chars=max_line_chars) for p in paths), key=lambda r: r.timestamp)
