"""Time, real or simulated: the simulation runs forty minutes of trading in seconds, and every
component and log line reads the same clock."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SimClock(Clock):
    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)


class ClockFilter(logging.Filter):
    """Stamps records with the clock's time (a no-op on the real clock)."""

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(self.clock, SimClock):
            record.created = self.clock.now().timestamp()
            record.msecs = (record.created % 1) * 1000
        return True
