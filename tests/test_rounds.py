"""The doctor's rounds: quiet when healthy, one post when sick, an alert that follows attaches to the
round's incident; through the in-process runner, `/tasks/run` as Cloud Scheduler calls it, the Cloud
Tasks emulator, and `doctor rounds`.

The logs are the patient's simulated window (`exchange_rate_limit`: healthy from 09:00, the executor
rate limited from 09:25), read through the file source; the round's time picks the interval."""

import asyncio
import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from doctor.alerts import ADAPTERS, Inbound
from doctor.alerts.service import receive
from doctor.config import ServiceLogs, Settings
from doctor.demo.scenarios import SCENARIOS, write_window
from doctor.jobs import InProcessRunner, JobSpec, execute
from doctor.jobs.rounds import findings_of, rounds_slot
from doctor.jobs.runner import CloudTasksRunner
from doctor.jobs.spec import rounds_spec
from doctor.store import open_store
from doctor.web.app import create_app

from .conftest import QUEUE, REPO, Served, payload, rec
from .fakes.google_oidc import GoogleOidc, TokenRelay

SA = "doctor-tasks@acme-doctor.iam.gserviceaccount.com"
AUDIENCE = "https://cloud-doctor-123.asia-northeast3.run.app"
EVERY = 10.0  # minutes: rounds at 09:20 and 09:30 of the window
HEALTHY_AT = datetime(2026, 11, 20, 9, 20, tzinfo=UTC)  # the interval 09:10-09:20: before the chaos
SICK_AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # 09:20-09:30: the executor rate limited from 09:25


@pytest.fixture(scope="module")
def window(tmp_path_factory):
    logs = tmp_path_factory.mktemp("logs")
    write_window(SCENARIOS["exchange_rate_limit"], logs)
    return logs


def make_settings(tmp_path, window, chat, **overrides) -> Settings:
    return Settings(**{"local_logs_dir": window, "slack_bot_token": "xoxb-test", "slack_api_base_url": chat.url,
                       "alert_channel": "C0ALERTS", "terraform_dir": REPO / "terraform",
                       "database_url": f"sqlite:///{tmp_path / 'doctor.db'}", "rounds_every_minutes": EVERY,
                       **overrides})


def run_round(settings, store, at, services=None):
    async def go():
        runner = InProcessRunner(settings=settings, store=store)
        spec = rounds_spec(at, settings=settings, services=services)
        await runner.submit(spec)
        await runner.drain()
        return spec

    return asyncio.run(go())


def statuses(store, at) -> dict[str, str]:
    return {r["service"]: r["status"] for r in store.rounds_of(limit=500) if r["at"].startswith(at.isoformat()[:16])}


def alertmanager(**settings):
    [alert] = ADAPTERS["alertmanager"](Settings(**settings)).parse(
        Inbound({}, json.dumps(payload("alertmanager_firing.json")).encode()))
    return alert


# -- the in-process runner ---------------------------------------------------------------------------------

def test_a_healthy_round_posts_nothing_and_records_every_service_healthy(tmp_path, window, chat):
    settings = make_settings(tmp_path, window, chat)
    store = open_store(settings)
    spec = run_round(settings, store, HEALTHY_AT)
    assert store.get_job(spec.key)["status"] == "done"
    assert statuses(store, HEALTHY_AT) == {s: "healthy" for s in settings.services}, store.rounds_of("executor")
    time.sleep(0.2)
    assert chat.posts == []


