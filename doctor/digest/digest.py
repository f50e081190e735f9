"""Reduce a window of log records to a `Digest`: templates, counts, bursts, exemplars.

Records stream through `DigestBuilder.add`; only per-template statistics and a
few exemplar lines are kept, so a window of millions of lines fits in memory.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from doctor.digest.redact import Redactor
from doctor.digest.templates import TemplateMiner, fold_digits
from doctor.digest.timestamps import parse_timestamp
from doctor.models import LogRecord

DEFAULT_BUDGET_TOKENS = 6000
MAX_EXEMPLARS = 3
EXEMPLAR_CHARS = 400
_LEVEL_WEIGHT = {"CRITICAL": 5.0, "ERROR": 4.0, "WARNING": 2.0, "INFO": 0.5, "DEBUG": 0.1}
_ERROR_WORDS = re.compile(
    r"(?i)\b(?:error|errno|exception|traceback|fatal|panic|failed|failure|refused|denied|"
    r"timed out|timeout|killed|unhealthy|critical|unavailable|unreachable|oom)\b"
)
_WARN_WORDS = re.compile(r"(?i)\b(?:warn|warning|retry|retrying|deprecated|slow|throttl\w*|exceeded|degraded)\b")


def estimate_tokens(text: str) -> int:
    """Tokens a model will count for `text`, estimated as one per 3.5 characters.

    Log text (digits, punctuation, ids) tokenizes denser than prose's ~4
    characters per token; 3.5 keeps the estimate on the safe side for Gemini
    and Claude tokenizers alike.
    """
    return math.ceil(len(text) * 2 / 7)


def infer_level(message: str) -> str:
    if _ERROR_WORDS.search(message):
        return "ERROR"
    if _WARN_WORDS.search(message):
        return "WARNING"
    return "INFO"


@dataclass
class TemplateStats:
    id: int
    text: str
    count: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    levels: Counter = field(default_factory=Counter)
    services: set[str] = field(default_factory=set)
    exemplars: list[str] = field(default_factory=list)
    count_in_window: int = 0
    count_baseline: int = 0
    burst_ratio: float | None = None  # incident-window rate / baseline rate
    new: bool = False  # first seen inside the incident window

    @property
    def level(self) -> str:
        """The most severe level this template was logged at."""
        for name in ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"):
            if self.levels.get(name):
                return name
        return "INFO"

    @property
    def bursting(self) -> bool:
        return self.burst_ratio is not None and self.burst_ratio >= 5.0 and self.count_in_window >= 3

    @property
    def is_error(self) -> bool:
        return self.level in ("ERROR", "CRITICAL")

    def score(self, total_lines: int) -> float:
        """How diagnostic this template is: errors, new and bursting first, then rare."""
        s = _LEVEL_WEIGHT[self.level]
        if self.new:
            s += 3.0
        if self.bursting:
            s += 3.0 + min(3.0, math.log10(self.burst_ratio or 1.0))
        s += 1.0 / math.log2(self.count + 1.0)  # rare beats common
        if self.is_error:
            s += min(2.0, math.log10(self.count + 1.0) / 2)  # many errors beat one
        return s


@dataclass
class Digest:
    """The compact, redacted view of a window of records that a model or a person reads."""

    templates: list[TemplateStats]
    lines_in: int
    redactions: Counter
    dropped: Counter  # reason -> lines
    window_start: datetime | None
    window_end: datetime | None
    incident_start: datetime | None  # None: no quiet baseline was found before the errors
    error_timeline: list[tuple[datetime, int, int]]  # (minute, lines, errors)
    notes: list[str] = field(default_factory=list)  # gaps: a source down, a cap reached

    @property
    def templates_out(self) -> int:
        return len(self.templates)

    @property
    def redactions_made(self) -> int:
        return sum(self.redactions.values())

    def ranked(self) -> list[TemplateStats]:
        return sorted(self.templates, key=lambda t: (-t.score(self.lines_in), t.id))

    def errors(self) -> list[TemplateStats]:
        return [t for t in self.ranked() if t.is_error]

    def stats(self) -> dict:
        return {
            "lines_in": self.lines_in,
            "templates_out": self.templates_out,
            "redactions_made": self.redactions_made,
            "redactions": dict(self.redactions),
            "lines_dropped": dict(self.dropped),
            "window_start": _iso(self.window_start),
            "window_end": _iso(self.window_end),
            "incident_start": _iso(self.incident_start),
            "error_templates": sum(1 for t in self.templates if t.is_error),
            "bursting_templates": sum(1 for t in self.templates if t.bursting),
            "new_templates": sum(1 for t in self.templates if t.new),
            "notes": list(self.notes),
        }

    def render(self, budget_tokens: int = DEFAULT_BUDGET_TOKENS) -> str:
        """The digest as text, most diagnostic templates first, never over `budget_tokens`.

        Templates that do not fit are counted in a closing line, never dropped silently.
        """
        head = [
            f"LOG DIGEST  window {_iso(self.window_start)} .. {_iso(self.window_end)}",
            f"lines {self.lines_in:,}  templates {self.templates_out:,}  redactions {self.redactions_made:,}"
            + (f"  dropped {sum(self.dropped.values()):,} ({_counts(self.dropped)})" if self.dropped else ""),
        ]
        if self.incident_start is not None:
            head.append(f"incident window starts {_iso(self.incident_start)}; earlier lines are the baseline")
        head += [f"note: {n}" for n in self.notes]
        head.append("legend: [T<id>] LEVEL xCOUNT flags first..last services / template (<*> = variable) / e.g. line")
        out = "\n".join(head)
        used = estimate_tokens(out)
        ranked = self.ranked()
        shown = 0
        for t in ranked:
            block = "\n\n" + _render_template(t)
            cost = estimate_tokens(block)
            # Keep room for the closing "omitted" line.
            if used + cost + 30 > budget_tokens:
                continue
            out += block
            used += cost
            shown += 1
        if shown < len(ranked):
            rest = [t for t in ranked if f"[T{t.id}]" not in out]
            tail = f"\n\n... {len(rest):,} more templates ({sum(t.count for t in rest):,} lines) omitted for the token budget"
            if used + estimate_tokens(tail) <= budget_tokens:
                out += tail
        return out


def _render_template(t: TemplateStats) -> str:
    flags = []
    if t.new:
        flags.append("NEW")
    if t.bursting:
        flags.append(f"BURST x{t.burst_ratio:.0f}")
    when = f"{_hms(t.first_seen)}..{_hms(t.last_seen)}"
    services = ",".join(sorted(t.services)) or "-"
    lines = [f"[T{t.id}] {t.level} x{t.count:,} {' '.join(flags)} {when} {services}".replace("  ", " ")]
    lines.append("  " + _clip(t.text))
    for ex in t.exemplars[:MAX_EXEMPLARS]:
        if ex != t.text:
            lines.append("  e.g. " + _clip(ex))
    return "\n".join(lines)


def _clip(text: str, limit: int = EXEMPLAR_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 12] + f" ...(+{len(text) - limit + 12} chars)"


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt else None


def _hms(dt: datetime | None) -> str:
    return dt.strftime("%H:%M:%S") if dt else "?"


def _counts(c: Counter) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in c.most_common())


@dataclass(slots=True)
class _Seen:
    """What one line shape taught us; valid for every line with the same shape key."""

    tid: int
    level: str


def shape_key(folded: str) -> str:
    """A line's tokens with each digit-bearing token cut to its `key=` part.

    The miner treats every digit-bearing token as a variable, so lines with the
    same shape key get the same template: ids, times and hex hashes vary freely
    without a second trip through the header splitter and the tree.
    """
    return " ".join([t if "0" not in t else (t[: t.find("=") + 1] or "0") for t in folded.split()])


class DigestBuilder:
    """Streams records into template statistics. Redaction happens before anything else.

    incident_start: where the incident window begins (an alert's start, say);
    None to find it from the error rate when the digest is built.
    """

    def __init__(
        self,
        *,
        redactor: Redactor | None = None,
        miner: TemplateMiner | None = None,
        incident_start: datetime | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        max_line_chars: int = 16_384,
        cache_size: int = 200_000,
    ) -> None:
        self.since, self.until = since, until
        self.redactor = redactor or Redactor()
        self.miner = miner or TemplateMiner()
        self.incident_start = incident_start
        self.max_line_chars = max_line_chars
        self.cache_size = cache_size
        self.lines_in = 0
        self.dropped: Counter = Counter()
        self.notes: list[str] = []
        self._seen: dict[str, _Seen] = {}
        self._stats: dict[int, TemplateStats] = {}
        self._minutes: dict[int, dict[int, int]] = {}  # tid -> epoch minute -> count
        self._lines_per_minute: Counter = Counter()
        self._errors_per_minute: Counter = Counter()

    def add_many(self, records: Iterable[LogRecord]) -> DigestBuilder:
        for r in records:
            self.add(r)
        return self

    def add(self, record: LogRecord) -> None:
        self.lines_in += 1
        if (self.since is not None and record.timestamp < self.since) or (
            self.until is not None and record.timestamp >= self.until
        ):
            self.dropped["outside the requested window"] += 1
            return
        line = record.message
        if not line or line.isspace():
            self.dropped["empty"] += 1
            return
        if len(line) > self.max_line_chars:
            line = line[: self.max_line_chars]
            self.dropped["cut to max_line_chars (kept)"] += 1
        # Redaction first. The literal gate runs on every line; the patterns
        # only on lines the gate lets through.
        clean = self.redactor.redact(line) if self.redactor.might_hold_secret(line) else line
        folded = fold_digits(clean)
        key = shape_key(folded)
        seen = self._seen.get(key)
        if seen is None:
            assignment = self.miner.add_folded(folded)
            seen = _Seen(assignment.template.id, record.level or assignment.level or infer_level(assignment.template.text))
            if len(self._seen) < self.cache_size:
                self._seen[key] = seen
        else:
            self.miner.templates[seen.tid].size += 1
        level = record.level or seen.level
        st = self._stats.get(seen.tid)
        if st is None:
            st = self._stats[seen.tid] = TemplateStats(id=seen.tid, text="")
            self._minutes[seen.tid] = {}
        st.count += 1
        st.levels[level] += 1
        service = record.labels.get("service")
        if service:
            st.services.add(service)
        ts = record.timestamp
        if st.first_seen is None or ts < st.first_seen:
            st.first_seen = ts
        if st.last_seen is None or ts > st.last_seen:
            st.last_seen = ts
        minute = int(ts.timestamp()) // 60
        per = self._minutes[seen.tid]
        per[minute] = per.get(minute, 0) + 1
        self._lines_per_minute[minute] += 1
        if level in ("ERROR", "CRITICAL"):
            self._errors_per_minute[minute] += 1
        if len(st.exemplars) < MAX_EXEMPLARS and clean not in st.exemplars:
            st.exemplars.append(clean)

    def build(self) -> Digest:
        for tid, st in self._stats.items():
            st.text = self.miner.templates[tid].text
        minutes = sorted(self._lines_per_minute)
        incident = self.incident_start or _find_incident_start(minutes, self._errors_per_minute)
        if incident is not None and minutes:
            self._mark_bursts(incident, minutes)
        timeline = [
            (datetime.fromtimestamp(m * 60, UTC), self._lines_per_minute[m], self._errors_per_minute[m])
            for m in minutes
        ]
        starts = [s.first_seen for s in self._stats.values() if s.first_seen]
        ends = [s.last_seen for s in self._stats.values() if s.last_seen]
        return Digest(
            templates=list(self._stats.values()),
            lines_in=self.lines_in,
            redactions=Counter(self.redactor.counts),
            dropped=Counter(self.dropped),
            window_start=min(starts) if starts else None,
            window_end=max(ends) if ends else None,
            incident_start=incident,
            error_timeline=timeline,
            notes=list(self.notes),
        )

    def _mark_bursts(self, incident: datetime, minutes: list[int]) -> None:
        split = int(incident.timestamp()) // 60
        base_minutes = max(1, split - minutes[0])
        window_minutes = max(1, minutes[-1] - split + 1)
        has_baseline = minutes[0] < split
        for tid, st in self._stats.items():
            before = sum(c for m, c in self._minutes[tid].items() if m < split)
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
            if e >= max(5, 4 * (mean + 1)):
                return datetime.fromtimestamp(m * 60, UTC)
        total += e
    return None


def build_digest(records: Iterable[LogRecord], **options) -> Digest:
    """`DigestBuilder(**options)` fed with `records`, built."""
    return DigestBuilder(**options).add_many(records).build()


def record_from_line(line: str, *, source: str = "file", labels: dict[str, str] | None = None,
                     default_time: datetime | None = None) -> LogRecord:
    """A record for a raw line whose time is only in its header (files, stdin)."""
    from doctor.digest.header import split_header

    parsed = split_header(line)
    ts = parse_timestamp(parsed.timestamp) if parsed.timestamp else None
    return LogRecord(
        timestamp=ts or default_time or datetime.now(UTC),
        source=source,  # type: ignore[arg-type]
        message=line,
        labels=labels or {},
    )


