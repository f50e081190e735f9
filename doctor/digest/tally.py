"""Build a `Digest` from records: the per-line hot path, then template mining per line shape.

Per line (`ShapeTally.add`): redact, fold digits, key the line by its shape,
bump one counter. Nothing else touches every line. Lines with the same shape
key get the same template (see `shape_key`), so templates are mined once per
shape when the digest is built, not once per line. A tally has no shared
state, so byte ranges of a large file can be tallied in separate processes and
merged exactly (`doctor.sources.parallel`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Self

from doctor.digest.digest import MAX_EXEMPLARS, Digest, TemplateStats, infer_level
from doctor.digest.header import strip_ansi
from doctor.digest.redact import Redactor
from doctor.digest.templates import CODE_DIGIT, TemplateMiner, fold_digits, is_code
from doctor.models import Level, LogRecord

# (shape, level or None, service, epoch minute): what a tally counts lines by.
CountKey = tuple[str, Level | None, str | None, int]

DEFAULT_MAX_SHAPES = 100_000


def shape_key(folded: str) -> str:
    """A line's tokens with each digit-bearing token cut to its `key=` part.

    The miner treats every digit-bearing token as a variable, so lines with the
    same shape key get the same template: ids, times and hex hashes vary freely
    without a trip through the header splitter and the template tree.

    Compact JSON (`{"level":"error","ts":0.0,"msg":"lost"}`, zap's, pino's, bunyan's) is one token holding the
    header and the message: there only each digit-bearing run between its punctuation is cut (`_json_token`), or
    every such line of a stream would share the first one's level and template.
    """
    json = '":' in folded
    if json or CODE_DIGIT.search(folded) is not None:  # a kept code (status, exit code) is part of the shape
        return " ".join([_json_token(t) if json and '":' in t and "0" in t else
                         t if "0" not in t or is_code(t) else ("0" if "=" not in t else t[: t.find("=") + 1])
                         for t in folded.split()])
    return " ".join([t if "0" not in t else ("0" if "=" not in t else t[: t.find("=") + 1]) for t in folded.split()])


# A run of word characters inside a JSON token (one unbounded repeat at the pattern's end: linear in the token).
_WORD_RUN = re.compile(r"\w+")


def _cut_run(m: re.Match[str]) -> str:
    run = m.group()
    return "0" if "0" in run and CODE_DIGIT.search(run) is None else run


def _json_token(token: str) -> str:
    """`token` with each run holding a folded digit (an id, a number, a part of a time) cut to `0`; a kept code's
    run (a digit other than 0: `"level":50`, `"status":503`) left as it is."""
    return _WORD_RUN.sub(_cut_run, token)


class ShapeTally:
    """Counts of redacted lines by (shape, level, service, minute), plus a sample of each shape.

    max_shapes bounds memory: lines of further new shapes are counted as dropped, with the reason.
    """

    def __init__(
        self,
        *,
        redactor: Redactor | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        max_line_chars: int = 16_384,
        max_shapes: int = DEFAULT_MAX_SHAPES,
    ) -> None:
        self.redactor = redactor or Redactor()
        self.since, self.until = since, until
        self.max_line_chars = max_line_chars
        self.max_shapes = max_shapes
        self.lines_in = 0
        self.dropped: Counter[str] = Counter()
        self.counts: dict[CountKey, int] = {}  # (shape, level or None, service, epoch minute) -> lines
        # shape -> [folded sample, first_seen, last_seen, exemplars]: a list, updated in place on the hot path
        self.shapes: dict[str, list[Any]] = {}
        self._redact = self.redactor.redact
        self._windowed = since is not None or until is not None

    def add_many(self, records: Iterable[LogRecord]) -> Self:
        for r in records:
            self.add(r)
        return self

    def add(self, record: LogRecord) -> None:
        self.lines_in += 1
        ts = record.timestamp
        if self._windowed and ((self.since is not None and ts < self.since) or
                               (self.until is not None and ts >= self.until)):
            self.dropped["outside the requested window"] += 1
            return
        line = strip_ansi(record.message)  # a console's colours, whichever source read the line
        if not line or line.isspace():
            self.dropped["empty"] += 1
            return
        if len(line) > self.max_line_chars:
            line = line[: self.max_line_chars]
            self.dropped["cut to max_line_chars (kept)"] += 1
        labels = record.labels
        service = labels.get("service")
        # Before anything else sees the line. The stream (service and its log stream or file)
        # lets a private key split over records be followed from BEGIN to END.
        clean = self._redact(line, (service, labels.get("log_stream") or labels.get("file") or labels.get("pod")))
        folded = fold_digits(clean)
        key = shape_key(folded)
        shape = self.shapes.get(key)
        if shape is None:
            if len(self.shapes) >= self.max_shapes:
                self.dropped[f"more than {self.max_shapes:,} distinct line shapes"] += 1
                return
            self.shapes[key] = [folded, ts, ts, [clean]]
        else:
            if ts > shape[2]:
                shape[2] = ts
            elif ts < shape[1]:
                shape[1] = ts
            exemplars = shape[3]
            if len(exemplars) < MAX_EXEMPLARS and clean not in exemplars:
                exemplars.append(clean)
        k = (key, record.level, service, int(ts.timestamp()) // 60)
        counts = self.counts
        counts[k] = counts.get(k, 0) + 1

    def merge(self, other: ShapeTally) -> ShapeTally:
        """Fold another tally (of other lines, same redactor key) into this one."""
        self.lines_in += other.lines_in
        self.dropped.update(other.dropped)
        self.redactor.counts.update(other.redactor.counts)
        for k, c in other.counts.items():
            self.counts[k] = self.counts.get(k, 0) + c
        for key, (folded, first, last, exemplars) in other.shapes.items():
            mine = self.shapes.get(key)
            if mine is None:
                self.shapes[key] = [folded, first, last, list(exemplars)]
                continue
            if first < mine[1]:
                mine[0], mine[1] = folded, first
            mine[2] = max(mine[2], last)
            for ex in exemplars:
                if len(mine[3]) < MAX_EXEMPLARS and ex not in mine[3]:
                    mine[3].append(ex)
        return self


class DigestBuilder(ShapeTally):
    """A tally that builds a `Digest`.

    incident_start: where the incident window begins (an alert's start, say);
    None to find it from the error rate when the digest is built.
    """

    def __init__(self, *, miner: TemplateMiner | None = None, incident_start: datetime | None = None,
                 notes: Iterable[str] = (), silence_until: datetime | None = None, **tally_options: Any) -> None:
        super().__init__(**tally_options)
        self.miner = miner or TemplateMiner()
        self.incident_start = incident_start
        # Where silence is measured to (a round's time); None: the last line read. A round must see a
        # stream that stopped even when every stream it read stopped.
        self.silence_until = silence_until
        self.notes = list(notes)
        # Per service, epoch minute read -> the minutes of the window it stands for, when a fetch read only
        # part of its window (newest first, the baseline sampled): rates are estimated from the minutes read,
        # so a sampled baseline is not mistaken for a quiet one (`doctor.sources.plan.minute_weights`).
        self.read_minutes: dict[str, dict[int, float]] | None = None

    def build(self) -> Digest:
        # Mine each shape's sample in order of first appearance, as a stream would have.
        learned: dict[str, tuple[int, str]] = {}
        for key, (folded, *_rest) in sorted(self.shapes.items(), key=lambda kv: kv[1][1]):
            assignment = self.miner.add_folded(folded)
            learned[key] = (assignment.template.id, assignment.level or infer_level(assignment.template.text))
        stats: dict[int, TemplateStats] = {}
        minutes_of: dict[int, Counter[int]] = {}  # template id -> epoch minute -> lines
        lines_per_minute: Counter[int] = Counter()
        errors_per_minute: Counter[int] = Counter()
        for (key, record_level, service, minute), c in self.counts.items():
            tid, shape_level = learned[key]
            level = record_level or shape_level
            _, first, last, exemplars = self.shapes[key]
            st = stats.get(tid)
            if st is None:
                st = stats[tid] = TemplateStats(id=tid, text=self.miner.templates[tid].text, first_seen=first,
                                                last_seen=last, exemplars=list(exemplars))
                minutes_of[tid] = Counter()
            else:
                st.first_seen = min(st.first_seen, first) if st.first_seen else first
                st.last_seen = max(st.last_seen, last) if st.last_seen else last
                for ex in exemplars:
                    if len(st.exemplars) < MAX_EXEMPLARS and ex not in st.exemplars:
                        st.exemplars.append(ex)
            st.count += c
            st.levels[level] += c
            if service:
                st.services.add(service)
            minutes_of[tid][minute] += c
            lines_per_minute[minute] += c
            if level in ("ERROR", "CRITICAL"):
                errors_per_minute[minute] += c
        minutes = sorted(lines_per_minute)
        notes = list(self.notes)
        if self.miner.overflow is not None:
            notes.append(f"more than {self.miner.max_templates:,} templates: the lines unlike all of them are counted "
                         f"together as T{self.miner.overflow.id}")
        end = max(minutes[-1], int(self.silence_until.timestamp()) // 60 - 1) if minutes and self.silence_until \
            else minutes[-1] if minutes else 0
        silences = _find_silences(stats, minutes_of, end) if minutes else {}
        for tid, (stopped, every) in sorted(silences.items(), key=lambda kv: kv[1][0]):
            st = stats[tid]
            st.stopped = stopped
            who = f" of {', '.join(sorted(st.services))}" if st.services else ""
            notes.append(f"T{tid}{who}, logged about every {every:g} min since {st.first_seen:%H:%M}, went quiet: "
                         f"no line from {stopped:%H:%M} to the end of the window ({st.text[:80]})")
        # A partial read (newest first, the baseline sampled): only minutes read say what changed.
        read = None if self.read_minutes is None else {m for w in self.read_minutes.values() for m in w}
        incident = self.incident_start or _find_incident_start(minutes, errors_per_minute, stats, minutes_of,
                                                               [s for s, _ in silences.values()], read)
        if incident is not None and minutes:
            _mark_bursts(stats, minutes_of, incident, minutes, self.read_minutes)
        timeline = [(datetime.fromtimestamp(m * 60, UTC), lines_per_minute[m], errors_per_minute[m]) for m in minutes]
        return Digest(
            templates=sorted(stats.values(), key=lambda t: t.id),
            lines_in=self.lines_in,
            redactions=Counter(self.redactor.counts),
            dropped=Counter(self.dropped),
            window_start=min((s.first_seen for s in stats.values() if s.first_seen), default=None),
            window_end=max((s.last_seen for s in stats.values() if s.last_seen), default=None),
            incident_start=incident,
            error_timeline=timeline,
            notes=notes,
        )


def _mark_bursts(stats: dict[int, TemplateStats], minutes_of: dict[int, Counter[int]], incident: datetime,
                 minutes: list[int], read_minutes: dict[str, dict[int, float]] | None = None) -> None:
    split = int(incident.timestamp()) // 60
    base_minutes = max(1, split - minutes[0])
    window_minutes = max(1, minutes[-1] - split + 1)
    has_baseline = minutes[0] < split
    for tid, st in stats.items():
        before = sum(c for m, c in minutes_of[tid].items() if m < split)
        st.count_baseline = before
        st.count_in_window = st.count - before
        if not has_baseline:
            continue
        st.new = before == 0 and st.count_in_window > 0
        rate_in = st.count_in_window / window_minutes
        rate_base = (before + 1) / base_minutes  # +1: a template never seen still had a chance
        if read_minutes is not None:
            # Part of the window read: each minute read stands for the unread minutes nearest it.
            weight = _weights(read_minutes, st.services)
            if weight:
                est_in = est_base = 0.0
                for m, c in minutes_of[tid].items():
                    if m >= split:
                        est_in += c * weight.get(m, 1.0)
                    else:
                        est_base += c * weight.get(m, 1.0)
                rate_in = est_in / window_minutes
                rate_base = (est_base + 1) / base_minutes
        st.burst_ratio = rate_in / rate_base


def _weights(read_minutes: dict[str, dict[int, float]], services: set[str]) -> dict[int, float]:
    if len(services) == 1:
        return read_minutes.get(next(iter(services)), {})
    out: dict[int, float] = {}
    for s in services:
        for m, w in read_minutes.get(s, {}).items():
            out[m] = max(out.get(m, 0.0), w)
    return out


# A change needs this many minutes of logs before it to count as a change (not the start of the logs).
BASELINE_MINUTES = 3
# Streams this regular (lines in at least this share of the minutes they span) are expected to keep going.
STEADY_SHARE = 0.6


def _find_incident_start(minutes: list[int], errors: Counter[int], stats: dict[int, TemplateStats],
                         minutes_of: dict[int, Counter[int]], silences: list[datetime],
                         read: set[int] | None = None) -> datetime | None:
    """Where the incident window begins: the earliest minute, after a baseline, at which something changed.

    What counts as a change: the error count jumps well above its running mean (or the first error
    after minutes without any); a template of any level appears for the first time and repeats:
    twice within five minutes when it is a warning or worse (by its level or, failing that, its
    words), three times otherwise; a known template bursts to five times its
    rate; a steady stream goes quiet (`silences`). The error rate alone misses incidents of two
    error lines followed by silence, and the ones whose decisive line is logged at INFO.

    `read`: the minutes a partial read covered (None: the whole window was read). A template first seen
    right after an unread stretch may have been there all along, so it is not taken as new, and a
    burst is measured against the minutes read, not the minutes elapsed.
    """
    if len(minutes) < 3:
        return None
    first = minutes[0]
    found: list[int] = [int(s.timestamp()) // 60 for s in silences]
    total = 0
    for i, m in enumerate(minutes):
        e = errors.get(m, 0)
        if i > 0 and m - first >= BASELINE_MINUTES:
            mean = total / i
            if e >= max(5, 2 * mean + 3) or (e and not total):
                found.append(m)
                break
        total += e
    for tid, per_minute in minutes_of.items():
        counts = sorted(per_minute.items())
        start = counts[0][0]
        if start - first >= BASELINE_MINUTES and (read is None or start - 1 in read):
            early = sum(c for m, c in counts if m < start + 5)
            severe = stats[tid].level in ("WARNING", "ERROR", "CRITICAL") or infer_level(stats[tid].text) != "INFO"
            if early >= 3 or (severe and early >= 2):  # a one-off line is not yet a change
                found.append(start)
                continue
        if stats[tid].count < 5:
            continue
        seen = 0
        for m, c in counts:  # a known template bursting: five times its mean rate since it first appeared
            elapsed = m - start if read is None else sum(1 for r in read if start <= r < m)
            if m - start >= BASELINE_MINUTES and m - first >= BASELINE_MINUTES and elapsed and \
                    c >= max(5, 5 * seen / elapsed):
                found.append(m)
                break
            seen += c
    return datetime.fromtimestamp(min(found) * 60, UTC) if found else None


def _find_silences(stats: dict[int, TemplateStats], minutes_of: dict[int, Counter[int]],
                   end: int) -> dict[int, tuple[datetime, float]]:
    """Templates that logged steadily and then stopped well before `end` (the window's last minute):
    template id -> (the minute after its last line, its usual interval in minutes)."""
    out = {}
    for tid, per_minute in minutes_of.items():
        if stats[tid].count < 5 or len(per_minute) < 5:
            continue
        start, last = min(per_minute), max(per_minute)
        span = last - start + 1
        if len(per_minute) < STEADY_SHARE * span:
            continue
        every = span / len(per_minute)
        if end - last >= max(5, 5 * every):
            out[tid] = (datetime.fromtimestamp((last + 1) * 60, UTC), round(every, 1))
    return out


def build_digest(records: Iterable[LogRecord], **options: Any) -> Digest:
    """`DigestBuilder(**options)` fed with `records`, built."""
    builder = DigestBuilder(**options)
    builder.add_many(records)
    return builder.build()
