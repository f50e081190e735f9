"""The shared Loghub-2k samples and grouping accuracy (GA), stdlib only: the drain3 venv imports it too.

GA: a line counts as correct when the set of lines in its predicted group is exactly the set
of lines sharing its ground-truth template; GA = correct lines / all lines.

The truth is the `EventTemplate` column, as the evaluators published with the corrected files
(logparser's and Loghub-2.0's) group it: the correction merged some events without renumbering
their lines (Linux's PAM `authentication failure; … user=<*>` is one template in its table, E18,
but its lines still carry E17, E18 and E19 by the user named), so grouping by `EventId` would
count a split the corrected truth no longer makes. Files without the column fall back to `EventId`.
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
# Other Loghub-2k systems (Android, BGL, HealthApp, ...) as a held-out check, when someone has put them
# here (research-use license: never committed). Same layout; `X_2k.log_structured.csv` is accepted.
EXTRA = Path(__file__).resolve().parents[1] / ".bench" / "loghub-extra"


def systems(root: Path = LOGHUB) -> dict[str, tuple[list[str], list[str]]]:
    """system name -> (raw lines, ground-truth template per line)."""
    out = {}
    for log in sorted(root.glob("*/*_2k.log")):
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        truth_file = Path(str(log) + "_structured_corrected.csv")
        if not truth_file.exists():
            truth_file = Path(str(log) + "_structured.csv")
        if not truth_file.exists():
            continue
        with truth_file.open(newline="") as fh:
            truth = [row.get("EventTemplate") or row["EventId"] for row in csv.DictReader(fh)]
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
