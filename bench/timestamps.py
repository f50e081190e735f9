"""Benchmark: reading a stream's timestamps with `TimeReader` against `datetime.strptime`, per format.

For each format, N lines, --per-second of them in each second of log time (milliseconds
varying; 1 makes every line a new second, so the reader's cache never hits), are read twice
in the same run: by a `TimeReader` (format detected once, compiled pattern and per-second cache after
that) and by the baseline a generic parser uses, `strptime` with the right format string
on the timestamp text already cut out of the line (so the baseline is not charged for
finding it). Both must agree on every line; the script stops if they do not.

Usage: python bench/timestamps.py [--lines N] [--per-second N]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from doctor.digest.timestamps import TimeReader  # noqa: E402

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

# name: (how a line starts, strptime format of the timestamp text, length of that text, has a year)
CASES = {
    "rfc3164": (lambda t: f"{t:%b} {t.day:2d} {t:%H:%M:%S} host sshd[42]: session opened", "%b %d %H:%M:%S", 15),
    "iso8601 (log4j)": (lambda t: f"{t:%Y-%m-%d %H:%M:%S},{t.microsecond // 1000:03d} INFO [main] app: started",
                        "%Y-%m-%d %H:%M:%S,%f", 23),
    "clf": (lambda t: f'10.0.0.1 - - [{t:%d/%b/%Y:%H:%M:%S} +0000] "GET / HTTP/1.1" 200 512',
            "%d/%b/%Y:%H:%M:%S %z", None),
    "glog": (lambda t: f"I{t:%m%d %H:%M:%S}.{t.microsecond:06d}       1 main.go:42] leader elected",
             "%m%d %H:%M:%S.%f", None),
    "logcat": (lambda t: f"{t:%m-%d %H:%M:%S}.{t.microsecond // 1000:03d}  1702  2395 D WindowManager: x",
               "%m-%d %H:%M:%S.%f", 18),
    "yymmdd-hhmmss": (lambda t: f"{t:%y%m%d %H%M%S} 148 INFO dfs.DataNode: x", "%y%m%d %H%M%S", 13),
    "ctime": (lambda t: f"[{t:%a %b %d %H:%M:%S %Y}] [error] x", "%a %b %d %H:%M:%S %Y", None),
    # logback's console default: no date at all, the reader takes the reference's day
    "time-of-day": (lambda t: f"{t:%H:%M:%S}.{t.microsecond // 1000:03d} [main] INFO  c.e.App - x", "%H:%M:%S.%f", 12),
}


def _cut(name: str, line: str) -> str:
    if name == "clf":
        return line[line.index("[") + 1: line.index("]")]
    if name == "glog":
        return line[1:21]
    if name == "ctime":
        return line[1: line.index("]")]
    return line[: CASES[name][2]]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=200_000)
    ap.add_argument("--per-second", type=int, default=10)
    args = ap.parse_args()
    print(f"{args.lines:,} lines per format, {args.per_second} per second of log time")
    print(f"{'format':<18} {'TimeReader':>12} {'strptime':>12} {'ratio':>7}")
    for name, (render, fmt, _) in CASES.items():
        times = [START + timedelta(seconds=i // args.per_second, milliseconds=(i * 37) % 1000)
                 for i in range(args.lines)]
        lines = [render(t) for t in times]
        reference = START + timedelta(days=30)
        reader = TimeReader(reference)
        t0 = time.perf_counter()
        ours = [reader.read(line) for line in lines]
        t_ours = time.perf_counter() - t0
        cut = [_cut(name, line) for line in lines]
        t0 = time.perf_counter()
        base = [datetime.strptime(text, fmt) for text in cut]
        t_base = time.perf_counter() - t0
        for a, b, t in zip(ours, base, times):
            b = b.replace(year=t.year) if "%Y" not in fmt and "%y" not in fmt else b
            b = b.astimezone(UTC) if b.tzinfo else b.replace(tzinfo=UTC)
            if "%d" not in fmt:  # a time of day: the reference's day, or the day before when later than it
                b = b.replace(year=reference.year, month=reference.month, day=reference.day)
                b -= timedelta(days=1) if b.replace(microsecond=0) > reference + timedelta(hours=1) else timedelta(0)
            if a != b:
                raise SystemExit(f"{name}: TimeReader read {a}, strptime {b}")
        n = args.lines
        print(f"{name:<18} {n / t_ours:>10,.0f}/s {n / t_base:>10,.0f}/s {t_base / t_ours:>6.1f}x")


if __name__ == "__main__":
    main()
