"""In which order a window is read: the incident's minutes first, then a sample of the baseline, then the rest.

A window is cut into slices of whole minutes, counted back from its end. The read order is:

1. the *recent* slices (the newest 40% of the window, or from a little before the alert's start
   to the end), nearest the alert first or, without one, newest first;
2. a *sample* of the baseline: every `SAMPLE_EVERY`-th older slice, evenly spaced, newest first;
3. the rest of the baseline, newest first.

Every source reads a slice as an ordinary window, so a deadline or a cap that stops a job drops the
last slices of this order: the oldest baseline, never the newest minutes. The baseline is only
needed for rates per template; the evenly spaced sample gives those rates (each minute read stands
for the unread minutes nearest it: `minute_weights`, `DigestBuilder.read_minutes`), so the budget
goes to the incident.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from doctor.sources.base import Window

TARGET_SLICES = 24  # about this many slices a window; each is at least a minute
RECENT_FRACTION = 0.4  # the newest 40% of a window is read whole, before any baseline
ALERT_MARGIN = timedelta(minutes=5)  # read this much before an alert's start with the incident
SAMPLE_EVERY = 3  # the first pass over the baseline reads every third slice


@dataclass(frozen=True)
class Slice:
    window: Window
    part: str  # "recent", "sample" or "rest"


def plan(window: Window, *, focus: datetime | None = None, target_slices: int = TARGET_SLICES) -> list[Slice]:
    """The window's slices in read order (see the module's docstring)."""
    total = (window.end - window.start).total_seconds()
    step = max(60, math.ceil(total / target_slices / 60) * 60)
    # Cut back from the end: the newest slice is whole, the oldest may be short.
    cuts: list[tuple[datetime, datetime]] = []
    end = window.end
    while end > window.start:
        start = max(window.start, end - timedelta(seconds=step))
        cuts.append((start, end))
        end = start
    # cuts[0] is the newest.
    recent_from = window.end - timedelta(seconds=total * RECENT_FRACTION)
    if focus is not None and window.start <= focus < window.end:
        recent_from = min(recent_from, max(window.start, focus - ALERT_MARGIN))
    recent = [c for c in cuts if c[1] > recent_from]
    older = cuts[len(recent):]
    if focus is not None and window.start <= focus < window.end:
        recent.sort(key=lambda c: abs(((c[0] + (c[1] - c[0]) / 2) - focus).total_seconds()))
    sample = older[SAMPLE_EVERY - 1::SAMPLE_EVERY] or older[:1]
    picked = set(sample)
    rest = [c for c in older if c not in picked]
    return ([Slice(Window(*c), "recent") for c in recent] + [Slice(Window(*c), "sample") for c in sample]
            + [Slice(Window(*c), "rest") for c in rest])


def merge_spans(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Overlapping or touching spans joined, oldest first."""
    out: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def minutes_of(spans: list[tuple[datetime, datetime]]) -> set[int]:
    """Epoch minutes that a read span covers at least half of (a slice ends on the minute, but a window
    starts wherever the user said)."""
    out: set[int] = set()
    for start, end in spans:
        first, last = int(start.timestamp()) // 60, math.ceil(end.timestamp() / 60)
        for m in range(first, last):
            covered = min(end.timestamp(), (m + 1) * 60) - max(start.timestamp(), m * 60)
            if covered >= 30:
                out.add(m)
    return out


def minute_weights(spans: list[tuple[datetime, datetime]], window: Window) -> dict[int, float]:
    """Epoch minute read -> how many minutes of the window it stands for: itself and every unread minute
    nearer to it than to any other minute read. A baseline read one slice in three weighs about 3 a
    minute, the incident's minutes read whole weigh 1, so rates estimated from them are not skewed
    toward the part read whole (errors often climb just before an incident)."""
    read = sorted(minutes_of(spans))
    if not read:
        return {}
    weights = dict.fromkeys(read, 0.0)
    first, last = int(window.start.timestamp()) // 60, math.ceil(window.end.timestamp() / 60)
    for m in range(first, last):
        i = bisect.bisect_left(read, m)
        nearest = min((read[j] for j in (i - 1, i) if 0 <= j < len(read)), key=lambda r: (abs(r - m), r))
        weights[nearest] += 1.0
    return weights
