"""The local file source: plain text or JSON lines, gzip or not, one record per event.

A Python traceback (and any indented continuation) is folded into the record
it belongs to, with the exception line appended, so `Traceback ... KeyError: x`
becomes one event that names its exception. A chained exception also names its
innermost cause (Node's `[cause]:`, .NET's `--->`, the first exception of a Python
chain): the outer error says what failed, the cause says why.
"""

from __future__ import annotations

import asyncio
import gzip
import heapq
import io
import re
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import IO, ClassVar

from doctor.config import Settings
from doctor.digest.digest import infer_level
from doctor.digest.header import JSON_TIME_KEYS, split_header, strip_ansi
from doctor.digest.timestamps import (
    COMPOSE_PREFIX,
    STERN_PREFIX,
    TimeReader,
    assumed_note,
    cmtrace_time,
    parse_iso_prefix,
    parse_timestamp,
)
from doctor.errors import InputError
from doctor.models import LogRecord
from doctor.sources import exports
from doctor.sources.base import Health, Limits, Selector, SourceError, Window, bounded_text

# The header splitter's time keys, and MongoDB's `{"$date": ...}` wherever it is nested.
_JSON_TIME = re.compile('"(?:' + "|".join(map(re.escape, (*JSON_TIME_KEYS, "$date"))) + r')"\s*:\s*(?:"([^"]+)"|(-?\d+(?:\.\d+)?))')
_JSON_SERVICE = re.compile(r'"(?:service|service_name)"\s*:\s*"([^"\\]*)"')
# An Application Load Balancer's access log (a platform stream): the request type, then the time.
_ALB_TIME = re.compile(r"(?:https?|h2|grpcs|wss?) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) ")
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Timeout|Failure)\b.*"
                             # Python 2's lower-case module errors: `socket.error: [Errno 111] Connection refused`
                             r"|^[a-z_]\w{0,30}\.(?:error|timeout|gaierror|herror): .*")
# An exception held in a JSON field of a pretty-printed object, its frames on the lines after it:
# Kafka Connect's task status (`"trace": "org.apache.kafka.connect.errors.ConnectException: ...`).
_QUOTED_EXCEPTION = re.compile(r'"\w{1,40}": ?"([A-Za-z_][\w.$]{0,200}(?:Error|Exception|Failure)\b[^"]{0,2000})')
# A nested cause inside a stack trace: Node's `[cause]: X` (Error's `cause` option), .NET's inner
# exception ` ---> X`, an indented Java `Caused by: X`.
_NESTED_CAUSE = re.compile(r"(?:\[cause\]: *|---> *|Caused by: *)(\S.*)")
_PYTHON_CHAIN = ("During handling of the above", "The above exception")
# The exception that closes a stack trace under a module-qualified class whose name says no `Error`: psycopg's errors
# are named after SQLSTATE conditions (`psycopg.errors.UndefinedFunction: function … does not exist`,
# `psycopg2.errors.UniqueViolation`), kafka-python's `kafka.errors.NoBrokersAvailable`. Only read at a traceback's end.
_QUALIFIED_EXCEPTION = re.compile(r"(?:[a-z_][a-z0-9_]{0,40}\.){1,8}[A-Z][A-Za-z0-9_]{2,80}(?::\s|$)")
_SNIFF_BYTES = 8192
# Stack frames of Python, Java/Kotlin, Go and Node: their lines add nothing the exception line lacks.
_STACK_FRAME = re.compile(r'(?:File "|at |\.\.\. \d+ more|goroutine \d+|created by |\S+\.go:\d+|Traceback )')
CONTINUATION_CHARS = 2000
# The time of a record whose line has none and follows none that had one: the
# epoch, not "now", so such lines never pose as current and are easy to spot.
_NO_TIME = datetime.fromtimestamp(0, UTC)


