"""The HTTP edge under hostile input: issue #15's probes, each reproduced against a real server on loopback.

Bodies are refused before they are read, malformed headers and numbers are 4xx, SNS messages are
checked as AWS specifies before anything is fetched, Google's certificates are kept, the access log
carries no credentials, alert text is redacted and escaped before it leaves, and SIGTERM leaves no
process behind.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from doctor.config import Settings
from doctor.demo.scenarios import SCENARIOS, write_window
from doctor.web.app import create_app

from .conftest import BEARER, REPO, SECRET, TOKEN, TOPIC, Served, command, payload, post_sns, sns_notification
from .fakes.google_oidc import GoogleOidc
from .fakes.slack_api import SlackResponses
from .fakes.sns import FakeSnsHost

SNS_TEST = {"sns_host_pattern": r"^127\.0\.0\.1$", "sns_require_https": False}


class RecordingRedactor:
    """The service's redactor, recording which thread ran it and on how much text."""

    def __init__(self, inner):
        self.inner = inner
        self.calls: list[tuple[str, int]] = []

    def redact(self, text: str) -> str:
        self.calls.append((threading.current_thread().name, len(text)))
        return self.inner.redact(text)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def make_settings(tmp_path: Path, chat=None, **overrides) -> Settings:
    logs = tmp_path / "logs"
    if not logs.exists():
        write_window(SCENARIOS["exchange_rate_limit"], logs)
    return Settings(**{
        "alert_token": TOKEN, "slack_signing_secret": SECRET, "slack_bot_token": "xoxb-test",
        "slack_api_base_url": chat.url if chat else "http://127.0.0.1:9/api/", "alert_channel": "C0ALERTS",
        "local_logs_dir": logs, "terraform_dir": REPO / "terraform", "sns_topic_arns": [TOPIC],
        "database_url": f"sqlite:///{tmp_path / 'doctor.db'}", **overrides})


@pytest.fixture
def edge(tmp_path, chat, request):
    served = Served(create_app(make_settings(tmp_path, chat, **dict(getattr(request, "param", {})))))
    yield served
    served.close()


