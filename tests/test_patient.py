"""The patient: strategy and risk limits, the paper exchange, log shipping, and chaos."""

import logging
import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import requests

from patient_app import logs
from patient_app.app import create_app
from patient_app.chaos import SCENARIOS, Env, heal, inject
from patient_app.clock import SimClock
from patient_app.config import PatientSettings
from patient_app.exchange import ExchangeClient, PaperExchange
from patient_app.simulate import INCIDENT_MINUTE, lines_by_service, write_window
from patient_app.stack import Stack
from patient_app.strategy import SmaCrossover

from .conftest import Served, moto_server
from .fakes.loki_server import FakeLoki, StuckLoki

# Simulated time starts an hour before the run: log stores refuse old events (CloudWatch: 14 days).
T0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)


# -- strategy and risk ------------------------------------------------------------------------------------

def test_sma_crossover_signals_only_on_a_cross():
    s = SmaCrossover(fast=2, slow=4)
    intents = [s.on_price("BTC-USDT", p) for p in (10, 10, 10, 10, 12, 13, 13, 9, 8, 8, 8)]
    sides = [(i, x.side) for i, x in enumerate(intents) if x]
    assert sides == [(4, "buy"), (7, "sell")]
    assert "sma2" in intents[4].reason and ">" in intents[4].reason
    with pytest.raises(ValueError):
        SmaCrossover(fast=5, slow=5)


@pytest.fixture
def patient(tmp_path):
    """A stack on a simulated clock, its paper exchange served on loopback."""
    clock = SimClock(T0)
    exchange = PaperExchange(clock=clock, api_keys={"paper-key"}, weight_per_minute=1200)
    served = Served(exchange.app())
    settings = PatientSettings(database_url=f"sqlite:///{tmp_path / 'p.db'}", exchange_api_key="paper-key",
                               max_position=0.2, order_quantity=0.1, archive_dir=tmp_path / "archive",
                               db_pool_timeout=0.05, exchange_timeout=0.5)
    stack = Stack(settings, clock=clock, exchange_url=served.url)
    yield stack, exchange, clock
    served.close()


def executor_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "patient.executor"]


def test_risk_limits_cap_the_position(patient, caplog):
    from patient_app.strategy import Intent

    stack, _, _ = patient
    caplog.set_level(logging.INFO, logger="patient")
    for _ in range(3):
        stack.place(Intent("BTC-USDT", "buy", 67_000.0, "test"))
    assert stack.position("BTC-USDT") == pytest.approx(0.2)  # the third buy would pass max_position
    lines = executor_lines(caplog)
    assert sum("filled buy" in m for m in lines) == 2 and any(m.startswith("risk rejected") for m in lines)
    stack.place(Intent("BTC-USDT", "sell", 67_100.0, "test"))
    assert stack.position("BTC-USDT") == pytest.approx(0.1)


def test_daily_loss_limit_stops_new_orders(patient, caplog):
    from patient_app.strategy import Intent

    stack, _, _ = patient
    stack.settings.max_daily_loss = 50.0
    caplog.set_level(logging.INFO, logger="patient")
    stack.place(Intent("BTC-USDT", "buy", 67_000.0, "test"))
    stack.place(Intent("BTC-USDT", "sell", 66_000.0, "test"))  # -100 USDT realized
    assert stack.store.realized_today(stack.clock.now()) == pytest.approx(-100.0)
    stack.place(Intent("ETH-USDT", "buy", 3_400.0, "test"))
    assert "ETH-USDT" not in stack.store.positions()
    assert any("daily_pnl=-100.00 below -50.00" in m for m in executor_lines(caplog))


# -- the paper exchange -------------------------------------------------------------------------------------

