"""The store's tables and the few queries the doctor makes of them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, func, insert, select
from sqlalchemy.exc import IntegrityError

metadata = MetaData()

provider_cache = Table(
    "provider_cache", metadata,
    Column("key", String(64), primary_key=True),  # sha256 of provider, model, prompt version and input
    Column("provider", String(64), nullable=False),
    Column("value", Text, nullable=False),  # the answer, JSON
    Column("created_at", String(32), nullable=False),
)

provider_spend = Table(
    "provider_spend", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("day", String(10), nullable=False, index=True),  # UTC date: the daily budget's unit
    Column("provider", String(64), nullable=False),
    Column("model", String(200), nullable=False),
    Column("input_tokens", Integer, nullable=False),
    Column("output_tokens", Integer, nullable=False),
    Column("usd", Float, nullable=False),
    Column("at", String(32), nullable=False),
)


incidents = Table(
    "incidents", metadata,
    Column("id", String(32), primary_key=True),  # random: report links must not be guessable
    Column("created_at", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("category", String(40), nullable=False),
    Column("diagnosis", Text, nullable=False),  # JSON, redacted like everything that reaches the store
    Column("fix", Text),  # JSON or NULL
    Column("digest", Text, nullable=False),  # the digest's statistics, JSON
    Column("channel", String(40), index=True),  # the Slack channel it was asked in, if any
)


jobs = Table(
    "jobs", metadata,
    Column("key", String(200), primary_key=True),  # idempotency key: a retry or double click finds it taken
    Column("kind", String(40), nullable=False),
    Column("status", String(20), nullable=False),  # queued, running, done, failed
    Column("request", Text, nullable=False),  # JSON
    Column("detail", Text),  # the outcome, in words
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)


def engine_url(url: str) -> str:
    """`postgresql://` means psycopg 3 here (the driver we ship), not psycopg2."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Store:
    def __init__(self, url: str) -> None:
        self.engine = create_engine(engine_url(url), pool_pre_ping=True, future=True)
        if self.engine.dialect.name == "sqlite":
            from sqlalchemy import event

            # Every Slack ack commits a job row: WAL lets readers and the writer overlap, and
            # synchronous=NORMAL keeps commits durable across a crash of the process (not of the OS).
            @event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_conn, _record) -> None:
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA busy_timeout=5000")
                cur.close()
        metadata.create_all(self.engine)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """Columns added to a table since an existing database was created (nullable ones only:
        additive changes; anything else would need a real migration)."""
        from sqlalchemy import inspect, text

        inspector = inspect(self.engine)
        with self.engine.begin() as conn:
            for table in metadata.sorted_tables:
                have = {c["name"] for c in inspector.get_columns(table.name)}
                for column in table.columns:
                    if column.name not in have and column.nullable:
                        kind = column.type.compile(dialect=self.engine.dialect)
                        conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))

    def cache_get(self, key: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(provider_cache.c.value).where(provider_cache.c.key == key)).first()
        return json.loads(row[0]) if row else None

    def cache_put(self, key: str, provider: str, value: dict) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(provider_cache).values(key=key, provider=provider, value=json.dumps(value),
                                                           created_at=datetime.now(UTC).isoformat()))
        except IntegrityError:
            pass  # another instance cached the same answer first; both are the same answer

    def save_incident(self, *, title: str, category: str, diagnosis: dict, fix: dict | None, digest: dict,
                      channel: str | None = None) -> str:
        import secrets

        incident_id = secrets.token_urlsafe(12)
        with self.engine.begin() as conn:
            conn.execute(insert(incidents).values(
                id=incident_id, created_at=datetime.now(UTC).isoformat(), title=title, category=category,
                diagnosis=json.dumps(diagnosis), fix=json.dumps(fix) if fix is not None else None,
                digest=json.dumps(digest), channel=channel))
        return incident_id

    def latest_incident(self, channel: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(incidents.c.id).where(incidents.c.channel == channel)
                               .order_by(incidents.c.created_at.desc()).limit(1)).first()
        return self.get_incident(row[0]) if row else None

    def get_incident(self, incident_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(incidents).where(incidents.c.id == incident_id)).mappings().first()
        if row is None:
            return None
        out = dict(row)
        for key in ("diagnosis", "fix", "digest"):
            out[key] = json.loads(out[key]) if out[key] is not None else None
        return out

    def claim_job(self, key: str, *, kind: str, request: dict) -> bool:
        """Record a job under its idempotency key; False when that key was already taken."""
        now = datetime.now(UTC).isoformat()
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(jobs).values(key=key, kind=kind, status="queued", request=json.dumps(request),
                                                 created_at=now, updated_at=now))
        except IntegrityError:
            return False
        return True

    def set_job(self, key: str, *, status: str, detail: str | None = None) -> None:
        from sqlalchemy import update

        with self.engine.begin() as conn:
            conn.execute(update(jobs).where(jobs.c.key == key).values(
                status=status, detail=detail, updated_at=datetime.now(UTC).isoformat()))

    def get_job(self, key: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.key == key)).mappings().first()
        return dict(row) if row else None

    def record_spend(self, *, provider: str, model: str, input_tokens: int, output_tokens: int, usd: float) -> None:
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(insert(provider_spend).values(
                day=now.date().isoformat(), provider=provider, model=model, input_tokens=input_tokens,
                output_tokens=output_tokens, usd=usd, at=now.isoformat()))

    def spend_on(self, day: date) -> float:
        with self.engine.connect() as conn:
            total = conn.execute(select(func.coalesce(func.sum(provider_spend.c.usd), 0.0))
                                 .where(provider_spend.c.day == day.isoformat())).scalar_one()
        return float(total)