def read_file(
    path: str | Path,
    *,
    service: str | None = None,
    max_line_chars: int = 16_384,
    byte_range: tuple[int, int] | None = None,
    reference: datetime | None = None,
    notes: list[str] | None = None,
) -> Iterator[LogRecord]:
    """Yield the records of one log file. Raises InputError for a file that is not logs.

    byte_range: only the records starting in [start, end) of an uncompressed
    file, where both ends come from `record_boundaries`.
    reference: where timestamps without a year are placed (the window's end; now if None).
    notes: gets a sentence when the file's timestamps lacked a year or a zone.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a log file")
    labels = {"service": service or service_from_name(path), "file": path.name}
    # The whole file as a range is the whole file: an export document's only range (`record_boundaries`,
    # `time_range_offsets`), read whole through `_exported_events` below.
    if byte_range is not None and byte_range != (0, path.stat().st_size):
        start, end = byte_range
        with path.open("rb") as raw:
            raw.seek(start)
            body = raw.read(end - start)
        with io.TextIOWrapper(io.BytesIO(body), encoding="utf-8-sig", errors="replace", newline=None) as fh:
            yield from _records(fh, labels, max_line_chars, path, reference, notes, allow_empty=True)
        return
    with _open_text(path) as fh:
        events = _exported_events(fh, path)
        if events is not None:  # one export document (a cloud CLI's or console's): one JSON line an event
            yield from _records(io.StringIO("\n".join(events)), labels, max_line_chars, path, reference, notes)
            return
        yield from _records(fh, labels, max_line_chars, path, reference, notes)


def _exported_events(fh: IO[str], path: Path) -> list[str] | None:
    """The events of a file that is one export document (JSON, YAML or CSV: `doctor.sources.exports`), as JSON lines;
    None for a file of lines, whose stream is then rewound."""
    head = fh.read(_SNIFF_BYTES)
    fh.seek(0)
    if not exports.opens_document(head):
        return None
    text = fh.read(exports.MAX_DOCUMENT_BYTES + 1)
    if len(text) > exports.MAX_DOCUMENT_BYTES:
        raise InputError(f"{path}: one export document over {exports.MAX_DOCUMENT_BYTES >> 20} MiB; give its events as "
                         "JSON lines instead (one per line, e.g. `jq -c '.events[]'`)")
    events = exports.read_document(text)
    if events is None:
        fh.seek(0)
    return events


def opens_document(path: Path) -> bool:
    """Whether an uncompressed file is one export document, which is read whole: it has no record boundaries
    to cut it at, nor lines to bisect by time."""
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES).decode("utf-8-sig", "replace")
    return exports.opens_document(head)


def is_gzip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def record_boundaries(path: Path, parts: int) -> list[int]:
    """Byte offsets that cut an uncompressed file into about `parts` ranges, each at the start
    of a record (never inside a traceback), so the ranges can be read independently."""
    size = path.stat().st_size
    if opens_document(path):
        return [0, size]
    cuts = [0]
    with path.open("rb") as fh:
        for i in range(1, parts):
            fh.seek(max(size * i // parts, cuts[-1]))
            fh.readline()  # finish the line the seek landed in
            while True:
                pos = fh.tell()
                line = fh.readline()
                if not line:
                    pos = size
                    break
                text = line.decode("utf-8", "replace")
                # A cut goes before a line that starts a record and carries its own time, so
                # neither range depends on a line of the other.
                if (text.strip() and not _is_continuation(text, []) and not _EXCEPTION_LINE.match(text)
                        and _parse_line(text.rstrip("\n"), {}, None, TimeReader()).timestamp is not _NO_TIME):
                    break
            if pos > cuts[-1]:
                cuts.append(pos)
    if cuts[-1] != size:
        cuts.append(size)
    return cuts


def service_from_name(path: Path) -> str:
    """A file's service, from its name: `executor.log.gz` -> `executor`."""
    name = path.name
    for ext in (".gz", ".jsonl", ".ndjson", ".json", ".yaml", ".yml", ".csv", ".log", ".txt"):
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
    stream: IO[bytes] | gzip.GzipFile = raw
    if head[:2] == b"\x1f\x8b":
        stream = gzip.GzipFile(fileobj=raw)
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
    # Invalid UTF-8 is replaced, not fatal: one bad byte must not hide an incident. A byte-order mark (PowerShell's
    # `Out-File`, Notepad) is no part of the first line, whose time and level it would hide.
    return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline=None)