def test_the_exchange_limits_request_weight_per_minute(tmp_path):
    clock = SimClock(T0)
    exchange = PaperExchange(clock=clock, api_keys={"k"}, weight_per_minute=50)
    served = Served(exchange.app())
    try:
        client = ExchangeClient(served.url, api_key="k", timeout=5)
        client.account()
        client.account()  # 40 of 50
        with pytest.raises(requests.HTTPError) as err:
            client.account()
        text = str(err.value)
        assert text.startswith("429 Client Error: Too Many Requests for url:") and '"code":-1003' in text
        assert err.value.response.headers["Retry-After"] == "60"
        clock.advance(60)  # the next minute has its own budget
        assert client.account()["balances"][0]["asset"] == "USDT"
        with pytest.raises(requests.HTTPError, match="-2015"):
            ExchangeClient(served.url, api_key="wrong", timeout=5).account()
        with pytest.raises(requests.HTTPError, match="-2010"):
            client.order(symbol="BTC-USDT", side="buy", quantity=10, price=67_000, client_order_id="x")
        with pytest.raises(requests.HTTPError, match="-1121"):
            client.order(symbol="BTCUSD", side="buy", quantity=1, price=1, client_order_id="y")
    finally:
        served.close()


# -- logs: stdout JSON, Loki, CloudWatch, and shipping that never blocks trading -------------------------

def test_lines_carry_service_component_symbol_and_order(patient, tmp_path):
    import io
    import json

    stack, _, _ = patient
    stream = io.StringIO()
    handlers = logs.setup(stack.settings, clock=stack.clock, stdout=False,
                          extra=[logging.StreamHandler(stream)])
    try:
        from patient_app.strategy import Intent

        stack.place(Intent("ETH-USDT", "buy", 3_400.0, "test"))
    finally:
        for h in handlers:
            logging.getLogger("patient").removeHandler(h)
    filled = [json.loads(x) for x in stream.getvalue().splitlines() if "filled" in x][0]
    assert filled["service"] == filled["component"] == "executor" and filled["symbol"] == "ETH-USDT"
    assert filled["order_id"].startswith("ord-") and filled["timestamp"] == T0.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.fixture
def moto_url(monkeypatch):
    with moto_server() as url:
        for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_ENDPOINT_URL": url}.items():
            monkeypatch.setenv(k, v)
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        yield url


@contextmanager
def shipping(settings, clock):
    """The patient's shipping handlers for `settings`; on the way out what they buffer is pushed (as
    the simulation does at its end) and they are closed."""
    handlers = logs.setup(settings, clock=clock, stdout=False)
    try:
        yield handlers
        for h in handlers:
            (h._send if hasattr(h, "_send") else h.flush)()
    finally:
        for h in handlers:
            logging.getLogger("patient").removeHandler(h)
            h.close()


def test_logs_ship_to_loki_and_to_cloudwatch(patient, moto_url):
    import boto3

    stack, _, _ = patient
    with FakeLoki() as loki:
        settings = stack.settings.model_copy(update={"loki_url": loki.url, "cloudwatch_log_group_prefix": "/ecs/patient",
                                                     "aws_region": "ap-northeast-2"})
        with shipping(settings, stack.clock):
            stack.step()  # ticks, prices: lines from collector and strategy
        got = httpx.get(f"{loki.url}/loki/api/v1/query_range", params={
            "query": '{service="collector"}', "start": str(int(T0.timestamp()) * 10**9 - 10**9),
            "end": str(int(T0.timestamp() + 60) * 10**9), "limit": "100", "direction": "forward"}).json()
    lines = [v[1] for s in got["data"]["result"] for v in s["values"]]
    assert len(lines) == 4 and all('"tick ' in x or "tick " in x for x in lines)
    events = boto3.client("logs", region_name="ap-northeast-2").filter_log_events(
        logGroupName="/ecs/patient/collector")["events"]
    assert len(events) == 4 and events[0]["timestamp"] == int(T0.timestamp() * 1000)
    assert '"service": "collector"' in events[0]["message"]


