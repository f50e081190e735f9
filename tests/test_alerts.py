"""Alert intake: the three formats, their authentication, dedupe and storm control, resolved notes."""

import asyncio
import copy
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from doctor.alerts import ADAPTERS, Inbound
from doctor.alerts.service import receive
from doctor.config import Settings
from doctor.demo.scenarios import SCENARIOS, write_window
from doctor.errors import InputError
from doctor.web.app import create_app

from .conftest import BEARER, REPO, TOKEN, TOPIC, Served, finished_jobs, payload, post_sns, sns_notification
from .fakes.sns import FakeSnsHost


@pytest.fixture
def doctor(tmp_path, chat, request):
    logs = tmp_path / "logs"
    write_window(SCENARIOS["exchange_rate_limit"], logs)
    overrides = dict(getattr(request, "param", {}))
    settings = Settings(**{
        "alert_token": TOKEN, "slack_bot_token": "xoxb-test", "slack_api_base_url": chat.url,
        "alert_channel": "C0ALERTS", "local_logs_dir": logs, "terraform_dir": REPO / "terraform",
        "database_url": f"sqlite:///{tmp_path / 'doctor.db'}", "sns_topic_arns": [TOPIC], **overrides})
    served = Served(create_app(settings))
    yield served
    served.close()


def count_rows(app, table: str) -> int:
    from sqlalchemy import text

    with app.state.store().engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


# -- parsing: the documented shapes become normalized alerts ----------------------------------------

def parse(name: str, body: dict, **settings) -> list:
    adapter = ADAPTERS[name](Settings(**settings))
    return adapter.parse(Inbound({}, json.dumps(body).encode()))


def test_alertmanager_payload_is_normalized():
    [a] = parse("alertmanager", payload("alertmanager_firing.json"))
    assert (a.source, a.fingerprint, a.name, a.status) == ("alertmanager", "6a1f0c3b2e4d5f60", "ExecutorErrorRate",
                                                           "firing")
    assert a.service == "executor" and a.severity == "page"
    assert a.starts_at == datetime(2026, 11, 20, 9, 25, 0, 123456, tzinfo=UTC) and a.ends_at is None
    assert a.links["runbook"].startswith("https://runbooks") and "generator" in a.links
    assert a.summary == "executor error rate above 5% for 5m"


def test_grafana_payload_is_normalized():
    [a] = parse("grafana", payload("grafana_firing.json"))
    assert (a.source, a.fingerprint, a.name, a.service, a.severity) == (
        "grafana", "b1c2d3e4f5a69788", "CollectorNoTicks", "collector", "warning")
    assert a.ends_at is None  # Grafana's 0001-01-01 means "still firing"
    assert set(a.links) >= {"generator", "silence", "dashboard", "panel"}


def test_cloudwatch_alarm_via_sns_is_normalized():
    alarm = payload("cloudwatch_alarm.json")
    [a] = parse("sns", sns_notification(alarm))
    assert (a.source, a.name, a.status, a.service) == ("sns", "patient-executor-memory-high", "firing", "executor")
    assert a.starts_at == datetime(2026, 11, 20, 9, 25, 33, 123000, tzinfo=UTC)
    assert a.labels["ServiceName"] == "patient-executor" and a.labels["MetricName"] == "MemoryUtilization"
    assert a.delivery_id == "f1c1b1a0-0000-4000-8000-000000000001"
    assert "ap-northeast-2.console.aws.amazon.com" in a.links["alarm"]
    ok = dict(alarm, NewStateValue="OK", OldStateValue="ALARM")
    [r] = parse("sns", sns_notification(ok))
    assert r.status == "resolved" and r.fingerprint == a.fingerprint  # same alarm, same fingerprint
    assert parse("sns", sns_notification(dict(alarm, NewStateValue="INSUFFICIENT_DATA"))) == []


@pytest.mark.parametrize("name,body,reason", [
    ("alertmanager", {"version": "3", "alerts": []}, "unknown Alertmanager webhook version '3'"),
    ("alertmanager", {"version": "4"}, "missing field alerts"),
    ("alertmanager", {"version": "4", "alerts": [{"status": "firing", "labels": {}}]}, "alertname is missing"),
    ("alertmanager", {"version": "4", "alerts": [{"status": "pending", "labels": {"alertname": "X"}}]},
     "must be firing or resolved"),
    ("alertmanager", {"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "X"},
                                                   "startsAt": "yesterday"}]}, "not an RFC 3339 time"),
    ("grafana", {"version": "4", "alerts": []}, "unknown Grafana webhook version"),
    ("sns", {"Type": "Notification", "Message": "not json"}, "not a CloudWatch alarm"),
])
def test_malformed_payloads_are_refused_with_the_reason(name, body, reason):
    with pytest.raises(InputError, match=reason):
        parse(name, body)


