"""One adapter per alert format, all the same shape: `authenticate`, `handshake`, `parse`.

Registered in `ADAPTERS`; `POST /alerts/{name}` finds its adapter there. Adapters know
nothing of HTTP frameworks: they get the raw body and the headers, and raise `Rejected`
(401/403) or `InputError` (400) with a reason the sender's operator can act on.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from doctor.alerts.models import Alert, Rejected
from doctor.alerts.sns import SnsVerifier
from doctor.config import Settings
from doctor.errors import InputError


@dataclass(frozen=True)
class Inbound:
    headers: Mapping[str, str]  # case-insensitive (Starlette's Headers) or lower-case keys
    body: bytes

    def json(self) -> dict:
        try:
            payload = json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"the body is not JSON: {exc}") from None
        except RecursionError:
            raise InputError("the body is not JSON we read: nested too deeply") from None
        if not isinstance(payload, dict):
            raise InputError("the body must be a JSON object")
        return payload


class AlertAdapter(ABC):
    """The shape every alert format has. The default authentication is the bearer token."""

    name: str

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def authenticate(self, inbound: Inbound) -> None:
        expected = self.settings.alert_token.get_secret_value() if self.settings.alert_token else ""
        check_bearer(inbound.headers.get("authorization", ""), expected, what="DOCTOR_ALERT_TOKEN")

    async def handshake(self, inbound: Inbound) -> str | None:
        """Answer a control message (a subscription to confirm); None for an ordinary delivery."""
        return None

    @abstractmethod
    def parse(self, inbound: Inbound) -> list[Alert]:
        """The normalized alerts of a delivery; InputError when it cannot be read."""


def check_bearer(header: str, expected: str, *, what: str) -> None:
    if not expected:
        raise Rejected(401, f"{what} is not configured on the doctor; every request is refused")
    scheme, _, token = header.partition(" ")
    # Constant time: the comparison must not tell an attacker how much of a guess was right.
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise Rejected(401, "missing or wrong bearer token")


class EnvelopeAdapter(AlertAdapter):
    """A webhook with Alertmanager's envelope (`alerts[]`), in one version of it."""

    title: str  # the sender, as its operator knows it
    version: str

    def parse(self, inbound: Inbound) -> list[Alert]:
        payload = inbound.json()
        if str(payload.get("version")) != self.version:
            raise InputError(f"unknown {self.title} webhook version {payload.get('version')!r}; "
                             f"expected \"{self.version}\"")
        return envelope_alerts(payload, source=self.name, settings=self.settings)


class Alertmanager(EnvelopeAdapter):
    """Prometheus Alertmanager's webhook, version 4."""

    name, title, version = "alertmanager", "Alertmanager", "4"


class Grafana(EnvelopeAdapter):
    """Grafana unified alerting's webhook (version 1): Alertmanager's envelope plus Grafana's fields."""

    name, title, version = "grafana", "Grafana", "1"

    async def authenticate(self, inbound: Inbound) -> None:
        await super().authenticate(inbound)
        secret = self.settings.grafana_hmac_secret
        if secret is None:
            return
        signature = inbound.headers.get(self.settings.grafana_signature_header, "")
        message = inbound.body
        stamp_header = self.settings.grafana_timestamp_header
        if stamp_header:
            stamp = inbound.headers.get(stamp_header)
            if not stamp:
                raise Rejected(401, f"missing {stamp_header}")
            if not stamp.isdigit() or abs(datetime.now(UTC).timestamp() - int(stamp)) > 300:
                raise Rejected(401, f"{stamp_header} is not within 5 minutes of now")
            message = stamp.encode() + b":" + inbound.body
        expected = hmac.new(secret.get_secret_value().encode(), message, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature.strip().lower().encode(), expected.encode()):
            raise Rejected(401, f"missing or wrong {self.settings.grafana_signature_header}")


