"""Benchmark: the digest's speed on each of the world's formats, against the patient's own in the same run.

Every line of the headers corpus (`tests/corpus/formats/lines.yaml`: one verbatim line from each of
pieces of software) becomes a file of N lines, each with a counter and a word appended so that no two lines
are equal, and goes through the whole in-process path a file takes (`pipeline.build_from_files`: read,
time, redact, fold, mine, bursts). The baseline is the same path on an ISO 8601 line of the patient's shape,
timed before and after the formats. It prints the baseline, the median and tenth percentile over the
formats, and the slowest formats with their share of the baseline: a format far below the median is a
rule (a timestamp, a header, a redaction check) that costs more than its work. It finds what a mixed
million hides: one slow format among thirteen moves the million by a few per cent.

Usage: python bench/format_speed.py [--lines N] [--slowest K]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.headers import load_lines  # noqa: E402
from doctor import pipeline  # noqa: E402
from doctor.config import Settings  # noqa: E402

BASELINE = "2026-11-20T09:00:01.123Z ERROR strategy.db: order rejected by exchange"
_WORDS = ("alpha", "beta", "gamma", "delta", "omega", "kappa")


def lines_per_second(line: str, n: int, folder: Path, settings: Settings) -> float:
    path = folder / "stream.log"
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(f"{line} n={i} w={_WORDS[i % 6]}{i % 97}\n")
    start = time.perf_counter()
    pipeline.build_from_files([path], settings=settings)
    return n / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=2000, help="lines per format (default 2000)")
    ap.add_argument("--slowest", type=int, default=15, help="how many of the slowest formats to list")
    args = ap.parse_args(argv)
    settings = Settings()
    rows = load_lines()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lines_per_second(BASELINE, args.lines, folder, settings)  # warm: imports, compiled patterns
        before = lines_per_second(BASELINE, args.lines, folder, settings)
        speeds = sorted((lines_per_second(r["line"], args.lines, folder, settings), r["software"]) for r in rows)
        after = lines_per_second(BASELINE, args.lines, folder, settings)
    base = (before + after) / 2
    values = [v for v, _ in speeds]
    print(f"baseline (ISO 8601, the patient's shape): {base:,.0f} lines/s (before {before:,.0f}, after {after:,.0f})")
    print(f"{len(speeds)} formats, {args.lines:,} lines each: median {statistics.median(values):,.0f} lines/s "
          f"({statistics.median(values) / base:.0%} of the baseline), tenth percentile "
          f"{values[len(values) // 10]:,.0f} ({values[len(values) // 10] / base:.0%})")
    print("slowest:")
    for v, name in speeds[: args.slowest]:
        print(f"  {v:9,.0f} lines/s  {v / base:4.0%}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
