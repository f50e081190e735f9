"""Build a `Digest` from records: the per-line hot path, then template mining per line shape.

Per line (`ShapeTally.add`): redact, fold digits, key the line by its shape,
bump one counter. Nothing else touches every line. Lines with the same shape
key get the same template (see `shape_key`), so templates are mined once per
shape when the digest is built, not once per line. A tally has no shared
state, so byte ranges of a large file can be tallied in separate processes and
merged exactly (`doctor.digest.parallel`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from doctor.digest.digest import MAX_EXEMPLARS, Digest, TemplateStats, infer_level
from doctor.digest.redact import Redactor
from doctor.digest.templates import CODE_DIGIT, TemplateMiner, fold_digits, is_code
from doctor.models import LogRecord

DEFAULT_MAX_SHAPES = 100_000


def shape_key(folded: str) -> str:
    """A line's tokens with each digit-bearing token cut to its `key=` part.

    The miner treats every digit-bearing token as a variable, so lines with the
    same shape key get the same template: ids, times and hex hashes vary freely
    without a trip through the header splitter and the template tree.
    """
    if CODE_DIGIT.search(folded) is not None:  # a kept code (status, exit code) is part of the shape
        return " ".join([t if "0" not in t or is_code(t) else ("0" if "=" not in t else t[: t.find("=") + 1])
                         for t in folded.split()])
    return " ".join([t if "0" not in t else ("0" if "=" not in t else t[: t.find("=") + 1]) for t in folded.split()])


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
        self.dropped: Counter = Counter()
        self.counts: dict[tuple, int] = {}  # (shape, level or None, service, epoch minute) -> lines
        self.shapes: dict[str, list] = {}  # shape -> [folded sample, first_seen, last_seen, exemplars]
        self._redact = self.redactor.redact
        self._windowed = since is not None or until is not None

    def add_many(self, records: Iterable[LogRecord]) -> ShapeTally:
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
        line = record.message
        if not line or line.isspace():
            self.dropped["empty"] += 1
            return
        if len(line) > self.max_line_chars:
            line = line[: self.max_line_chars]
            self.dropped["cut to max_line_chars (kept)"] += 1
        clean = self._redact(line)  # before anything else sees the line
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
        k = (key, record.level, record.labels.get("service"), int(ts.timestamp()) // 60)
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
                 notes: Iterable[str] = (), **tally_options) -> None:
        super().__init__(**tally_options)
        self.miner = miner or TemplateMiner()
        self.incident_start = incident_start
        self.notes = list(notes)

    def build(self) -> Digest:
        # Mine each shape's sample in order of first appearance, as a stream would have.
        learned: dict[str, tuple[int, str]] = {}
        for key, (folded, *_rest) in sorted(self.shapes.items(), key=lambda kv: kv[1][1]):
            assignment = self.miner.add_folded(folded)
            learned[key] = (assignment.template.id, assignment.level or infer_level(assignment.template.text))
        stats: dict[int, TemplateStats] = {}
        minutes_of: dict[int, Counter] = {}
        lines_per_minute: Counter = Counter()
        errors_per_minute: Counter = Counter()
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
                st.first_seen = min(st.first_seen, first)  # type: ignore[type-var]
                st.last_seen = max(st.last_seen, last)  # type: ignore[type-var]
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
        incident = self.incident_start or _find_incident_start(minutes, errors_per_minute)
        if incident is not None and minutes:
            _mark_bursts(stats, minutes_of, incident, minutes)
        timeline = [(datetime.fromtimestamp(m * 60, UTC), lines_per_minute[m], errors_per_minute[m]) for m in minutes]
        return Digest(
            templates=sorted(stats.values(), key=lambda t: t.id),
            lines_in=self.lines_in,
            redactions=Counter(self.redactor.counts),
            dropped=Counter(self.dropped),
            window_start=min((s.first_seen for s in stats.values()), default=None),
            window_end=max((s.last_seen for s in stats.values()), default=None),
            incident_start=incident,
            error_timeline=timeline,
            notes=list(self.notes),
        )


def _mark_bursts(stats: dict[int, TemplateStats], minutes_of: dict[int, Counter], incident: datetime,
                 minutes: list[int]) -> None:
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
        st.burst_ratio = rate_in / rate_base


def _find_incident_start(minutes: list[int], errors: Counter) -> datetime | None:
    """The first minute whose error count jumps well above the running baseline before it."""
    if len(minutes) < 3:
        return None
    total = 0
    for i, m in enumerate(minutes):
        e = errors.get(m, 0)
        if i > 0:
            mean = total / i
            if e >= max(5, 2 * mean + 3):
                return datetime.fromtimestamp(m * 60, UTC)
        total += e
    return None


def build_digest(records: Iterable[LogRecord], **options) -> Digest:
    """`DigestBuilder(**options)` fed with `records`, built."""
    builder = DigestBuilder(**options)
    builder.add_many(records)
    return builder.build()
