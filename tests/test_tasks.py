"""The Cloud Tasks job backend: /tasks/run's OIDC check, at-most-once execution, the real client
against the gcloud-tasks-emulator, and two instances sharing one PostgreSQL and one queue."""

import asyncio
import os
import subprocess
import sys
import time

import httpx
import pytest

from doctor.config import Settings
from doctor.demo.scenarios import SCENARIOS, write_window
from doctor.jobs import JobSpec, execute
from doctor.jobs.runner import CloudTasksRunner, task_id
from doctor.web.app import create_app

from .conftest import BEARER, QUEUE, REPO, SECRET, TOKEN, Served, command, free_port, payload, wait_for, wait_port
from .fakes.google_oidc import GoogleOidc, TokenRelay
from .fakes.slack_api import SlackResponses

SA = "doctor-tasks@acme-doctor.iam.gserviceaccount.com"
AUDIENCE = "https://cloud-doctor-123.asia-northeast3.run.app"


@pytest.fixture(scope="module")
def oidc():
    o = GoogleOidc()
    yield o
    o.close()


@pytest.fixture
def slack():
    s = SlackResponses()
    yield s
    s.server.shutdown()


def notice(key: str, slack, text: str = "hello from a task") -> JobSpec:
    return JobSpec(kind="notice", key=key, args={"response_url": slack.url, "message": {
        "response_type": "ephemeral", "replace_original": False, "text": text}})


@pytest.fixture
def tasks_app(tmp_path, oidc):
    settings = Settings(service_url=AUDIENCE, tasks_service_account=SA, oidc_certs_url=oidc.certs_url,
                        database_url=f"sqlite:///{tmp_path / 'd.db'}")
    served = Served(create_app(settings))
    yield served
    served.close()


def run_task(base: str, spec: JobSpec | bytes, token: str | None):
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    body = spec if isinstance(spec, bytes) else spec.to_json()
    return httpx.post(f"{base}/tasks/run", content=body, headers=headers, timeout=60)


def test_tasks_run_accepts_only_googles_token_for_the_tasks_account(tasks_app, oidc, slack):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    spec = notice("t:auth", slack)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    refused = {
        "no token": None,
        "another audience": oidc.mint(audience="https://evil.example.com", email=SA),
        "another account": oidc.mint(audience=AUDIENCE, email="someone@acme.iam.gserviceaccount.com"),
        "email not verified": oidc.mint(audience=AUDIENCE, email=SA, email_verified=False),
        "not Google": oidc.mint(audience=AUDIENCE, email=SA, issuer="https://issuer.example.com"),
        "expired": oidc.mint(audience=AUDIENCE, email=SA, lifetime=-3600),
        "forged": oidc.mint(audience=AUDIENCE, email=SA, key=other_key),
        "garbage": "not.a.jwt",
    }
    for why, token in refused.items():
        resp = run_task(tasks_app.url, spec, token)
        assert resp.status_code == 401, why
    assert tasks_app.app.state.store().get_job("t:auth") is None and slack.messages == []  # nothing ran

    good = oidc.mint(audience=AUDIENCE, email=SA)
    assert run_task(tasks_app.url, b'{"kind": "nope"}', good).status_code == 400
    first = run_task(tasks_app.url, spec, good)
    assert first.status_code == 200 and first.json() == {"job": "t:auth", "status": "done", "ran": True}
    assert [m["text"] for m in slack.messages] == ["hello from a task"]
    again = run_task(tasks_app.url, spec, good)  # a redelivered task for a finished job
    assert again.status_code == 200 and again.json()["ran"] is False
    time.sleep(0.2)
    assert len(slack.messages) == 1


def test_a_job_held_by_another_delivery_asks_cloud_tasks_to_retry(tasks_app, oidc, slack):
    store = tasks_app.app.state.store()
    assert store.start_job("t:held", kind="notice", request={}, stale_after_seconds=600)
    resp = run_task(tasks_app.url, notice("t:held", slack), oidc.mint(audience=AUDIENCE, email=SA))
    assert resp.status_code == 409 and slack.messages == []


def test_a_claim_left_by_a_dead_attempt_is_taken_over(store):
    assert store.start_job("k", kind="notice", request={}, stale_after_seconds=600)
    assert not store.start_job("k", kind="notice", request={}, stale_after_seconds=600)
    assert store.start_job("k", kind="notice", request={}, stale_after_seconds=-1)  # older than "stale"
    store.set_job("k", status="done")
    assert not store.start_job("k", kind="notice", request={}, stale_after_seconds=-1)  # finished: never again


def test_execute_says_whether_it_ran_the_job(tmp_path, slack):
    """A delivery that finds the job finished by another reports it as not run by itself."""
    from doctor.store import open_store

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}")
    store = open_store(settings)
    spec = notice("once", slack)
    assert asyncio.run(execute(spec, settings=settings, store=store)) == ("done", True)
    assert asyncio.run(execute(spec, settings=settings, store=store)) == ("done", False)
    assert len(slack.wait(1)) == 1


