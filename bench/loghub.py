"""The shared Loghub-2k samples and grouping accuracy (GA), stdlib only: the drain3 venv imports it too.

GA: a line counts as correct when the set of lines in its predicted group is exactly the set
of lines sharing its ground-truth EventId; GA = correct lines / all lines.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path


def _find_loghub() -> Path:
    """`shared/data/loghub` beside the checkout (or beside the folder of worktrees it sits in)."""
    here = Path(__file__).resolve()
    for parent in here.parents[1:4]:
        candidate = parent / "shared" / "data" / "loghub"
        if candidate.is_dir():
            return candidate
    return here.parents[2] / "shared" / "data" / "loghub"


LOGHUB = _find_loghub()


def systems(root: Path = LOGHUB) -> dict[str, tuple[list[str], list[str]]]:
    """system name -> (raw lines, ground-truth event id per line)."""
    out = {}
    for log in sorted(root.glob("*/*_2k.log")):
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        with open(str(log) + "_structured_corrected.csv", newline="") as fh:
            truth = [row["EventId"] for row in csv.DictReader(fh)]
        out[log.parent.name] = (lines, truth)
    return out


def grouping_accuracy(predicted: list, truth: list[str]) -> float:
    groups: dict = defaultdict(set)
    truth_groups: dict = defaultdict(set)
    for i, (p, t) in enumerate(zip(predicted, truth)):
        groups[p].add(i)
        truth_groups[t].add(i)
    correct = sum(len(s) for s in groups.values() if truth_groups[truth[next(iter(s))]] == s)
    return correct / len(truth)