def _read_lines(fh: IO[str], limit: int, chunk_chars: int = 1 << 20) -> Iterator[str]:
    """Lines without their newline, cut to `limit` characters.

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
            yield line if len(line) <= limit else line[:limit]
        if len(carry) > limit:
            yield carry[:limit]
            carry = ""
            skipping = True
    if carry and not skipping:
        yield carry


def _records(fh: IO[str], labels: dict[str, str], limit: int, path: Path, reference: datetime | None,
             notes: list[str] | None, allow_empty: bool = False) -> Iterator[LogRecord]:
    return _dated(_read_records(fh, labels, limit, path, reference, notes, allow_empty), notes)


# Records before a file's first line with a time wait for that time, up to this many; the rest keep the epoch.
_UNDATED_HELD = 1000
UNDATED_NOTE = "lines before the first timestamp of a file were given that timestamp"


def _dated(records: Iterator[LogRecord], notes: list[str] | None) -> Iterator[LogRecord]:
    """`records`, those before the first record with a time dated by it. A paste often opens with lines that carry no
    time (a command's output, a banner, a terminal's debug lines) before the application's timed ones; dated by the
    epoch they stretched the window over fifty years and hid the incident's minutes."""
    held: list[LogRecord] = []
    holding = True
    for record in records:
        if holding:
            if record.timestamp is _NO_TIME and len(held) < _UNDATED_HELD:
                held.append(record)
                continue
            holding = False
            if record.timestamp is not _NO_TIME and held:
                for early in held:
                    early.timestamp = record.timestamp
                if notes is not None and UNDATED_NOTE not in notes:
                    notes.append(UNDATED_NOTE)
            yield from held
        yield record
    if holding:
        yield from held  # no line had a time


def _read_records(fh: IO[str], labels: dict[str, str], limit: int, path: Path, reference: datetime | None,
                  notes: list[str] | None, allow_empty: bool) -> Iterator[LogRecord]:
    # One reader per stream: the timestamp format is found once and reused for every line.
    reader = TimeReader(reference)
    pending: LogRecord | None = None
    head = ""  # the pending record's first line, which its continuations are indented under
    trace: list[str] = []
    last_ts: datetime | None = None
    any_text = False
    for line in _read_lines(fh, limit):
        line = strip_ansi(line)  # before the time is read: a coloured time reads as no time
        if not line or line.isspace():
            continue
        any_text = True
        if pending is not None:
            # Cheap first-character test before the full continuation check.
            if (line[0] in _CONTINUATION_STARTS and _is_continuation(line, trace) and not _sibling(line, head, trace)
                    and not (not trace and line.startswith(_TRACEBACK) and _below_warning(pending.message))):
                trace.append(line.strip())
                continue
            if _GO_PANIC.match(pending.message) and _GO_DUMP.match(line):
                trace.append(line.strip())  # the goroutine dump of a Go panic: one event, named by the panic
                continue
            yield _finish(pending, trace) if trace else pending
            trace = []
        pending = _parse_line(line, labels, last_ts, reader)
        head = line
        last_ts = pending.timestamp
    if pending is not None:
        yield _finish(pending, trace)
    if not any_text and not allow_empty:
        raise InputError(f"{path}: holds no log lines (only blank lines)")
    note = assumed_note(reader.assumed, reader.reference)
    if note and notes is not None and note not in notes:
        notes.append(note)


# Every continuation starts with one of these: indentation, `Traceback`, `During`,
# `The above`, or (after a traceback) an exception name.
_CONTINUATION_STARTS = frozenset(" \tTD") | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


