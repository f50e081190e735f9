"""From raw log records to a compact, secret-free digest a model can read.

Order matters and is fixed: redact, then mine templates, then count and rank.
"""

from doctor.digest.digest import DEFAULT_BUDGET_TOKENS, Digest, TemplateStats, estimate_tokens, infer_level
from doctor.digest.redact import Redactor
from doctor.digest.tally import DigestBuilder, ShapeTally, build_digest
from doctor.digest.templates import TemplateMiner, assign_templates

__all__ = [
    "DEFAULT_BUDGET_TOKENS", "Digest", "DigestBuilder", "Redactor", "ShapeTally", "TemplateMiner", "TemplateStats",
    "assign_templates", "build_digest", "estimate_tokens", "infer_level",
]
