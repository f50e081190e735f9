"""Load the signature catalog (YAML data, not code) and compile its patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from doctor.models import CATEGORIES

ROLE_FACTOR = {"cause": 1.0, "symptom": 0.35}


@dataclass(frozen=True)
class Signature:
    id: str
    category: str
    role: str
    weight: float
    patterns: tuple[re.Pattern[str], ...]
    summary: str
    root_cause: str
    next_steps: tuple[str, ...]
    fix: dict[str, str] | None
    # The category the same words meant instead, often enough to be worth naming beside the answer (DNS's "no such
    # host" for a service name the setting got wrong): always a close alternative, never the answer.
    also: str | None = None

    @cached_property
    def prefixes(self) -> tuple[str, ...]:
        """Each pattern's literal_prefix ("" when it has none)."""
        return tuple(literal_prefix(p.pattern) for p in self.patterns)

    def matches(self, text: str, folded: str | None = None) -> bool:
        """Whether any pattern matches `text`. `folded` is `text.lower()` when `text` is ASCII: then a
        pattern whose literal prefix is absent is ruled out without running it (`(?i)` regexes
        cannot use the regex engine's own literal search, and a digest's texts times the
        catalog's patterns is tens of thousands of searches)."""
        for pattern, prefix in zip(self.patterns, self.prefixes):
            if folded is not None and prefix and prefix not in folded:
                continue
            if pattern.search(text):
                return True
        return False


_LITERAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-:=,;'\"/<>!@%&~`")


def literal_prefix(pattern: str) -> str:
    """Lowercased text every match of `pattern` starts with, or "". Conservative: a leading `\\b` is
    skipped, escaped ASCII punctuation counts as itself, the scan stops at anything else special,
    a quantified character is dropped, and a top-level `|` means no prefix. A leading `(?i)` is
    skipped: the prefix is compared with the lowercased text, which also serves case-sensitive
    patterns (their match, lowercased, still contains it)."""
    if pattern.startswith("(?i)"):
        pattern = pattern[4:]
    if _top_level_alternation(pattern):
        return ""
    i = 2 if pattern.startswith("\\b") else 0
    out: list[str] = []
    while i < len(pattern):
        c = pattern[i]
        if c in "?*+{":
            if out:
                out.pop()  # the character before a quantifier may be absent (or, for {, not a quantifier)
            break
        if c == "\\" and i + 1 < len(pattern) and pattern[i + 1].isascii() and not pattern[i + 1].isalnum():
            out.append(pattern[i + 1])
            i += 2
        elif c in _LITERAL:
            out.append(c)
            i += 1
        else:
            break
    return "".join(out).lower()


def _top_level_alternation(pattern: str) -> bool:
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1 + (pattern[i + 1:i + 2] == "^")
            i += pattern[i:i + 1] == "]"  # a ] first in a class is literal
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


class CatalogError(ValueError):
    pass


def _parse(entries: list[Any], origin: str) -> list[Signature]:
    out = []
    for i, e in enumerate(entries):
        where = f"{origin} entry {i + 1} ({e.get('id', '?') if isinstance(e, dict) else e!r})"
        if not isinstance(e, dict):
            raise CatalogError(f"{where}: not a mapping")
        missing = {"id", "category", "patterns", "summary", "root_cause"} - set(e)
        if missing:
            raise CatalogError(f"{where}: missing {sorted(missing)}")
        if e["category"] not in CATEGORIES:
            raise CatalogError(f"{where}: unknown category {e['category']!r}")
        role = e.get("role", "cause")
        if role not in ROLE_FACTOR:
            raise CatalogError(f"{where}: role must be cause or symptom")
        try:
            patterns = tuple(re.compile(p) for p in e["patterns"])  # case is part of the pattern: (?i) where wanted
        except re.error as exc:
            raise CatalogError(f"{where}: bad pattern: {exc}") from None
        fix = e.get("fix")
        if fix is not None and not {"resource", "attribute"} <= set(fix):
            raise CatalogError(f"{where}: fix needs resource and attribute")
        also = e.get("also")
        if also is not None and (also not in CATEGORIES or also == e["category"]):
            raise CatalogError(f"{where}: also must be another known category, not {also!r}")
        out.append(Signature(
            id=e["id"], category=e["category"], role=role, weight=float(e.get("weight", 1.0)),
            patterns=patterns, summary=e["summary"], root_cause=e["root_cause"],
            next_steps=tuple(e.get("next_steps", ())), fix=dict(fix) if fix else None, also=also,
        ))
    return out


@lru_cache(maxsize=4)
def load_catalog(extra: Path | None = None) -> tuple[Signature, ...]:
    """The bundled catalog, with `extra`'s signatures added (same id replaces)."""
    text = resources.files("doctor.diagnose").joinpath("signatures.yaml").read_text(encoding="utf-8")
    sigs = {s.id: s for s in _parse(yaml.safe_load(text), "signatures.yaml")}
    if extra is not None:
        try:
            data = yaml.safe_load(Path(extra).read_text(encoding="utf-8")) or []
        except (OSError, yaml.YAMLError) as exc:
            raise CatalogError(f"{extra}: {exc}") from None
        sigs.update({s.id: s for s in _parse(data, str(extra))})
    return tuple(sigs.values())
