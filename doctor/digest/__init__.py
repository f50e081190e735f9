"""From raw log records to a compact, secret-free digest a model can read.

Order matters and is fixed: redact, then mine templates, then count and rank.
"""

from doctor.digest.digest import (
    DEFAULT_BUDGET_TOKENS,
    Digest,
    DigestBuilder,
    TemplateStats,
    build_digest,
    estimate_tokens,
    record_from_line,
)
from doctor.digest.redact import Redactor
from doctor.digest.templates import TemplateMiner, assign_templates

__all__ = [
    "DEFAULT_BUDGET_TOKENS", "Digest", "DigestBuilder", "Redactor", "TemplateMiner", "TemplateStats",
    "assign_templates", "build_digest", "estimate_tokens", "record_from_line",
]