def raw_request(url: str, head: str) -> tuple[int, bytes]:
    """Send only a request head (no body) and read the answer: a server that waits for the body
    never answers, and the socket's timeout fails the test."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode())
        data = b""
        while b"\r\n\r\n" not in data or len(data) < data.index(b"\r\n\r\n") + 4 + _length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return int(data.split(b" ", 2)[1]), data.split(b"\r\n\r\n", 1)[1]


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n")[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 0


# -- 1. bounded input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/slack/events", "/alerts/alertmanager", "/alerts/sns", "/deploys", "/tasks/run"])
def test_a_50_mb_body_is_refused_with_413_before_it_is_read(edge, path):
    status, body = raw_request(edge.url, f"POST {path} HTTP/1.1\r\nHost: doctor\r\nContent-Type: application/json\r\n"
                                         f"Content-Length: {50 * 1024 * 1024}\r\n\r\n")
    assert status == 413 and "larger than 1,048,576 bytes" in json.loads(body)["error"]


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(edge):
    host, port = edge.url.removeprefix("http://").split(":")
    chunk = b"x" * 65536
    sent = 0
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /alerts/alertmanager HTTP/1.1\r\nHost: doctor\r\nTransfer-Encoding: chunked\r\n"
                     b"Authorization: Bearer " + TOKEN.encode() + b"\r\n\r\n")
        while sent < 50 * 1024 * 1024:
            if select.select([sock], [], [], 0)[0]:
                break  # the answer came while we were still sending
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413")
    assert sent < 16 * 1024 * 1024  # the server stopped us long before 50 MB (socket buffers hold a few MB)


def test_the_limit_is_a_setting(tmp_path, chat):
    served = Served(create_app(make_settings(tmp_path, chat, max_body_bytes=4096)))
    try:
        resp = httpx.post(f"{served.url}/alerts/alertmanager", content=b"{" + b" " * 5000 + b"}", headers=BEARER)
        assert resp.status_code == 413 and "4,096" in resp.json()["error"]
        assert httpx.post(f"{served.url}/alerts/alertmanager", content=b"{}", headers=BEARER).status_code == 400
    finally:
        served.close()


@pytest.mark.parametrize("filler", ["-eyJ", "@", "=", "QUJD"])
def test_a_200_kb_label_is_cut_and_redacted_in_a_worker_thread_while_healthz_answers(edge, filler):
    deps = edge.app.state.deps
    recorder = deps._redactor = RecordingRedactor(deps.redactor())
    alert = payload("alertmanager_firing.json")
    alert["alerts"] = alert["alerts"][:1]
    alert["alerts"][0]["labels"]["huge"] = filler * (200_000 // len(filler))
    alert["alerts"][0]["annotations"]["description"] = filler * (200_000 // len(filler))

    async def both():
        async with httpx.AsyncClient(timeout=60) as client:
            posted = asyncio.ensure_future(client.post(f"{edge.url}/alerts/alertmanager", json=alert, headers=BEARER))
            health = await client.get(f"{edge.url}/healthz")
            return await posted, health

    resp, health = asyncio.run(both())
    assert resp.status_code == 202 and health.status_code == 200
    loop_thread = edge.thread.name
    assert recorder.calls and all(thread != loop_thread for thread, _ in recorder.calls)
    assert max(n for _, n in recorder.calls) <= Settings().alert_max_field_chars
    from sqlalchemy import text

    with deps.store().engine.connect() as conn:
        stored = json.loads(conn.execute(text("SELECT alert FROM alerts")).scalar_one())
    assert len(stored["labels"]["huge"]) <= Settings().alert_max_field_chars


@pytest.mark.parametrize("filler", ["-eyJ", "@", "=", "QUJDRA=="])
def test_the_text_redaction_sees_stops_growing_with_the_input(tmp_path, filler):
    """Work, not time: the characters handed to the redactor for one alert are the same for a 20 KB and a
    400 KB label (the cut comes first), so intake cost cannot grow faster than the input's length."""
    from doctor.alerts import ADAPTERS, Inbound, receive
    from doctor.store import Store

    settings = make_settings(tmp_path)
    store = Store(settings.database_url)
    seen = {}
    for n in (20_000, 400_000):
        body = {"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "Big", "v": filler * (n // len(
            filler))}, "annotations": {"description": filler * (n // len(filler))}, "fingerprint": f"f{n}"}]}
        calls = []

        def redact(text: str, calls=calls) -> str:
            calls.append(len(text))
            return text

        alerts = ADAPTERS["alertmanager"](settings).parse(Inbound({}, json.dumps(body).encode()))
        receive(alerts, settings=settings, store=store, redact=redact)
        seen[n] = sum(calls)
    assert seen[20_000] == seen[400_000] <= 8 * settings.alert_max_field_chars


def test_alert_count_and_label_count_are_capped(edge):
    many = {"version": "4", "status": "firing", "alerts": [
        {"status": "firing", "labels": {"alertname": f"A{i}"}} for i in range(101)]}
    resp = httpx.post(f"{edge.url}/alerts/alertmanager", json=many, headers=BEARER)
    assert resp.status_code == 400 and "at most 100" in resp.json()["error"]
    wide = {"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "A", **{
        f"l{i}": "v" for i in range(70)}}}]}
    resp = httpx.post(f"{edge.url}/alerts/alertmanager", json=wide, headers=BEARER)
    assert resp.status_code == 400 and "at most 64" in resp.json()["error"]


def test_stored_alerts_older_than_the_retention_are_deleted(tmp_path):
    from datetime import timedelta

    from doctor.alerts import ADAPTERS, Inbound, receive
    from doctor.store import Store

    settings = make_settings(tmp_path, alert_retention_days=1)
    store = Store(settings.database_url)
    [alert] = ADAPTERS["alertmanager"](settings).parse(Inbound({}, json.dumps({"version": "4", "alerts": [
        {"status": "firing", "labels": {"alertname": "Old"}}]}).encode()))
    now = datetime.now(UTC)
    receive([alert], settings=settings, store=store, redact=str, now=now - timedelta(days=3))
    receive([alert.model_copy(update={"fingerprint": "new"})], settings=settings, store=store, redact=str, now=now)
    from sqlalchemy import text

    with store.engine.connect() as conn:
        names = [json.loads(r[0])["fingerprint"] for r in conn.execute(text("SELECT alert FROM alerts"))]
    assert names == ["new"]