_TRACEBACK = "Traceback (most recent call last)"
# Go's runtime crash and the dump after it, none of whose lines but the file lines are indented: the signal, each
# goroutine's header, its frames' calls (`main.(*Server).handle(0x0, 0xc000010000)`, `panic({0x…})`), `created by`,
# and their file lines when a paste lost the tab before them.
_GO_PANIC = re.compile(r"(?:panic|fatal error): ")
_GO_DUMP = re.compile(r"\[signal |goroutine \d{1,12} \[|created by |[\w.*/()\[\]{}-]{1,300}\([^()]{0,500}\)[ \t]{0,8}$"
                      r"|\S{1,400}\.go:\d{1,7}(?: \+0x[0-9a-f]{1,16})?[ \t]{0,8}$")


def _below_warning(head: str) -> bool:
    """`head`'s own header says INFO or DEBUG and its words no failure. A Python traceback right after such a line is
    the interpreter's report of an exception nobody logged (`INFO MainThread Sending 11 events` and then the crash), not
    that line's continuation as after `logger.exception`: it starts a record of its own, read as the error it is. Asked
    only when a traceback opens after a line, so the header splitter runs on few lines."""
    parsed = split_header(head)
    return parsed.level in ("INFO", "DEBUG") and infer_level(parsed.message) == "INFO"


def _is_continuation(line: str, trace: list[str]) -> bool:
    if line[0] in " \t":
        return True
    if line.startswith((_TRACEBACK, *_PYTHON_CHAIN)):
        return True
    # The exception line that closes a traceback: `KeyError: 'x'`, `sqlalchemy.exc.TimeoutError: ...`
    return bool(trace) and _EXCEPTION_LINE.match(line) is not None


_HEAD_WORD = re.compile(r"[ \t]*(\S{3,80})[ \t]")


@lru_cache(maxsize=1)
def _head_of(line: str) -> tuple[int, str]:
    """A record's first line as `_sibling` compares its continuations with it: its indentation and its first word when
    that has 3 to 80 characters and more follows (else ""). Read only when an indented line follows the record's
    first, and once per record however many do (the cache holds the one record being read)."""
    word = _HEAD_WORD.match(line)
    return len(line) - len(line.lstrip(" \t")), word.group(1) if word else ""


def _sibling(line: str, head: str, trace: list[str]) -> bool:
    """An indented `line` that starts a record of its own rather than continuing the one whose first line is `head`
    (as `_head_of` reads it): indented no deeper than that line (a log whose every line is indented, as `kubectl
    describe`'s event rows are when pasted without their heading, or as a paste or a console column leaves them), or
    opening with its first word (a namespace or a date: the `debug` module's `  apn Socket error occurred` under
    `apn Initialising connection`). What would continue a record even unindented (a traceback's first line, its
    closing exception) still does, and so does a stack frame or its code at any depth: a wholly indented traceback
    stays one event."""
    if line[0] not in " \t":
        return False
    body = line.lstrip(" \t")
    if _STACK_FRAME.match(body) or (trace and _STACK_FRAME.match(trace[-1])):
        return False  # a frame or its code, however deep: a paste that opens inside a trace indents its first line most
    depth, word = _head_of(head)
    if len(line) - len(body) > depth:
        return bool(word) and body.startswith(word) and body[len(word):len(word) + 1] in (" ", "\t")
    return not _is_continuation(body, trace)


