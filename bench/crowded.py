"""Benchmark: template mining where a tree leaf is crowded, with its index against a scan, in the same run.

Drain compares a message with every template of its leaf (same length, same first words). Where lines each
differ from the others in several words, a leaf fills with templates and each new line costs a comparison with
all of them: quadratic in the lines. The miner indexes each leaf's tokens by position and, once a leaf holds
`_INDEXED_FROM` templates, compares a message only with the templates in the postings of its rarest positions
(`doctor/digest/templates.py`, `_Leaf`). The baseline is the same miner with the index switched off (every
template scanned, as before), on the same lines, and the two must give the same templates.

Streams: every log line of the incident corpus (`tests/corpus/cases`: the world's wording, many templates),
the shared Loghub-2k files one after another (few templates), and a generated stream whose lines share their
first two words and differ in five others (a noisy or hostile source).

Usage: python bench/crowded.py [--lines N] [--repeat R]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import doctor.digest.templates as templates  # noqa: E402
from bench.corpus_data import CASES, load_cases  # noqa: E402
from bench.loghub import LOGHUB, systems  # noqa: E402


def _generated(n: int) -> list[str]:
    rnd = random.Random(7)

    def word() -> str:
        return "".join(rnd.choice("abcdefghij") for _ in range(rnd.choice((3, 4, 5))))

    return [f"worker pool {word()}.{word()}.com [{rnd.randint(0, 99)}] {word()} {word()} done {word()}"
            for _ in range(n)]


def _mine(lines: list[str], indexed_from: int) -> tuple[float, list[str]]:
    templates._INDEXED_FROM = indexed_from
    miner = templates.TemplateMiner()
    start = time.perf_counter()
    for line in lines:
        miner.add(line)
    return time.perf_counter() - start, [t.text for t in miner.templates]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=5_000, help="lines of the generated stream (its baseline is quadratic)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    shipped = templates._INDEXED_FROM
    streams = {
        "incident corpus, every log line": [x for c in load_cases([CASES]) for x in c.log.splitlines() if x.strip()],
        "shared Loghub-2k, one after another": [x for lines, _ in systems(LOGHUB).values() for x in lines],
        f"generated, {args.lines:,} lines differing in five words": _generated(args.lines),
    }
    print("| stream | lines | templates | index: lines/s | scan (baseline): lines/s | speed-up | same templates |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, lines in streams.items():
        if not lines:
            continue
        runs = {}
        for label, indexed_from in (("index", shipped), ("scan", 10**12)):
            best, texts = min(_mine(lines, indexed_from) for _ in range(args.repeat))
            runs[label] = (len(lines) / best, texts)
        (fast, a), (slow, b) = runs["index"], runs["scan"]
        print(f"| {name} | {len(lines):,} | {len(a):,} | {fast:,.0f} | {slow:,.0f} | {fast / slow:.1f}x | {a == b} |")
    templates._INDEXED_FROM = shipped


if __name__ == "__main__":
    main()
