from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier

from doctor.models import LogRecord

from .fakes.slack_api import SlackWebAPI

REPO = Path(__file__).resolve().parent.parent
# The tests' Slack (response_url) stands on loopback: allowed beside Slack's own host, for every app
# and `doctor serve` the suite starts. The refusal of other hosts is tested with its own setting.
os.environ.setdefault("DOCTOR_SLACK_RESPONSE_URL_HOSTS", '["hooks.slack.com", "127.0.0.1"]')
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def recent_t0() -> datetime:
    """Yesterday at 09:00 UTC: the hour T0 has, on a day a log store still accepts. CloudWatch refuses events
    older than 14 days, so a fixed date in a test that writes to it (moto's server) is a date bomb."""
    return (datetime.now(UTC) - timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)


def rec(message: str, *, minute: float = 0, service: str = "executor", level: str | None = None) -> LogRecord:
    return LogRecord(timestamp=T0 + timedelta(minutes=minute), source="file", message=message,
                     labels={"service": service}, level=level)


# The incidents table as the first release created it; later releases add nullable columns to it.
OLD_INCIDENT_COLUMNS = ("id VARCHAR(32) PRIMARY KEY", "created_at VARCHAR(32) NOT NULL", "title TEXT NOT NULL",
                        "category VARCHAR(40) NOT NULL", "diagnosis TEXT NOT NULL", "fix TEXT", "digest TEXT NOT NULL")


def old_sqlite_store(path: Path, *added: str) -> str:
    """A SQLite database as an older release left it: the first release's incidents table plus the
    columns `added` since, holding one incident, 'old1' (oom, titled 't'). Returns its store URL."""
    import sqlite3

    columns = (*OLD_INCIDENT_COLUMNS, *added)
    con = sqlite3.connect(path)
    con.execute(f"CREATE TABLE incidents ({', '.join(columns)})")
    values = ("old1", "2026-11-01T00:00:00+00:00", "t", "oom", "{}", None, "{}") + (None,) * len(added)
    con.execute(f"INSERT INTO incidents VALUES ({', '.join('?' * len(columns))})", values)
    con.commit()
    con.close()
    return f"sqlite:///{path}"


@pytest.fixture
def tf_copy(tmp_path: Path) -> Path:
    """A private copy of the repository's terraform/ tree (fixes are never made in place)."""
    dest = tmp_path / "repo" / "terraform"
    shutil.copytree(REPO / "terraform", dest)
    return dest


@contextmanager
def moto_server():
    """moto's real server (CloudWatch Logs and the rest of AWS) on a free loopback port; yields its URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def moto_url():
    with moto_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_url():
    from .pg import throwaway_postgres

    with throwaway_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """The store on SQLite and on a real PostgreSQL: every store test runs on both."""
    from doctor.store import Store

    if request.param == "sqlite":
        return Store(f"sqlite:///{tmp_path / 'doctor.db'}")
    url = request.getfixturevalue("postgres_url")
    s = Store(url)
    from doctor.store.db import metadata

    with s.engine.begin() as conn:  # a clean slate per test on the shared cluster
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    return s


@pytest.fixture
def chat():
    """Slack's Web API, local (chat.postMessage and the rest), fresh for each test."""
    c = SlackWebAPI()
    yield c
    c.close()


# -- Slack: a signed slash command, as Slack sends it ------------------------------------------------

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
WINDOW = "since=2026-11-20T09:00:00Z until=2026-11-20T09:40:00Z"


def command(text, slack, *, trigger="13345224609.738474920.8088930838d88f008e0", team="T0001", ts=None,
            secret=SECRET, signed=True, name="/analyze-logs", user="U2147483697"):
    body = urlencode({"token": "deprecated", "team_id": team, "team_domain": "acme", "channel_id": "C2147483705",
                      "channel_name": "incidents", "user_id": user, "user_name": "oncall",
                      "command": name, "text": text, "response_url": slack.url, "trigger_id": trigger,
                      "api_app_id": "A123456"}).encode()
    ts = str(int(time.time())) if ts is None else str(ts)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts}
    if signed:
        headers["X-Slack-Signature"] = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return body, headers


def post(base, body, headers):
    return httpx.post(f"{base}/slack/events", content=body, headers=headers, timeout=10)


# -- alerts: the bearer token, the sample payloads, SNS notifications --------------------------------