def _finish(record: LogRecord, trace: list[str]) -> LogRecord:
    if trace:
        exc = next((t for t in reversed(trace) if _EXCEPTION_LINE.match(t)), None)
        framed = any(_STACK_FRAME.match(t) for t in trace)
        if exc is None and framed:
            # A module-qualified exception closing the trace, or a JSON field holding an exception and its
            # frames: the exception is the message. Without frames the object's words are kept whole below
            # (a Step Functions `"cause": "... is not authorized ..."` says more than its
            # `"error": "Lambda.AWSLambdaException"`).
            exc = (next((t for t in reversed(trace) if _QUALIFIED_EXCEPTION.match(t)), None)
                   or next((m.group(1) for t in trace if (m := _QUOTED_EXCEPTION.match(t))), None))
        # The innermost cause of a chain: the deepest nested cause, or the first exception of a Python
        # chain ("During handling of the above exception, another exception occurred").
        cause = next((m.group(1) for t in reversed(trace) if (m := _NESTED_CAUSE.match(t))), None)
        if cause is None and any(t.startswith(_PYTHON_CHAIN) for t in trace):
            cause = next((t for t in trace if _EXCEPTION_LINE.match(t)), None)
        added = [t for t in dict.fromkeys((exc, cause)) if t and t not in record.message]
        if added and record.message.startswith(_TRACEBACK):
            # A traceback nobody logged: its exception is the event, the preamble only says a traceback follows.
            record.message = " | ".join(added)[:CONTINUATION_CHARS]
        elif added:
            record.message = " | ".join([record.message, *added])[:len(record.message) + CONTINUATION_CHARS]
        elif exc is None and cause is None and not framed:
            # Not a stack trace but indented content: a pretty-printed JSON error, a `kubectl describe`
            # events table. Its words are the message (`"errorMessage": "Rate exceeded"`), so they
            # are kept, bounded.
            body = " ".join(trace)[:CONTINUATION_CHARS]
            record.message = f"{record.message} {body}"
    return record


# A JSON record behind Docker Compose's service prefix (`graphql-engine_1  | {…}`) or stern's pod and container, as the
# time reader knows the prefixes.
_COMPOSED_JSON = re.compile(f"(?:{COMPOSE_PREFIX}|{STERN_PREFIX})" + r"(?=\{)")


def _json_time(record: str) -> datetime | None:
    """The time under a JSON record's time key (ISO 8601, another text form, or an epoch in seconds, milliseconds,
    microseconds or nanoseconds, as a number or as a string of digits: journald's `"__REALTIME_TIMESTAMP":"…"`)."""
    m = _JSON_TIME.search(record)
    if m is None:
        return None
    value = m.group(1) or m.group(2)
    # Epochs have 10, 13, 16 or 19 digits; 14 and 17 are a compact date and time (`20240115102345`), read below.
    if m.group(2) or (value.isdigit() and len(value) in (10, 13, 16, 19)):
        return _epoch(float(value))
    return parse_iso_prefix(value) if value[:4].isdigit() and value[4:5] == "-" else parse_timestamp(value)


def _epoch(number: float) -> datetime | None:
    """An epoch time in whichever unit its size says (seconds up to 1e11, then milliseconds, microseconds and
    nanoseconds), or None for a number no clock gives: until 2026-12-07 a microsecond epoch was read as milliseconds
    and failed the whole file with `year 56009 is out of range`."""
    for limit, scale in ((1e11, 1.0), (1e14, 1e3), (1e17, 1e6), (1e20, 1e9)):
        if abs(number) < limit:
            try:
                return datetime.fromtimestamp(number / scale, UTC)
            except (ValueError, OverflowError, OSError):
                return None
    return None


def _parse_line(line: str, labels: dict[str, str], last_ts: datetime | None, reader: TimeReader) -> LogRecord:
    ts: datetime | None = None
    rec_labels = labels
    if line[0] == "{":
        # The two fields a record needs, without parsing the whole object; the
        # header splitter reads the rest when the line's shape is new.
        ts = _json_time(line)
        m = _JSON_SERVICE.search(line)
        if m and m.group(1):
            rec_labels = {**labels, "service": m.group(1)}
    elif line[:7] == "<![LOG[":
        ts = cmtrace_time(line)  # ConfigMgr's format: the time after the message
    else:
        ts = reader.read(line)
        if ts is None and (m := _ALB_TIME.match(line)):  # the time is the access log's second field
            ts = parse_iso_prefix(m.group(1))
        elif ts is None and (composed := _COMPOSED_JSON.match(line)) is not None:
            ts = _json_time(line[composed.end():])  # the record's own time
    # Positional: this runs once per line.
    return LogRecord(ts or last_ts or _NO_TIME, "file", line, rec_labels, None)


