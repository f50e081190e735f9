from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from doctor.models import LogRecord

REPO = Path(__file__).resolve().parent.parent
# The tests' Slack (response_url) stands on loopback: allowed beside Slack's own host, for every app
# and `doctor serve` the suite starts. The refusal of other hosts is tested with its own setting.
os.environ.setdefault("DOCTOR_SLACK_RESPONSE_URL_HOSTS", '["hooks.slack.com", "127.0.0.1"]')
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def rec(message: str, *, minute: float = 0, service: str = "executor", level: str | None = None) -> LogRecord:
    return LogRecord(timestamp=T0 + timedelta(minutes=minute), source="file", message=message,
                     labels={"service": service}, level=level)


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
                          "test_file_source", "test_prescribe"})


def pytest_collection_modifyitems(items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        param = getattr(item, "callspec", None)
        on_postgres = param is not None and param.params.get("store") == "postgresql"
        if module in SLOW_MODULES or SLOW_FIXTURES & set(item.fixturenames) or on_postgres:
            item.add_marker(pytest.mark.slow)