class RecordingTasksClient:
    """(The async client's shape.) Cloud Tasks' documented behaviour for names: a second task with the same name is refused."""

    def __init__(self):
        self.tasks = []

    async def create_task(self, *, parent, task, timeout=None):
        from google.api_core.exceptions import AlreadyExists

        if any(t.name == task.name for t in self.tasks):
            raise AlreadyExists(f"Requested entity already exists: {task.name}")
        self.tasks.append(task)
        return task


def test_the_task_is_named_after_the_idempotency_key_and_carries_the_oidc_token():
    settings = Settings(job_backend="cloudtasks", tasks_queue=QUEUE, service_url=AUDIENCE + "/",
                        tasks_service_account=SA, job_deadline_seconds=300)
    client = RecordingTasksClient()
    runner = CloudTasksRunner(settings=settings, client=client)
    spec = JobSpec(kind="analyze", key="slack:analyze:123.456", args={"x": 1})
    assert asyncio.run(runner.create_task(spec)) is True
    assert asyncio.run(runner.create_task(spec)) is False  # the same key: refused by name, no second task
    assert asyncio.run(runner.create_task(JobSpec(kind="analyze", key="slack:analyze:789", args={}))) is True
    task = client.tasks[0]
    assert task.name == f"{QUEUE}/tasks/{task_id('slack:analyze:123.456')}" and len(client.tasks) == 2
    assert task.http_request.url == AUDIENCE + "/tasks/run"
    assert task.http_request.oidc_token.service_account_email == SA
    assert task.http_request.oidc_token.audience == AUDIENCE
    assert JobSpec.from_json(task.http_request.body) == spec
    assert task.dispatch_deadline.total_seconds() == 360  # the job's deadline and time to report it
    asyncio.run(runner.submit(JobSpec(kind="notice", key="later", args={}), delay_seconds=600))
    assert client.tasks[-1].schedule_time.timestamp() > time.time() + 590


def test_cloudtasks_needs_its_settings():
    with pytest.raises(ValueError, match="DOCTOR_TASKS_QUEUE"):
        CloudTasksRunner(settings=Settings(job_backend="cloudtasks"))


# -- the real client against the emulator ----------------------------------------------------------------

def test_a_slash_command_becomes_a_cloud_task_that_runs_inside_its_request(tmp_path, emulator, oidc, slack):
    logs = tmp_path / "logs"
    write_window(SCENARIOS["exchange_rate_limit"], logs)
    relay = TokenRelay(oidc, email=SA)
    settings = Settings(slack_signing_secret=SECRET, local_logs_dir=logs, terraform_dir=REPO / "terraform",
                        database_url=f"sqlite:///{tmp_path / 'd.db'}", job_backend="cloudtasks", tasks_queue=QUEUE,
                        tasks_emulator_host=emulator, service_url=relay.url, tasks_service_account=SA,
                        oidc_certs_url=oidc.certs_url)
    served = Served(create_app(settings))
    relay.targets.append(served.url)
    try:
        body, headers = command("service=executor since=2026-11-20T09:00:00Z until=2026-11-20T09:40:00Z", slack,
                                trigger="cloudtasks.1")
        ack = httpx.post(f"{served.url}/slack/events", content=body, headers=headers, timeout=10)
        assert ack.status_code == 200 and ack.json()["text"].startswith("🩺 Analyzing `executor`")
        # The same command again (Slack's retry): no second task.
        again = httpx.post(f"{served.url}/slack/events", content=body, headers=headers, timeout=10)
        assert again.json()["response_type"] == "ephemeral"
        assert wait_for(lambda: any(m.get("blocks") for m in slack.messages))
        answer = next(m for m in slack.messages if m.get("blocks"))
        assert answer["text"].startswith("🩺 The exchange API is rate limiting")
        # The relay records a delivery when /tasks/run has answered, which is after the job's message.
        assert wait_for(lambda: relay.deliveries)
        assert relay.deliveries == [(served.url, 200)]  # delivered by the emulator, through Google's token
        job = served.app.state.store().get_job("slack:analyze:cloudtasks.1")
        assert job["status"] == "done"
    finally:
        served.close()
        relay.close()


# -- two instances, one PostgreSQL, one queue -------------------------------------------------------------

