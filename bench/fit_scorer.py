"""Fit the term scorer's weights on the corpus's readable half and write `doctor/diagnose/term_weights.json`.

Only readable cases are read (`bench.corpus_data.is_held_out` keeps the other half out). The
weight of a term for a category is the log-odds of the term appearing in that category's cases
versus the other categories' (add-one smoothed); only terms seen in at least two cases are kept,
so a hostname or a project name that one report happens to contain is not learned. The score
threshold below which the scorer stays silent is chosen by leave-one-out over the readable half,
and the leave-one-out accuracy (of the whole engine, signatures plus scorer) is printed: it is
the honest estimate this half can give.

    .venv/bin/python -m bench.fit_scorer --cases A --cases B [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter, defaultdict
from pathlib import Path

from bench.corpus_data import CASES, case_digest, load_cases
from doctor.diagnose.engine import OfflineAnalyzer
from doctor.diagnose.scorer import WEIGHTS_FILE, TermScorer, digest_terms, terms

OUT = Path(__file__).resolve().parents[1] / "doctor" / "diagnose" / WEIGHTS_FILE
MIN_DF = 2  # a term must appear in this many documents of the category it is weighted for
TOP_TERMS = 60  # per category: keeps the file small and the scorer's cost bounded
THRESHOLDS = (2.0, 4.0, 6.0, 8.0, 10.0)
MARGINS = (1.0, 1.5, 2.0, 3.0)


def catalog_docs() -> list[tuple[set[str], str]]:
    """One document per cause signature: the words of its summary, root cause and patterns. Our own
    catalog's vocabulary (written from vendor documentation) anchors each category's terms, so a
    category with few readable cases still has weights, and words that only one report shares
    with its category are not enough."""
    from doctor.diagnose.catalog import load_catalog

    out = []
    for sig in load_catalog():
        if sig.role == "cause":
            text = " ".join([sig.summary, sig.root_cause, *(p.pattern for p in sig.patterns)])
            out.append((terms(text), sig.category))
    return out


def fit(docs: list[tuple[set[str], str]], *, alpha: float = 1.0) -> dict[str, dict[str, float]]:
    n = len(docs)
    per_cat = Counter(cat for _, cat in docs)
    df: Counter = Counter()
    df_cat: dict[str, Counter] = defaultdict(Counter)
    for found, cat in docs:
        df.update(found)
        df_cat[cat].update(found)
    weights: dict[str, dict[str, float]] = {}
    for cat, n_c in sorted(per_cat.items()):
        w = {}
        for term, in_c in df_cat[cat].items():
            if in_c < MIN_DF:
                continue
            p_in = (in_c + alpha) / (n_c + 2 * alpha)
            p_out = (df[term] - in_c + alpha) / (n - n_c + 2 * alpha)
            v = math.log(p_in / p_out)
            if v > 0:
                w[term] = round(v, 3)
        weights[cat] = dict(sorted(w.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS])
    return weights


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", action="append", type=Path, help=f"case directory (repeatable; default {CASES})")
    ap.add_argument("--dry-run", action="store_true", help="print the leave-one-out figures, write nothing")
    args = ap.parse_args(argv)
    readable = [c for c in load_cases(args.cases or [CASES]) if c.half == "readable"]
    digests = [case_digest(c) for c in readable]
    docs = [(digest_terms(d), c.category) for c, d in zip(readable, digests)]
    prior = catalog_docs()
    # Leave-one-out: each readable case diagnosed by the engine with a scorer fitted on the others.
    loo_weights = [fit(docs[:i] + docs[i + 1:] + prior) for i in range(len(docs))]
    results = {}
    for threshold in THRESHOLDS:
        for margin in MARGINS:
            right = sum(
                OfflineAnalyzer(scorer=TermScorer(w, threshold, margin)).analyze(d).category == c.category
                for c, d, w in zip(readable, digests, loo_weights)
            )
            results[threshold, margin] = right
            print(f"threshold {threshold:>4} margin {margin}: leave-one-out {right}/{len(readable)}")
    no_scorer = sum(OfflineAnalyzer(scorer=TermScorer({}, 0.0)).analyze(d).category == c.category
                    for c, d in zip(readable, digests))
    print(f"signatures alone: {no_scorer}/{len(readable)}")
    best = max(results, key=lambda k: (results[k], k[1], k[0]))  # ties: the more cautious setting
    print(f"chosen threshold {best[0]} margin {best[1]}: leave-one-out {results[best]}/{len(readable)} readable cases")
    if not args.dry_run:
        data = {"fitted_on": f"{len(readable)} readable cases of the public corpus (bench/fit_scorer.py)",
                "threshold": best[0], "margin": best[1], "weights": fit(docs + prior)}
        OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
