"""Fit the engine's confidence calibration on the corpus's readable half and write `doctor/diagnose/confidence.json`.

Only readable cases are read. Every case is diagnosed by the engine with raw confidences (the
identity calibration) and a term scorer fitted without the case's own system (ten folds grouped by
system, the bundled model's setting), so the scorer's answers are judged on wording it did not learn
from, and without the signature patterns the case alone taught the catalog (`bench.fit_scorer.taught`), so a
signature's record is what it does on logs it was not written from (with every pattern, the signatures' readable
records ran about a tenth above what they showed on the held-out half). Then:

- per signature, how many of the readable cases it answered were right (its record);
- a logistic fit of rightness on the signature's shrunk precision (its record with `PRIOR` pseudo-cases
  at the precision of all signature answers, each case's own system left out of its record) and the raw
  confidence (how far the best signature outweighed the next category's);
- a logistic fit of rightness on the scorer's log-odds over its runner-up, for the scorer's answers.

Prints the readable half's Brier score and calibration error before and after, and the held-out half's
as counts only (`--held-out`), never a held-out case.

    .venv/bin/python -m bench.fit_confidence [--cases A --cases B] [--dry-run] [--held-out]
"""

from __future__ import annotations

import argparse
import json
import zlib
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from bench.corpus import calibration
from bench.corpus_data import CASES, Case, case_digest, load_cases
from bench.fit_scorer import PRIOR_COPIES, catalog_docs, fit, taught_patterns, vendor_docs, without
from doctor.diagnose.calibration import CALIBRATION_FILE, Calibration, fit_logistic, scorer_features, signature_features
from doctor.diagnose.catalog import load_catalog
from doctor.diagnose.engine import OfflineAnalyzer
from doctor.diagnose.scorer import digest_terms, load_scorer

OUT = Path(__file__).resolve().parents[1] / "doctor" / "diagnose" / CALIBRATION_FILE
FOLDS = 10
# Pseudo-cases at the precision of all signature answers added to each signature's record: with five, a
# signature right in 2 of 2 readable cases shows about what an average signature does, one right in 40 of
# 40 nearly its own record. Grouped cross-validation put 5 and 10 within a Brier point of each other.
PRIOR = 5.0



class Row(NamedTuple):
    case: Case
    answer: str
    raw: float  # the engine's raw confidence
    signature: str | None  # the signature that answered, if one did
    log_odds: float | None  # the scorer's log-odds over its runner-up, when the scorer answered

    @property
    def right(self) -> bool:
        return self.answer == self.case.category


def _fold(system: str) -> int:
    return zlib.crc32(system.encode()) % FOLDS


def raw_answers(cases: Sequence[Case]) -> list[Row]:
    """Each case's answer, raw confidence and signature; the scorer fitted without the case's fold, and a readable
    case diagnosed without the signature patterns it alone taught the catalog (`bench.fit_scorer.taught`): a
    signature's record is what it does on logs it was not written from."""
    model = load_scorer()
    digests = [case_digest(c) for c in cases]
    docs = [(digest_terms(d), c.category) for c, d in zip(cases, digests)]
    vendor = vendor_docs()
    catalog = load_catalog()
    readable = [i for i, c in enumerate(cases) if c.half == "readable"]
    gone = dict(zip(readable, taught_patterns([digests[i] for i in readable], catalog)))
    blind = {i: without(catalog, g) for i, g in gone.items() if g}
    rows: list[Row] = []
    by_fold: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(cases):
        by_fold[_fold(c.system)].append(i)
    for _, members in sorted(by_fold.items()):
        inside = set(members)
        # The fold's scorer learns neither its cases nor the words of the patterns they taught the catalog (the
        # signature documents hold every pattern's text).
        taught_here = set().union(*(gone.get(i, set()) for i in members))
        scorer = fit([d for i, d in enumerate(docs) if i not in inside and cases[i].half == "readable"]
                     + catalog_docs(without(catalog, taught_here)) * PRIOR_COPIES + vendor,
                     alpha=model.alpha, margin=model.margin, support=model.support)
        analyzer = OfflineAnalyzer(scorer=scorer, calibration=Calibration())
        for i in members:
            own = blind.get(i)
            d = (analyzer if own is None else OfflineAnalyzer(scorer=scorer, calibration=Calibration(), catalog=own)
                 ).analyze(digests[i])
            # With no deploy in the context, a category without a signature is the scorer's answer.
            scored = d.signature is None and d.category != "other"
            rows.append(Row(cases[i], d.category, d.confidence, d.signature,
                            scorer.read(digests[i])[0].log_odds if scored else None))
    return rows


def fit_calibration(rows: Sequence[Row]) -> Calibration:
    readable = [r for r in rows if r.case.half == "readable"]
    record: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_system: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in readable:
        if r.signature:
            for tally in (record[r.signature], by_system[(r.signature, r.case.system)]):
                tally[0] += r.right
                tally[1] += 1
    base = Calibration(signatures={k: (v[0], v[1]) for k, v in record.items()}, prior=PRIOR)
    sig_rows = []
    for r in readable:
        if r.signature:
            own = by_system[(r.signature, r.case.system)]
            precision = base.shrunk(record[r.signature][0] - own[0], record[r.signature][1] - own[1])
            sig_rows.append((signature_features(precision, r.raw), r.right))
    scorer_rows = [(scorer_features(r.log_odds), r.right) for r in readable if r.log_odds is not None]
    return Calibration(signatures=base.signatures, prior=PRIOR, signature_weights=tuple(fit_logistic(sig_rows)),
                       scorer_weights=tuple(fit_logistic(scorer_rows)))


def report(rows: Sequence[Row], cal: Calibration, half: str) -> str:
    """The confidence figures (`bench.corpus.calibration`) of the answers a signature or the scorer gave in
    `half`, raw and calibrated."""
    chosen = [r for r in rows if r.case.half == half and (r.signature or r.log_odds is not None)]
    if not chosen:
        return f"{half}: no answers"

    def calibrated(r: Row) -> float:
        return cal.for_signature(r.signature, r.raw) if r.signature else cal.for_scorer(r.raw, r.log_odds or 0.0)

    out = []
    for label, conf in (("raw", lambda r: r.raw), ("calibrated", calibrated)):
        answers = [(min(conf(r), 0.95), r.right) for r in chosen]
        wrong = sum(1 for p, right in answers if p >= 0.5 and not right)
        out.append(f"{half} {label}: {len(chosen)} answers, wrong at >= 0.5: {wrong}; {calibration(answers)}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", action="append", type=Path, help=f"case directory (repeatable; default {CASES})")
    ap.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    ap.add_argument("--held-out", action="store_true", help="also print the held-out half's figures (counts only)")
    args = ap.parse_args(argv)
    cases = [c for c in load_cases(args.cases or [CASES]) if args.held_out or c.half == "readable"]
    rows = raw_answers(cases)
    cal = fit_calibration(rows)
    print(f"signature precision {cal.precision:.3f} over {sum(n for _, n in cal.signatures.values())} readable "
          f"answers; weights {[round(w, 3) for w in cal.signature_weights]}, scorer {[round(w, 3) for w in cal.scorer_weights]}")
    print(report(rows, cal, "readable"))
    if args.held_out:
        print(report(rows, cal, "held-out"))
    if not args.dry_run:
        OUT.write_text(json.dumps({"fitted_on": f"{sum(1 for r in rows if r.case.half == 'readable')} readable cases "
                                                "of the public corpus (bench/fit_confidence.py)", **cal.to_json()},
                                  indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