def test_a_sick_service_is_posted_once_and_an_alert_that_follows_attaches_to_its_incident(tmp_path, window, chat):
    settings = make_settings(tmp_path, window, chat)
    store = open_store(settings)
    spec = run_round(settings, store, SICK_AT)
    found = statuses(store, SICK_AT)
    assert found.pop("executor") == "sick"
    assert set(found.values()) == {"healthy"}  # the rest of the stack is well
    [post] = chat.wait(1)
    assert post["channel"] == "C0ALERTS"
    assert post["text"].startswith("🩺 Rounds found new errors in executor since 09:20Z")
    assert "rate limit" in post["text"].lower() and "429" in json.dumps(post["blocks"])
    [sick] = [r for r in store.rounds_of("executor")]
    assert sick["incident_id"] and all(f["kind"] == "new" for f in sick["findings"])
    group = store.get_group(sick["group_id"])
    assert group["fingerprint"] == "round:executor" and group["source"] == "round" and group["thread_ts"] == post["ts"]
    assert store.get_incident(sick["incident_id"])["category"] == "upstream_rate_limit"

    # The same round delivered again runs no second time; the next round is covered by the open incident.
    assert asyncio.run(execute(spec, settings=settings, store=store)) == ("done", False)
    run_round(settings, store, SICK_AT + timedelta(minutes=10), services=["executor"])
    assert statuses(store, SICK_AT + timedelta(minutes=10)) == {"executor": "covered"}
    time.sleep(0.2)
    assert len(chat.posts) == 1

    # The alert fires after the round: it joins the round's group (within the cooldown: no new analysis).
    alert = alertmanager()
    [outcome] = receive([alert], settings=settings, store=store, redact=str, now=SICK_AT + timedelta(minutes=2))
    assert outcome.action == "attach" and outcome.group["id"] == group["id"]
    assert "the round analysed at 09:30Z" in outcome.reason
    assert store.get_group(group["id"])["alert_count"] == 1
    assert [a["name"] for a in store.alerts_for_incident(sick["incident_id"])] == ["ExecutorErrorRate"]
    # Past the cooldown the alert is analysed again, in the round's thread.
    [later] = receive([alert], settings=settings, store=store, redact=str, now=SICK_AT + timedelta(minutes=45))
    assert later.action == "analyze" and later.group["id"] == group["id"] and later.group["thread_ts"] == post["ts"]


def test_an_open_alert_incident_covers_the_service_and_the_round_stays_silent(tmp_path, window, chat):
    settings = make_settings(tmp_path, window, chat)
    store = open_store(settings)
    [outcome] = receive([alertmanager()], settings=settings, store=store, redact=str, now=SICK_AT - timedelta(minutes=3))
    assert outcome.action == "analyze"
    run_round(settings, store, SICK_AT, services=["executor"])
    [row] = store.rounds_of("executor")
    assert row["status"] == "covered" and row["group_id"] == outcome.group["id"] and row["findings"]
    time.sleep(0.2)
    assert chat.posts == []


def test_a_round_closes_its_incident_when_what_it_found_is_gone(tmp_path, window, chat):
    settings = make_settings(tmp_path, window, chat)
    store = open_store(settings)
    run_round(settings, store, SICK_AT, services=["executor"])
    group_id = store.rounds_of("executor")[0]["group_id"]
    # 09:40-09:50: the chaos was healed at 09:37 and the window ends at 09:40; the executor's 429s are gone,
    # but so are its lines: a service without a line is not well.
    run_round(settings, store, SICK_AT + timedelta(minutes=20), services=["executor"])
    assert statuses(store, SICK_AT + timedelta(minutes=20)) == {"executor": "covered"}
    # The interval 09:38-09:40 alone (a 2-minute round): the executor logs again, without a 429.
    short = settings.model_copy(update={"rounds_every_minutes": 2.0})
    run_round(short, store, datetime(2026, 11, 20, 9, 40, tzinfo=UTC), services=["executor"])
    assert statuses(store, datetime(2026, 11, 20, 9, 40, tzinfo=UTC)) == {"executor": "recovered"}
    assert store.get_group(group_id)["status"] == "resolved"
    note = chat.wait(2)[-1]
    assert note["thread_ts"] == chat.posts[0]["ts"] and "looks well again" in note["text"]


def test_a_service_that_went_quiet_is_posted(tmp_path, chat):
    """A heartbeat every 30 s from 08:00, then nothing after 09:21: the round at 09:30 sees the silence
    though no other stream is read beside it."""
    logs = tmp_path / "logs"
    logs.mkdir()
    t0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    lines = [f"{(t0 + timedelta(seconds=30 * i)).isoformat().replace('+00:00', 'Z')} INFO ticker heartbeat "
             f"seq={i} lag_ms={i % 7}" for i in range(2 * 81)]
    (logs / "ticker.log").write_text("\n".join(lines) + "\n")
    settings = make_settings(tmp_path, logs, chat, services={"ticker": ServiceLogs()}, default_services=["ticker"])
    store = open_store(settings)
    run_round(settings, store, SICK_AT)
    [row] = store.rounds_of("ticker")
    assert row["status"] == "sick" and [f["kind"] for f in row["findings"]] == ["quiet"]
    assert "until 09:21Z" in row["findings"][0]["text"]
    [post] = chat.wait(1)
    assert post["text"].startswith("🩺 Rounds found silence in ticker")


