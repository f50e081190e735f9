"""Deploy awareness: deploys recorded, listed with every diagnosis, and blamed when errors follow them."""

import time
from datetime import timedelta

import httpx
import pytest

from doctor import pipeline
from doctor.config import Settings
from doctor.deploys import Deploy, record
from doctor.web.app import create_app

from .conftest import REPO, T0, Served, finished_jobs, rec

TOKEN = "deploy-token-0123456789"
NAMELESS = "signal step failed: lookback window produced 0 candles for BTC-USD"  # an error that names no cause


def window_with(errors: str, *, service: str = "strategy") -> list:
    healthy = [rec(f"signal computed for BTC-USD fast=12 slow=26 value={i}", minute=i * 0.5, service=service,
                   level="INFO") for i in range(80)]
    sick = [rec(errors, minute=24 + i * 0.2, service=service, level="ERROR") for i in range(60)]
    return healthy + sick


def diagnose(records, store, settings):
    digest = pipeline.build(records, settings=settings)
    context = pipeline.context_for(digest, settings=settings, store=store, services=["strategy"])
    return pipeline.diagnose(digest, settings=settings, context=context)


def test_errors_right_after_a_deploy_make_it_the_diagnosis(store):
    settings = Settings(terraform_dir=REPO / "terraform")
    # An error no signature knows and whose words name no cause (the term scorer reads "parameter ...
    # must be positive" as configuration and, since the refit of 2026-12-07, a raised `ValueError` as a code
    # regression already, so those wordings would not do here).
    records = window_with(NAMELESS)
    before = diagnose(records, store, settings).diagnosis
    assert before.category == "other" and before.deploys == []

    record(Deploy(service="strategy", version="v2.4.0", commit="9f1c2ab77e0d", actor="alice",
                  at=T0 + timedelta(minutes=21), run_url="https://github.com/acme/patient/actions/runs/42"),
           store=store, redact=str)
    after = diagnose(records, store, settings).diagnosis
    assert after.category == "deploy_regression" and after.alternatives == []
    assert after.notes[0].startswith("Errors started 3 min after the deploy of strategy v2.4.0 (09:21Z, by alice)")
    assert after.deploys == ["2026-11-20 09:21Z strategy v2.4.0 (9f1c2ab77e0d) to production, success by alice "
                             "https://github.com/acme/patient/actions/runs/42"]
    assert "Roll back" in after.next_steps[0]


def test_a_specific_cause_stays_first_and_the_deploy_becomes_the_alternative(store):
    settings = Settings(terraform_dir=REPO / "terraform")
    record(Deploy(service="strategy", version="v2.4.0", at=T0 + timedelta(minutes=22)), store=store, redact=str)
    records = window_with('psycopg.errors.UndefinedColumn: column "risk_limit" of relation "orders" does not exist')
    d = diagnose(records, store, settings).diagnosis
    assert d.category == "schema_migration" and d.alternatives[0] == "deploy_regression"
    assert any(n.startswith("Errors started 2 min after the deploy") for n in d.notes)


def test_old_and_failed_deploys_are_listed_but_not_blamed(store):
    settings = Settings(terraform_dir=REPO / "terraform", deploy_regression_minutes=30)
    record(Deploy(service="strategy", version="v2.3.9", at=T0 - timedelta(minutes=90)), store=store, redact=str)
    record(Deploy(service="strategy", version="v2.4.0", status="failure", at=T0 + timedelta(minutes=20)),
           store=store, redact=str)
    record(Deploy(service="collector", version="v9", at=T0 + timedelta(minutes=20)), store=store, redact=str)
    d = diagnose(window_with(NAMELESS), store, settings).diagnosis
    assert d.category == "other"
    assert [line.split()[3] for line in d.deploys] == ["v2.4.0", "v2.3.9"]  # newest first, only this service


# -- over HTTP ---------------------------------------------------------------------------------------