class Sns(AlertAdapter):
    """CloudWatch alarms delivered by an SNS HTTPS subscription; signed by AWS, not by a token."""

    name = "sns"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.verifier = SnsVerifier(host_pattern=settings.sns_host_pattern, require_https=settings.sns_require_https,
                                    max_age_seconds=settings.sns_max_age_seconds,
                                    cache_size=settings.sns_cert_cache_size)

    async def authenticate(self, inbound: Inbound) -> None:
        message = inbound.json()
        kind = message.get("Type")
        if kind not in ("Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"):
            raise InputError(f"unknown SNS message Type {kind!r}")
        if message.get("TopicArn") not in self.settings.sns_topic_arns:
            raise Rejected(403, f"topic {message.get('TopicArn')!r} is not in DOCTOR_SNS_TOPIC_ARNS")
        await self.verifier.verify(message)

    async def handshake(self, inbound: Inbound) -> str | None:
        message = inbound.json()
        if message["Type"] == "SubscriptionConfirmation":
            await self.verifier.confirm(message)
            return f"subscription to {message['TopicArn']} confirmed"
        if message["Type"] == "UnsubscribeConfirmation":
            return f"unsubscribed from {message['TopicArn']}"
        return None

    def parse(self, inbound: Inbound) -> list[Alert]:
        message = inbound.json()
        try:
            alarm = json.loads(message["Message"])
        except (KeyError, TypeError, ValueError, RecursionError):
            raise InputError("the SNS Message is not a CloudWatch alarm (not JSON)") from None
        if not isinstance(alarm, dict) or "AlarmName" not in alarm or "NewStateValue" not in alarm:
            raise InputError("the SNS Message is not a CloudWatch alarm (no AlarmName/NewStateValue)")
        state = alarm["NewStateValue"]
        if state == "INSUFFICIENT_DATA":
            return []  # neither sick nor well: nothing to analyze or close
        if state not in ("ALARM", "OK"):
            raise InputError(f"unknown alarm state {state!r}")
        trigger = alarm.get("Trigger") or {}
        if not isinstance(trigger, dict) or not isinstance(trigger.get("Dimensions") or [], list):
            raise InputError("the alarm's Trigger is not an object with a Dimensions list")
        cap = self.settings.alert_max_field_chars
        alarm = {k: _cut(v, cap) if k in ("AlarmName", "AlarmDescription", "NewStateReason", "AlarmArn",
                                           "StateChangeTime") else v for k, v in alarm.items()}
        dimensions = {str(d.get("name")): str(d.get("value")) for d in trigger.get("Dimensions") or []
                      if isinstance(d, dict)}
        labels = {"alarm": alarm["AlarmName"], **dimensions}
        for key in ("MetricName", "Namespace"):
            if trigger.get(key):
                labels[key] = str(trigger[key])
        labels = capped(labels, self.settings, what="the alarm's dimensions")
        arn = str(alarm.get("AlarmArn") or f"{alarm.get('AWSAccountId')}:{alarm['AlarmName']}")
        region = arn.split(":")[3] if arn.startswith("arn:") and arn.count(":") >= 4 else None
        links = {}
        if region:
            links["alarm"] = (f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
                              f"#alarmsV2:alarm/{alarm['AlarmName']}")
        return [Alert(
            source="sns", fingerprint=hashlib.sha256(arn.encode()).hexdigest()[:32], name=alarm["AlarmName"],
            status="firing" if state == "ALARM" else "resolved",
            service=service_of(labels, self.settings), severity=None,
            summary=alarm.get("AlarmDescription"), description=alarm.get("NewStateReason"), labels=labels,
            starts_at=parse_time(alarm.get("StateChangeTime")), links=links, delivery_id=message.get("MessageId"),
        )]


ADAPTERS: dict[str, type[AlertAdapter]] = {a.name: a for a in (Alertmanager, Grafana, Sns)}


