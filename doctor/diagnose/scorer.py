"""A term-based category scorer: recall for wording no signature was written for.

Signatures give precision and the fix target, but they only know the phrases someone wrote down.
The scorer knows which words are typical of each root-cause category in real incidents: a
multinomial naive Bayes model over the terms of the evidence (its words, the parts of CamelCase
identifiers, and adjacent word pairs such as "connection reset" or "space left"), fitted by
`bench/fit_scorer.py` on the readable half of the public corpus plus the text of every cause
signature and every vendor-documented message (`tests/corpus/vendor_messages.yaml`), and kept as
data in `term_model.json`. Naive Bayes suits a corpus of a few hundred
short documents: every term seen in a category moves the answer a little, so wording nobody
wrote a signature for still points somewhere, and the smoothing keeps one report's hostname from
deciding anything.

The engine asks the scorer only when no cause signature fired, and takes its answer only when the
best category's log-probability beats the runner-up's by the fitted margin on enough telling words
(both fitted): below that, the honest answer is "other" with the scorer's candidates.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from doctor.digest import Digest, TemplateStats
from doctor.digest.redact import PLACEHOLDER_HASH, PLACEHOLDER_OPEN

MODEL_FILE = "term_model.json"
MAX_TEMPLATES = 12  # the scorer reads the best evidence, not a whole noisy window
MAX_TEXT_CHARS = 4000  # per template: bounds the tokenizer's work on hostile lines
# With no errors and nothing changed, a template spread over this share of the window is routine, in a window
# long enough to have a routine: three lines of one warning pasted from an incident span their few seconds too.
ROUTINE_SPREAD = 0.5
ROUTINE_WINDOW_S = 300.0

_WORD = re.compile(r"\b[A-Za-z][A-Za-z0-9_]{2,40}")
_CAMEL = re.compile(r"[A-Z]?[a-z]{2,}|[A-Z]{2,}(?![a-z])")
_HEXISH = re.compile(r"[0-9a-f]+")
# The AWS SDKs' wrappers around every service error are the same whatever the cause; only the code and the message
# say which. Their words would count as evidence for the categories whose training cases happen to quote AWS most
# (throttling, permissions), so they are dropped before the terms are read, the error code kept: Python's
# `botocore.exceptions.ClientError: An error occurred (Code) when calling the Op operation: …`, Java's `(Service: S3;
# Status Code: 403; Error Code: AccessDenied; Request ID: …; Extended Request ID: …)` and Go's `operation error S3:
# GetObject, https response error StatusCode: 403, RequestID: …, HostID: …,`.
_AWS_WRAPPER = re.compile(r"(?:botocore\.exceptions\.ClientError: )?An error occurred \((\w{1,100})\) when calling the "
                          r"\w{1,100} operation(?: \(reached max retries: \d{1,3}\))?:?")
_AWS_JAVA_WRAPPER = re.compile(r"\(Service: [\w ]{1,60}[;,] Status Code: \d{3}[;,] (?:Error Code: (\w{1,100})[;,] )?"
                               r"Request ID: [^;,()]{0,100}(?:[;,] Extended Request ID: [^;,()]{0,300})?"
                               r"(?:[;,] Proxy: [^()]{0,100})?\)")
_AWS_GO_WRAPPER = re.compile(r"operation error [\w ]{1,60}: \w{1,100}, (?:exceeded maximum number of attempts, \d{1,3}, )?"
                             r"https response error StatusCode: \d{3}, RequestID: [^,]{0,100}, (?:HostID: [^,]{0,300}, )?")
STOP = frozenset(
    "the and for with from this that was are has have had but not you your its into can will would "
    "been being were which when then than there their they them all any our out use used using".split()
)


def terms(text: str) -> set[str]:
    """Lowercased words of `text`, the parts of CamelCase identifiers (`OutOfMemoryError` gives
    outofmemoryerror, out, memory, error) and adjacent word pairs ("connection reset"), without
    stop words and hex-like ids. Words under three letters are not words here, so a pair steps over
    them ("reset by peer" gives "reset peer"); a stop word or an id between two words breaks the pair."""
    out: set[str] = set()
    previous = ""
    text = text[:MAX_TEXT_CHARS]
    if PLACEHOLDER_OPEN in text:
        text = PLACEHOLDER_HASH.sub(r"\1>", text)
    if "when calling the" in text:
        text = _AWS_WRAPPER.sub(r"\1", text)
    if "Request ID: " in text:
        text = _AWS_JAVA_WRAPPER.sub(r"\1", text)  # an unmatched group (no error code) is replaced by ""
    if "https response error" in text:
        text = _AWS_GO_WRAPPER.sub("", text)
    for word in _WORD.findall(text):
        low = word.lower()
        if (any(c.isdigit() for c in low) and _HEXISH.fullmatch(low)) or low in STOP:
            previous = ""
            continue
        out.add(low)
        if previous:
            out.add(f"{previous} {low}")
        previous = low
        if not word.islower():
            out.update(p.lower() for p in _CAMEL.findall(word) if len(p) >= 3)
    return out - STOP


def digest_terms(digest: Digest) -> set[str]:
    """The terms of the digest's best evidence (errors and what changed, else its top templates
    that are not routine)."""
    out: set[str] = set()
    for t in _templates(digest):
        for text in (t.text, *t.exemplars):
            out |= terms(text)
    return out


def _templates(digest: Digest) -> list[TemplateStats]:
    evidence = digest.evidence()
    if evidence:
        return evidence[:MAX_TEMPLATES]
    return [t for t in digest.ranked() if not routine(t, digest)][:MAX_TEMPLATES]


def routine(t: TemplateStats, digest: Digest) -> bool:
    """Logged again and again across most of the window: the service's routine (a checkpoint every
    five minutes, a heartbeat), which in a window with nothing wrong says nothing about a fault.
    Lines pasted from an incident carry no such spread, nor a window of minutes, and stay readable."""
    if t.count < 2 or None in (t.first_seen, t.last_seen, digest.window_start, digest.window_end):
        return False
    window = (digest.window_end - digest.window_start).total_seconds()  # type: ignore[operator]
    spread = (t.last_seen - t.first_seen).total_seconds()  # type: ignore[operator]
    return window >= ROUTINE_WINDOW_S and spread >= ROUTINE_SPREAD * window


@dataclass(frozen=True)
class Score:
    category: str
    score: float  # the category's posterior probability given the terms, 0..1
    terms: tuple[str, ...]  # the terms that favour it most, best first
    log_odds: float = 0.0  # its log-probability minus the runner-up's (0 for all but the best)
    support: int = 0  # how many terms are at least e times likelier in this category than in the others


class TermScorer:
    """Multinomial naive Bayes over term presence.

    `counts[category][term]` is in how many training documents of that category the term
    appeared; `docs[category]` how many documents the category had. `alpha` is the additive
    smoothing; `margin` the least log-odds of the best category over the runner-up for an answer;
    `support` the least number of telling terms behind it. The margin alone is not enough: with
    one known word ("shard", "app") naive Bayes can be sure of anything, so an answer needs
    several words that are each typical of its category.
    """

    def __init__(self, counts: Mapping[str, Mapping[str, int]], docs: Mapping[str, int], *,
                 alpha: float = 0.05, margin: float = 2.0, support: int = 2) -> None:
        self.counts = {c: dict(t) for c, t in counts.items()}
        self.docs = {c: docs.get(c, 0) for c in self.counts}
        self.alpha = alpha
        self.margin = margin
        self.support = support
        self.vocabulary = frozenset(t for ts in self.counts.values() for t in ts)
        total_docs = sum(self.docs.values()) or 1
        self._prior = {c: math.log((n + 1) / (total_docs + len(self.docs))) for c, n in self.docs.items()}
        self._totals = {c: sum(ts.values()) for c, ts in self.counts.items()}
        self._mass = self._smoothed_mass(alpha)

    def with_setting(self, *, alpha: float, margin: float, support: int) -> TermScorer:
        """The same counts under another smoothing, margin and support, without counting them again (the fit
        compares settings on thousands of leave-one-out models)."""
        other = copy.copy(self)
        other.alpha, other.margin, other.support = alpha, margin, support
        other._mass = self._smoothed_mass(alpha)
        return other

    def _smoothed_mass(self, alpha: float) -> dict[str, float]:
        """Each category's term count plus the smoothing's share for every term of the vocabulary."""
        return {c: n + alpha * len(self.vocabulary) for c, n in self._totals.items()}

    def _log_likelihood(self, category: str, term: str) -> float:
        return math.log((self.counts[category].get(term, 0) + self.alpha) / self._mass[category])

    def scores(self, found: Iterable[str]) -> list[Score]:
        """Every category, best first; empty when no term of `found` is known to the model."""
        known = sorted(set(found) & self.vocabulary)
        if not known or not self.counts:
            return []
        # Each category's log-likelihood of each known term, once: the posterior and the lifts read it.
        ll = {c: [self._log_likelihood(c, t) for t in known] for c in self.counts}
        logp = {c: self._prior[c] + sum(ll[c]) for c in self.counts}
        ranked = sorted(logp, key=lambda c: (-logp[c], c))
        top = logp[ranked[0]]
        z = sum(math.exp(v - top) for v in logp.values())
        out = []
        for i, c in enumerate(ranked):
            # A term favours a category when it is likelier there than in the average other category.
            others = [o for o in self.counts if o != c]
            lift = sorted(((ll[c][k] - sum(ll[o][k] for o in others) / max(1, len(others)), t)
                           for k, t in enumerate(known)), reverse=True)
            out.append(Score(c, math.exp(logp[c] - top) / z, tuple(t for v, t in lift[:6] if v > 0),
                             logp[c] - logp[ranked[1]] if i == 0 and len(ranked) > 1 else 0.0,
                             sum(1 for v, _ in lift if v >= 1.0)))
        return out

    def read(self, digest: Digest) -> list[Score]:
        """Every category for the digest's evidence words, best first (`scores` of `digest_terms`).
        A window with no errors and nothing new, bursting or gone quiet is read only in its lines that
        are not routine (`routine`): the words of healthy lines are not a diagnosis."""
        return self.scores(digest_terms(digest))

    def answer(self, scored: list[Score]) -> list[Score]:
        """`scored` (from `read`) without "other", when the best beats the runner-up by the fitted margin
        on at least `support` telling terms and is not "other"; else empty (no evidence worth an answer)."""
        if (not scored or scored[0].log_odds < self.margin or scored[0].support < self.support
                or scored[0].category == "other"):
            return []
        return [s for s in scored if s.category != "other"]

    def best(self, digest: Digest) -> list[Score]:
        """The answer for a digest: `answer(read(digest))`."""
        return self.answer(self.read(digest))

    def leaning(self, scored: list[Score], n: int = 3) -> list[str]:
        """The categories `scored` (from `read`) leans toward when it is too weak for an answer: those
        resting on at least `support` telling terms, best first, never "other". An honest "other" names
        them as candidates, so the on-call sees where the words point without being told a cause."""
        return [s.category for s in scored if s.category != "other" and s.support >= self.support][:n]


@lru_cache(maxsize=1)
def load_scorer() -> TermScorer:
    data = json.loads(resources.files("doctor.diagnose").joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    return TermScorer(data["counts"], data["docs"], alpha=float(data["alpha"]), margin=float(data["margin"]),
                      support=int(data["support"]))