def served(tmp_path, chat, log_lines: dict[str, list[str]]):
    logs = tmp_path / "logs"
    logs.mkdir()
    for service, lines in log_lines.items():
        (logs / f"{service}.log").write_text("\n".join(lines) + "\n")
    settings = Settings(deploy_token=TOKEN, slack_bot_token="xoxb-test", slack_api_base_url=chat.url,
                        alert_channel="C0DEPLOYS", local_logs_dir=logs, terraform_dir=REPO / "terraform",
                        database_url=f"sqlite:///{tmp_path / 'doctor.db'}", deploy_check_delay_seconds=0)
    return Served(create_app(settings))


def lines(errors_after: bool) -> list[str]:
    out = [f"2026-11-20T09:{m:02d}:{s:02d}Z INFO strategy: signal computed for BTC-USD value={m}"
           for m in range(0, 40) for s in (5, 35)]
    if errors_after:
        out += [f"2026-11-20T09:{m:02d}:{s:02d}Z ERROR strategy: KeyError: 'lookback' in StrategyConfig"
                for m in range(22, 40) for s in (10, 20, 40)]
    return sorted(out)


DEPLOY = {"service": "strategy", "version": "v2.4.0", "commit": "9f1c2ab77e0d", "environment": "production",
          "actor": "alice", "run_url": "https://github.com/acme/patient/actions/runs/42", "status": "success",
          "at": "2026-11-20T09:21:00Z"}


def test_deploys_need_the_token_and_a_valid_body(tmp_path, chat):
    s = served(tmp_path, chat, {"strategy": lines(False)})
    try:
        assert httpx.post(f"{s.url}/deploys", json=DEPLOY).status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        resp = httpx.post(f"{s.url}/deploys", json={"service": "strategy", "status": "shipped"}, headers=auth)
        assert resp.status_code == 400
        assert "version: Field required" in resp.json()["error"] and "status: Input should be" in resp.json()["error"]
        resp = httpx.post(f"{s.url}/deploys", json={**DEPLOY, "service": "nope", "check": True}, headers=auth)
        assert resp.status_code == 400 and "service map" in resp.json()["error"]
        resp = httpx.post(f"{s.url}/deploys", json={**DEPLOY, "actor": "token=ghp_0123456789abcdefghijABCDEFGHIJ012345"},
                          headers=auth)
        assert resp.status_code == 202 and resp.json()["check_scheduled"] is False
        [stored] = s.app.state.store().deploys_between(["strategy"], DEPLOY_T0, DEPLOY_T1)
        assert "ghp_" not in stored["actor"] and stored["version"] == "v2.4.0"
    finally:
        s.close()


DEPLOY_T0, DEPLOY_T1 = T0, T0 + timedelta(hours=1)


@pytest.mark.parametrize("sick", [True, False])
def test_post_deploy_check_speaks_only_when_something_is_wrong(tmp_path, chat, sick):
    s = served(tmp_path, chat, {"strategy": lines(errors_after=sick)})
    try:
        resp = httpx.post(f"{s.url}/deploys", json={**DEPLOY, "check": True},
                          headers={"Authorization": f"Bearer {TOKEN}"})
        assert resp.status_code == 202 and resp.json()["check_scheduled"] is True
        [job] = finished_jobs(s.app)
        assert job["status"] == "done"
        if sick:
            [post] = chat.wait(1)
            assert post["channel"] == "C0DEPLOYS" and post["text"].startswith("⚠️ After deploying strategy v2.4.0")
            assert "Errors started" in str(post["blocks"])  # the correlation reaches the user
            assert "Deploys in and before the window" in str(post["blocks"]) and "v2.4.0" in str(post["blocks"])
            assert job["detail"].startswith("sick after v2.4.0")
        else:
            time.sleep(0.3)
            assert chat.posts == [] and job["detail"].startswith("healthy after v2.4.0")
    finally:
        s.close()