# Lines of a file are in time order only up to its writers' jitter: a slice is read from this much
# before its start to this much after its end (records outside it are dropped, so none is read twice).
CLOCK_SLACK = timedelta(seconds=5)
_PROBE_LINES = 64  # lines read after a bisection point to find one that carries a time
_BISECT_STOP = 64 * 1024  # bytes: below this the rest of the search is a plain read


def time_range_offsets(path: Path, start: datetime, end: datetime) -> tuple[int, int]:
    """Byte offsets [lo, hi) of an uncompressed, time-ordered log file that hold every record from
    `start` to `end`, both at record starts (never inside a traceback). O(log size) small reads."""
    size = path.stat().st_size
    if opens_document(path):
        return 0, size  # read whole; the window is applied to its events
    reader = TimeReader(end)  # one stream: its format found once for the whole search
    with path.open("rb") as fh:
        return (_record_start_before(fh, start, size, reader),
                _record_start_before(fh, end, size, reader, after=True))


def _record_start_before(fh: IO[bytes], when: datetime, size: int, reader: TimeReader, *, after: bool = False) -> int:
    """The start of a record at or before the first record timed `when` or later (`after`: at or after
    the last record timed before `when`, i.e. the end of a range)."""
    lo, hi = 0, size  # invariant: the first record at `when` or later starts at or after lo
    while hi - lo > _BISECT_STOP:
        mid = (lo + hi) // 2
        found = _first_time_at(fh, mid, size, reader)
        if found is None or found[1] >= when:
            hi = mid
        else:
            lo = found[0]
    if not after:
        return _sync(fh, lo, size, reader)
    # The end: the first record starting at or after lo whose time is >= when.
    pos = _sync(fh, lo, size, reader)
    fh.seek(pos)
    while pos < size:
        line = fh.readline()
        if not line:
            return size
        text = line.decode("utf-8", "replace").rstrip("\n")
        if text.strip() and _starts_record(text):
            ts = _parse_line(text, {}, None, reader).timestamp
            if ts is not _NO_TIME and ts >= when:
                return pos
        pos += len(line)
    return size


def _starts_record(text: str) -> bool:
    return not _is_continuation(text, []) and not _EXCEPTION_LINE.match(text)


def _first_time_at(fh: IO[bytes], pos: int, size: int, reader: TimeReader) -> tuple[int, datetime] | None:
    """(offset, time) of the first record starting after `pos` whose line carries a time."""
    fh.seek(pos)
    if pos:
        fh.readline()  # finish the line the seek landed in
    for _ in range(_PROBE_LINES):
        at = fh.tell()
        line = fh.readline()
        if not line:
            return None
        text = line.decode("utf-8", "replace").rstrip("\n")
        if text.strip() and _starts_record(text):
            ts = _parse_line(text, {}, None, reader).timestamp
            if ts is not _NO_TIME:
                return at, ts
    return None


def _sync(fh: IO[bytes], pos: int, size: int, reader: TimeReader) -> int:
    """`pos`, moved forward to the start of a record that carries its own time (0 stays 0)."""
    if pos == 0:
        return 0
    found = _first_time_at(fh, pos, size, reader)
    return found[0] if found else size


def read_files(paths: Sequence[str | Path], *, max_line_chars: int = 16_384, reference: datetime | None = None,
               notes: list[str] | None = None) -> Iterator[LogRecord]:
    """Several files' records merged by time (each file is assumed to be in time order)."""
    if len(paths) == 1:
        return read_file(paths[0], max_line_chars=max_line_chars, reference=reference, notes=notes)
    return heapq.merge(*(read_file(p, max_line_chars=max_line_chars, reference=reference, notes=notes)
                         for p in paths), key=lambda r: r.timestamp)


