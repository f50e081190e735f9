"""What each route reads, as OpenAPI: the routes take raw bodies (signatures cover the exact bytes), so
FastAPI cannot infer them. The schema is not served (`openapi_url=None`); it documents the edge and
drives the schema fuzzer of the test suite (`tests/test_fuzz.py`), which must never see a 500.
"""

from __future__ import annotations

from doctor.deploys.models import Deploy


def _header(name: str, description: str) -> dict:
    return {"name": name, "in": "header", "required": False, "schema": {"type": "string"}, "description": description}


def _query(name: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}


_STRINGS = {"type": "object", "additionalProperties": {"type": "string"}}
BEARER = _header("Authorization", "Bearer <token>")

SLACK_EVENTS = {
    "parameters": [_header("X-Slack-Request-Timestamp", "Unix time, signed"),
                   _header("X-Slack-Signature", "v0=<hex HMAC-SHA256>")],
    "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
        "type": "object", "properties": {k: {"type": "string"} for k in (
            "command", "text", "team_id", "user_id", "channel_id", "response_url", "trigger_id", "payload")}}}}},
}

_ALERT = {"type": "object", "required": ["status", "labels"], "properties": {
    "status": {"type": "string", "enum": ["firing", "resolved", "pending"]},
    "labels": {**_STRINGS, "required": ["alertname"]}, "annotations": _STRINGS, "fingerprint": {"type": "string"},
    "startsAt": {"type": "string", "format": "date-time"}, "endsAt": {"type": "string", "format": "date-time"},
    "generatorURL": {"type": "string"}}}

_ENVELOPE = {"type": "object", "required": ["version", "alerts"], "properties": {  # Alertmanager, Grafana
    "version": {"type": "string", "enum": ["4", "1"]}, "status": {"type": "string"},
    "alerts": {"type": "array", "items": _ALERT}}}

_SNS = {"type": "object", "required": ["Type", "TopicArn", "Message"], "properties": {
    "Type": {"type": "string", "enum": ["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]},
    "TopicArn": {"type": "string"}, "Message": {"type": "string"}, "MessageId": {"type": "string"},
    "Timestamp": {"type": "string", "format": "date-time"}, "SignatureVersion": {"type": "string"},
    "Signature": {"type": "string"}, "SigningCertURL": {"type": "string"}, "SubscribeURL": {"type": "string"}}}

ALERTS = {
    "parameters": [BEARER, _header("X-Grafana-Alerting-Signature", "hex HMAC-SHA256"),
                   _header("X-Grafana-Alerting-Timestamp", "Unix time")],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [_ENVELOPE, _SNS]}}}},
}

DEPLOYS = {
    "parameters": [BEARER],
    "requestBody": {"required": True, "content": {"application/json": {"schema": Deploy.model_json_schema()}}},
}

TASKS_RUN = {
    "parameters": [BEARER, _header("X-CloudScheduler-ScheduleTime", "RFC 3339: the time of a scheduled round")],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "properties": {
        "kind": {"type": "string"}, "key": {"type": "string"}, "args": {"type": "object"}}}}}},
}

REPORTS = {"parameters": [_query("exp"), _query("sig"), BEARER]}
