"""Persistence: SQLite by default, PostgreSQL when DOCTOR_DATABASE_URL says so (SQLAlchemy Core).

Today it holds the cloud providers' answer cache and their spend ledger; jobs and
incidents join it with the Slack service.
"""

from doctor.store.db import Store

__all__ = ["Store"]
