"""The core types every part of the doctor speaks: records in, a diagnosis and a fix out.

`Digest` (the compact view of a window of records) lives in `doctor.digest`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Source = str  # a log source's name: doctor.sources.source_names() (the registry), not a fixed list here
Level = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

# The fixed vocabulary of root-cause categories. Offline signatures, cloud
# models and Terraform fix rules all speak it; adding one is a deliberate change.
Category = Literal[
    "oom", "db_connections", "cache_memory", "broker_connection", "cloud_throttling",
    "upstream_rate_limit", "image_pull", "secrets_access", "lb_health", "disk_full", "tls",
    "dns", "iam_permission", "timeout", "config_error", "schema_migration", "network_reset",
    "clock_skew", "deploy_regression", "other",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

VIA = " via "  # "ecs-events via executor": a line of a platform stream, read for a service


def own_name(service: str) -> str:
    """The service-map entry a digest's service names: "ecs-events via executor" -> "ecs-events"."""
    return service.split(VIA, 1)[0]


def read_for(service: str) -> str:
    """The service a digest's line was read for: "ecs-events via executor" -> "executor"; a service's
    own line names itself."""
    return service.split(VIA, 1)[-1]


@dataclass(slots=True)
class LogRecord:
    """One log event as a source delivered it. `message` may still carry its header."""

    timestamp: datetime  # UTC
    source: Source
    message: str
    labels: dict[str, str]  # service, log group, Loki stream labels...
    level: Level | None = None  # as the source parsed it; None = infer from the text


class Evidence(BaseModel):
    """A log template or line that supports a diagnosis."""

    text: str
    count: int = 1
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    services: list[str] = Field(default_factory=list)


class Coverage(BaseModel):
    """How much of the analysed window one source read for one service."""

    source: str
    service: str
    target: str = ""
    outcome: str = "complete"
    lines: int = 0
    fraction: float = Field(1.0, ge=0.0, le=1.0)  # of the window's time read
    unread: str = ""  # the parts not read, e.g. "09:00–09:24Z"


CLOSE_ALTERNATIVE = 0.5
NO_PROBLEM = "No problem found"  # the offline engine's all-clear, and Gemini's when it finds nothing

# Below this confidence an answer is barely likelier than not, so its first alternative is shown beside it too.
UNSURE_ANSWER = 0.6


class Diagnosis(BaseModel):
    summary: str
    category: Category
    root_cause: str = Field(description="One or two sentences: what broke and why.")
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    affected_resources: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    provider: str = "offline"
    # Where the offline engine found the cause: the signature's id; and the
    # Terraform resource type and attribute that carry the fix, when any.
    signature: str | None = None
    fix_hint: dict[str, str] | None = None
    alternatives: list[str] = Field(default_factory=list, description="Other categories considered, best first.")
    # The first alternative's evidence as a share of the answer's (0: none or unknown, 1: a tie); at
    # CLOSE_ALTERNATIVE or more it is shown next to the answer, so the on-call sees the other candidate.
    alternative_share: float = Field(0.0, ge=0.0, le=1.0)
    # Why the first alternative is close when no score says so (a deploy right before the errors, what the matched
    # words often meant instead); empty when its share is a score's.
    alternative_why: str = Field("", max_length=200)
    notes: list[str] = Field(default_factory=list, description="Gaps in the data, provider fallbacks.")
    deploys: list[str] = Field(default_factory=list, description="Deploys of the services in and before the window.")
    coverage: list[Coverage] = Field(default_factory=list, description="How much of the window each source read.")
    cost_usd: float = 0.0  # what the answer cost (0 offline, 0 when served from the cache)
    usage: dict[str, int] = Field(default_factory=dict)  # input_tokens, output_tokens

    @property
    def all_clear(self) -> bool:
        """The answer says nothing is wrong: the all-clear, or "other" with no line to show for it."""
        return self.summary == NO_PROBLEM or (self.category == "other" and not self.evidence)


class FixTarget(BaseModel):
    file: str  # relative to the repository root, always under terraform/
    address: str  # e.g. aws_ecs_task_definition.bot
    attribute: str  # e.g. memory


class Check(BaseModel):
    name: str  # hcl2_parse, terraform_fmt, guardrail:..., ...
    ok: bool
    detail: str = ""
    skipped: bool = False  # could not run here (no terraform binary); shown, not hidden


class Fix(BaseModel):
    target: FixTarget
    diff: str
    rationale: str
    checks: list[Check] = Field(default_factory=list)
    provider: str = "offline"
    cost_usd: float = 0.0
    usage: dict[str, int] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)  # provider fallbacks, cache hits

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)
