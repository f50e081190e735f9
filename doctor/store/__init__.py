"""Persistence: SQLite by default, PostgreSQL when DOCTOR_DATABASE_URL says so (SQLAlchemy Core).

It holds incidents, jobs, alerts, deploys, the on-call's verdicts, the cloud providers' answer cache and
their spend ledger.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from doctor.config import Settings
from doctor.store.records import (
    MEMORY_LIMIT,
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

if TYPE_CHECKING:
    from doctor.store.db import Store

__all__ = ["MEMORY_LIMIT", "AlertGroup", "Incident", "IncidentAlert", "IncidentSummary", "Job", "JudgedIncident",
           "RecordedVerdict", "RoundRecord", "Seen", "Store", "Verdict", "VerdictStat", "VerdictSummary", "open_store"]


def __getattr__(name: str):
    # SQLAlchemy (a quarter of a second) loads when a store is first used, not with every module that names
    # the type: `doctor digest` on a file never opens one, and on two cores the other sits idle while it loads.
    if name == "Store":
        from doctor.store.db import Store
        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(settings: Settings) -> Store:
    """The store the settings name; a relative SQLite file's folder is created on first use."""
    from doctor.store.db import Store
    url = settings.database_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and ":memory:" not in url:
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    return Store(url)
