"""Incident memory's fingerprint: what a diagnosis rests on, in a form that recurs.

A diagnosis rests on its category, the services it names and the log templates of its evidence.
Two occurrences of one incident differ in numbers (pids, counts, times), in the redaction
placeholders of their secrets (their suffix is an HMAC under a per-run key) and in the order the
evidence was ranked; none of that is part of the fingerprint:

- each evidence item is traced back to its digest template (the engine quotes a template's first
  exemplar, Gemini quotes a template or part of one); the template's text is folded further:
  every run of digits becomes one `0`, a token holding a redaction placeholder (`<SECRET:kind:hash>`)
  or a variable (`pid=<*>`) becomes `<*>`, runs of `<*>` become one, whitespace is collapsed;
- each folded template is hashed together with the category (`key`), so a lookup by key only ever
  meets incidents of the same category;
- the keys are a set: order and repetition do not count.

"Close" (`similarity`, `close`): same category, at least one service in common (or no service known
on either side), and a Jaccard similarity of the key sets of at least the threshold
(`DOCTOR_MEMORY_SIMILARITY`, default 0.5: at least half of the two incidents' evidence is shared).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from doctor.digest import Digest, TemplateStats
from doctor.digest.redact import PLACEHOLDER_OPEN
from doctor.models import Diagnosis, read_for

SIMILARITY = 0.5  # the default threshold; Settings.memory_similarity overrides it
MAX_KEYS = 16  # a diagnosis quotes at most five evidence items; a bound on what reaches the store
MAX_TEMPLATE_CHARS = 2000  # folded text beyond this adds nothing to recognising it (and bounds the work)

_DIGITS = re.compile(r"[0-9]+")
_CUT = re.compile(r"<CUT:[^>]{0,40}>")
_WILDCARDS = re.compile(r"<\*>(?:[\s,;:=/]{0,8}<\*>)+")


def fold(text: str) -> str:
    """A template's text with what varies between occurrences of one incident folded away.

    A token holding a redaction placeholder is a variable, `<*>`, like any token holding a variable
    (`pid=<*>`): the placeholder's suffix is an HMAC under a per-run key. The miner makes every
    placeholder `<*>` now, but Gemini quotes exemplars, which keep it, and incidents recorded before
    that fix hold templates that kept a placeholder whole when its suffix had no digit. Token by
    token, so the work is linear in the text."""
    text = _CUT.sub("<CUT>", text[:MAX_TEMPLATE_CHARS])
    tokens = ["<*>" if "<*>" in tok or PLACEHOLDER_OPEN in tok else tok for tok in text.split()]
    return _WILDCARDS.sub("<*>", _DIGITS.sub("0", " ".join(tokens)))


def key(category: str, folded: str) -> str:
    """One evidence template of one category: 16 hex digits (64 bits; collisions are not a concern
    at any number of incidents a store holds)."""
    return hashlib.sha256(f"{category}\n{folded}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Fingerprint:
    category: str
    services: frozenset[str]
    keys: frozenset[str]

    @property
    def digest(self) -> str:
        """The whole fingerprint as one value: equal for two diagnoses that rest on the same things."""
        text = "\n".join([self.category, ",".join(sorted(self.services)), ",".join(sorted(self.keys))])
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def empty(self) -> bool:
        """No evidence (an all-clear): nothing to recognise, never close to anything."""
        return not self.keys


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Jaccard similarity of the evidence keys when category and services allow a match, else 0."""
    if a.category != b.category or a.empty or b.empty:
        return 0.0
    if a.services and b.services and not a.services & b.services:
        return 0.0
    return jaccard(len(a.keys & b.keys), len(a.keys), len(b.keys))


def jaccard(shared: int, size_a: int, size_b: int) -> float:
    union = size_a + size_b - shared
    return shared / union if union else 0.0


def close(a: Fingerprint, b: Fingerprint, *, threshold: float = SIMILARITY) -> bool:
    return similarity(a, b) >= threshold


def fingerprint(diagnosis: Diagnosis, digest: Digest) -> Fingerprint:
    """The fingerprint of `diagnosis`, made from `digest` (the one it was made from)."""
    matched = _match_each(diagnosis, digest)
    templates = [t for t in matched if t is not None]
    # Evidence no template explains (a model quoting a line the digest does not hold as such):
    # the quote itself, folded the same way.
    texts = [fold(t.text) if t is not None else fold(e.text) for e, t in zip(diagnosis.evidence, matched, strict=True)]
    keys = sorted({key(diagnosis.category, t) for t in texts if t})
    return Fingerprint(diagnosis.category, _services(diagnosis, templates), frozenset(keys[:MAX_KEYS]))


def _match_each(diagnosis: Diagnosis, digest: Digest) -> list[TemplateStats | None]:
    """Per evidence item, the digest template it quotes: exactly (its text or an exemplar), else the
    first template that contains the quote (how Gemini's answers are read back), else None."""
    exact: dict[str, TemplateStats] = {}
    for t in digest.templates:
        for text in (t.text, *t.exemplars):
            exact.setdefault(text, t)
    out: list[TemplateStats | None] = []
    for e in diagnosis.evidence:
        found = exact.get(e.text)
        if found is None and e.text:
            found = next((t for text, t in exact.items() if e.text in text), None)
        out.append(found)
    return out


def _services(diagnosis: Diagnosis, templates: list[TemplateStats]) -> frozenset[str]:
    """The services the diagnosis names, and those its evidence was read for: a platform line read
    for a service ("ecs-events via executor") counts for the service it was read for."""
    names = {r[len("service:"):] for r in diagnosis.affected_resources if r.startswith("service:")}
    for t in templates:
        names.update(read_for(s) for s in t.services)
    names.update(read_for(s) for e in diagnosis.evidence for s in e.services)
    return frozenset(n[:100] for n in names if n)
