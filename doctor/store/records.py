"""The rows the store hands back, typed: callers read them by key, mypy checks the keys.

JSON columns come back parsed where the store parses them (an incident's diagnosis, fix and
digest) and as text where callers only pass them on (a job's request, an alert)."""

from __future__ import annotations

from typing import Any, TypedDict


class IncidentSummary(TypedDict):
    id: str
    created_at: str
    title: str
    category: str
    channel: str | None


class Incident(IncidentSummary):
    diagnosis: dict[str, Any]
    fix: dict[str, Any] | None
    digest: dict[str, Any]


class IncidentAlert(TypedDict):
    """An alert of an alert group whose analysis recorded an incident (the report page lists them)."""

    received_at: str
    source: str
    status: str
    action: str
    alert: str  # the normalized alert, JSON
    name: str


class Job(TypedDict):
    key: str
    kind: str
    status: str  # queued, running, done, failed
    request: str  # JSON
    detail: str | None
    created_at: str
    updated_at: str


class AlertGroup(TypedDict):
    id: str
    open_key: str | None
    fingerprint: str
    source: str
    name: str
    service: str
    status: str  # open, resolved
    opened_at: str
    analyzed_at: str | None
    resolved_at: str | None
    alert_count: int
    channel: str | None
    thread_ts: str | None
    incident_id: str | None


class Seen(TypedDict):
    """Incident memory: another incident whose fingerprint is close to this one's, as the Slack line
    and the report page's History show it (`doctor.deliver.memory`). A field added here (the
    on-call's verdict on it, say) is rendered there."""

    id: str
    created_at: str
    title: str
    category: str
    similarity: float  # Jaccard similarity of the evidence keys, 0..1
    fix: dict[str, Any] | None  # the fix proposed then, as stored (target, rationale, diff, valid)
    # Whether the Terraform tree now holds that fix: "yes", "no" (the old value is still there) or
    # "unknown" (no fix, the file changed otherwise or is gone). The doctor never applies fixes itself.
    applied: str