def test_shipped_counts_what_the_sinks_accepted(patient, moto_url):
    """SHIPPED counts what Loki and CloudWatch received: lines logged while a push is being built are in
    that push and in its count; events CloudWatch refuses (older than 14 days) are dropped, not shipped."""
    import boto3

    stack, _, _ = patient
    httpx.post(f"{moto_url}/moto-api/reset")  # moto's state is per process: start from an empty account
    logs.SHIPPED.clear()
    logs.DROPPED.clear()
    with FakeLoki() as loki:
        settings = stack.settings.model_copy(update={"loki_url": loki.url, "cloudwatch_log_group_prefix": "/ecs/patient",
                                                     "aws_region": "ap-northeast-2"})
        with shipping(settings, stack.clock) as handlers:
            loki_handler = next(h for h in handlers if hasattr(h, "_send"))
            get = loki_handler.buffer.get

            def get_while_logging(*args, **kwargs):  # another thread logs while the push drains the buffer
                loki_handler.buffer.get = get
                logging.getLogger("patient.collector.feed").info("logged during the push")
                return get(*args, **kwargs)

            for i in range(5):
                logging.getLogger("patient.collector.feed").info("tick %d", i)
            loki_handler.buffer.get = get_while_logging
            loki_handler._send()
            stack.clock.advance(-20 * 86400)  # a line stamped 20 days ago: CloudWatch refuses it
            logging.getLogger("patient.strategy.rsi").info("from long ago")
        received = sum(len(entry[1]) for entry in loki.streams.values())
    assert received == 7 and logs.SHIPPED["loki"] == 7 and logs.DROPPED["loki"] == 0
    client = boto3.client("logs", region_name="ap-northeast-2")
    assert len(client.filter_log_events(logGroupName="/ecs/patient/collector")["events"]) == 6
    assert logs.SHIPPED["cloudwatch"] == 6 and logs.DROPPED["cloudwatch"] == 1


@pytest.mark.parametrize(("info", "n", "rejected"), [
    ({}, 10, 0),
    ({"tooOldLogEventEndIndex": 2}, 10, 3),  # moto names the last old one; AWS documents it as exclusive
    ({"expiredLogEventEndIndex": 0, "tooOldLogEventEndIndex": 3}, 10, 4),
    ({"tooNewLogEventStartIndex": 8}, 10, 2),
    ({"tooOldLogEventEndIndex": 9}, 10, 10),
])
def test_rejected_events_are_counted_from_the_indexes(info, n, rejected):
    assert logs.rejected_count(info, n) == rejected


def test_simulate_ships_where_the_environment_says(tmp_path, monkeypatch, capsys):
    from patient_app.cli import main

    with FakeLoki() as loki:
        monkeypatch.setenv("LOKI_URL", loki.url)
        assert main(["simulate", "healthy", "--out", str(tmp_path)]) == 0
        services = {entry[0]["service"] for entry in loki.streams.values()}
        received = sum(len(entry[1]) for entry in loki.streams.values())
    assert {"collector", "strategy", "executor", "dashboard", "postgres"} <= services
    out = capsys.readouterr().out
    assert re.search(rf"loki: {received} lines shipped, 0 dropped", out), out
    assert main(["simulate", "no_such_scenario", "--out", str(tmp_path)]) == 2
    assert "unknown scenario" in capsys.readouterr().err


def test_a_stuck_sink_drops_lines_and_never_blocks_trading(patient):
    stack, _, _ = patient
    stuck = StuckLoki()
    settings = stack.settings.model_copy(update={"loki_url": stuck.url, "ship_buffer": 20})
    before = logs.DROPPED["loki"]
    handlers = logs.setup(settings, clock=stack.clock, stdout=False)
    try:
        for _ in range(30):  # 30 cycles of trading while Loki hangs
            stack.step()
            stack.clock.advance(5)
        assert stack.step_no == 30 and stack.store.last_prices()  # trading went on
        assert logs.DROPPED["loki"] - before > 0  # what did not fit was dropped and counted
        app = Served(create_app(settings, stack=stack))  # the dashboard reports the drops
        try:
            text = httpx.get(app.url + "/metrics").text
        finally:
            app.close()
        assert re.search(r'patient_log_lines_dropped_total\{sink="loki"\} \d+', text)
    finally:
        stuck.release.set()
        for h in handlers:
            logging.getLogger("patient").removeHandler(h)
        stuck.server.shutdown()


