"""A term-weighted category scorer: recall for wording no signature was written for.

Signatures give precision and the fix target, but they only know the phrases someone wrote down.
The scorer knows which words are typical of each root-cause category in real incidents: per
category, a weight per term (a log-odds of the term appearing in that category's incidents versus
the others'), fitted by `bench/fit_scorer.py` on the readable half of the public corpus and kept
as data in `term_weights.json`. A digest's category score is the sum of the weights of the terms
its evidence contains; the engine uses it only when no cause signature fired.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from doctor.digest import Digest, TemplateStats

WEIGHTS_FILE = "term_weights.json"
MAX_TEMPLATES = 12  # the scorer reads the best evidence, not a whole noisy window
MAX_TEXT_CHARS = 4000  # per template: bounds the tokenizer's work on hostile lines

_WORD = re.compile(r"\b[A-Za-z][A-Za-z0-9_]{2,40}")
_CAMEL = re.compile(r"[A-Z]?[a-z]{2,}|[A-Z]{2,}(?![a-z])")
_HEXISH = re.compile(r"[0-9a-f]+")
STOP = frozenset(
    "the and for with from this that was are has have had but not you your its into can will would "
    "been being were which when then than there their they them all any our out use used using".split()
)


def terms(text: str) -> set[str]:
    """Lowercased words of `text` and the parts of CamelCase identifiers (`OutOfMemoryError` gives
    outofmemoryerror, out, memory, error), without stop words and hex-like ids."""
    out: set[str] = set()
    for word in _WORD.findall(text[:MAX_TEXT_CHARS]):
        low = word.lower()
        if any(c.isdigit() for c in low) and _HEXISH.fullmatch(low):
            continue
        out.add(low)
        if not word.islower():
            out.update(p.lower() for p in _CAMEL.findall(word) if len(p) >= 3)
    return out - STOP


def digest_terms(digest: Digest) -> set[str]:
    """The terms of the digest's best evidence (errors and what changed, else its top templates)."""
    out: set[str] = set()
    for t in _templates(digest):
        for text in (t.text, *t.exemplars):
            out |= terms(text)
    return out


def _templates(digest: Digest) -> list[TemplateStats]:
    return (digest.evidence() or digest.ranked())[:MAX_TEMPLATES]


@dataclass(frozen=True)
class Score:
    category: str
    score: float
    terms: tuple[str, ...]  # the terms that contributed most, best first


class TermScorer:
    def __init__(self, weights: dict[str, dict[str, float]], threshold: float, margin: float = 1.0) -> None:
        self.weights = weights
        self.threshold = threshold
        self.margin = margin  # the best score must be this many times the runner-up's

    def scores(self, found: Iterable[str]) -> list[Score]:
        """Every category with a positive score, best first."""
        found = set(found)
        out = []
        for category, w in self.weights.items():
            hits = sorted(((w[t], t) for t in found if t in w), reverse=True)
            total = sum(v for v, _ in hits)
            if total > 0:
                out.append(Score(category, total, tuple(t for _, t in hits[:6])))
        out.sort(key=lambda s: (-s.score, s.category))
        return out

    def best(self, digest: Digest) -> list[Score]:
        """Every scored category, best first, when the best reaches the fitted threshold and beats the
        runner-up by the fitted margin; else empty (no evidence worth an answer)."""
        scored = self.scores(digest_terms(digest))
        if not scored or scored[0].score < self.threshold:
            return []
        if len(scored) > 1 and scored[0].score < self.margin * scored[1].score:
            return []
        return scored


@lru_cache(maxsize=1)
def load_scorer() -> TermScorer:
    data = json.loads(resources.files("doctor.diagnose").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8"))
    return TermScorer({c: dict(w) for c, w in data["weights"].items()}, float(data["threshold"]),
                      float(data.get("margin", 1.0)))
