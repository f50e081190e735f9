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


# The on-call's verdict (doctor/verdicts/, the Slack buttons).

class Verdict(TypedDict):
    """One person's verdict on one incident's diagnosis."""

    incident_id: str
    user_id: str  # the Slack user id
    verdict: str  # right, wrong
    category: str | None  # when wrong: the category the cause really was
    note: str | None  # when wrong: the person's note, redacted
    created_at: str
    updated_at: str


class RecordedVerdict(TypedDict):
    """What `Store.record_verdict` tells the person who judged: what was judged, and what they said before."""

    incident_category: str  # the diagnosis's category: the first answer
    provider: str  # who gave it: offline, gemini:<model>
    previous: str | None  # this person's earlier verdict (right, wrong), None if this is their first
    previous_category: str | None


class VerdictSummary(TypedDict):
    """All verdicts on one incident: `Store.verdicts_for`, the interface other features read (incident memory)."""

    right: int
    wrong: int
    outcome: str  # right (more said right), wrong (more said wrong), split (as many each)
    category: str | None  # the corrected category most named by those who said wrong (None: nobody did)
    last_at: str  # the latest verdict's time


class VerdictStat(TypedDict):
    """Incidents of one category and provider diagnosed since a time, and how they were judged."""

    category: str
    provider: str  # as recorded: offline, gemini:<model>, or "unknown" for a diagnosis without one
    diagnosed: int
    judged: int  # with at least one verdict
    right: int  # judged right (more right than wrong)
    wrong: int  # judged wrong (more wrong than right); the rest of `judged` is split


class JudgedIncident(TypedDict):
    """An incident judged wrong, with what the wrong-sayers gave: what `doctor export-cases --wrong` writes."""

    incident: Incident
    summary: VerdictSummary
    notes: list[str]


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


MEMORY_LIMIT = 200  # similar incidents returned at most (the count shown says "200+" past it)


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
    verdict: VerdictSummary | None  # the on-call's verdicts on its diagnosis (None: nobody judged it)
