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


class RoundRecord(TypedDict):
    """One service's check-up in one of the doctor's rounds (doctor/jobs/rounds.py)."""

    id: int
    service: str
    at: str
    status: str  # healthy, sick, covered, recovered, failed
    findings: list[dict[str, Any]]  # {kind: new|bursting|quiet, text, lines}
    group_id: str | None
    incident_id: str | None
    detail: str | None
