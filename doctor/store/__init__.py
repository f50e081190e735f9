"""Persistence: SQLite by default, PostgreSQL when DOCTOR_DATABASE_URL says so (SQLAlchemy Core).

It holds incidents, jobs, alerts, deploys, the on-call's verdicts, the cloud providers' answer cache and
their spend ledger.
"""

from pathlib import Path

from doctor.config import Settings
from doctor.store.db import Store
from doctor.store.records import (
    AlertGroup,
    Incident,
    IncidentAlert,
    IncidentSummary,
    Job,
    JudgedIncident,
    RecordedVerdict,
    RoundRecord,
    Seen,
    Verdict,
    VerdictStat,
    VerdictSummary,
)

__all__ = ["AlertGroup", "Incident", "IncidentAlert", "IncidentSummary", "Job", "JudgedIncident", "RecordedVerdict",
           "RoundRecord", "Seen", "Store", "Verdict", "VerdictStat", "VerdictSummary", "open_store"]


def open_store(settings: Settings) -> Store:
    """The store the settings name; a relative SQLite file's folder is created on first use."""
    url = settings.database_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and ":memory:" not in url:
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    return Store(url)
