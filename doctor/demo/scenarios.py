"""Incident windows of the trading stack, for `doctor demo` and the tests.

Each scenario writes one log file per service, as CloudWatch or Loki would
hold them: 25 healthy minutes, then the failure, then its aftermath. The
failure lines are the messages real software writes (SQLAlchemy, PostgreSQL,
redis-py, botocore, ECS, uvicorn, the Linux OOM killer), and each scenario
records its true root cause and the Terraform fix that should follow: the
ground truth the demo prints next to the diagnosis and the tests assert.
Generation is seeded, so a window is the same on every machine.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2026, 11, 20, 9, 0, 0, tzinfo=UTC)
WINDOW_MINUTES = 40
INCIDENT_MINUTE = 25
SYMBOLS = ("BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT")
ACCOUNT = "123456789012"

Line = Callable[[random.Random, datetime], tuple[str, str]]  # -> (service, text without timestamp)


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    true_cause: str
    expected_category: str
    expected_fix: str | None  # "address.attribute" in terraform/patient, or None
    incident: list[tuple[float, Line]]  # (lines per minute, generator) during the incident
    services: tuple[str, ...] = ("collector", "strategy", "executor", "dashboard")
    extra_healthy: list[tuple[float, Line]] = field(default_factory=list)


def _iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def _pylog(ts: datetime, level: str, logger: str, msg: str) -> str:
    return f"{level} {logger}: {msg}"


def _json(service: str, level: str, logger: str, msg: str, **extra) -> str:
    return json.dumps({"level": level, "service": service, "logger": logger, "message": msg, **extra},
                      separators=(",", ":"))


def _hex(rng: random.Random, n: int = 12) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _ip(rng: random.Random) -> str:
    return f"10.40.{rng.randint(10, 11)}.{rng.randint(2, 250)}"


# --- healthy traffic -------------------------------------------------------

def _tick(rng, ts):
    sym = rng.choice(SYMBOLS)
    return "collector", _pylog(ts, "INFO", "collector.feed",
                               f"tick {sym} price={rng.uniform(0.5, 70000):.2f} volume={rng.random():.4f} seq={rng.randint(1, 10**7)}")


def _candle(rng, ts):
    return "collector", _pylog(ts, "INFO", "collector.store",
                               f"stored 60 ticks for {rng.choice(SYMBOLS)} in {rng.randint(3, 40)} ms")


def _signal(rng, ts):
    sym = rng.choice(SYMBOLS)
    side = rng.choice(("buy", "sell", "hold", "hold", "hold"))
    return "strategy", _json("strategy", "INFO", "strategy.rsi", f"signal {side} for {sym}",
                             symbol=sym, rsi=round(rng.uniform(10, 90), 2))


def _order(rng, ts):
    sym = rng.choice(SYMBOLS)
    oid = "ord-" + _hex(rng, 10)
    return "executor", _json("executor", "INFO", "executor.orders",
                             f"order {oid} filled {rng.choice(('buy', 'sell'))} {rng.random():.4f} {sym} at {rng.uniform(1, 70000):.2f}",
                             order_id=oid, symbol=sym)


def _risk(rng, ts):
    return "executor", _json("executor", "INFO", "executor.risk",
                             f"risk check ok position={rng.uniform(0, 0.9):.3f} limit=1.000 daily_pnl={rng.uniform(-50, 80):.2f}")


def _access(rng, ts):
    path = rng.choice(("/positions", "/orders", "/pnl", "/healthz", "/healthz", "/metrics"))
    return "dashboard", f'INFO:     {_ip(rng)}:{rng.randint(30000, 60000)} - "GET {path} HTTP/1.1" 200 OK'


HEALTHY: list[tuple[float, Line]] = [
    (60, _tick), (4, _candle), (12, _signal), (5, _order), (5, _risk), (20, _access),
]


# --- failures: the wording of real software ---------------------------------

def _queuepool(rng, ts):
    svc = rng.choice(("strategy", "executor"))
    return svc, _pylog(ts, "ERROR", f"{svc}.db",
                       "sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, "
                       "timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)")


def _pg_too_many(rng, ts):
    return "postgres", (f"UTC [{rng.randint(1000, 9999)}] FATAL:  sorry, too many clients already")


def _pg_checkpoint(rng, ts):
    return "postgres", f"UTC [{rng.randint(20, 90)}] LOG:  checkpoint complete: wrote {rng.randint(10, 900)} buffers"


def _http500(rng, ts):
    return "dashboard", f'INFO:     {_ip(rng)}:{rng.randint(30000, 60000)} - "GET /orders HTTP/1.1" 500 Internal Server Error'


def _rate_limit(rng, ts):
    return "executor", _json("executor", "ERROR", "executor.exchange",
                             "429 Client Error: Too Many Requests for url: https://paper-exchange.internal/api/v3/order | "
                             '{"code":-1003,"msg":"Too much request weight used; current limit is 1200 request weight per 1 MINUTE."}')


def _retry(rng, ts):
    return "executor", _json("executor", "WARNING", "executor.exchange",
                             f"retrying order ord-{_hex(rng, 10)} in {rng.choice((1, 2, 4, 8))} s")


def _mem_warn(rng, ts):
    return "executor", _json("executor", "WARNING", "executor.book",
                             f"order book cache holds {rng.randint(200000, 900000)} entries ({rng.randint(700, 1010)} MiB)")


def _oom_ecs(rng, ts):
    return "ecs-events", (f"(service executor) (task {_hex(rng, 32)}) stopped: OutOfMemoryError: "
                          "Container killed due to memory usage. Essential container in task exited (exitCode: 137)")


def _oom_restart(rng, ts):
    return "ecs-events", f"(service executor) has started 1 tasks: (task {_hex(rng, 32)})."


def _redis_down(rng, ts):
    svc = rng.choice(("collector", "strategy"))
    return svc, _pylog(ts, "ERROR", f"{svc}.cache",
                       "redis.exceptions.ConnectionError: Error 111 connecting to patient-redis.abc123.apn2.cache.amazonaws.com:6379. Connection refused.")


def _read_timeout(rng, ts):
    return "executor", _json("executor", "ERROR", "executor.exchange",
                             "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='paper-exchange.internal', port=443): "
                             "Read timed out. (read timeout=10)")


def _slow(rng, ts):
    return "executor", _json("executor", "WARNING", "executor.exchange",
                             f"exchange call took {rng.randint(8000, 12000)} ms (slow)")


def _config_error(rng, ts):
    return "strategy", _pylog(ts, "ERROR", "strategy.main",
                              "Application startup failed | pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings")


def _config_detail(rng, ts):
    return "strategy", _pylog(ts, "ERROR", "strategy.main",
                              "rsi_period: Field required [type=missing, input_value={'version': '1.8.0'}, input_type=dict]")


def _deploy_failed(rng, ts):
    return "ecs-events", "(service strategy) (deployment ecs-svc/4812339954123) deployment failed: tasks failed to start."


def _tls(rng, ts):
    return "executor", _json("executor", "ERROR", "executor.exchange",
                             "requests.exceptions.SSLError: HTTPSConnectionPool(host='paper-exchange.internal', port=443): "
                             "Max retries exceeded with url: /api/v3/order (Caused by SSLError(SSLCertVerificationError(1, "
                             "'[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)')))")


def _missing_column(rng, ts):
    return "executor", _pylog(ts, "ERROR", "executor.orders",
                              "sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedColumn) column orders.client_order_id "
                              "does not exist LINE 1: SELECT orders.id, orders.client_order_id, orders.symbol FROM orders")


def _pg_missing_column(rng, ts):
    return "postgres", (f"UTC [{rng.randint(1000, 9999)}] ERROR:  column orders.client_order_id does not exist at character 24")


def _secret_denied(rng, ts):
    return "executor", _pylog(ts, "ERROR", "executor.secrets",
                              "botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when calling the "
                              f"GetSecretValue operation: User: arn:aws:sts::{ACCOUNT}:assumed-role/patient-executor-task/"
                              f"{_hex(rng, 32)} is not authorized to perform: secretsmanager:GetSecretValue on resource: "
                              f"arn:aws:secretsmanager:ap-northeast-2:{ACCOUNT}:secret:patient/exchange-api-key-Xy12Ab "
                              "because no identity-based policy allows the secretsmanager:GetSecretValue action")


def _pg_disk_full(rng, ts):
    return "postgres", (f"UTC [{rng.randint(1000, 9999)}] ERROR:  could not extend file \"base/16384/{rng.randint(16000, 17000)}\": "
                        "No space left on device")


def _pg_disk_hint(rng, ts):
    return "postgres", f"UTC [{rng.randint(1000, 9999)}] HINT:  Check free disk space."


def _collector_disk(rng, ts):
    return "collector", _pylog(ts, "ERROR", "collector.store",
                               "sqlalchemy.exc.OperationalError: (psycopg2.errors.DiskFull) could not extend file "
                               "\"base/16384/16402\": No space left on device")


SCENARIOS: dict[str, Scenario] = {s.name: s for s in [
    Scenario("db_pool_exhaustion", "Database connection limit reached",
             "PostgreSQL hit max_connections; pools of strategy and executor time out waiting for connections.",
             "db_connections", "aws_db_parameter_group.postgres.parameter.max_connections",
             [(30, _queuepool), (12, _pg_too_many), (10, _http500)],
             extra_healthy=[(1, _pg_checkpoint)]),
    Scenario("exchange_rate_limit", "Exchange rate limiting (HTTP 429)",
             "The executor polls the exchange faster than its request-weight limit.",
             "upstream_rate_limit", None, [(25, _rate_limit), (10, _retry)]),
    Scenario("memory_leak_oom", "Executor memory leak ending in an OOM kill",
             "The executor's order-book cache grows without bound until ECS kills the container (exit 137).",
             "oom", "aws_ecs_task_definition.executor.memory", [(6, _mem_warn), (1.5, _oom_ecs), (1.5, _oom_restart)]),
    Scenario("redis_unavailable", "Redis unavailable",
             "The Redis node is unreachable; collector and strategy cannot publish or read ticks.",
             "broker_connection", None, [(40, _redis_down)]),
    Scenario("slow_upstream", "Slow exchange causing timeouts",
             "The exchange answers slower than the executor's 10 s read timeout.",
             "timeout", None, [(15, _read_timeout), (10, _slow)]),
    Scenario("bad_deploy_config", "Bad deploy: missing setting after a version bump",
             "strategy 1.8.0 requires RSI_PERIOD, which the task definition does not set; it fails at start-up.",
             "config_error", None, [(6, _config_error), (6, _config_detail), (1, _deploy_failed)],
             services=("collector", "executor", "dashboard")),
    Scenario("tls_expired", "Expired TLS certificate on the exchange endpoint",
             "The exchange endpoint serves an expired certificate; every order call fails verification.",
             "tls", None, [(20, _tls)]),
    Scenario("missing_column", "Deploy without its migration",
             "executor 2.3.0 queries orders.client_order_id, which no migration has added.",
             "schema_migration", None, [(18, _missing_column), (18, _pg_missing_column)]),
    Scenario("iam_secret_denied", "Executor denied its exchange API key",
             "The executor's task role lacks secretsmanager:GetSecretValue on the exchange API key secret.",
             "secrets_access", "aws_iam_role_policy.executor.policy", [(8, _secret_denied)]),
    Scenario("disk_full", "Database storage full",
             "The RDS instance's allocated storage is used up; PostgreSQL cannot extend table files.",
             "disk_full", "aws_db_instance.postgres.allocated_storage",
             [(15, _pg_disk_full), (15, _pg_disk_hint), (10, _collector_disk)],
             extra_healthy=[(1, _pg_checkpoint)]),
]}


def _stamp(service: str, ts: datetime, text: str) -> str:
    """The line as its software writes it: JSON with a timestamp field, PostgreSQL's
    `%m [%p]` prefix, or an ISO timestamp as CloudWatch and `docker logs -t` add."""
    if text.startswith("{"):
        return '{"timestamp":"' + _iso(ts) + '",' + text[1:]
    if service == "postgres":
        return ts.strftime("%Y-%m-%d %H:%M:%S.") + f"{ts.microsecond // 1000:03d} " + text
    return f"{_iso(ts)} {text}"


def write_window(scenario: Scenario, out_dir: Path, *, seed: int = 7) -> list[Path]:
    """Write the scenario's window, one `<service>.log` per service; returns the files."""
    rng = random.Random(f"{scenario.name}:{seed}")
    per_service: dict[str, list[tuple[datetime, str]]] = {}
    healthy = [(rate, gen) for rate, gen in HEALTHY + scenario.extra_healthy]
    for minute in range(WINDOW_MINUTES):
        sources = [(rate, gen, True) for rate, gen in healthy]
        if minute >= INCIDENT_MINUTE:
            sources += [(rate, gen, False) for rate, gen in scenario.incident]
        for rate, gen, is_healthy in sources:
            n = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
            for _ in range(n):
                ts = START + timedelta(minutes=minute, seconds=rng.uniform(0, 60))
                service, text = gen(rng, ts)
                if is_healthy and service not in scenario.services:
                    continue  # a service that is down logs only its failure
                per_service.setdefault(service, []).append((ts, text))
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for service, lines in sorted(per_service.items()):
        lines.sort(key=lambda x: x[0])
        path = out_dir / f"{service}.log"
        with path.open("w", encoding="utf-8") as fh:
            for ts, text in lines:
                fh.write(_stamp(service, ts, text) + "\n")
        files.append(path)
    return files