ALERT_FIXTURES = Path(__file__).parent / "fixtures" / "alerts"
TOKEN = "alert-token-0123456789"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
TOPIC = "arn:aws:sns:ap-northeast-2:123456789012:patient-alarms"


def payload(name: str) -> dict:
    return json.loads((ALERT_FIXTURES / name).read_text())


def sns_notification(alarm: dict, *, message_id: str = "f1c1b1a0-0000-4000-8000-000000000001") -> dict:
    return {"Type": "Notification", "MessageId": message_id, "TopicArn": TOPIC,
            "Subject": f'ALARM: "{alarm["AlarmName"]}" in Asia Pacific (Seoul)', "Message": json.dumps(alarm),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"), "SignatureVersion": "1", "Signature": "",
            "SigningCertURL": "", "UnsubscribeURL": "https://sns.ap-northeast-2.amazonaws.com/?Action=Unsubscribe"}


def post_sns(doctor, message: dict, kind: str | None = None):
    # SNS posts text/plain, not application/json.
    return httpx.post(f"{doctor.url}/alerts/sns", content=json.dumps(message),
                      headers={"Content-Type": "text/plain; charset=UTF-8",
                               "x-amz-sns-message-type": kind or message["Type"]})


# -- Cloud Tasks: the emulator on a free port ---------------------------------------------------------

QUEUE = "projects/acme-doctor/locations/asia-northeast3/queues/doctor-jobs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


def wait_for(predicate, timeout: float = 90) -> bool:
    """Poll until `predicate()` is true (True) or the timeout passes (False): a job records its outcome
    after it has answered, so a test that saw the answer waits for the record rather than racing it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def finished_jobs(app, key_prefix: str = "", timeout: float = 60) -> list[dict]:
    """The jobs whose key starts with `key_prefix`, once every one of them is done or failed."""
    from sqlalchemy import text

    rows: list[dict] = []

    def finished() -> bool:
        nonlocal rows
        with app.state.store().engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(text("SELECT * FROM jobs WHERE key LIKE :k"),
                                                  {"k": key_prefix + "%"}).mappings()]
        return bool(rows) and all(r["status"] in ("done", "failed") for r in rows)

    if not wait_for(finished, timeout):
        raise AssertionError(f"jobs {key_prefix}* did not finish: {rows}")
    return rows


def emulator_bin() -> str | None:
    return os.environ.get("DOCTOR_TASKS_EMULATOR_BIN") or shutil.which("gcloud-tasks-emulator") or (
        str(REPO / ".venv-tasks/bin/gcloud-tasks-emulator") if (REPO / ".venv-tasks/bin/gcloud-tasks-emulator").exists()
        else None)


@pytest.fixture
def emulator():
    exe = emulator_bin()
    assert exe, "the Cloud Tasks emulator is needed (make test installs it into .venv-tasks)"
    port = free_port()
    proc = subprocess.Popen([exe, "start", "--port", str(port), "--max-retries", "5", "--quiet",
                             "--default-queue", QUEUE], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Served:
    """An ASGI app served by a real uvicorn on a loopback port, in a thread."""

    def __init__(self, app):
        import threading
        import time

        import uvicorn

        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{self.server.servers[0].sockets[0].getsockname()[1]}"

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


# `make check` runs what is left after these: the tests that start a real server, process, browser
# or database (by the fixtures they use), and the modules that run the patient for whole windows or
# drive the service end to end. `make test` runs everything.
SLOW_FIXTURES = frozenset({"moto_url", "postgres_url", "service", "doctor", "emulator", "tasks_app", "patient",
                           "sns_host", "oidc"})
SLOW_MODULES = frozenset({"test_patient_e2e", "test_patient", "test_demo", "test_cli", "test_tasks", "test_container",
                          "test_reports", "test_terraform", "test_socket_mode", "test_slack", "test_alerts",
                          "test_observe", "test_lazy_imports", "test_parallel", "test_workflows", "test_check",
                          "test_deploys", "test_collect", "test_sources_cloudwatch", "test_sources_loki",
                          "test_file_source", "test_prescribe", "test_newest_first", "test_platform_streams",
                          "test_edge", "test_fuzz", "test_verdicts",
                          "test_rounds"})


def pytest_collection_modifyitems(items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        param = getattr(item, "callspec", None)
        on_postgres = param is not None and param.params.get("store") == "postgresql"
        if module in SLOW_MODULES or SLOW_FIXTURES & set(item.fixturenames) or on_postgres:
            item.add_marker(pytest.mark.slow)