# -- over HTTP: authentication, 400s, 202s -----------------------------------------------------------

def test_alertmanager_needs_the_bearer_token_and_nothing_is_stored_without_it(doctor):
    body = json.dumps(payload("alertmanager_firing.json"))
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        resp = httpx.post(f"{doctor.url}/alerts/alertmanager", content=body, headers=headers)
        assert resp.status_code == 401 and "bearer token" in resp.json()["error"]
    assert count_rows(doctor.app, "alerts") == 0 and count_rows(doctor.app, "jobs") == 0


def test_malformed_json_is_a_400_with_the_reason(doctor):
    resp = httpx.post(f"{doctor.url}/alerts/alertmanager", content=b"{not json", headers=BEARER)
    assert resp.status_code == 400 and resp.json()["error"].startswith("the body is not JSON")
    resp = httpx.post(f"{doctor.url}/alerts/alertmanager", json={"version": "4", "alerts": "x"}, headers=BEARER)
    assert resp.status_code == 400 and "alerts (a list)" in resp.json()["error"]
    assert httpx.post(f"{doctor.url}/alerts/nagios", json={}, headers=BEARER).status_code == 404
    assert count_rows(doctor.app, "alerts") == 0


def test_an_alert_starts_one_analysis_posted_to_the_channel_and_threaded(doctor, chat):
    resp = httpx.post(f"{doctor.url}/alerts/alertmanager", json=payload("alertmanager_firing.json"), headers=BEARER)
    assert resp.status_code == 202
    [outcome] = resp.json()["outcomes"]
    assert outcome["action"] == "analyze" and outcome["service"] == "executor"
    [job] = finished_jobs(doctor.app, "alert:")
    assert job["status"] == "done" and "upstream_rate_limit" in job["detail"]
    lead, answer = chat.wait(2)
    assert lead["channel"] == "C0ALERTS" and "ExecutorErrorRate [page] on executor firing" in lead["text"]
    assert "thread_ts" not in lead or lead["thread_ts"] is None
    assert answer["thread_ts"] == lead["ts"] and answer["text"].startswith("🩺 The exchange API is rate limiting")
    group = doctor.app.state.store().get_group(outcome["group"])
    assert group["thread_ts"] == lead["ts"] and group["incident_id"]
    incident = doctor.app.state.store().get_incident(group["incident_id"])
    assert incident["channel"] == "C0ALERTS"


def test_a_hundred_identical_alerts_make_one_analysis(doctor, chat):
    body = payload("alertmanager_firing.json")

    async def storm():
        async with httpx.AsyncClient(timeout=30) as client:
            return await asyncio.gather(*[client.post(f"{doctor.url}/alerts/alertmanager", json=body,
                                                      headers=BEARER) for _ in range(100)])

    responses = asyncio.run(storm())
    assert {r.status_code for r in responses} == {202}
    actions = [r.json()["outcomes"][0]["action"] for r in responses]
    assert actions.count("analyze") == 1 and actions.count("attach") == 99
    jobs = finished_jobs(doctor.app, "alert:")
    assert len(jobs) == 1
    posts = chat.wait(2)
    time.sleep(0.3)
    assert len(chat.posts) == 2  # one lead message and one diagnosis, not a hundred
    group = doctor.app.state.store().get_group(responses[0].json()["outcomes"][0]["group"])
    assert group["alert_count"] == 100 and posts[1]["thread_ts"] == posts[0]["ts"]


