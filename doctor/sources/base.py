"""The one interface every log source implements, and what a fetch reports back."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Literal, Protocol

from doctor.config import Settings
from doctor.models import VIA, LogRecord


@dataclass(frozen=True)
class Window:
    start: datetime  # inclusive, UTC
    end: datetime  # exclusive, UTC

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"empty window: {self.start.isoformat()} .. {self.end.isoformat()}")


@dataclass(frozen=True)
class Selector:
    """What to read for one service, from the service map (and the user's query)."""

    service: str
    # What the service map gives each source for the service, by source name, as the source parsed
    # it (`LogSource.parse_selector`): CloudWatch's log groups, Loki's LogQL selector, a file. Only
    # the source named reads its value.
    logs: Mapping[str, object] = field(default_factory=dict)
    query: str | None = None  # free text: a CloudWatch filter pattern and a Loki line filter
    insights_query: str | None = None  # a CloudWatch Logs Insights query (replaces FilterLogEvents)
    # A platform stream (ECS events, a database) read for these services: (service, substrings a
    # line must contain to belong with it; () = every line). Empty: the service's own logs.
    platform_for: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def line_filter(self) -> tuple[str, ...]:
        """Substrings a platform stream's line must contain one of (for the source to narrow its
        read); () = no narrowing (its own logs, or a service that takes every line)."""
        if not self.platform_for or any(not m for _, m in self.platform_for):
            return ()
        return tuple(dict.fromkeys(m for _, ms in self.platform_for for m in ms))

    def platform_page(self, page: list[LogRecord]) -> list[LogRecord]:
        """A platform stream's page: the lines that belong with one of its services, each marked with
        them ("ecs-events via executor") so the digest shows where a platform line comes from."""
        marked: dict[tuple[int, str], dict[str, str]] = {}  # records share labels dicts: one marked copy each
        out = []
        for r in page:
            via = ",".join(s for s, ms in self.platform_for if not ms or any(m in r.message for m in ms))
            if not via:
                continue
            key = (id(r.labels), via)
            labels = marked.get(key)
            if labels is None:
                labels = marked[key] = {**r.labels, "service": f"{self.service}{VIA}{via}"}
            r.labels = labels
            out.append(r)
        return out


@dataclass(frozen=True)
class Limits:
    """Bounds of one fetch, per source. Defaults keep a 512 MiB Cloud Run instance safe."""

    deadline_s: float = 20.0  # for the whole analysis: every job starts with it
    max_lines: int = 500_000
    max_bytes: int = 128 * 1024 * 1024
    inflight: int = 4  # slices of one source read at once, shared by the analysis's jobs of that source


Outcome = Literal["complete", "capped", "timed_out", "failed", "skipped"]


@dataclass
class FetchReport:
    """What one source delivered for one service, in words a user can act on."""

    source: str
    service: str
    target: str = ""  # the log group, Loki selector or file read
    title: str = ""  # the source's name in words (its `title`); empty: its `source`
    outcome: Outcome = "complete"
    lines: int = 0
    bytes: int = 0
    seconds: float = 0.0
    detail: str = ""
    window: Window | None = None  # the window asked for
    spans: list[tuple[datetime, datetime]] = field(default_factory=list)  # parts of it read, merged, oldest first

    @property
    def coverage(self) -> float:
        """The fraction of the window read (1.0 when the job finished; a failed job counts what it read)."""
        if self.window is None:
            return 1.0 if self.outcome == "complete" else 0.0
        total = (self.window.end - self.window.start).total_seconds()
        return min(1.0, sum((e - s).total_seconds() for s, e in self.spans) / total)

    def unread(self) -> str:
        """The parts of the window not read, in words: `09:00–09:24Z, 09:30–09:33Z`."""
        if self.window is None:
            return ""
        gaps, at = [], self.window.start
        for s, e in self.spans:
            if s > at:
                gaps.append((at, s))
            at = max(at, e)
        if at < self.window.end:
            gaps.append((at, self.window.end))
        return ", ".join(f"{s:%H:%M}–{e:%H:%M}Z" for s, e in gaps)

    def sentence(self) -> str:
        what = f"{self.title or self.source} {self.target or self.service}"
        read = f"{self.coverage:.0%} of the window read, the newest first; not read: {self.unread()}"
        if self.outcome == "complete":
            return f"{what}: {self.lines:,} lines"
        if self.outcome == "capped":
            return f"{what}: stopped at {self.lines:,} lines ({self.detail}); {read}"
        if self.outcome == "timed_out":
            return f"{what} timed out after {self.seconds:.0f} s with {self.lines:,} lines; {read}"
        if self.outcome == "skipped":
            return f"{self.service}: {self.detail}"
        return f"{what} failed: {self.detail}" + (f" (after {self.lines:,} lines)" if self.lines else "")


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str
    reachable: tuple[str, ...] = field(default=())  # log groups, labels... it can see


class SourceError(Exception):
    """A source failed in a way the user should read as is (no stack trace)."""


class ServiceMapError(ValueError):
    """The service map (DOCTOR_SERVICES) gives a source something it cannot read, or names no source."""


class LogSource(Protocol):
    """One kind of log store. To add one: write its module with a class like the three here, and add
    the class to `SOURCES` in `doctor/sources/__init__.py`; nothing else names it.

    It declares:
    - `name`: its name on the command line (`--source`), in Slack (`source=`), in DOCTOR_SOURCES,
      and its key in a service map entry (`{"executor": {"<name>": ...}}`);
    - `title`: its name in words, in the digest's notes and Slack's coverage line ("CloudWatch");
    - `settings_fields`: the Settings fields `from_settings` reads, the one that turns it on first
      (`doctor sources`, `doctor check` and the README list them);
    - `parse_selector`: what a map entry's value for it must be, bounded; the parsed value is
      `selector.logs[name]` for its `configured_for`, `target`, `jobs` and `fetch`."""

    name: str
    title: str
    settings_fields: ClassVar[tuple[str, ...]]

    @classmethod
    def parse_selector(cls, raw: object) -> object:
        """The service map's value for this source, checked and bounded; ValueError says what is wrong."""
        ...

    @classmethod
    def from_settings(cls, settings: Settings, *, named: bool) -> LogSource | None:
        """The source as the settings configure it; None when they leave it unconfigured (`named`: the
        user asked for it by name, so a default such as the SDK's own region may do)."""
        ...

    def target(self, selector: Selector) -> str:
        """What it reads for `selector`, in words for the digest's notes (log groups, a LogQL selector, a file)."""
        ...

    def jobs(self, selector: Selector) -> list[Selector]:
        """The fetch jobs for one service: usually the selector itself."""
        ...

    def fetch(self, window: Window, selector: Selector, limits: Limits) -> AsyncIterator[list[LogRecord]]:
        """Pages of records in time order (the collector enforces limits and deadlines)."""
        ...

    async def health(self) -> Health: ...

    def configured_for(self, selector: Selector) -> bool:
        """Whether the service map gives this source something to read for the service."""
        ...


def bounded_text(raw: object, *, what: str, max_chars: int) -> str:
    """A service map value that must be one string of 1 to `max_chars` characters."""
    if not isinstance(raw, str):
        raise ValueError(f"{what} is a string, not {type(raw).__name__}")
    if not 0 < len(raw) <= max_chars:
        raise ValueError(f"{what} is 1 to {max_chars} characters, not {len(raw)}")
    return raw
