"""Load the signature catalog (YAML data, not code) and compile its patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from doctor.models import CATEGORIES

ROLE_FACTOR = {"cause": 1.0, "symptom": 0.35}


@dataclass(frozen=True)
class Signature:
    id: str
    category: str
    role: str
    weight: float
    patterns: tuple[re.Pattern, ...]
    summary: str
    root_cause: str
    next_steps: tuple[str, ...]
    fix: dict[str, str] | None

    def matches(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)


class CatalogError(ValueError):
    pass


def _parse(entries: list, origin: str) -> list[Signature]:
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
            patterns = tuple(re.compile(p, re.IGNORECASE) for p in e["patterns"])
        except re.error as exc:
            raise CatalogError(f"{where}: bad pattern: {exc}") from None
        fix = e.get("fix")
        if fix is not None and not {"resource", "attribute"} <= set(fix):
            raise CatalogError(f"{where}: fix needs resource and attribute")
        out.append(Signature(
            id=e["id"], category=e["category"], role=role, weight=float(e.get("weight", 1.0)),
            patterns=patterns, summary=e["summary"], root_cause=e["root_cause"],
            next_steps=tuple(e.get("next_steps", ())), fix=dict(fix) if fix else None,
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
