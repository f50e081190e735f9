"""Run inside the drain3 venv (bench/digest.py makes it): drain3's numbers on the same input.

Modes: `throughput FILE N` prints lines/s (N runs) of TemplateMiner.add_log_message; `loghub DIR` prints
per-system grouping accuracy. Output is one JSON object on stdout.
"""

import json
import logging
import sys
import time
from pathlib import Path

from drain3 import TemplateMiner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loghub import grouping_accuracy, systems  # noqa: E402

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


def loghub(root: str) -> dict:
    out = {}
    for name, (lines, truth) in systems(Path(root)).items():
        miner = TemplateMiner()
        out[name] = grouping_accuracy([miner.add_log_message(line)["cluster_id"] for line in lines], truth)
    return out


if __name__ == "__main__":
    mode, arg = sys.argv[1], sys.argv[2]
    print(json.dumps(throughput(arg, int(sys.argv[3])) if mode == "throughput" else loghub(arg)))