def test_resolved_closes_the_incident_and_says_so_in_its_thread(doctor, chat):
    firing = payload("alertmanager_firing.json")
    first = httpx.post(f"{doctor.url}/alerts/alertmanager", json=firing, headers=BEARER).json()["outcomes"][0]
    finished_jobs(doctor.app, "alert:")
    httpx.post(f"{doctor.url}/alerts/alertmanager", json=firing, headers=BEARER)  # attached
    resolved = copy.deepcopy(firing)
    resolved["status"] = resolved["alerts"][0]["status"] = "resolved"
    resolved["alerts"][0]["endsAt"] = "2026-11-20T09:41:00Z"
    out = httpx.post(f"{doctor.url}/alerts/alertmanager", json=resolved, headers=BEARER).json()["outcomes"][0]
    assert out["action"] == "resolve" and out["group"] == first["group"]
    finished_jobs(doctor.app, "alert-resolved:")
    lead, note = chat.posts[0], chat.posts[-1]
    assert note["thread_ts"] == lead["ts"] and note["text"].startswith("✅ Resolved: ExecutorErrorRate")
    assert "2 alerts, 1 attached" in note["text"]
    group = doctor.app.state.store().get_group(first["group"])
    assert group["status"] == "resolved" and group["open_key"] is None
    # Resolved twice: nothing more to close, nothing more posted.
    again = httpx.post(f"{doctor.url}/alerts/alertmanager", json=resolved, headers=BEARER).json()["outcomes"][0]
    assert again["action"] == "ignore"
    # Firing again after it was resolved: a new incident, a new analysis.
    new = httpx.post(f"{doctor.url}/alerts/alertmanager", json=firing, headers=BEARER).json()["outcomes"][0]
    assert new["action"] == "analyze" and new["group"] != first["group"]


@pytest.mark.parametrize("doctor", [{"alert_max_analyses_per_hour": 2}], indirect=True)
def test_at_most_n_analyses_per_service_per_hour(doctor):
    outcomes = []
    for i in range(4):
        body = payload("alertmanager_firing.json")
        body["alerts"][0]["fingerprint"] = f"fp-{i}"
        body["alerts"][0]["labels"]["alertname"] = f"ExecutorAlert{i}"
        outcomes.append(httpx.post(f"{doctor.url}/alerts/alertmanager", json=body,
                                   headers=BEARER).json()["outcomes"][0])
    assert [o["action"] for o in outcomes] == ["analyze", "analyze", "rate_limited", "rate_limited"]
    assert outcomes[2]["group"] == outcomes[1]["group"]  # attached to the service's latest open incident
    assert "already had 2 analyses in the last hour" in outcomes[3]["reason"]
    assert len(finished_jobs(doctor.app, "alert:")) == 2


def test_cooldown_expiry_analyses_again_in_the_same_thread(store):
    settings = Settings(alert_cooldown_minutes=30)
    [alert] = parse("alertmanager", payload("alertmanager_firing.json"))
    t0 = datetime(2026, 11, 20, 9, 25, tzinfo=UTC)
    [first] = receive([alert], settings=settings, store=store, redact=str, now=t0)
    [second] = receive([alert], settings=settings, store=store, redact=str, now=t0 + timedelta(minutes=29))
    [third] = receive([alert], settings=settings, store=store, redact=str, now=t0 + timedelta(minutes=31))
    assert (first.action, second.action, third.action) == ("analyze", "attach", "analyze")
    assert first.group["id"] == second.group["id"] == third.group["id"]
    assert store.get_group(first.group["id"])["alert_count"] == 3


def test_one_open_group_per_fingerprint_even_when_two_instances_race(store):
    now = datetime(2026, 11, 20, 9, 25, tzinfo=UTC)
    a = store.create_group(fingerprint="fp", source="alertmanager", name="X", service="executor", channel=None, now=now)
    b = store.create_group(fingerprint="fp", source="alertmanager", name="X", service="executor", channel=None, now=now)
    assert a is not None and b is None
    previous = a["analyzed_at"]
    assert store.reanalyze_group(a["id"], previous=previous, now=now + timedelta(hours=1))
    assert not store.reanalyze_group(a["id"], previous=previous, now=now + timedelta(hours=1))  # claimed already


def test_stored_alerts_are_redacted(doctor):
    body = payload("alertmanager_firing.json")
    body["alerts"][0]["annotations"]["description"] = "login failed password=hunter2-Secret! for db"
    httpx.post(f"{doctor.url}/alerts/alertmanager", json=body, headers=BEARER)
    from sqlalchemy import text

    with doctor.app.state.store().engine.connect() as conn:
        stored = conn.execute(text("SELECT alert FROM alerts")).scalar_one()
    assert "hunter2" not in stored and "<SECRET:" in stored


# -- Grafana's HMAC -----------------------------------------------------------------------------------

GRAFANA_SECRET = "grafana-hmac-secret"


