"""Confidence that means something: how often answers like this one were right in real incidents.

The engine's raw confidence measures how far the best explanation outweighs the next (signatures) or how
far the best category's words beat the runner-up's (the term scorer). Neither says how often such an
answer is right: a signature whose words often meant something else (`dns_resolution_failed`, right in
about three of five readable cases) and one that names its cause exactly (`postgres_too_many_clients`)
showed the same 0.9. `bench/fit_confidence.py` measures both on the public corpus's readable half and
keeps the result as data (`confidence.json`):

- per signature, how many of the readable cases it answered were right, shrunk toward the precision of
  all signature answers by `prior` pseudo-cases (a signature that answered two cases is not sure of
  anything), then mapped together with the raw confidence through a logistic fit;
- for the term scorer's answers, a logistic fit of rightness on how far its best category's log-probability
  beat the runner-up's (the log-odds, compressed by log1p), over grouped cross-validation (each case scored by
  a model fitted without its system), since the scorer was fitted on the same half. Its raw confidence, a
  ratio of scores, told right from wrong no better than chance there (AUC 0.53 against the log-odds' 0.62).

Signatures were written from the readable half, so their readable precision runs higher than what unseen
incidents give; the README carries the held-out calibration (counts only).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources

CALIBRATION_FILE = "confidence.json"
_EDGE = 1e-3  # probabilities kept inside (0, 1) so their log-odds stay finite


def _logit(p: float) -> float:
    p = min(max(p, _EDGE), 1.0 - _EDGE)
    return math.log(p / (1.0 - p))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def _predict(weights: Sequence[float], features: Sequence[float]) -> float:
    """The logistic model's probability: the one formula the fit and the engine share."""
    return _sigmoid(sum(w * x for w, x in zip(weights, features)))


@dataclass(frozen=True)
class Calibration:
    """Maps the engine's raw confidence to a measured one. The identity (no data) leaves it unchanged."""

    signatures: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # id -> (right, answered)
    prior: float = 0.0  # pseudo-cases at the precision of all signature answers
    signature_weights: Sequence[float] = ()  # intercept, log-odds of the signature's precision, raw confidence
    scorer_weights: Sequence[float] = ()  # intercept, log1p of the scorer's log-odds over its runner-up

    @cached_property
    def precision(self) -> float:
        """The share of right answers over every signature answer: a signature with no record starts here."""
        right = sum(r for r, _ in self.signatures.values())
        answered = sum(n for _, n in self.signatures.values())
        return right / answered if answered else 0.5

    def shrunk(self, right: int, answered: int) -> float:
        """A record of `right` of `answered`, with `prior` pseudo-cases at the precision of all signature answers."""
        return (right + self.prior * self.precision) / (answered + self.prior) if answered + self.prior else 0.5

    def signature_precision(self, signature_id: str) -> float:
        return self.shrunk(*self.signatures.get(signature_id, (0, 0)))

    def for_signature(self, signature_id: str, raw: float) -> float:
        if len(self.signature_weights) != 3:
            return raw
        return _predict(self.signature_weights, signature_features(self.signature_precision(signature_id), raw))

    def for_scorer(self, raw: float, log_odds: float) -> float:
        if len(self.scorer_weights) != 2:
            return raw
        return _predict(self.scorer_weights, scorer_features(log_odds))

    def to_json(self) -> dict[str, object]:
        return {"prior": self.prior, "signature_weights": list(self.signature_weights),
                "scorer_weights": list(self.scorer_weights),
                "signatures": {k: list(v) for k, v in sorted(self.signatures.items())}}


def fit_logistic(rows: Sequence[tuple[Sequence[float], bool]], *, steps: int = 4000, rate: float = 0.5,
                 l2: float = 1e-3) -> list[float]:
    """Weights of a logistic regression (the first feature is the intercept's 1.0) by gradient descent:
    a handful of features and a few thousand rows need nothing heavier."""
    if not rows:
        return []
    width = len(rows[0][0])
    w = [0.0] * width
    n = len(rows)
    for _ in range(steps):
        grad = [0.0] * width
        for x, y in rows:
            err = _predict(w, x) - (1.0 if y else 0.0)
            for j in range(width):
                grad[j] += err * x[j]
        w = [wj - rate * (gj / n + (l2 * wj if j else 0.0)) for j, (wj, gj) in enumerate(zip(w, grad))]
    return w


def signature_features(precision: float, raw: float) -> list[float]:
    """A signature answer's features (the intercept's 1.0 first), for the fit and for `for_signature` alike."""
    return [1.0, _logit(precision), raw]


def scorer_features(log_odds: float) -> list[float]:
    """A scorer answer's features: its log-odds over its runner-up, compressed (an answer 40 nats ahead is not ten
    times surer than one 4 ahead)."""
    return [1.0, math.log1p(max(0.0, log_odds))]


@lru_cache(maxsize=1)
def load_calibration() -> Calibration:
    """The bundled calibration; the identity when the file is absent (a fresh fit writes it)."""
    path = resources.files("doctor.diagnose").joinpath(CALIBRATION_FILE)
    if not path.is_file():
        return Calibration()
    data = json.loads(path.read_text(encoding="utf-8"))
    return Calibration(signatures={k: (int(v[0]), int(v[1])) for k, v in data["signatures"].items()},
                       prior=float(data["prior"]), signature_weights=tuple(data["signature_weights"]),
                       scorer_weights=tuple(data["scorer_weights"]))