# -- the dashboard and chaos over HTTP ---------------------------------------------------------------------

def test_dashboard_routes_and_chaos_behind_a_token(patient):
    stack, exchange, _ = patient
    for _ in range(30):
        stack.step()
        stack.clock.advance(5)
    from pydantic import SecretStr

    settings = stack.settings.model_copy(update={"chaos_token": SecretStr("chaos-123")})
    served = Served(create_app(settings, stack=stack, exchange=exchange, env=Env(exchange=exchange)))
    try:
        assert httpx.get(served.url + "/healthz").json()["ok"] is True
        assert isinstance(httpx.get(served.url + "/positions").json(), list)
        assert isinstance(httpx.get(served.url + "/orders").json(), list)
        assert set(httpx.get(served.url + "/pnl").json()) == {"realized", "unrealized", "today"}
        assert httpx.post(served.url + "/chaos/slow_upstream").status_code == 401
        auth = {"Authorization": "Bearer chaos-123"}
        assert httpx.post(served.url + "/chaos/nope", headers=auth).status_code == 404
        resp = httpx.post(served.url + "/chaos/slow_upstream", headers=auth)
        assert resp.status_code == 200 and resp.json()["category"] == "timeout"
        assert exchange.delay_seconds > 0
        assert 'patient_chaos_active{scenario="slow_upstream"} 1' in httpx.get(served.url + "/metrics").text
        assert httpx.post(served.url + "/chaos/any", params={"heal": "true"}, headers=auth).json() == {"healed": True}
        assert exchange.delay_seconds == 0
    finally:
        served.close()


# -- each scenario's characteristic lines, from the real libraries ------------------------------------------

CHARACTERISTIC = {
    "db_pool_exhaustion": ("strategy", r"sqlalchemy\.exc\.TimeoutError: QueuePool limit of size 5 overflow 10 reached"),
    "exchange_rate_limit": ("executor", r"requests\.exceptions\.HTTPError: 429 Client Error: Too Many Requests"),
    "memory_leak_oom": ("ecs-events", r"stopped: OutOfMemoryError: Container killed due to memory usage"),
    "redis_unavailable": ("collector", r"redis\.exceptions\.ConnectionError: Error 111 connecting to 127\.0\.0\.2:6379\. "
                                       r"Connection refused\."),
    "slow_upstream": ("executor", r"requests\.exceptions\.ReadTimeout: HTTPConnectionPool\(host='paper-exchange\.internal', "
                                  r"port=80\): Read timed out\."),
    "bad_deploy_config": ("strategy", r"pydantic_core\._pydantic_core\.ValidationError: 1 validation error for "
                                      r"StrategySettings\nrsi_period\n  Field required"),
    "tls_expired": ("executor", r"\[SSL: CERTIFICATE_VERIFY_FAILED\] certificate verify failed: certificate has expired"),
    "missing_column": ("executor", r"sqlite3\.OperationalError\) no such column: orders\.client_order_id"),
    "iam_secret_denied": ("executor", r"botocore\.exceptions\.ClientError: An error occurred \(AccessDeniedException\) "
                                      r"when calling the GetSecretValue operation: User: arn:aws:sts::123456789012:"
                                      r"assumed-role/patient-executor-task/"),
    "disk_full": ("collector", r"\(sqlite3\.OperationalError\) database or disk is full"),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_scenario_produces_its_characteristic_lines(name, tmp_path):
    from doctor.demo.scenarios import DEMO_START
    from doctor.demo.scenarios import SCENARIOS as DEMO
    from doctor.demo.scenarios import write_window as demo_window

    assert set(CHARACTERISTIC) == set(SCENARIOS)
    service, pattern = CHARACTERISTIC[name]
    demo_window(DEMO[name], tmp_path)  # the same windows the demo diagnoses (generated once)
    rows = lines_by_service(tmp_path)[service]
    onset = DEMO_START + timedelta(minutes=INCIDENT_MINUTE)

    def when(row):
        stamp = row["timestamp"] if isinstance(row, dict) else row.split(" ", 1)[0]
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))

    def text(row):
        return row["message"] if isinstance(row, dict) else row

    hits = [r for r in rows if re.search(pattern, text(r))]
    assert len(hits) >= 2, f"{name}: no {pattern!r} in {service}"  # (two OOM kills in twelve minutes)
    assert all(when(r) >= onset for r in hits)  # none in the healthy period