@pytest.mark.parametrize("doctor", [{"grafana_hmac_secret": GRAFANA_SECRET}], indirect=True)
def test_grafana_hmac_signature_is_verified_when_configured(doctor):
    body = json.dumps(payload("grafana_firing.json")).encode()
    stamp = str(int(time.time()))
    good = hmac.new(GRAFANA_SECRET.encode(), stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {**BEARER, "X-Grafana-Alerting-Timestamp": stamp}
    url = f"{doctor.url}/alerts/grafana"
    assert httpx.post(url, content=body, headers={**headers, "X-Grafana-Alerting-Signature": "0" * 64}).status_code == 401
    assert httpx.post(url, content=body, headers=BEARER).status_code == 401  # no timestamp, no signature
    stale = str(int(time.time()) - 3600)
    old = hmac.new(GRAFANA_SECRET.encode(), stale.encode() + b":" + body, hashlib.sha256).hexdigest()
    assert httpx.post(url, content=body, headers={**BEARER, "X-Grafana-Alerting-Timestamp": stale,
                                                  "X-Grafana-Alerting-Signature": old}).status_code == 401
    assert count_rows(doctor.app, "alerts") == 0
    resp = httpx.post(url, content=body, headers={**headers, "X-Grafana-Alerting-Signature": good})
    assert resp.status_code == 202 and resp.json()["outcomes"][0]["service"] == "collector"


# -- SNS: our own signing certificate, served from a loopback "SNS host" -------------------------------

@pytest.fixture
def sns_host():
    host = FakeSnsHost()
    yield host
    host.server.shutdown()


SNS_TEST = {"sns_host_pattern": r"^127\.0\.0\.1$", "sns_require_https": False}


@pytest.mark.parametrize("doctor", [SNS_TEST], indirect=True)
@pytest.mark.parametrize("version", ["1", "2"])
def test_sns_signed_alarm_is_accepted_and_a_redelivery_is_a_duplicate(doctor, sns_host, version):
    message = sns_host.sign(sns_notification(payload("cloudwatch_alarm.json")), version)
    resp = post_sns(doctor, message)
    assert resp.status_code == 202 and resp.json()["outcomes"][0]["action"] == "analyze"
    again = post_sns(doctor, message)  # SNS retries with the same MessageId
    assert again.json()["outcomes"][0]["action"] == "duplicate"
    assert sum(v.endswith(".pem") for v in sns_host.visits) == 1  # the certificate is cached


@pytest.mark.parametrize("doctor", [SNS_TEST], indirect=True)
def test_sns_bad_signature_wrong_topic_or_host_is_refused_and_nothing_stored(doctor, sns_host):
    message = sns_host.sign(sns_notification(payload("cloudwatch_alarm.json")))
    tampered = dict(message, Message=message["Message"].replace("ALARM", "OK"))
    assert post_sns(doctor, tampered).status_code == 401
    other = sns_host.sign(dict(sns_notification(payload("cloudwatch_alarm.json")), TopicArn=TOPIC + "-other"))
    assert post_sns(doctor, other).status_code == 403
    elsewhere = dict(message, SigningCertURL="http://evil.example.com/cert.pem")
    resp = post_sns(doctor, elsewhere)
    assert resp.status_code == 403 and "not an SNS host" in resp.json()["error"]
    assert post_sns(doctor, dict(message, SignatureVersion="3")).status_code == 401
    assert count_rows(doctor.app, "alerts") == 0


@pytest.mark.parametrize("doctor", [{"sns_host_pattern": r"^127\.0\.0\.1$"}], indirect=True)
def test_sns_certificate_is_fetched_over_https_only_by_default(doctor, sns_host):
    message = sns_host.sign(sns_notification(payload("cloudwatch_alarm.json")))
    resp = post_sns(doctor, message)
    assert resp.status_code == 403 and "must be an https URL" in resp.json()["error"]
    assert sns_host.visits == []


@pytest.mark.parametrize("doctor", [SNS_TEST], indirect=True)
def test_sns_subscription_is_confirmed_only_after_its_signature_checks_out(doctor, sns_host):
    confirmation = {"Type": "SubscriptionConfirmation", "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
                    "Token": "2336412f37fb687f5d51e6e2425c464de12884c0", "TopicArn": TOPIC,
                    "Message": f"You have chosen to subscribe to the topic {TOPIC}.",
                    "SubscribeURL": f"{sns_host.base}/?Action=ConfirmSubscription&TopicArn={TOPIC}&Token=2336412f",
                    "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")}
    forged = sns_host.sign(confirmation)
    forged["Token"] = "attacker"
    assert post_sns(doctor, forged).status_code == 401
    assert not any("ConfirmSubscription" in v for v in sns_host.visits)
    resp = post_sns(doctor, sns_host.sign(confirmation))
    assert resp.status_code == 200 and resp.json()["ok"].startswith("subscription to")
    assert any("Action=ConfirmSubscription" in v for v in sns_host.visits)
    assert count_rows(doctor.app, "alerts") == 0