def test_long_paths_are_cut_and_logs_are_redacted_off_the_calling_thread():
    from doctor.observe import AccessLogScrub, configure_logging, stop_logging

    threads: list[str] = []

    def redact(text: str) -> str:
        threads.append(threading.current_thread().name)
        return text.replace("hunter2", "<SECRET>")

    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    access = logging.getLogger("uvicorn.access")
    scrub, level = AccessLogScrub(), access.level
    access.addFilter(scrub)
    access.setLevel(logging.INFO)  # an earlier uvicorn.Config in this process may have raised it
    try:
        configure_logging(redact, stream=stream, max_chars=1000)
        path = "/" + "-eyJ" * 4096 + "?exp=1893456000&sig=" + "ab" * 32
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5555", "GET", path, "1.1", 404)
        logging.getLogger("doctor.web").warning("password hunter2 in %s", "x" * 50_000)
        stop_logging()
    finally:
        access.removeFilter(scrub)
        access.setLevel(level)
        stop_logging()
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert "sig=" not in first["message"] and "exp=" not in first["message"] and len(first["message"]) < 400
    assert "hunter2" not in second["message"] and len(second["message"]) < 1100
    assert threads and threading.current_thread().name not in threads


# -- 3. malformed input is a 4xx ------------------------------------------------------------------------

def test_slack_timestamp_that_is_not_a_number_is_401(edge):
    slack = SlackResponses()
    try:
        for stamp in (b"abc", "²".encode(), b"9" * 5000, b"", b"-1"):
            body, headers = command("help", slack)
            resp = httpx.post(f"{edge.url}/slack/events", content=body,
                              headers={**headers, "X-Slack-Request-Timestamp": stamp})
            assert resp.status_code == 401, stamp[:10]
    finally:
        slack.server.shutdown()