def test_a_new_problem_beside_the_rounds_open_incident_is_told_in_its_thread_and_an_old_one_is_not(tmp_path, chat):
    """09:22 Redis becomes unreachable (the 09:30 round pages); it goes on, and at 09:33 the disk quota
    runs out too. The 09:40 round: Redis is the open incident's own finding (covered), the quota is not
    (one reply in the incident's thread, no second page). The 09:50 round: both are known."""
    logs = tmp_path / "logs"
    logs.mkdir()
    t0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

    def at(seconds):
        return (t0 + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")

    lines = [(i * 30, f"INFO ticker heartbeat seq={i} lag_ms={i % 7}") for i in range(240)]
    lines += [(82 * 60 + 20 * i, f"ERROR cache: could not reach redis:6379: Connection refused (attempt {i})")
              for i in range(90)]
    lines += [(93 * 60 + 45 * i, f"ERROR spool: write /var/spool/ticker/batch-{i}.json: disk quota exceeded")
              for i in range(20)]
    (logs / "ticker.log").write_text("".join(f"{at(t)} {m}\n" for t, m in sorted(lines)))
    settings = make_settings(tmp_path, logs, chat, services={"ticker": ServiceLogs()}, default_services=["ticker"])
    store = open_store(settings)
    run_round(settings, store, SICK_AT)
    [page] = chat.wait(1)
    assert page["text"].startswith("🩺 Rounds found new errors in ticker") and "redis" in json.dumps(page["blocks"])
    run_round(settings, store, SICK_AT + timedelta(minutes=10))
    [row, _] = store.rounds_of("ticker")
    assert row["status"] == "sick" and len(row["findings"]) == 1 and row["findings"][0]["kind"] == "new"
    assert "disk quota exceeded" in row["findings"][0]["text"]
    _, reply = chat.wait(2)
    assert reply["thread_ts"] == page["ts"] and "disk quota exceeded" in json.dumps(reply["blocks"])
    run_round(settings, store, SICK_AT + timedelta(minutes=20))
    assert store.rounds_of("ticker")[0]["status"] == "covered"
    time.sleep(0.2)
    assert len(chat.posts) == 2


def test_findings_are_warnings_or_errors_of_the_service_itself(tmp_path):
    from doctor.digest.tally import build_digest

    records = [rec(f"GET /healthz 200 in {i} ms", minute=i / 4) for i in range(4 * 30)]
    records += [rec("user 42 logged in", minute=20 + i) for i in range(6)]  # new, but INFO: not a finding
    records += [rec(f"ERROR could not reach redis:6379 attempt {i}", minute=21 + i / 10) for i in range(20)]
    records += [rec(f"ERROR deadlock detected pid {i}", minute=22 + i, service="postgres via executor")
                for i in range(5)]  # a platform stream's line: the platform stream's own round reports it
    digest = build_digest(records, incident_start=datetime(2026, 11, 20, 9, 15, tzinfo=UTC))
    found = findings_of(digest, "executor")
    assert [(f.kind, f.lines) for f in found] == [("new", 20)]
    assert "could not reach <*> attempt" in found[0].text


def test_rounds_are_recorded_and_an_alert_joins_the_rounds_group_on_both_stores(store):
    group = store.create_group(fingerprint="round:executor", source="round", name="Round: new in executor",
                               service="executor", channel=None, now=SICK_AT)
    finding = {"kind": "new", "text": "order <*> failed | HTTPError: <*> Too Many Requests", "lines": 3, "level": "ERROR"}
    store.record_round(service="executor", at=HEALTHY_AT, status="healthy", findings=[])
    store.record_round(service="executor", at=SICK_AT, status="sick", findings=[finding], group_id=group["id"],
                       incident_id="inc-1")
    store.record_round(service="collector", at=SICK_AT, status="healthy", findings=[])
    assert [r["status"] for r in store.rounds_of("executor")] == ["sick", "healthy"]
    assert len(store.rounds_of()) == 3 and store.round_that_opened(group["id"])["findings"] == [finding]
    assert store.round_that_opened("no-such-group") is None
    [outcome] = receive([alertmanager()], settings=Settings(), store=store, redact=str, now=SICK_AT + timedelta(minutes=2))
    assert outcome.action == "attach" and outcome.group["id"] == group["id"]
    # Another service's alert does not join the executor's round.
    other = alertmanager().model_copy(update={"service": "collector", "fingerprint": "fp-collector"})
    [theirs] = receive([other], settings=Settings(), store=store, redact=str, now=SICK_AT + timedelta(minutes=2))
    assert theirs.action == "analyze" and theirs.group["id"] != group["id"]


def test_the_round_time_is_floored_to_the_interval_and_names_the_job():
    settings = Settings(rounds_every_minutes=15)
    at = datetime(2026, 11, 20, 9, 44, 59, tzinfo=UTC)
    assert rounds_slot(at, 15) == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    spec = rounds_spec(at, settings=settings)
    assert spec == rounds_spec(datetime(2026, 11, 20, 9, 30, tzinfo=UTC), settings=settings)
    assert spec.key == "rounds:2026-11-20T09:30:00Z" and spec.args == {"at": "2026-11-20T09:30:00Z", "services": None}
    assert rounds_spec(at + timedelta(seconds=1), settings=settings).key == "rounds:2026-11-20T09:45:00Z"
    assert len(rounds_spec(at, settings=settings, services=["s" * 90] * 5).key) <= 200


def test_below_the_threshold_a_round_is_diagnosed_offline_whatever_provider_is_configured(tmp_path, window, chat):
    settings = make_settings(tmp_path, window, chat, rca_provider="gemini", rounds_cloud_min_lines=10**6,
                             google_cloud_project="acme", gemini_base_url="http://127.0.0.1:9")
    store = open_store(settings)
    run_round(settings, store, SICK_AT, services=["executor"])
    row = store.rounds_of("executor")[0]
    diagnosis = store.get_incident(row["incident_id"])["diagnosis"]
    assert diagnosis["provider"] == "offline" and diagnosis["category"] == "upstream_rate_limit"
    assert any("DOCTOR_ROUNDS_CLOUD_MIN_LINES" in n for n in diagnosis["notes"])
    assert store.spend_on(SICK_AT.date()) == 0


def test_above_the_threshold_the_configured_providers_are_asked_and_the_daily_budget_applies(tmp_path, window, chat):
    """The finding clears the threshold, so the chain (Gemini first) is asked; the day's budget is spent, so
    Gemini is skipped without a call and the offline engine answers, saying why."""
    settings = make_settings(tmp_path, window, chat, rca_provider="gemini", rounds_cloud_min_lines=1,
                             daily_budget_usd=0.0, google_cloud_project="acme", gemini_base_url="http://127.0.0.1:9")
    store = open_store(settings)
    run_round(settings, store, SICK_AT, services=["executor"])
    diagnosis = store.get_incident(store.rounds_of("executor")[0]["incident_id"])["diagnosis"]
    assert diagnosis["provider"] == "offline" and diagnosis["category"] == "upstream_rate_limit"
    assert any(n.startswith("gemini skipped: the daily budget of $0.00 is spent") for n in diagnosis["notes"])
    assert not any("DOCTOR_ROUNDS_CLOUD_MIN_LINES" in n for n in diagnosis["notes"])


# -- as Cloud Scheduler calls it, and through the Cloud Tasks emulator -------------------------------------

@pytest.fixture(scope="module")
def oidc():
    o = GoogleOidc()
    yield o
    o.close()


def scheduler_post(base: str, token: str, schedule_time: str | None, args: dict | None = None):
    """What Cloud Scheduler sends (rounds.tf): the same body every time, the schedule time in a header."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}", "X-CloudScheduler": "true",
               "X-CloudScheduler-JobName": "doctor-rounds"}
    if schedule_time:
        headers["X-CloudScheduler-ScheduleTime"] = schedule_time
    body = json.dumps({"kind": "rounds", "key": "", "args": args or {}})
    return httpx.post(f"{base}/tasks/run", content=body, headers=headers, timeout=120)


def test_cloud_scheduler_calls_tasks_run_with_oidc_and_a_retry_is_the_same_round(tmp_path, window, chat, oidc):
    settings = make_settings(tmp_path, window, chat, service_url=AUDIENCE, tasks_service_account=SA,
                             oidc_certs_url=oidc.certs_url, rounds_services=["executor", "collector"])
    served = Served(create_app(settings))
    try:
        assert scheduler_post(served.url, "not.a.token", "2026-11-20T09:30:00Z").status_code == 401
        token = oidc.mint(audience=AUDIENCE, email=SA)
        for bad in ("yesterday at noon", "0001-01-01T00:00:00Z", "2026-11-20T09:30:00", "9" * 100):
            assert scheduler_post(served.url, token, bad).status_code == 400, bad
        wrong = scheduler_post(served.url, token, "2026-11-20T09:30:00Z", args={"services": ["nope"] * 5000})
        assert wrong.status_code == 400 and "unknown service(s) nope" in wrong.json()["error"]
        first = scheduler_post(served.url, token, "2026-11-20T09:30:00Z")
        assert first.status_code == 200 and first.json() == {"job": "rounds:2026-11-20T09:30:00Z", "status": "done",
                                                             "ran": True}
        retry = scheduler_post(served.url, token, "2026-11-20T09:30:00Z")
        assert retry.json()["ran"] is False
        store = served.app.state.store()
        assert statuses(store, SICK_AT) == {"executor": "sick", "collector": "healthy"}
        time.sleep(0.2)
        assert len(chat.posts) == 1 and chat.posts[0]["text"].startswith("🩺 Rounds found new errors in executor")
    finally:
        served.close()


def test_a_round_through_the_cloud_tasks_emulator(tmp_path, window, chat, emulator, oidc):
    relay = TokenRelay(oidc, email=SA)
    settings = make_settings(tmp_path, window, chat, job_backend="cloudtasks", tasks_queue=QUEUE,
                             tasks_emulator_host=emulator, service_url=relay.url, tasks_service_account=SA,
                             oidc_certs_url=oidc.certs_url)
    served = Served(create_app(settings))
    relay.targets.append(served.url)
    try:
        async def submit(spec: JobSpec):
            await CloudTasksRunner(settings=settings).submit(spec)

        store = served.app.state.store()
        for at in (HEALTHY_AT, SICK_AT):
            spec = rounds_spec(at, settings=settings, services=["executor"])
            assert store.claim_job(spec.key, kind=spec.kind, request=spec.args)
            asyncio.run(submit(spec))
        deadline = time.time() + 120
        while time.time() < deadline and len(relay.deliveries) < 2:
            time.sleep(0.1)
        assert relay.deliveries == [(served.url, 200)] * 2
        assert statuses(store, HEALTHY_AT) == {"executor": "healthy"}
        assert statuses(store, SICK_AT) == {"executor": "sick"}
        assert len(chat.posts) == 1 and chat.posts[0]["channel"] == "C0ALERTS"
        # The alert that follows (two minutes after the round's time): attached to the round's incident.
        [outcome] = receive([alertmanager()], settings=settings, store=store, redact=str,
                            now=SICK_AT + timedelta(minutes=2))
        assert outcome.action == "attach" and outcome.group["id"] == store.rounds_of("executor")[0]["group_id"]
    finally:
        served.close()
        relay.close()


# -- doctor rounds -----------------------------------------------------------------------------------------

def test_doctor_rounds_once_replays_a_past_round(tmp_path, window, chat):
    env = {"PATH": "/usr/bin:/bin", "DOCTOR_LOCAL_LOGS_DIR": str(window), "SLACK_BOT_TOKEN": "xoxb-test",
           "SLACK_API_BASE_URL": chat.url, "DOCTOR_ALERT_CHANNEL": "C0ALERTS",
           "DOCTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}", "DOCTOR_TERRAFORM_DIR": str(REPO / "terraform")}

    def doctor(*args):
        return subprocess.run([sys.executable, "-m", "doctor", "rounds", *args], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300)

    proc = doctor("--once", "--at", "2026-11-20T09:30:00Z", "--service", "executor", "--service", "strategy")
    assert proc.returncode == 0, proc.stderr
    assert "09:30Z executor: sick (upstream_rate_limit" in proc.stdout and "09:30Z strategy: healthy" in proc.stdout
    assert len(chat.wait(1)) == 1
    bad = doctor("--at", "2026-11-20T09:30:00Z")
    assert bad.returncode == 2 and "--once" in bad.stderr
    assert doctor("--once", "--service", "nope").returncode == 2
    assert doctor("--every", "5s").returncode == 2