MAX_PATH_CHARS = 1024


class FileSource:
    """The embedded default: `DOCTOR_LOCAL_LOGS_DIR/<service>.log` (or .jsonl, .gz, as the map says)."""

    name = "file"
    title = "local files"
    settings_fields: ClassVar[tuple[str, ...]] = ("local_logs_dir", "max_line_chars")
    PAGE = 5000
    _SUFFIXES = (".log", ".jsonl", ".log.gz", ".jsonl.gz", ".txt")

    def __init__(self, root: Path, *, max_line_chars: int = 16_384) -> None:
        self.root = Path(root)
        self.max_line_chars = max_line_chars

    @classmethod
    def parse_selector(cls, raw: object) -> str:
        """A file under DOCTOR_LOCAL_LOGS_DIR: `"file": "executor.log"` (without it, `<service>.log`...)."""
        name = bounded_text(raw, what="file (a path under DOCTOR_LOCAL_LOGS_DIR)", max_chars=MAX_PATH_CHARS)
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise ValueError(f"file {name!r} is not a path under DOCTOR_LOCAL_LOGS_DIR (absolute, or with ..)")
        return name

    def path_for(self, selector: Selector) -> Path | None:
        named = selector.logs.get(self.name)
        if isinstance(named, str):
            return self.root / named
        for suffix in self._SUFFIXES:
            candidate = self.root / f"{selector.service}{suffix}"
            if candidate.exists():
                return candidate
        return None

    @classmethod
    def from_settings(cls, settings: Settings, *, named: bool) -> FileSource | None:
        if settings.local_logs_dir is None:
            return None
        return cls(settings.local_logs_dir, max_line_chars=settings.max_line_chars)

    def configured_for(self, selector: Selector) -> bool:
        return self.path_for(selector) is not None

    def target(self, selector: Selector) -> str:
        path = self.path_for(selector)
        return path.name if path else f"{selector.service}.log"  # the name it looks for first

    def jobs(self, selector: Selector) -> list[Selector]:
        return [selector]

    async def fetch(self, window: Window, selector: Selector, limits: Limits) -> AsyncIterator[list[LogRecord]]:
        """The records of `window`. The doctor reads a window in slices, newest first: in an uncompressed
        file (in time order, as logs are written) a slice's bytes are found by bisection on time, so a
        slice costs its own bytes, not the file's; a gzip file cannot be entered in the middle and is
        read from its start, once per slice."""
        path = self.path_for(selector)
        if path is None:
            return
        query = selector.query
        try:
            if is_gzip(path):
                records = read_file(path, service=selector.service, max_line_chars=self.max_line_chars,
                                    reference=window.end)
            else:
                lo, hi = await asyncio.to_thread(time_range_offsets, path, window.start - CLOCK_SLACK,
                                                 window.end + CLOCK_SLACK)
                if lo >= hi:
                    return
                records = read_file(path, service=selector.service, max_line_chars=self.max_line_chars,
                                    byte_range=(lo, hi), reference=window.end)

            def next_page() -> list[LogRecord]:
                page: list[LogRecord] = []
                for r in records:
                    if r.timestamp < window.start or r.timestamp >= window.end:
                        continue
                    if query and query not in r.message:
                        continue
                    page.append(r)
                    if len(page) >= self.PAGE:
                        break
                return page

            while True:
                page = await asyncio.to_thread(next_page)
                if not page:
                    return
                yield page
        except InputError as exc:
            raise SourceError(str(exc)) from None

    async def health(self) -> Health:
        if not self.root.is_dir():
            return Health(False, f"{self.root} is not a directory")
        files = tuple(sorted(p.name for p in self.root.iterdir() if p.is_file()))
        return Health(True, f"{len(files)} file(s) in {self.root}", files)
