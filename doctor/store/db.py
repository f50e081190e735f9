"""The store's tables and the few queries the doctor makes of them."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    case,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from doctor.diagnose.fingerprint import Fingerprint
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
    # Incident memory (doctor/diagnose/fingerprint.py): the whole fingerprint, and the services it names (JSON).
    Column("fingerprint", String(32)),
    Column("services", Text),
)


# Incident memory: one row per evidence key of an incident (a key hashes the category with one folded
# template). Keyed by `key` first, so finding the incidents that share a key is an index range scan on
# SQLite and PostgreSQL alike; `size` (the incident's number of keys) is repeated on each row so that
# the Jaccard similarity is computed from this table alone.
incident_memory = Table(
    "incident_memory", metadata,
    Column("key", String(16), primary_key=True),
    Column("incident_id", String(32), primary_key=True, index=True),  # memory_of: a report page's history
    Column("size", Integer, nullable=False),
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


alert_groups = Table(
    "alert_groups", metadata,
    # The alerts of one fingerprint that share one analysis and one Slack thread, until resolved.
    Column("id", String(32), primary_key=True),
    # The fingerprint while the group is open, NULL once resolved: the unique constraint lets only
    # one open group per fingerprint exist, even with several instances receiving the same storm.
    Column("open_key", String(200), unique=True),
    Column("fingerprint", String(200), nullable=False, index=True),
    Column("source", String(20), nullable=False),
    Column("name", Text, nullable=False),
    Column("service", String(100), nullable=False, index=True),
    Column("status", String(20), nullable=False),  # open, resolved
    Column("opened_at", String(32), nullable=False),
    Column("analyzed_at", String(32)),  # when its last analysis started
    Column("resolved_at", String(32)),
    Column("alert_count", Integer, nullable=False),
    Column("channel", String(40)),
    Column("thread_ts", String(40)),  # the first Slack message; follow-ups are threaded under it
    Column("incident_id", String(32)),  # the incident its last analysis recorded
)


alerts = Table(
    "alerts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", String(200), unique=True),  # SNS MessageId: a redelivery is not a new alert
    Column("group_id", String(32), index=True),
    Column("received_at", String(32), nullable=False, index=True),
    Column("source", String(20), nullable=False),
    Column("service", String(100), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("action", String(20), nullable=False),  # analyze, attach, resolve, rate_limited, ignore
    Column("alert", Text, nullable=False),  # the normalized alert, JSON, redacted
)


deploys = Table(
    "deploys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("service", String(100), nullable=False, index=True),
    Column("at", String(32), nullable=False, index=True),
    Column("deploy", Text, nullable=False),  # the Deploy, JSON, redacted
)


verdicts = Table(
    # The on-call's verdict on an incident's diagnosis (the Slack buttons): one per person, changeable.
    "verdicts", metadata,
    Column("incident_id", String(32), nullable=False, index=True),
    Column("user_id", String(32), nullable=False),  # the Slack user id
    Column("verdict", String(8), nullable=False),  # right, wrong
    Column("category", String(40)),  # when wrong: the category the cause really was
    Column("note", Text),  # when wrong: the person's note, bounded and redacted
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),  # a changed verdict keeps its first time here
    UniqueConstraint("incident_id", "user_id", name="verdicts_one_per_person"),
)


# The doctor's rounds (doctor/jobs/rounds.py): one row per service per round, healthy or not.
rounds = Table(
    "rounds", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("service", String(100), nullable=False, index=True),
    Column("at", String(32), nullable=False, index=True),  # the round's time: the end of the interval it read
    Column("status", String(20), nullable=False),  # healthy, sick, covered, recovered, failed
    Column("findings", Text, nullable=False),  # JSON list: {kind: new|bursting|quiet, text, lines}, redacted
    Column("group_id", String(32)),  # the alert group it opened, was covered by, or closed
    Column("incident_id", String(32)),  # the incident a sick round recorded
    Column("detail", Text),
)


_INSERT_JOB = insert(jobs)
_SET_JOB = update(jobs).where(jobs.c.key == bindparam("k"))


def engine_url(url: str) -> str:
    """`postgresql://` means psycopg 3 here (the driver we ship), not psycopg2."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Store:
    def __init__(self, url: str) -> None:
        url = engine_url(url)
        # A server connection can drop between uses (pinged at checkout); a SQLite file cannot, and
        # a ping would add a query to every acknowledgement.
        self.engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"), future=True)
        if self.engine.dialect.name == "sqlite":
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
                      channel: str | None = None, memory: Fingerprint | None = None,
                      created_at: datetime | None = None) -> str:
        """`memory`: the diagnosis's fingerprint (None: not remembered, e.g. an all-clear);
        `created_at`: now, unless told (the memory benchmark backdates its incidents)."""
        incident_id = new_id()
        with self.engine.begin() as conn:
            conn.execute(insert(incidents).values(
                id=incident_id, created_at=(created_at or datetime.now(UTC)).isoformat(), title=title,
                category=category, diagnosis=json.dumps(diagnosis), fix=json.dumps(fix) if fix is not None else None,
                digest=json.dumps(digest), channel=channel,
                fingerprint=memory.digest if memory else None,
                services=json.dumps(sorted(memory.services)) if memory else None))
            if memory and not memory.empty:
                conn.execute(insert(incident_memory), [{"key": k, "incident_id": incident_id, "size": len(memory.keys)}
                                                       for k in sorted(memory.keys)])
        return incident_id

    def list_incidents(self, *, limit: int = 100) -> list[IncidentSummary]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(incidents.c.id, incidents.c.created_at, incidents.c.title, incidents.c.category,
                                       incidents.c.channel).order_by(incidents.c.created_at.desc()).limit(limit))
            return [cast(IncidentSummary, dict(r)) for r in rows.mappings()]

    def alerts_for_incident(self, incident_id: str) -> list[IncidentAlert]:
        """The alerts of the alert groups whose analysis recorded this incident, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(alerts.c.received_at, alerts.c.source, alerts.c.status, alerts.c.action,
                                       alerts.c.alert).join(alert_groups, alerts.c.group_id == alert_groups.c.id)
                                .where(alert_groups.c.incident_id == incident_id)
                                .order_by(alerts.c.received_at).limit(200)).mappings()
            return [cast(IncidentAlert, dict(r) | {"name": json.loads(r["alert"]).get("name", "?")}) for r in rows]

    def latest_incident(self, channel: str) -> Incident | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(incidents.c.id).where(incidents.c.channel == channel)
                               .order_by(incidents.c.created_at.desc()).limit(1)).first()
        return self.get_incident(row[0]) if row else None

    def get_incident(self, incident_id: str) -> Incident | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(incidents).where(incidents.c.id == incident_id)).mappings().first()
        if row is None:
            return None
        out = dict(row)
        for key in ("diagnosis", "fix", "digest"):
            out[key] = json.loads(out[key]) if out[key] is not None else None
        return cast(Incident, out)

    # Incident memory: the incidents whose fingerprint is close to one (doctor/diagnose/fingerprint.py
    # defines "close"; the store applies it with its index, and the service rule on the few rows found).

    def similar_incidents(self, memory: Fingerprint, *, threshold: float, exclude: str | None = None,
                          limit: int = MEMORY_LIMIT) -> list[Seen]:
        """Incidents close to `memory`, newest first, at most `limit`."""
        keys = sorted(memory.keys)[:64]  # a fingerprint has at most 16; the bound keeps the IN list small
        if not keys:
            return []
        shared = func.count()
        size = func.max(incident_memory.c.size)
        # shared / (size + n - shared) >= threshold, without a division: the same on both dialects.
        found = (select(incident_memory.c.incident_id.label("incident_id"), shared.label("shared"), size.label("size"))
                 .where(incident_memory.c.key.in_(keys))
                 .group_by(incident_memory.c.incident_id)
                 .having(shared * (1.0 + threshold) >= (size + len(keys)) * threshold)
                 .subquery())
        query = (select(incidents.c.id, incidents.c.created_at, incidents.c.title, incidents.c.fix,
                        found.c.shared, found.c.size)
                 .join(found, incidents.c.id == found.c.incident_id)
                 .where(incidents.c.category == memory.category)  # keys hash the category in; this says it outright
                 .order_by(incidents.c.created_at.desc())
                 .limit(limit))
        if memory.services:
            # A service in common, or none recorded: each name as the JSON element it is stored as, so a
            # LIKE matches whole names only (and the rows of other services never leave the database).
            named = [incidents.c.services.like(f"%{_like_literal(json.dumps(n))}%", escape="\\")
                     for n in sorted(memory.services)[:16]]
            query = query.where(or_(incidents.c.services.is_(None), incidents.c.services == "[]", *named))
        if exclude is not None:
            query = query.where(incidents.c.id != exclude)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out: list[Seen] = []
        for incident_id, created_at, title, fix, n_shared, n_size in rows:
            union = n_size + len(keys) - n_shared
            out.append(Seen(id=incident_id, created_at=created_at, title=title, category=memory.category,
                            fix=json.loads(fix) if fix else None, similarity=round(n_shared / union, 3) if union else 0.0,
                            applied="unknown", verdict=None))
        judged = self.verdicts_for(s["id"] for s in out)  # a wrong diagnosis then is worth saying now
        for seen in out:
            seen["verdict"] = judged.get(seen["id"])
        return out

    def memory_of(self, incident_id: str) -> Fingerprint | None:
        """A stored incident's fingerprint (None when it was not remembered)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(incidents.c.fingerprint, incidents.c.services, incidents.c.category)
                               .where(incidents.c.id == incident_id)).first()
            if row is None or row[0] is None:
                return None
            keys = conn.execute(select(incident_memory.c.key).where(incident_memory.c.incident_id == incident_id)
                                .limit(64)).scalars().all()
        return Fingerprint(category=row[2], services=frozenset(json.loads(row[1] or "[]")), keys=frozenset(keys))

    def claim_job(self, key: str, *, kind: str, request: dict) -> bool:
        """Record a job under its idempotency key; False when that key was already taken."""
        return self._insert_job(key, kind=kind, status="queued", request=request)

    def _insert_job(self, key: str, *, kind: str, status: str, request: dict) -> bool:
        # Parameters to one prebuilt statement, not `.values(...)`: this runs inside every Slack
        # acknowledgement, and building the statement each time cost more than executing it.
        now = iso(datetime.now(UTC))
        try:
            with self.engine.begin() as conn:
                conn.execute(_INSERT_JOB, {"key": key, "kind": kind, "status": status, "request": json.dumps(request),
                                           "created_at": now, "updated_at": now})
        except IntegrityError:
            return False
        return True

    def start_job(self, key: str, *, kind: str, request: dict, stale_after_seconds: float) -> bool:
        """Claim a job's execution: True for exactly one caller, whichever instance or delivery it is.

        A queued job is claimed once; a job claimed longer ago than `stale_after_seconds` belongs to
        an attempt that died and can be claimed again; a finished job is never run again."""

        if self._insert_job(key, kind=kind, status="running", request=request):
            return True
        now = datetime.now(UTC)
        stale = iso(now - timedelta(seconds=stale_after_seconds))
        with self.engine.begin() as conn:
            result = conn.execute(update(jobs).where(
                jobs.c.key == key,
                or_(jobs.c.status == "queued", (jobs.c.status == "running") & (jobs.c.updated_at < stale)),
            ).values(status="running", updated_at=iso(now)))
        return result.rowcount == 1

    def set_job(self, key: str, *, status: str, detail: str | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(_SET_JOB, {"k": key, "status": status, "detail": detail, "updated_at": iso(datetime.now(UTC))})

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def job_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {status: int(n) for status, n in
                    conn.execute(select(jobs.c.status, func.count()).group_by(jobs.c.status)).all()}

    def get_job(self, key: str) -> Job | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.key == key)).mappings().first()
        return cast(Job, dict(row)) if row else None

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

    # Alert groups and alerts. doctor/alerts/service.py decides; these only persist, atomically
    # where two instances could race (one open group per fingerprint, one analysis per cooldown).

    def record_alert(self, *, delivery_id: str | None, source: str, service: str, status: str, alert: dict,
                     now: datetime) -> int | None:
        """The alert's row (action decided later); None when this delivery was recorded before."""
        try:
            with self.engine.begin() as conn:
                result = conn.execute(insert(alerts).values(
                    delivery_id=delivery_id, received_at=iso(now), source=source, service=service, status=status,
                    action="pending", alert=json.dumps(alert)))
        except IntegrityError:
            return None
        return int(result.inserted_primary_key[0])  # type: ignore[index]  # always set after an insert

    def prune_alerts(self, *, before: datetime) -> int:
        """Delete alerts received before `before` (DOCTOR_ALERT_RETENTION_DAYS); how many went."""
        with self.engine.begin() as conn:
            return conn.execute(delete(alerts).where(alerts.c.received_at < iso(before))).rowcount

    def set_alert_action(self, alert_id: int, *, action: str, group_id: str | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(alerts).where(alerts.c.id == alert_id).values(action=action, group_id=group_id))

    def analyses_since(self, service: str, since: datetime) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(alerts).where(
                alerts.c.service == service, alerts.c.action == "analyze",
                alerts.c.received_at >= iso(since))).scalar_one())

    def alert_actions(self, group_id: str) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(alerts.c.action, func.count()).where(alerts.c.group_id == group_id)
                                .group_by(alerts.c.action)).all()
        return {action: int(n) for action, n in rows}

    def open_group(self, fingerprint: str) -> AlertGroup | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(alert_groups).where(alert_groups.c.open_key == fingerprint)).mappings().first()
        return cast(AlertGroup, dict(row)) if row else None

    def latest_open_group(self, service: str) -> AlertGroup | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(alert_groups).where(alert_groups.c.service == service,
                                                          alert_groups.c.status == "open")
                               .order_by(alert_groups.c.opened_at.desc()).limit(1)).mappings().first()
        return cast(AlertGroup, dict(row)) if row else None

    def get_group(self, group_id: str) -> AlertGroup | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(alert_groups).where(alert_groups.c.id == group_id)).mappings().first()
        return cast(AlertGroup, dict(row)) if row else None

    def create_group(self, *, fingerprint: str, source: str, name: str, service: str, channel: str | None,
                     now: datetime) -> AlertGroup | None:
        """A new open group, analysed now; None when another request opened one for this fingerprint first."""
        values = AlertGroup(id=new_id(), open_key=fingerprint, fingerprint=fingerprint, source=source,
                            name=name, service=service, status="open", opened_at=iso(now), analyzed_at=iso(now),
                            resolved_at=None, alert_count=1, channel=channel, thread_ts=None, incident_id=None)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(alert_groups).values(**values))
        except IntegrityError:
            return None
        return values

    def attach_to_group(self, group_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(alert_groups).where(alert_groups.c.id == group_id)
                         .values(alert_count=alert_groups.c.alert_count + 1))

    def reanalyze_group(self, group_id: str, *, previous: str | None, now: datetime) -> bool:
        """Claim the group's next analysis; False when another request claimed it since `previous` was read."""
        with self.engine.begin() as conn:
            result = conn.execute(update(alert_groups).where(
                alert_groups.c.id == group_id, alert_groups.c.status == "open",
                alert_groups.c.analyzed_at == previous if previous is not None else alert_groups.c.analyzed_at.is_(None),
            ).values(analyzed_at=iso(now), alert_count=alert_groups.c.alert_count + 1))
        return result.rowcount == 1

    def resolve_group(self, group_id: str, *, now: datetime) -> bool:
        """Close an open group; False when it was already closed (a repeated "resolved")."""
        with self.engine.begin() as conn:
            result = conn.execute(update(alert_groups).where(
                alert_groups.c.id == group_id, alert_groups.c.status == "open",
            ).values(status="resolved", open_key=None, resolved_at=iso(now)))
        return result.rowcount == 1

    def set_group(self, group_id: str, **values) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(alert_groups).where(alert_groups.c.id == group_id).values(**values))

    # The doctor's rounds: what each round of each service found (doctor/jobs/rounds.py decides).

    def record_round(self, *, service: str, at: datetime, status: str, findings: list[dict],
                     group_id: str | None = None, incident_id: str | None = None, detail: str | None = None) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(insert(rounds).values(
                service=service, at=iso(at), status=status, findings=json.dumps(findings), group_id=group_id,
                incident_id=incident_id, detail=detail))
        return int(result.inserted_primary_key[0])  # type: ignore[index]  # always set after an insert

    def rounds_of(self, service: str | None = None, *, limit: int = 100) -> list[RoundRecord]:
        """The latest rounds (of one service, or all), newest first, findings parsed."""
        query = select(rounds).order_by(rounds.c.at.desc(), rounds.c.id.desc()).limit(limit)
        if service is not None:
            query = query.where(rounds.c.service == service)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [cast(RoundRecord, dict(r) | {"findings": json.loads(r["findings"])}) for r in rows]

    def round_that_opened(self, group_id: str) -> RoundRecord | None:
        """The sick round that opened an alert group (None: an alert opened it)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(rounds).where(rounds.c.group_id == group_id, rounds.c.status == "sick")
                               .order_by(rounds.c.id).limit(1)).mappings().first()
        return cast(RoundRecord, dict(row) | {"findings": json.loads(row["findings"])}) if row else None

    # Deploys

    def add_deploy(self, *, service: str, at: datetime, deploy: dict) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(insert(deploys).values(service=service, at=iso(at), deploy=json.dumps(deploy)))
        return int(result.inserted_primary_key[0])  # type: ignore[index]  # always set after an insert

    def deploys_between(self, services: list[str], start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Deploys of `services` from `start` to `end`, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(deploys.c.deploy).where(
                deploys.c.service.in_(services), deploys.c.at >= iso(start), deploys.c.at <= iso(end),
            ).order_by(deploys.c.at.desc())).all()
        return [json.loads(r[0]) for r in rows]

    # The on-call's verdict (doctor/verdicts/, the Slack buttons): one verdict per person and incident,
    # changeable. `verdicts_for` is the stated interface for other features (incident memory).

    def record_verdict(self, *, incident_id: str, user: str, verdict: str, category: str | None = None,
                       note: str | None = None, now: datetime | None = None) -> RecordedVerdict | None:
        """Record `user`'s verdict, or change it (one per person); None when there is no such incident."""
        if verdict not in VERDICTS:
            raise ValueError(f"a verdict is one of {', '.join(VERDICTS)}, not {verdict!r}")
        at = iso(now or datetime.now(UTC))
        one = (verdicts.c.incident_id == incident_id) & (verdicts.c.user_id == user)
        with self.engine.begin() as conn:
            judged = conn.execute(select(incidents.c.category, self._provider().label("provider"))
                                  .where(incidents.c.id == incident_id)).first()
            if judged is None:
                return None
            before = conn.execute(select(verdicts.c.verdict, verdicts.c.category).where(one)).first()
            values = {"verdict": verdict, "category": category if verdict == "wrong" else None,
                      "note": note if verdict == "wrong" else None, "updated_at": at}
            dialect_insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
            # An upsert, so two clicks racing (two instances) still leave one row per person.
            conn.execute(dialect_insert(verdicts).values(incident_id=incident_id, user_id=user, created_at=at, **values)
                         .on_conflict_do_update(index_elements=["incident_id", "user_id"], set_=values))
        return RecordedVerdict(incident_category=judged.category, provider=judged.provider or "unknown",
                               previous=before.verdict if before else None,
                               previous_category=before.category if before else None)

    def incident_verdicts(self, incident_id: str) -> list[Verdict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(verdicts).where(verdicts.c.incident_id == incident_id)
                                .order_by(verdicts.c.updated_at)).mappings()
            return [cast(Verdict, dict(r)) for r in rows]

    def verdicts_for(self, incident_ids: Iterable[str]) -> dict[str, VerdictSummary]:
        """Per incident that has verdicts: how many said right and wrong, the outcome, and the corrected
        category most named (ties: the most recently given). Incidents without a verdict are absent."""
        ids = list(dict.fromkeys(incident_ids))
        rows: list[Any] = []
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):  # bounded IN lists
                rows += conn.execute(select(verdicts.c.incident_id, verdicts.c.verdict, verdicts.c.category,
                                            verdicts.c.updated_at)
                                     .where(verdicts.c.incident_id.in_(ids[i:i + 500]))).all()
        grouped: dict[str, list] = {}
        for row in rows:
            grouped.setdefault(row.incident_id, []).append(row)
        return {incident_id: _summary(given) for incident_id, given in grouped.items()}

    def verdict_stats(self, since: datetime) -> list[VerdictStat]:
        """Per category and provider: incidents diagnosed since `since`, how many were judged, and how."""
        per_incident = (select(verdicts.c.incident_id,
                               func.sum(case((verdicts.c.verdict == "right", 1), else_=0)).label("r"),
                               func.sum(case((verdicts.c.verdict == "wrong", 1), else_=0)).label("w"))
                        .group_by(verdicts.c.incident_id).subquery())
        # The provider is read out of the diagnosis JSON in an inner query, so the outer one groups by a
        # plain column (PostgreSQL will not match two renderings of the same JSON expression).
        inner = (select(incidents.c.category, func.coalesce(self._provider(), "unknown").label("provider"),
                        per_incident.c.incident_id.label("judged"), per_incident.c.r, per_incident.c.w)
                 .select_from(incidents.outerjoin(per_incident, per_incident.c.incident_id == incidents.c.id))
                 .where(incidents.c.created_at >= iso(since)).subquery())
        query = (select(inner.c.category, inner.c.provider, func.count().label("diagnosed"),
                        func.count(inner.c.judged).label("judged"),
                        func.sum(case((inner.c.r > inner.c.w, 1), else_=0)).label("right"),
                        func.sum(case((inner.c.w > inner.c.r, 1), else_=0)).label("wrong"))
                 .group_by(inner.c.category, inner.c.provider).order_by(inner.c.category, inner.c.provider))
        with self.engine.connect() as conn:
            return [VerdictStat(category=r.category, provider=r.provider, diagnosed=int(r.diagnosed),
                                judged=int(r.judged), right=int(r.right or 0), wrong=int(r.wrong or 0))
                    for r in conn.execute(query)]

    def judged_wrong(self, *, since: datetime | None = None, limit: int = 1000) -> list[JudgedIncident]:
        """Incidents judged wrong (more said wrong than right), newest first, with the notes given."""
        per_incident = (select(verdicts.c.incident_id).group_by(verdicts.c.incident_id)
                        .having(func.sum(case((verdicts.c.verdict == "wrong", 1), else_=0))
                                > func.sum(case((verdicts.c.verdict == "right", 1), else_=0))).subquery())
        query = select(incidents.c.id).join(per_incident, per_incident.c.incident_id == incidents.c.id)
        if since is not None:
            query = query.where(incidents.c.created_at >= iso(since))
        with self.engine.connect() as conn:
            ids = [r[0] for r in conn.execute(query.order_by(incidents.c.created_at.desc()).limit(limit))]
        summaries = self.verdicts_for(ids)
        out = []
        for incident_id in ids:
            incident = self.get_incident(incident_id)
            if incident is None:  # deleted in between
                continue
            notes = [v["note"] for v in self.incident_verdicts(incident_id) if v["verdict"] == "wrong" and v["note"]]
            out.append(JudgedIncident(incident=incident, summary=summaries[incident_id], notes=notes))
        return out

    def _provider(self):
        """The diagnosis's provider, read out of its JSON in SQL (each dialect has its own function)."""
        if self.engine.dialect.name == "postgresql":
            return sql_cast(incidents.c.diagnosis, postgresql.JSONB)["provider"].astext
        return func.json_extract(incidents.c.diagnosis, "$.provider")


VERDICTS = ("right", "wrong")


def _summary(given: list) -> VerdictSummary:
    right = sum(1 for v in given if v.verdict == "right")
    wrong = len(given) - right
    named: dict[str, tuple[int, str]] = {}
    for v in given:
        if v.verdict == "wrong" and v.category:
            count, last = named.get(v.category, (0, ""))
            named[v.category] = (count + 1, max(last, v.updated_at))
    category = max(named, key=lambda c: named[c]) if named else None
    return VerdictSummary(right=right, wrong=wrong,
                          outcome="right" if right > wrong else "wrong" if wrong > right else "split",
                          category=category, last_at=max(v.updated_at for v in given))


def new_id() -> str:
    """A random url-safe id (96 bits) that never starts with "-": people paste ids after command-line
    flags (`doctor fix --incident ID`), where a leading dash reads as another flag."""
    while (value := secrets.token_urlsafe(12)).startswith("-"):
        pass
    return value


def _like_literal(text_: str) -> str:
    """`text_` matched literally by LIKE ... ESCAPE '\\'."""
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def iso(when: datetime) -> str:
    """One fixed-width UTC form, so that stored times compare as strings in SQL."""
    return when.astimezone(UTC).isoformat(timespec="microseconds")