def signed_interaction(payload_text: str) -> tuple[bytes, dict]:
    from urllib.parse import urlencode

    from slack_sdk.signature import SignatureVerifier

    body = urlencode({"payload": payload_text}).encode()
    ts = str(int(time.time()))
    return body, {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
                  "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)}


@pytest.mark.parametrize("payload_text,reason", [
    ("not json", "not JSON"), ("[" * 100_000 + "]" * 100_000, "not JSON"), ("[1, 2]", "not a Slack interaction"),
    ('{"type": "block_actions", "actions": "x"}', "not a Slack interaction"),
    ('{"type": "block_actions", "team": 5}', "not a Slack interaction"),
])
def test_a_malformed_interaction_payload_is_400(edge, payload_text, reason):
    resp = httpx.post(f"{edge.url}/slack/events", content=signed_interaction(payload_text)[0],
                      headers=signed_interaction(payload_text)[1])
    assert resp.status_code == 400 and reason in resp.json()["error"]


@pytest.mark.parametrize("exp", ["²", "9" * 5000, "-1", "1e9", ""])
def test_a_report_link_with_a_bad_expiry_is_403(edge, exp):
    resp = httpx.get(f"{edge.url}/incidents/abc", params={"exp": exp, "sig": "00"})
    assert resp.status_code == 403


def test_deeply_nested_json_is_400_everywhere(edge):
    deep = b"[" * 100_000 + b"]" * 100_000
    assert httpx.post(f"{edge.url}/alerts/alertmanager", content=deep, headers=BEARER).status_code == 400
    assert httpx.post(f"{edge.url}/alerts/sns", content=deep).status_code == 400
    assert httpx.post(f"{edge.url}/deploys", content=deep, headers=BEARER).status_code in (400, 401)
    alarm = sns_notification(payload("cloudwatch_alarm.json"))
    alarm["Message"] = "[" * 100_000 + "]" * 100_000
    adapter = edge.app.state.deps.adapter("sns")
    from doctor.alerts import Inbound
    from doctor.errors import InputError

    with pytest.raises(InputError, match="not a CloudWatch alarm"):
        adapter.parse(Inbound({}, json.dumps(alarm).encode()))


def test_a_bad_content_length_is_400(edge):
    status, _ = raw_request(edge.url, "POST /alerts/alertmanager HTTP/1.1\r\nHost: d\r\nContent-Length: 1,2\r\n\r\n")
    assert 400 <= status < 500


# -- 4. SNS as AWS specifies ----------------------------------------------------------------------------

@pytest.fixture
def sns_host():
    host = FakeSnsHost()
    yield host
    host.server.shutdown()


@pytest.mark.parametrize("edge", [SNS_TEST], indirect=True)
def test_an_sns_message_older_than_an_hour_is_refused_without_a_fetch(edge, sns_host):
    old = dict(sns_notification(payload("cloudwatch_alarm.json")), Timestamp="2020-03-01T09:25:34.000Z")
    resp = post_sns(edge, sns_host.sign(old))
    assert resp.status_code == 401 and "replay" in resp.json()["error"]
    assert sns_host.visits == []
    assert post_sns(edge, sns_host.sign(sns_notification(payload("cloudwatch_alarm.json")))).status_code == 202


@pytest.mark.parametrize("edge", [SNS_TEST], indirect=True)
def test_bad_signatures_with_varied_certificate_urls_fetch_at_most_once(edge, sns_host):
    good = sns_host.sign(sns_notification(payload("cloudwatch_alarm.json")))
    for i in range(20):  # the probe: a query string makes each URL new to a cache keyed by URL
        forged = dict(good, Signature=good["Signature"][:-8] + "AAAAAAA=", MessageId=f"m{i}",
                      SigningCertURL=good["SigningCertURL"] + f"?v={i}")
        assert post_sns(edge, forged).status_code == 403
    assert sns_host.visits == []
    for i in range(20):  # the documented form, a bad signature: one fetch, then the cache
        forged = dict(good, Signature=good["Signature"][:-8] + "AAAAAAA=", MessageId=f"n{i}")
        assert post_sns(edge, forged).status_code == 401
    assert len(sns_host.visits) == 1


@pytest.mark.parametrize("url", [
    "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem?x=1",
    "https://user@sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem",
    "https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-abc.pem",
    "https://sns.us-east-1.amazonaws.com/other/SimpleNotificationService-abc.pem",
    "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-xyz.pem",
    "https://s3.amazonaws.com/SimpleNotificationService-abc.pem",
    "https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-abc.pem",
    "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem#frag",
    "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem",
])
def test_only_the_documented_certificate_url_form_is_accepted(url):
    from doctor.alerts import Rejected
    from doctor.alerts.sns import SnsVerifier

    verifier = SnsVerifier(host_pattern=Settings().sns_host_pattern)
    verifier.check_url("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-01d088a6f77103d0fe307c0069e40ed6.pem",
                       what="SigningCertURL", certificate=True)
    verifier.check_url("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem",
                       what="SigningCertURL", certificate=True)
    with pytest.raises(Rejected):
        verifier.check_url(url, what="SigningCertURL", certificate=True)


def test_the_certificate_cache_is_bounded(sns_host):
    from doctor.alerts.sns import SnsVerifier

    verifier = SnsVerifier(host_pattern=r"127\.0\.0\.1", require_https=False, cache_size=2)
    for name in ("a1", "b2", "c3"):
        asyncio.run(verifier._public_key(f"{sns_host.base}/SimpleNotificationService-{name}.pem"))
    assert len(verifier._keys) == 2 and len(sns_host.visits) == 3


@pytest.mark.parametrize("edge", [SNS_TEST], indirect=True)
def test_a_topic_not_allowed_fetches_nothing(edge, sns_host):
    other = sns_host.sign(dict(sns_notification(payload("cloudwatch_alarm.json")), TopicArn=TOPIC + "-other"))
    assert post_sns(edge, other).status_code == 403 and sns_host.visits == []


# -- 5. what leaves the service is clean ----------------------------------------------------------------

def test_googles_certificates_are_fetched_once_for_many_tokens(tmp_path):
    from doctor.web.tasks import max_age

    oidc = GoogleOidc()
    audience, sa = "https://doctor.example.run.app", "tasks@acme.iam.gserviceaccount.com"
    served = Served(create_app(Settings(service_url=audience, tasks_service_account=sa,
                                        oidc_certs_url=oidc.certs_url, database_url=f"sqlite:///{tmp_path / 'd.db'}")))
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        forger = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        tokens = ["any-token", oidc.mint(audience=audience, email=sa, key=forger),
                  oidc.mint(audience=audience, email="someone@else.com"), oidc.mint(audience="https://x", email=sa)]
        for token in tokens * 5:
            resp = httpx.post(f"{served.url}/tasks/run", content=b"{}", headers={"Authorization": f"Bearer {token}"})
            assert resp.status_code == 401
        good = httpx.post(f"{served.url}/tasks/run", content=b"{}",
                          headers={"Authorization": f"Bearer {oidc.mint(audience=audience, email=sa)}"})
        assert good.status_code == 400  # past the token: the body is not a job
        assert oidc.fetches == 1
    finally:
        served.close()
        oidc.close()
    assert max_age("public, max-age=19869, must-revalidate, no-transform") == 19869
    assert max_age("no-cache, max-age=60") == 0 and max_age("") == 0


def test_alert_text_is_redacted_and_escaped_before_slack_and_the_task_body(edge, chat):
    deps = edge.app.state.deps
    submitted = []

    class Recording:
        def __init__(self, inner):
            self.inner = inner

        async def submit(self, spec, *, delay_seconds=0):
            submitted.append(json.loads(spec.to_json()))
            await self.inner.submit(spec, delay_seconds=delay_seconds)

    deps._runner = Recording(deps.runner())
    alert = payload("alertmanager_firing.json")
    alert["alerts"] = alert["alerts"][:1]
    secret = "postgres://app:hunter2pass@db:5432/x"
    alert["alerts"][0]["annotations"]["summary"] = f"<!channel> <https://evil.example|click> failing on {secret}"
    resp = httpx.post(f"{edge.url}/alerts/alertmanager", json=alert, headers=BEARER)
    assert resp.status_code == 202 and submitted
    body = json.dumps(submitted)
    assert "hunter2pass" not in body and "<SECRET:" in body
    lead = chat.wait(1)[0]["text"]
    assert "<!channel>" not in lead and "&lt;!channel&gt;" in lead and "hunter2pass" not in lead
    assert "<https://evil.example" not in lead


def test_response_url_must_be_on_slacks_hosts(tmp_path, chat):
    served = Served(create_app(make_settings(tmp_path, chat, slack_response_url_hosts=["hooks.slack.com"])))
    slack = SlackResponses()  # on loopback: not Slack
    try:
        resp = httpx.post(f"{served.url}/slack/events", content=command("help", slack)[0],
                          headers=command("help", slack)[1])
        assert resp.status_code == 400 and "response_url" in resp.json()["error"]
    finally:
        served.close()
        slack.server.shutdown()
    from doctor.deliver.reply import response_url_allowed

    s = Settings(slack_response_url_hosts=["hooks.slack.com"])
    assert response_url_allowed("https://hooks.slack.com/commands/T1/2/abc", s)
    for url in ("http://hooks.slack.com/x", "https://hooks.slack.com.evil.example/x", "https://a@hooks.slack.com/x",
                "https://hooks.slack.com:444/x", "https://169.254.169.254/latest", "not a url", "https://[::1"):
        assert not response_url_allowed(url, s), url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(tmp_path: Path, **env) -> tuple[subprocess.Popen, str]:
    port = free_port()
    logs = tmp_path / "logs"
    write_window(SCENARIOS["exchange_rate_limit"], logs)
    full = {**os.environ, "PORT": str(port), "DOCTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}",
            "DOCTOR_LOG_FORMAT": "json", "SLACK_SIGNING_SECRET": SECRET, "DOCTOR_LOCAL_LOGS_DIR": str(logs),
            "DOCTOR_TERRAFORM_DIR": str(REPO / "terraform"), **env}
    proc = subprocess.Popen([sys.executable, "-m", "doctor.cli", "serve", "--host", "127.0.0.1"], env=full,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            httpx.get(f"{url}/healthz")
            return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"doctor serve did not start: {proc.communicate()[0][-2000:]}")


def test_the_access_log_has_no_link_credentials_and_forwarded_for_is_trusted_only_from_proxies(tmp_path):
    proc, url = start_serve(tmp_path, DOCTOR_FORWARDED_ALLOW_IPS="10.9.8.7")
    try:
        sig = "5f" * 32
        httpx.get(f"{url}/incidents/abc", params={"exp": "1893456000", "sig": sig},
                  headers={"X-Forwarded-For": "203.0.113.9"})
        httpx.get(f"{url}/" + "-eyJ" * 4000)
        httpx.get(f"{url}/healthz", headers={"X-Request-Id": "r" * 5000})
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    lines = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    access = [x["message"] for x in lines if "/incidents/abc" in x["message"]]
    assert access and all(sig not in m and "sig=" not in m and "exp=" not in m for m in access)
    assert "203.0.113.9" not in out and "127.0.0.1" in access[0]
    assert all(len(x["message"]) < 4500 for x in lines)
    assert any(x.get("request_id") == "r" * 64 for x in lines)  # a caller's request id, cut
    assert all(len(x.get("request_id", "")) <= 64 for x in lines)


# -- 6. graceful shutdown -------------------------------------------------------------------------------

def descendants(pid: int) -> set[int]:
    """Every process whose chain of parents reaches `pid`, from /proc."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigterm_after_an_analysis_leaves_no_process_behind(tmp_path):
    slack = SlackResponses()
    proc, url = start_serve(tmp_path, DOCTOR_FETCH_WORKERS="2")
    try:
        body, headers = command("service=executor,collector since=2026-11-20T09:00:00Z until=2026-11-20T09:40:00Z",
                                slack)
        assert httpx.post(f"{url}/slack/events", content=body, headers=headers, timeout=30).status_code == 200
        assert any(m.get("blocks") for m in slack.wait(2, timeout=120))  # the diagnosis: fetch processes ran
        children = descendants(proc.pid)
        assert len(children) >= 2  # the kept fetch processes (and multiprocessing's resource tracker)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=15)
        # uvicorn re-raises the signal once shut down: -SIGTERM after a complete, clean shutdown.
        assert proc.returncode in (0, -signal.SIGTERM) and "Application shutdown complete" in out, out[-2000:]
        assert "Traceback" not in out, out[-3000:]
        deadline = time.time() + 5
        while time.time() < deadline and any(alive(p) for p in children):
            time.sleep(0.1)
        assert not [p for p in children if alive(p)]
    finally:
        if proc.poll() is None:
            proc.kill()
        slack.server.shutdown()


def test_sigterm_interrupts_a_running_job_records_it_and_tells_the_user(tmp_path):
    """A job still running when the grace time ends is recorded as interrupted and its user told."""
    from doctor.jobs import JobSpec
    from doctor.jobs.runner import InProcessRunner
    from doctor.store import Store

    slack = SlackResponses()
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}")
    store = Store(settings.database_url)

    async def scenario():
        import doctor.jobs.spec as spec_module

        async def forever(key, **_):
            await asyncio.sleep(3600)

        spec_module.JOBS["_test_forever"] = forever
        try:
            runner = InProcessRunner(settings=settings, store=store)
            spec = JobSpec(kind="_test_forever", key="slow:1", args={"response_url": slack.url, "channel": "C1"})
            store.claim_job(spec.key, kind=spec.kind, request={})
            await runner.submit(spec)
            await asyncio.sleep(0.2)
            return await runner.shutdown(0.1)
        finally:
            del spec_module.JOBS["_test_forever"]

    try:
        assert asyncio.run(scenario()) == 1
        job = store.get_job("slow:1")
        assert job["status"] == "failed" and "interrupted" in job["detail"]
        assert "restarted before this finished" in slack.wait(1)[0]["text"]
    finally:
        slack.server.shutdown()
