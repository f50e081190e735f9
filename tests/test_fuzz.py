"""Schema-driven fuzzing of the whole HTTP edge: no request, however malformed, gets a 500.

Schemathesis generates requests from the routes' OpenAPI (doctor/web/schema.py) and sends them to the
app in-process. A fixed seed (`derandomize`) and a bounded number of examples per route keep it
reproducible and well under a minute. A thin layer in front of the app plays Slack and the alert
senders: a request the fuzzer left unsigned is signed (Slack) or given the bearer token, so the
fuzzed bodies reach the parsing behind the authentication; requests that carry their own signature
or token go through as they are, and exercise the refusals.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from doctor.config import Settings
from doctor.web.app import create_app

SECRET = "fuzz-signing-secret-0123456789ab"
TOKEN = "fuzz-alert-token-0123456789"


class Recorded:
    """A job runner that keeps what it is given: this test is about the edge, not the jobs."""

    def __init__(self):
        self.specs = []

    async def submit(self, spec, *, delay_seconds: float = 0) -> None:
        self.specs.append(spec)


class Senders:
    """Signs unsigned Slack requests and adds the bearer token to unauthenticated alert deliveries."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        # Junk credentials are replaced (so the body is what gets fuzzed); plausible ones (v0=..., Bearer ...)
        # go through and are refused.
        headers = [(k, v) for k, v in scope["headers"] if not (
            (k == b"x-slack-signature" and not v.startswith(b"v0=")) or
            (k == b"authorization" and not v.lower().startswith(b"bearer ")))]
        names = {k for k, _ in headers}
        if scope["method"] == "GET":
            if b"authorization" not in names and b"sig=" not in scope.get("query_string", b""):
                headers.append((b"authorization", f"Bearer {TOKEN}".encode()))
            return await self.app(dict(scope, headers=headers), receive, send)
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if scope["path"] == "/slack/events" and b"x-slack-signature" not in names:
            from slack_sdk.signature import SignatureVerifier

            ts = str(int(time.time()))
            headers = [(k, v) for k, v in headers if k != b"x-slack-request-timestamp"] + [
                (b"x-slack-request-timestamp", ts.encode()),
                (b"x-slack-signature", SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body).encode())]
        elif scope["path"] != "/slack/events" and b"authorization" not in names:
            headers.append((b"authorization", f"Bearer {TOKEN}".encode()))
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(dict(scope, headers=headers), replay, send)


@pytest.fixture(scope="module")
def fuzzed_app():
    work = Path(tempfile.mkdtemp(prefix="doctor-fuzz-"))
    app = create_app(Settings(
        slack_signing_secret=SECRET, alert_token=TOKEN, deploy_token=TOKEN, report_token=TOKEN,
        sns_topic_arns=["arn:aws:sns:us-east-1:123456789012:alarms"], database_url=f"sqlite:///{work / 'd.db'}",
        service_url="https://doctor.example.run.app", tasks_service_account="tasks@example.iam.gserviceaccount.com"),
        verify_task_token=lambda token: {} if token == TOKEN else (_ for _ in ()).throw(PermissionError("no")))
    app.state.deps._runner = Recorded()
    return app


@pytest.fixture(scope="module")
def edge_schema(fuzzed_app):
    raw = fuzzed_app.openapi()
    for parameter in raw["paths"]["/alerts/{name}"]["post"]["parameters"]:
        if parameter["name"] == "name":  # the senders know their paths; an unknown one is a plain 404
            parameter["schema"] = {"type": "string", "enum": ["alertmanager", "grafana", "sns", "other"]}
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = Senders(fuzzed_app)
    return schema


OPERATIONS = [("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"), ("POST", "/slack/events"),
              ("POST", "/alerts/{name}"), ("POST", "/deploys"), ("POST", "/tasks/run"), ("GET", "/incidents"),
              ("GET", "/incidents/stats"), ("GET", "/incidents/{incident_id}")]


def test_every_route_is_fuzzed(fuzzed_app):
    routes = {(m.upper(), p) for p, ops in fuzzed_app.openapi()["paths"].items() for m in ops}
    assert routes == set(OPERATIONS)


@pytest.mark.parametrize("method,path", OPERATIONS)
def test_no_request_gets_a_500(edge_schema, method, path):
    # Hypothesis driven directly (schemathesis' pytest plugin lags pytest releases): the same strategies.
    from hypothesis import given

    answered = []

    @given(case=edge_schema[path][method].as_strategy())
    @settings(max_examples=60, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case):
        response = case.call()
        answered.append(response.status_code)
        assert response.status_code < 500, (case.as_curl_command(), response.status_code, response.text[:500])

    fuzz()
    assert answered  # it ran