def test_healthy_window_has_no_errors(tmp_path):
    write_window(None, tmp_path)
    rows = lines_by_service(tmp_path)
    assert {"collector", "strategy", "executor", "dashboard"} <= set(rows)
    assert not [r for svc in ("collector", "strategy", "executor", "dashboard") for r in rows[svc]
                if r["level"] in ("ERROR", "CRITICAL")]
    assert any("filled" in r["message"] for r in rows["executor"])  # it trades


def test_chaos_injected_into_a_live_stack_and_healed(patient, caplog):
    stack, exchange, _ = patient
    env = Env(exchange=exchange)
    caplog.set_level(logging.INFO, logger="patient")
    inject("redis_unavailable", stack, env)
    stack.step()
    assert any("redis.exceptions.ConnectionError" in r.getMessage() for r in caplog.records)
    heal(env)
    caplog.clear()
    stack.step()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    with pytest.raises(KeyError, match="unknown scenario"):
        inject("nope", stack, env)


def test_on_ecs_the_database_url_is_built_from_the_rds_parts(monkeypatch):
    monkeypatch.setenv("DB_HOST", "patient-postgres.abc.ap-northeast-2.rds.amazonaws.com")
    monkeypatch.setenv("DB_PASSWORD", "p@ss/word")
    url = PatientSettings().database_url
    assert url == ("postgresql://trader:p%40ss%2Fword@patient-postgres.abc.ap-northeast-2.rds.amazonaws.com:5432/"
                   "trading?sslmode=require")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///x.db")
    assert PatientSettings().database_url == "sqlite:///x.db"  # an explicit URL wins


def test_compose_runs_the_patient_with_postgres_redis_loki_and_a_provisioned_grafana():
    import json

    import yaml

    from .conftest import REPO

    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    assert set(compose["services"]) == {"postgres", "redis", "loki", "grafana", "patient"}
    env = compose["services"]["patient"]["environment"]
    assert env["LOKI_URL"] == "http://loki:3100" and env["DATABASE_URL"].startswith("postgresql://")
    assert compose["services"]["patient"]["build"]["dockerfile"] == "patient_app/Dockerfile"
    source = yaml.safe_load((REPO / "deploy/grafana/provisioning/datasources/loki.yaml").read_text())
    assert source["datasources"][0]["url"] == "http://loki:3100" and source["datasources"][0]["uid"] == "loki"
    dashboard = json.loads((REPO / "deploy/grafana/dashboards/patient.json").read_text())
    assert all(t["datasource"]["uid"] == "loki" for p in dashboard["panels"] for t in p["targets"])
    assert any('service' in t["expr"] for p in dashboard["panels"] for t in p["targets"])


def test_the_collector_replays_a_csv_of_ticks(tmp_path):
    csv = tmp_path / "ticks.csv"
    csv.write_text("timestamp,symbol,price,volume\n2026-11-20T09:00:00Z,BTC-USDT,67000.5,1.5\n"
                   "2026-11-20T09:00:05Z,ETH-USDT,3400.25,2.0\n")
    settings = PatientSettings(database_url=f"sqlite:///{tmp_path / 'p.db'}", replay_csv=csv,
                               archive_dir=tmp_path / "archive")
    stack = Stack(settings, clock=SimClock(T0), exchange_url="http://127.0.0.1:9")
    stack.collect()
    stack.collect()
    assert stack.store.last_prices() == {"BTC-USDT": 67000.5, "ETH-USDT": 3400.25}


