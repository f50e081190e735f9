"""The `Digest`: the compact, redacted view of a window of records, and how it renders.

It is built by `doctor.digest.tally.DigestBuilder`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

DEFAULT_BUDGET_TOKENS = 6000
MAX_EXEMPLARS = 3
EXEMPLAR_CHARS = 400
_LEVEL_WEIGHT = {"CRITICAL": 5.0, "ERROR": 4.0, "WARNING": 2.0, "INFO": 0.5, "DEBUG": 0.1}
_ERROR_WORDS = re.compile(
    r"(?i)\b(?:error|errno|exception|traceback|fatal|panic|failed|failure|refused|denied|"
    r"timed out|timeout|killed|unhealthy|critical|unavailable|unreachable|oom|deadlock(?:ed)?)\b"
)
_WARN_WORDS = re.compile(r"(?i)\b(?:warn|warning|retry|retrying|deprecated|slow|throttl\w{0,20}|exceeded|degraded)\b")
# A line with no level says it failed in other words too: an exception's or error's class name
# (`AdyenException: Not allowed`, `redis.exceptions.ResponseError: …`, `KeyError: 'x'`), an errno's
# or a runtime's error code (`ECONNRESET`, `ERR_INVALID_THIS`, `CURLE_COULDNT_RESOLVE_HOST`), a process that exited
# non-zero (`exited quickly with code 1`) or before its time (`exited prematurely`), or
# the plain English of failure (a deadlock among it); one that doubts (a job missed, a thread blocked,
# a zombie) warns. Case-sensitive where a class name is meant, so `errorCount` stays a word.
# Every repeat is bounded, so a failed attempt costs a constant whatever the line (tests/test_digest.py).
_FAILED_CLASS = re.compile(
    r"(?<=[a-z0-9_.$\\])(?:Exception|Error|Fault)\b|\b[A-Z][A-Za-z]{0,80}(?:Exception|Error)s?\b|"
    r"\bE(?:CONNREFUSED|CONNRESET|CONNABORTED|TIMEDOUT|HOSTUNREACH|NETUNREACH|ADDRINUSE|ADDRNOTAVAIL|NOTFOUND|"
    r"AI_AGAIN|ACCES|PERM|PIPE|NOENT|NOSPC|NOMEM|MFILE|NFILE|ROFS|IO|BUSY|INVAL|PROTO|OVERFLOW)\b|"
    r"\bERR_[A-Z0-9_]{3,60}\b|"
    # an access refused by its code's name (S3's `AccessDenied`, Deno's `PermissionDenied:`) and curl's error codes
    r"\b(?:Access|Permission)Denied\b|\bCURLE_(?!OK\b)[A-Z_]{2,40}\b|"
    # Kubernetes' reasons for a container that died or keeps dying (`kubectl describe`'s `Reason: OOMKilled`)
    r"\b(?:OOMKilled|CrashLoopBackOff|ImagePullBackOff|ErrImagePull|CreateContainerConfigError)\b"
)
_FAILED_WORDS = re.compile(
    r"(?i)\b(?:could\s?n[o']t|cannot|can't|unable to|not allowed|not permitted|not authori[sz]ed|forbidden|"
    r"unauthori[sz]ed|"
    r"no such|abort(?:ing|ed)?|segfault|segmentation fault|core dumped|crash(?:ed|ing)?|corrupt(?:ed|ion)?|"
    r"exhausted|out of memory|out[ -]of[ -](?:fds|file descriptors)|no space left|exit(?:ed)? (?:prematurely|abnormally)|"
    r"exit(?:ed)?(?: quickly| early| immediately)?(?: with)? (?:status|code):? ?(?:[1-9][0-9]{0,5}|-[0-9]{1,5})|"
    r"not expected|unexpected(?:ly)?|violat(?:ed|ion)|"
    # Rust's `thread 'main' panicked at …`, Go's flag package refusing an option before the program starts
    r"panicked|provided but not defined|"
    # a peer that stopped answering (the kernel's `nfs: server ease not responding, still trying`), a disk's sectors
    r"not responding|unreadable)\b"
)
# The last line of a Python traceback, the raised exception's qualified name opening the line: a class that says it
# failed without `Error` or `Exception` in its name (`smtplib.SMTPServerDisconnected: please run connect() first`,
# `kafka.errors.NoBrokersAvailable: …`, `requests.exceptions.ReadTimeout: …`, `pymongo.errors.AutoReconnect: …`). A
# module path in lower case (a Python one: up to three parts, no Java root such as `com.` or `org.`, whose classes
# name their failures `…Exception` anyway and whose class loggers look the same), then a class in CamelCase and a
# colon, with nothing before it: a logger's name comes after a header, and Go's `main.go:12:` has no class.
_RAISED_CLASS = re.compile(r"^(?!(?:com|org|io|net|java|javax|android|androidx)\.)(?:[a-z_][a-z0-9_]{0,40}\.){1,3}"
                           r"[A-Z][A-Za-z0-9]{2,60}: \S")
_DOUBT_WORDS = re.compile(
    r"(?i)\b(?:invalid|incorrect|not found|not supported|unsupported|mismatch(?:ed)?|rejected|missing|"
    r"lost|too many|not ready|unknown|zombie|missed|blocked|inaccessible|"
    # a limit met (FRR's `BGP flowspec nlri length maximum reached`, `max connections reached`) and a peer a health
    # check gave up on (dnsdist's `Marking downstream 10.63.49.12:53 as 'down'`)
    r"(?:limit|maximum|max|quota|capacity) reached|reached (?:the |its )?(?:limit|maximum|max)|"
    r"(?:is|went) down|as '?down)\b"
)


def estimate_tokens(text: str) -> int:
    """Tokens a model will count for `text`, estimated as one per 3.5 characters.

    Log text (digits, punctuation, ids) tokenizes denser than prose's ~4
    characters per token; 3.5 keeps the estimate on the safe side for Gemini
    and Claude tokenizers alike.
    """
    return math.ceil(len(text) * 2 / 7)


def infer_level(message: str) -> str:
    """The level of a line that carries none, from its words: how it failed, then what it doubts."""
    if (_ERROR_WORDS.search(message) or _FAILED_CLASS.search(message) or _FAILED_WORDS.search(message)
            or _RAISED_CLASS.match(message)):
        return "ERROR"
    if _WARN_WORDS.search(message) or _DOUBT_WORDS.search(message):
        return "WARNING"
    return "INFO"


@dataclass
class TemplateStats:
    id: int
    text: str
    count: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    levels: Counter[str] = field(default_factory=Counter)
    services: set[str] = field(default_factory=set)
    exemplars: list[str] = field(default_factory=list)
    count_in_window: int = 0
    count_baseline: int = 0
    burst_ratio: float | None = None  # incident-window rate / baseline rate
    new: bool = False  # first seen inside the incident window
    # A steady stream (a heartbeat, a tick) that went quiet well before the window ended: the minute
    # after its last line. A killed service stops logging; that silence is evidence too.
    stopped: datetime | None = None

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

    @property
    def changed(self) -> bool:
        """New, bursting or gone quiet in the incident window: evidence whatever its level."""
        return self.new or self.bursting or self.stopped is not None

    def score(self) -> float:
        """How diagnostic this template is: errors, new and bursting first, then rare."""
        s = _LEVEL_WEIGHT[self.level]
        if self.new:
            s += 3.0
        if self.bursting:
            # A new template's burst ratio is against an empty baseline: "new" already counted that.
            s += (0.0 if self.new else 3.0) + min(3.0, math.log10(self.burst_ratio or 1.0))
        if self.stopped is not None:
            s += 3.0
        s += 1.0 / math.log2(self.count + 1.0)  # rare beats common
        if self.is_error:
            s += min(2.0, math.log10(self.count + 1.0) / 2)  # many errors beat one
        return s


@dataclass
class Digest:
    """The compact, redacted view of a window of records that a model or a person reads."""

    templates: list[TemplateStats]
    lines_in: int
    redactions: Counter[str]
    dropped: Counter[str]  # reason -> lines
    window_start: datetime | None
    window_end: datetime | None
    incident_start: datetime | None  # None: no quiet baseline was found before the errors
    error_timeline: list[tuple[datetime, int, int]]  # (minute, lines, errors)
    notes: list[str] = field(default_factory=list)  # gaps: a source down, a cap reached
    # How much of the window each fetch job read (`doctor.models.Coverage` fields); empty for files given by hand.
    coverage: list[dict[str, Any]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether every fetch job read its whole window."""
        return all(c["fraction"] >= 1.0 for c in self.coverage)

    @property
    def templates_out(self) -> int:
        return len(self.templates)

    @property
    def redactions_made(self) -> int:
        return sum(self.redactions.values())

    def ranked(self) -> list[TemplateStats]:
        return sorted(self.templates, key=lambda t: (-t.score(), t.id))

    def errors(self) -> list[TemplateStats]:
        return [t for t in self.ranked() if t.is_error]

    def evidence(self) -> list[TemplateStats]:
        """Errors, and templates of any level that changed in the incident window, best first."""
        return [t for t in self.ranked() if t.is_error or t.changed]

    def stats(self) -> dict[str, Any]:
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
            "stopped_templates": sum(1 for t in self.templates if t.stopped is not None),
            "notes": list(self.notes),
            "coverage": list(self.coverage),
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
    if t.stopped is not None:
        flags.append(f"STOPPED {_hms(t.stopped)}")
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


def _counts(c: Counter[str]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in c.most_common())
