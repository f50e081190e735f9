"""How often the offline engine names the right root-cause category on real incidents.

Every case of the public corpus (`tests/corpus/cases/*.yaml`) goes through the real path (its log
as a file -> the file parser -> the digest builder -> `OfflineAnalyzer`). Prints accuracy on both
halves of the fixed split (`bench.corpus_data.is_held_out`), per category and per system, how the
misses split between a wrong category and an honest "other", and the confusion of the readable
half's misses. Held-out cases are only ever counted: their text and ids are never printed.

    .venv/bin/python -m bench.corpus                       # tests/corpus/cases
    .venv/bin/python -m bench.corpus --cases A --cases B   # several case directories
    .venv/bin/python -m bench.corpus --misses              # readable misses, with their top lines
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench.corpus_data import CASES, Case, case_digest, load_cases
from doctor.diagnose.engine import OfflineAnalyzer
from doctor.models import Diagnosis


def _pct(ok: int, n: int) -> str:
    return f"{ok}/{n} ({100 * ok / n:.0f}%)" if n else "0/0"


def false_all_clear(said: Diagnosis, truth: str) -> bool:
    """`said` is the engine's all-clear on a case whose thread found a cause it has a category for: the answer the
    on-call trusts least to be wrong (`bench.fit_scorer` costs it like a wrong category)."""
    return said.all_clear and truth != "other"


def calibration(answers: list[tuple[float, bool]]) -> str:
    """How well confidences match outcomes: the Brier score (mean squared gap, lower is better), the
    calibration error (the gap between mean confidence and the share right, per tenth, weighted) and each
    tenth's right/answered."""
    brier = sum((conf - right) ** 2 for conf, right in answers) / len(answers)
    tenths: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for conf, right in answers:
        t = tenths[min(9, int(conf * 10))]
        t[0] += right
        t[1] += 1
        t[2] += conf
    error = sum(abs(t[0] - t[2]) for t in tenths.values()) / len(answers)
    return (f"Brier {brier:.3f}, calibration error {error:.3f}; right by tenth "
            + ", ".join(f"{k / 10:.1f}: {int(t[0])}/{int(t[1])}" for k, t in sorted(tenths.items())))


def run(dirs: list[Path], *, misses: bool = False, out=sys.stdout) -> dict[str, tuple[int, int]]:
    cases = load_cases(dirs)
    analyzer = OfflineAnalyzer()
    results: list[tuple[Case, str, float, list[str]]] = []
    cleared: set[str] = set()  # the cases answered with a false all-clear
    started = time.perf_counter()
    for case in cases:
        d = analyzer.analyze(case_digest(case))
        results.append((case, d.category, d.confidence, d.alternatives))
        if false_all_clear(d, case.category):
            cleared.add(case.id)
    elapsed = time.perf_counter() - started
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f"corpus: {len(cases)} cases from {', '.join(str(d) for d in dirs)}  ({elapsed:.1f} s)")
    totals: dict[str, tuple[int, int]] = {}
    for half in ("readable", "held-out"):
        rows = [r for r in results if r[0].half == half]
        ok = sum(1 for c, got, *_ in rows if got == c.category)
        totals[half] = (ok, len(rows))
        wrong = [r for r in rows if r[1] != r[0].category]
        honest = sum(1 for c, got, *_ in wrong if got == "other")
        clear = sum(1 for c, *_ in wrong if c.id in cleared)
        second = sum(1 for c, got, conf, alts in wrong if alts[:1] == [c.category])
        confident = sum(1 for c, got, conf, _ in wrong if got != "other" and conf >= 0.5)
        sure = sum(1 for c, got, conf, _ in wrong if got != "other" and conf >= 0.8)
        p(f"\n== {half}: {_pct(ok, len(rows))} right; of {len(wrong)} misses: {len(wrong) - honest} a wrong "
          f"category ({confident} of them at confidence >= 0.5, {sure} at >= 0.8), {honest} an honest 'other' ({clear} "
          f"of them 'No problem found'); truth was the first alternative in {second}")
        named = [(conf, got == c.category) for c, got, conf, _ in rows if got != "other"]
        if named:
            p(f"  confidence of the {len(named)} answers naming a category: " + calibration(named))
        for key, label in ((lambda c: c.category, "category"), (lambda c: c.system, "system")):
            by: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for c, got, *_ in rows:
                by[key(c)][1] += 1
                by[key(c)][0] += got == c.category
            p(f"  per {label}: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by.items())))
    readable_wrong = [r for r in results if r[0].half == "readable" and r[1] != r[0].category]
    confusion = Counter((c.category, got) for c, got, *_ in readable_wrong)
    p("\n== readable misses (truth -> answer): "
      + (", ".join(f"{t}->{g} x{n}" for (t, g), n in confusion.most_common()) or "none"))
    if misses:
        for c, got, conf, alts in readable_wrong:
            p(f"\n-- {c.id} [{c.system}] truth {c.category}, answer {got} ({conf:.2f}), alternatives {alts}")
            p(f"   {c.summary[:300]}")
            for t in case_digest(c).ranked()[:4]:
                p(f"   {t.level:7} x{t.count} {(t.exemplars[0] if t.exemplars else t.text)[:220]}")
    ok, n = totals["held-out"]
    p(f"\nheld-out accuracy: {_pct(ok, n)}")
    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", action="append", type=Path,
                    help=f"a directory of case files (may be given several times; default {CASES})")
    ap.add_argument("--misses", action="store_true", help="list the readable half's misses with their top lines")
    args = ap.parse_args(argv)
    run(args.cases or [CASES], misses=args.misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
