"""Turn the timestamp text of a log header into an aware UTC datetime.

Parsing is memoised on the text up to the second, so a million lines cost a
few thousand real parses.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache

UTC = UTC
_FRACTION = re.compile(r"([.,]\d+)(?=Z|[+-]\d\d:?\d\d|$)")
_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%y/%m/%d %H:%M:%S",
    "%y%m%d %H%M%S",
    "%a %b %d %H:%M:%S %Y",
    "%d/%b/%Y:%H:%M:%S %z",
    "%b %d %H:%M:%S",
    "%m.%d %H:%M:%S",
)


_SECOND_CACHE: dict[str, datetime | None] = {}


def parse_iso_prefix(text: str) -> datetime | None:
    """Fast path for `YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|+hh:mm]`, the cloud sources' format."""
    try:
        dt = datetime.fromisoformat(text)  # C code; 3.11 reads Z, commas and nanoseconds
    except ValueError:
        return _iso_slow(text)
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt if dt.utcoffset() == _ZERO else dt.astimezone(UTC)


_ZERO = timedelta(0)


def _iso_slow(text: str) -> datetime | None:
    j = 19
    n = len(text)
    if n > 19 and text[19] in ".,":
        j = 20
        while j < n and text[j].isdigit():
            j += 1
    key = text[:19] + text[j:]
    base = _SECOND_CACHE.get(key)
    if base is None:
        if len(_SECOND_CACHE) > 100_000:
            _SECOND_CACHE.clear()
        base = _SECOND_CACHE[key] = _parse_to_second(key, None)
        if base is None:
            return None
    if j > 20:
        return base + timedelta(microseconds=int((text[20:j] + "000000")[:6]))
    return base


def parse_timestamp(text: str, *, year: int | None = None) -> datetime | None:
    """Best effort; None when the text is not a time we know. Naive times are taken as UTC."""
    text = text.strip().strip("[]")
    if not text:
        return None
    if text.isdigit() and len(text) in (10, 13, 16, 19):
        return datetime.fromtimestamp(int(text) / 10 ** (len(text) - 10), UTC)
    m = _FRACTION.search(text)
    frac = 0.0
    if m:
        frac = float("0." + m.group(1)[1:])
        text = text[: m.start()] + text[m.end():]
    base = _parse_to_second(text, year)
    if base is None:
        return None
    return base + timedelta(seconds=frac) if frac else base


@lru_cache(maxsize=8192)
def _parse_to_second(text: str, year: int | None) -> datetime | None:
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        dt = None
        squeezed = " ".join(text.split())
        for fmt in _FORMATS:
            try:
                dt = datetime.strptime(squeezed, fmt)
                break
            except ValueError:
                continue
        if dt is None:
            return None
        if "%Y" not in fmt and "%y" not in fmt:
            dt = dt.replace(year=year or datetime.now(UTC).year)
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


_RELATIVE = re.compile(r"^(\d+)\s*(s|sec|m|min|h|hr|d|day)s?$")
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400, "day": 86400}


def parse_time_arg(text: str, *, now: datetime | None = None) -> datetime:
    """`30m`, `2h`, `1d` (that long before now) or an ISO 8601 time; naive means UTC."""
    m = _RELATIVE.match(text.strip().lower())
    if m:
        return (now or datetime.now(UTC)) - timedelta(seconds=int(m.group(1)) * _UNIT_SECONDS[m.group(2)])
    dt = parse_timestamp(text)
    if dt is None:
        raise ValueError(f"not a time: {text!r} (use 30m, 2h, 1d or ISO 8601 like 2026-11-20T09:25:00Z)")
    return dt
