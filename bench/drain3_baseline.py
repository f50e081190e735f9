"""Run inside the drain3 venv (bench/digest.py makes it): drain3's numbers on the same input.

Modes: `throughput FILE N` prints lines/s (N runs) of TemplateMiner.add_log_message; `loghub DIR` prints
per-system grouping accuracy. Output is one JSON object on stdout.
"""

import csv
import json
import logging
import sys
import time
from collections import defaultdict
from pathlib import Path

from drain3 import TemplateMiner

logging.disable(logging.CRITICAL)


def throughput(path: str, repeat: int) -> dict:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    rates = []
    for _ in range(repeat):
        miner = TemplateMiner()  # fresh each run, as the doctor's process is
        t = time.perf_counter()
        for line in lines:
            miner.add_log_message(line)
        rates.append(len(lines) / (time.perf_counter() - t))
    return {"lines": len(lines), "rates": rates, "clusters": len(miner.drain.clusters)}


def ga(pred, truth):
    groups, tg = defaultdict(set), defaultdict(set)
    for i, (p, t) in enumerate(zip(pred, truth)):
        groups[p].add(i)
        tg[t].add(i)
    return sum(len(s) for s in groups.values() if tg[truth[next(iter(s))]] == s) / len(truth)


def loghub(root: str) -> dict:
    out = {}
    for log in sorted(Path(root).glob("*/*_2k.log")):
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        with open(str(log) + "_structured_corrected.csv", newline="") as fh:
            truth = [r["EventId"] for r in csv.DictReader(fh)]
        miner = TemplateMiner()
        pred = [miner.add_log_message(line)["cluster_id"] for line in lines]
        out[log.parent.name] = ga(pred, truth)
    return out


if __name__ == "__main__":
    mode, arg = sys.argv[1], sys.argv[2]
    print(json.dumps(throughput(arg, int(sys.argv[3])) if mode == "throughput" else loghub(arg)))
