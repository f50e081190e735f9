"""The doctor's own observability: health, readiness, metrics and redacted JSON logs."""

import io
import json
import logging
import subprocess
import sys

import httpx

from doctor.config import Settings
from doctor.observe import JsonFormatter, configure_logging, job_id, request_id, stop_logging
from doctor.pipeline import redactor_for
from doctor.web.app import create_app

from .conftest import BEARER, SECRET, TOKEN, Served, command, payload
from .fakes.slack_api import SlackResponses


def test_health_readiness_and_a_store_that_is_down(tmp_path):
    up = Served(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}")))
    down = Served(create_app(Settings(database_url="postgresql://doctor@127.0.0.1:1/none")))
    try:
        assert httpx.get(up.url + "/healthz").json() == {"ok": True}
        assert httpx.get(up.url + "/readyz").status_code == 200
        assert httpx.get(down.url + "/healthz").status_code == 200  # liveness touches no dependency
        ready = httpx.get(down.url + "/readyz", timeout=30)
        assert ready.status_code == 503 and "OperationalError" in ready.json()["store"]
        assert httpx.get(down.url + "/metrics", timeout=30).status_code == 200  # metrics answer anyway
    finally:
        up.close()
        down.close()


def metric(text: str, name: str, **labels) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
        if not labels and line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no {name}{{{want}}} in /metrics")


def test_metrics_count_acks_alerts_and_jobs(tmp_path):
    settings = Settings(slack_signing_secret=SECRET, alert_token=TOKEN, database_url=f"sqlite:///{tmp_path / 'd.db'}",
                        local_logs_dir=tmp_path, alert_channel=None)
    served = Served(create_app(settings))
    slack = SlackResponses()
    try:
        before = httpx.get(served.url + "/metrics").text
        start_help = metric_or_zero(before, "doctor_acks_total", command="/analyze-logs", outcome="usage")
        start_alerts = metric_or_zero(before, "doctor_alerts_total", source="alertmanager", action="analyze")
        httpx.post(served.url + "/slack/events", content=command("help", slack)[0], headers=command("help", slack)[1])
        httpx.post(served.url + "/alerts/alertmanager", json=payload("alertmanager_firing.json"), headers=BEARER)
        after = httpx.get(served.url + "/metrics").text
        assert metric(after, "doctor_acks_total", command="/analyze-logs", outcome="usage") == start_help + 1
        assert metric(after, "doctor_alerts_total", source="alertmanager", action="analyze") == start_alerts + 1
        assert metric(after, "doctor_ack_seconds_count", command="/analyze-logs") >= 1
        assert "doctor_jobs{" in after and "doctor_job_stage_seconds" in after
    finally:
        served.close()
        slack.server.shutdown()


def metric_or_zero(text: str, name: str, **labels) -> float:
    try:
        return metric(text, name, **labels)
    except AssertionError:
        return 0.0


def test_json_logs_carry_the_job_and_never_a_secret():
    stream = io.StringIO()
    formatter = JsonFormatter(redactor_for(Settings()).redact)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    log = logging.getLogger("doctor.test.observe")
    log.addHandler(handler)
    log.propagate = False
    try:
        token = job_id.set("slack:analyze:42")
        rid = request_id.set("req-7")
        try:
            raise RuntimeError("connect failed for postgres://app:hunter2pass@db:5432/x")
        except RuntimeError:
            log.exception("Slack said no to xoxb-123456789012-123456789012-abcdefghijklmnopqrstuvwx")
        job_id.reset(token)
        request_id.reset(rid)
    finally:
        log.removeHandler(handler)
    line = json.loads(stream.getvalue().strip().splitlines()[0])
    assert line["job_id"] == "slack:analyze:42" and line["request_id"] == "req-7" and line["severity"] == "ERROR"
    assert "xoxb-1234" not in line["message"] and "<SECRET:" in line["message"]
    assert "hunter2pass" not in line["exception"] and "RuntimeError" in line["exception"]


def test_doctor_serve_writes_json_lines_with_request_ids(tmp_path):
    # The access log of a real `doctor serve`: one JSON object per line, tied to its request.
    import os
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PORT": str(port), "DOCTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}",
           "DOCTOR_LOG_FORMAT": "json"}
    proc = subprocess.Popen([sys.executable, "-m", "doctor.cli", "serve", "--host", "127.0.0.1"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", headers={"X-Request-Id": "abc123"})
                break
            except httpx.TransportError:
                time.sleep(0.1)
        time.sleep(0.3)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    lines = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    assert lines and all("severity" in x and "message" in x for x in lines)
    assert any(x.get("request_id") == "abc123" and "/healthz" in x["message"] for x in lines)


def test_configure_logging_replaces_handlers():
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging(str, stream=stream)
        logging.getLogger("uvicorn.error").warning("hello")
        stop_logging()  # lines are written by the writer thread: drain it
        assert json.loads(stream.getvalue())["message"] == "hello"
    finally:
        stop_logging()
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