def test_patient_serve_and_the_chaos_command(tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time

    from patient_app.cli import main

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PORT": str(port), "PATIENT_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
           "PATIENT_CHAOS_TOKEN": "tok", "PATIENT_TICK_SECONDS": "0.2", "PATIENT_ARCHIVE_DIR": str(tmp_path / "a")}
    proc = subprocess.Popen([sys.executable, "-m", "patient_app.cli", "serve", "--host", "127.0.0.1"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if httpx.get(url + "/healthz").status_code == 200 and httpx.get(url + "/pnl").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        os.environ["PATIENT_CHAOS_TOKEN"] = "tok"
        try:
            assert main(["chaos", "exchange_rate_limit", "--url", url]) == 0
            assert 'patient_chaos_active{scenario="exchange_rate_limit"} 1' in httpx.get(url + "/metrics").text
            assert main(["chaos", "--heal", "--url", url]) == 0
            assert "patient_chaos_active{" not in httpx.get(url + "/metrics").text
            assert main(["chaos", "nope", "--url", url]) == 1  # unknown scenario: 404
        finally:
            del os.environ["PATIENT_CHAOS_TOKEN"]
        assert main(["chaos", "exchange_rate_limit", "--url", url]) == 2  # no token: said, nothing sent
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    ticks = [x for x in out.splitlines() if '"component": "collector"' in x and '"tick ' in x]
    assert ticks  # the components ran, logging JSON to stdout


def test_simulate_command_writes_a_window(tmp_path, capsys):
    from patient_app.cli import main

    assert main(["simulate", "healthy", "--out", str(tmp_path)]) == 0
    assert "executor.log" in capsys.readouterr().out and (tmp_path / "collector.log").exists()
    assert main(["chaos", "--list"]) == 0
    assert "iam_secret_denied" in capsys.readouterr().out


def test_a_live_leak_holds_real_memory_until_the_limit_kills_it(tmp_path):
    kills = []
    settings = PatientSettings(database_url=f"sqlite:///{tmp_path / 'p.db'}", memory_limit_mib=20,
                               archive_dir=tmp_path / "a")
    stack = Stack(settings, clock=SimClock(T0), exchange_url="http://127.0.0.1:9", on_oom=kills.append,
                  real_memory=True)
    stack.faults.leak_per_step = 5_000  # ~5.7 MiB a step
    for _ in range(3):
        stack._leak()
    assert sum(len(b) for b in stack._leaked) == 3 * 5_000 * 1200 and kills == []
    stack._leak()  # past 20 MiB
    assert kills == ["executor"] and stack._leaked == [] and stack.book_cache == 0


def test_the_store_on_postgresql(postgres_url):
    from patient_app.store import Store, metadata

    store = Store(postgres_url)
    metadata.drop_all(store.engine)  # a clean slate on the shared cluster
    metadata.create_all(store.engine)
    store.add_ticks([{"at": T0, "symbol": "BTC-USDT", "price": 67000.0, "volume": 1.0}])
    store.add_order({"id": "ord-1", "at": T0, "symbol": "BTC-USDT", "side": "buy", "quantity": 0.1,
                     "status": "filled", "detail": None},
                    {"order_id": "ord-1", "at": T0, "symbol": "BTC-USDT", "side": "buy", "quantity": 0.1,
                     "price": 67000.0})
    store.add_order({"id": "ord-2", "at": T0, "symbol": "BTC-USDT", "side": "sell", "quantity": 0.1,
                     "status": "filled", "detail": None},
                    {"order_id": "ord-2", "at": T0, "symbol": "BTC-USDT", "side": "sell", "quantity": 0.1,
                     "price": 67100.0})
    assert store.engine.dialect.name == "postgresql" and store.last_prices() == {"BTC-USDT": 67000.0}
    assert store.positions()["BTC-USDT"]["realized"] == pytest.approx(10.0)
    assert [o["id"] for o in store.recent_orders()] in (["ord-1", "ord-2"], ["ord-2", "ord-1"])
    metadata.drop_all(store.engine)