def start_instance(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "doctor.web.app:create_app",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_port(port)
    return proc, f"http://127.0.0.1:{port}"


def test_two_instances_sharing_postgres_and_a_queue_never_run_a_job_twice(tmp_path, emulator, oidc, slack,
                                                                         postgres_url):
    from doctor.store import Store
    from doctor.store.db import metadata

    with Store(postgres_url).engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    logs = tmp_path / "logs"
    write_window(SCENARIOS["exchange_rate_limit"], logs)
    relay = TokenRelay(oidc, email=SA)
    env = {**os.environ, "SLACK_SIGNING_SECRET": SECRET, "DOCTOR_LOCAL_LOGS_DIR": str(logs),
           "DOCTOR_TERRAFORM_DIR": str(REPO / "terraform"), "DOCTOR_DATABASE_URL": postgres_url,
           "DOCTOR_JOB_BACKEND": "cloudtasks", "DOCTOR_TASKS_QUEUE": QUEUE, "DOCTOR_TASKS_EMULATOR_HOST": emulator,
           "DOCTOR_SERVICE_URL": relay.url, "DOCTOR_TASKS_SERVICE_ACCOUNT": SA,
           "DOCTOR_OIDC_CERTS_URL": oidc.certs_url, "DOCTOR_LOG_FORMAT": "text"}
    instances = [start_instance(env) for _ in range(2)]
    urls = [url for _, url in instances]
    relay.targets.extend(urls)
    try:
        # Slack delivers the same command to both instances at once (a retry that crossed the first).
        body, headers = command("service=executor since=2026-11-20T09:00:00Z until=2026-11-20T09:40:00Z", slack,
                                trigger="two.instances")

        async def both(make):
            async with httpx.AsyncClient(timeout=60) as client:
                return await asyncio.gather(*[make(client, url) for url in urls])

        acks = asyncio.run(both(lambda c, u: c.post(f"{u}/slack/events", content=body, headers=headers)))
        kinds = sorted(a.json()["response_type"] for a in acks)
        assert kinds == ["ephemeral", "in_channel"]
        assert wait_for(lambda: any(m.get("blocks") for m in slack.messages))
        # Redeliveries of the finished job to both instances: neither runs it again.
        spec = JobSpec(kind="analyze", key="slack:analyze:two.instances", args={})
        token = oidc.mint(audience=relay.url, email=SA)
        redelivered = asyncio.run(both(lambda c, u: c.post(f"{u}/tasks/run", content=spec.to_json(), headers={
            "Authorization": f"Bearer {token}"})))
        assert [r.status_code for r in redelivered] == [200, 200]
        assert all(r.json()["ran"] is False for r in redelivered)
        # A fresh job delivered to both at the same moment: it runs once.
        fresh = notice("two:fresh", slack, text="exactly once")
        raced = asyncio.run(both(lambda c, u: c.post(f"{u}/tasks/run", content=fresh.to_json(), headers={
            "Authorization": f"Bearer {token}"})))
        ran = [r for r in raced if r.status_code == 200 and r.json().get("ran")]
        assert len(ran) == 1 and all(r.status_code in (200, 409) for r in raced)
        time.sleep(0.5)
        assert [m["text"] for m in slack.messages].count("exactly once") == 1
        assert sum(1 for m in slack.messages if m.get("blocks")) == 1  # one diagnosis for the command
    finally:
        for proc, _ in instances:
            proc.terminate()
            proc.wait(timeout=10)
        relay.close()


class DownTasksClient:
    async def create_task(self, *, parent, task, timeout=None):
        from google.api_core.exceptions import ServiceUnavailable

        raise ServiceUnavailable("the queue is unavailable")


def test_a_queue_that_is_down_is_told_and_an_alert_retry_is_analysed(tmp_path, slack):
    settings = Settings(slack_signing_secret=SECRET, alert_token=TOKEN, job_backend="cloudtasks", tasks_queue=QUEUE,
                        service_url=AUDIENCE, tasks_service_account=SA, database_url=f"sqlite:///{tmp_path / 'd.db'}")
    served = Served(create_app(settings))
    deps = served.app.state.deps
    deps._runner = CloudTasksRunner(settings=settings, client=DownTasksClient())
    try:
        body, headers = command("service=executor", slack, trigger="queue.down")
        ack = httpx.post(f"{served.url}/slack/events", content=body, headers=headers).json()
        assert ack["response_type"] == "ephemeral" and "could not queue" in ack["text"]
        assert "ServiceUnavailable" in deps.store().get_job("slack:analyze:queue.down")["detail"]
        first = httpx.post(f"{served.url}/alerts/alertmanager", json=payload("alertmanager_firing.json"), headers=BEARER)
        assert first.status_code == 503 and "could not be queued" in first.json()["error"]
        client = RecordingTasksClient()
        deps._runner = CloudTasksRunner(settings=settings, client=client)  # the queue is back
        retry = httpx.post(f"{served.url}/alerts/alertmanager", json=payload("alertmanager_firing.json"), headers=BEARER)
        assert retry.status_code == 202 and retry.json()["outcomes"][0]["action"] == "analyze"
        assert len(client.tasks) == 1 and b'"kind": "alert"' in client.tasks[0].http_request.body
    finally:
        served.close()
