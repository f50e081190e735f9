"""What an alert does: start an analysis, attach to an open incident, or close it.

Dedupe is on the sender's fingerprint, never on anything a model wrote:
- a firing alert whose fingerprint has an open group attaches to it, unless the group's last
  analysis is older than the cooldown (then it is analysed again, in the same Slack thread);
- a service gets at most `alert_max_analyses_per_hour` analyses; past that, alerts attach to
  the service's open group (or are recorded as rate limited);
- a resolved alert closes its group.
The store makes the races safe across instances (one open group per fingerprint, one claim
per re-analysis); a lock makes the per-hour count exact within an instance.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from doctor.alerts.models import Alert
from doctor.config import Settings
from doctor.store import AlertGroup, Store

_intake = threading.Lock()


@dataclass
class Outcome:
    alert: Alert
    action: str  # analyze, attach, resolve, rate_limited, ignore, duplicate
    group: AlertGroup | None
    reason: str

    def to_dict(self) -> dict:
        return {"name": self.alert.name, "fingerprint": self.alert.fingerprint, "status": self.alert.status,
                "service": self.alert.service, "action": self.action, "reason": self.reason,
                "group": self.group["id"] if self.group else None}


def channel_for(settings: Settings, service: str | None) -> str | None:
    mapped = settings.services.get(service) if service else None
    return (mapped.channel if mapped else None) or settings.alert_channel


def receive(alerts: list[Alert], *, settings: Settings, store: Store, redact, now: datetime | None = None) -> list[Outcome]:
    """Decide and record what each alert does. Only `analyze` outcomes start work."""
    now = now or datetime.now(UTC)
    with _intake:
        store.prune_alerts(before=now - timedelta(days=settings.alert_retention_days))
        return [_one(redacted(a, redact), settings=settings, store=store, now=now) for a in alerts]


def redacted(alert: Alert, redact) -> Alert:
    """The alert with its sender-written text redacted: what is stored, posted to Slack, put in a task
    body and a prompt. Identity (fingerprint, delivery id) and times are kept: dedupe needs them."""
    def text(value):
        return redact(value) if value is not None else None

    return alert.model_copy(update={
        "name": redact(alert.name), "severity": text(alert.severity), "summary": text(alert.summary),
        "description": text(alert.description), "labels": {k: redact(v) for k, v in alert.labels.items()},
        "links": {k: redact(v) for k, v in alert.links.items()}})


def _one(alert: Alert, *, settings: Settings, store: Store, now: datetime) -> Outcome:
    service = alert.service or "unmapped"
    alert_id = store.record_alert(delivery_id=alert.delivery_id, source=alert.source, service=service,
                                  status=alert.status, alert=alert.model_dump(mode="json"), now=now)
    if alert_id is None:
        return Outcome(alert, "duplicate", None, f"delivery {alert.delivery_id} was received before")
    outcome = _resolve(alert, store=store, now=now) if alert.status == "resolved" else \
        _fire(alert, service=service, settings=settings, store=store, now=now)
    store.set_alert_action(alert_id, action=outcome.action, group_id=outcome.group["id"] if outcome.group else None)
    return outcome


def _resolve(alert: Alert, *, store: Store, now: datetime) -> Outcome:
    group = store.open_group(alert.fingerprint)
    if group is None:
        return Outcome(alert, "ignore", None, "resolved, but no open incident has this fingerprint")
    if not store.resolve_group(group["id"], now=now):
        return Outcome(alert, "ignore", group, "the incident was already closed")
    return Outcome(alert, "resolve", group, "closed the open incident")


def _fire(alert: Alert, *, service: str, settings: Settings, store: Store, now: datetime) -> Outcome:
    cooldown = timedelta(minutes=settings.alert_cooldown_minutes)
    for _ in range(3):  # a lost race with another instance is retried against what it created
        # The alert's own group, else the one a round opened for its service: a round saw it first.
        group = store.open_group(alert.fingerprint) or store.open_group(round_fingerprint(service))
        if group is not None:
            last = group["analyzed_at"]
            if last and datetime.fromisoformat(last) > now - cooldown:
                store.attach_to_group(group["id"])
                what = "the round" if group["source"] == "round" else "same fingerprint"
                return Outcome(alert, "attach", group, f"{what} analysed at {last[11:16]}Z, within the "
                               f"{settings.alert_cooldown_minutes:g} min cooldown")
            if _rate_limited(service, settings=settings, store=store, now=now):
                store.attach_to_group(group["id"])
                return Outcome(alert, "rate_limited", group, _limit_reason(service, settings))
            if store.reanalyze_group(group["id"], previous=last, now=now):
                return Outcome(alert, "analyze", store.get_group(group["id"]), "still firing after the cooldown")
            continue
        if _rate_limited(service, settings=settings, store=store, now=now):
            latest = store.latest_open_group(service)
            if latest is not None:
                store.attach_to_group(latest["id"])
            return Outcome(alert, "rate_limited", latest, _limit_reason(service, settings))
        created = store.create_group(fingerprint=alert.fingerprint, source=alert.source, name=alert.name,
                                     service=service, channel=channel_for(settings, alert.service), now=now)
        if created is not None:
            return Outcome(alert, "analyze", created, "new incident")
    store_group = store.open_group(alert.fingerprint)
    return Outcome(alert, "attach", store_group, "another request is handling this fingerprint")


def _rate_limited(service: str, *, settings: Settings, store: Store, now: datetime) -> bool:
    return store.analyses_since(service, now - timedelta(hours=1)) >= settings.alert_max_analyses_per_hour


def _limit_reason(service: str, settings: Settings) -> str:
    return f"{service} already had {settings.alert_max_analyses_per_hour} analyses in the last hour"


# The doctor's rounds (doctor/jobs/rounds.py) go through this dedupe too. A round's finding opens the
# group of fingerprint `round:<service>` (one open per service, as for any fingerprint), and a firing
# alert of that service that has no group of its own joins it (above), so the alert that follows a
# round attaches to the round's incident and thread.

ROUND_FINGERPRINT = "round:"


def round_fingerprint(service: str) -> str:
    return ROUND_FINGERPRINT + service


def redact_tree(value, redact):
    """Every string in a JSON-like value through the redactor, structure kept."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_tree(v, redact) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_tree(v, redact) for v in value]
    return value