def envelope_alerts(payload: dict, *, source: str, settings: Settings) -> list[Alert]:
    """The `alerts[]` of Alertmanager's envelope (Grafana uses the same)."""
    items = payload.get("alerts")
    if not isinstance(items, list):
        raise InputError("missing field alerts (a list)")
    if len(items) > settings.alert_max_per_payload:
        raise InputError(f"{len(items)} alerts in one delivery; at most {settings.alert_max_per_payload} "
                         "(DOCTOR_ALERT_MAX_PER_PAYLOAD)")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(f"alerts[{i}] is not an object")
        status = item.get("status")
        if status not in ("firing", "resolved"):
            raise InputError(f"alerts[{i}].status must be firing or resolved, not {str(status)[:40]!r}")
        labels = item.get("labels")
        if not isinstance(labels, dict) or not labels.get("alertname"):
            raise InputError(f"alerts[{i}].labels.alertname is missing")
        annotations = item.get("annotations") or {}
        if not isinstance(annotations, dict):
            raise InputError(f"alerts[{i}].annotations is not an object")
        labels = capped(labels, settings, what=f"alerts[{i}].labels")
        annotations = capped(annotations, settings, what=f"alerts[{i}].annotations")
        fingerprint = _cut(item.get("fingerprint"), 200) or hashlib.sha256(
            json.dumps(sorted(labels.items())).encode()).hexdigest()[:16]
        links = {k: _cut(item[f], settings.alert_max_field_chars)
                 for k, f in (("generator", "generatorURL"), ("silence", "silenceURL"),
                              ("dashboard", "dashboardURL"), ("panel", "panelURL")) if item.get(f)}
        if annotations.get("runbook_url"):
            links["runbook"] = annotations["runbook_url"]
        try:
            starts, ends = parse_time(item.get("startsAt")), parse_time(item.get("endsAt"))
        except ValueError as exc:
            raise InputError(f"alerts[{i}]: {exc}") from None
        out.append(Alert(
            source=source, fingerprint=str(fingerprint), name=labels["alertname"], status=status,
            service=service_of(labels, settings), severity=labels.get("severity"),
            summary=annotations.get("summary"), description=annotations.get("description"), labels=labels,
            starts_at=starts, ends_at=ends, links=links,
        ))
    return out


def capped(values: dict, settings: Settings, *, what: str) -> dict[str, str]:
    """Labels or annotations as strings, bounded before anything (redaction, the store, Slack) reads
    them: at most `alert_max_labels` of them, keys cut to 256 characters, values to `alert_max_field_chars`."""
    if len(values) > settings.alert_max_labels:
        raise InputError(f"{what}: {len(values)} entries; at most {settings.alert_max_labels} "
                         "(DOCTOR_ALERT_MAX_LABELS)")
    return {_cut(k, 256): _cut(v, settings.alert_max_field_chars) for k, v in values.items()}


def _cut(value, limit: int):
    """`value` as a string of at most `limit` characters (None stays None); a cut is marked with …."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


# Labels that name a workload, most specific first: Prometheus conventions, ECS dimensions.
_SERVICE_LABELS = ("service", "service_name", "ServiceName", "app", "container", "job", "alarm", "alertname")


def service_of(labels: dict[str, str], settings: Settings) -> str | None:
    """The service-map entry the labels name: exactly (`service=executor`) or as a word of a longer
    name (`ServiceName=patient-executor`)."""
    known = settings.services
    for key in _SERVICE_LABELS:
        value = labels.get(key)
        if not value:
            continue
        if value in known:
            return value
        words = re.split(r"[^A-Za-z0-9]+", value.lower())
        for name in known:
            if name.lower() in words:
                return name
    return None


_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_time(value) -> datetime | None:
    """RFC 3339 as senders write it (Go's nanoseconds, CloudWatch's `+0000`); Go's zero time is None."""
    if not value:
        return None
    if len(str(value)) > 64:  # a time is about 35 characters; never run the pattern over a long text
        raise ValueError(f"not an RFC 3339 time: {str(value)[:40]!r}…")
    text = _FRACTION.sub(r"\1", str(value).strip())
    if text.startswith("0001-01-01"):
        return None  # Grafana's and Alertmanager's "not ended"
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not an RFC 3339 time: {value!r}") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
