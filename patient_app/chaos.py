"""Chaos: make the running patient fail the way real systems fail.

Each scenario breaks something for real where it can on one machine (a pool held empty, a
polling loop gone wrong, an unreachable Redis, an exchange that answers too slowly or with an
expired certificate, code expecting a column no migration added, a volume that is full, a task
role without a permission) so the lines logged are the ones SQLAlchemy, requests, redis-py,
pydantic, botocore and the kernel produce. What only the platform can say (PostgreSQL's server
log, ECS events) is written by `patient_app.platform` in its wording.

Each scenario documents its true root cause, the category the doctor should name and the
Terraform change that should follow: the ground truth of the demo and of the tests.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from patient_app.platform import ACCOUNT, Platform
from patient_app.stack import Stack


@dataclass
class Env:
    """What chaos can reach besides the stack."""

    exchange: object  # PaperExchange
    platform: Platform | None = None
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="patient-chaos-")))
    undo: list[Callable[[], None]] = field(default_factory=list)
    # A simulation's exchange read timeout while the exchange is slow. The simulation runs on
    # wall-clock sockets, so its healthy timeout must be generous (a loaded machine would otherwise
    # turn a healthy window into timeouts) while a slow exchange must time out in milliseconds.
    slow_timeout: float | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    root_cause: str
    category: str
    fix_target: str | None  # <resource address>.<attribute> the Terraform fix should change
    inject: Callable[[Stack, Env], None]
    platform_minute: Callable[[Platform, int], None] = lambda platform, minute: None
    services: tuple[str, ...] = ("collector", "strategy", "executor", "dashboard")  # still logging normally


# -- the breakages -----------------------------------------------------------------------------------

def _hold_pool(stack: Stack, env: Env) -> None:
    s = stack.settings
    held = [stack.store.engine.connect() for _ in range(s.db_pool_size + s.db_max_overflow)]
    stack.faults.held_connections = held
    env.undo.append(lambda: [c.close() for c in held])


def _pg_too_many(platform: Platform, minute: int) -> None:
    for _ in range(12):
        platform.postgres("FATAL", "sorry, too many clients already")


def _poll_burst(stack: Stack, env: Env) -> None:
    stack.faults.poll_burst = 8  # 8 account polls (weight 20) every 5 s: 1,920 weight a minute
    env.undo.append(lambda: setattr(stack.faults, "poll_burst", 0))


def _leak(stack: Stack, env: Env) -> None:
    stack.faults.leak_per_step = 15_000  # ~1 GiB in five minutes
    env.undo.append(lambda: setattr(stack.faults, "leak_per_step", 0))


def _redis_down(stack: Stack, env: Env) -> None:
    stack.faults.redis_url = "redis://127.0.0.2:6379/0"  # nothing listens there: refused, as a dead node is
    env.undo.append(lambda: setattr(stack.faults, "redis_url", None))


def _slow_exchange(stack: Stack, env: Env) -> None:
    if env.slow_timeout is not None:
        healthy = stack.exchange.timeout
        stack.exchange.timeout = env.slow_timeout
        env.undo.append(lambda: setattr(stack.exchange, "timeout", healthy))
    env.exchange.delay_seconds = stack.exchange.timeout * 3
    env.undo.append(lambda: setattr(env.exchange, "delay_seconds", 0.0))


def _bad_deploy(stack: Stack, env: Env) -> None:
    stack.faults.strategy_version = "1.8.0"
    stack.running["strategy"] = False

    def undo():
        stack.faults.strategy_version = None
        stack.running["strategy"] = True
    env.undo.append(undo)


def _deploy_failed(platform: Platform, minute: int) -> None:
    if minute % 4 == 1:
        platform.deployment_failed("strategy")
    platform.task_started("strategy")


def _expired_tls(stack: Stack, env: Env) -> None:
    """The exchange moves to https with a certificate that expired yesterday (the client trusts
    that certificate, so expiry is the one thing wrong)."""
    url, ca, server = expired_tls_server(env.workdir)
    host = urlsplit(stack.exchange.base_url).hostname or "127.0.0.1"
    before = (stack.exchange.base_url, stack.exchange.verify)
    if host != "127.0.0.1":  # a named exchange (the simulation's): keep its name, route to the listener
        stack.exchange.routes[(host, 443)] = ("127.0.0.1", server.server_address[1])
        url = f"https://{host}"
    stack.exchange.base_url, stack.exchange.verify = url, str(ca)

    def undo():
        stack.exchange.base_url, stack.exchange.verify = before
        server.shutdown()
    env.undo.append(undo)


def _new_executor_without_migration(stack: Stack, env: Env) -> None:
    from patient_app.store import orders_v230

    stack.faults.orders_table = orders_v230()
    env.undo.append(lambda: setattr(stack.faults, "orders_table", None))


def _pg_missing_column(platform: Platform, minute: int) -> None:
    for _ in range(3):
        platform.postgres("ERROR", "column orders.client_order_id does not exist at character 24")
        platform.postgres("STATEMENT", "SELECT orders.id, orders.at, orders.symbol, orders.side, orders.quantity, "
                                       "orders.status, orders.detail, orders.client_order_id FROM orders")


def _denied_secret(stack: Stack, env: Env) -> None:
    from patient_app.keys import denied_client

    region = "ap-northeast-2"
    arn = f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:patient/exchange-api-key-Xy12Ab"
    stack.keys.settings.exchange_key_secret_id = arn
    stack.keys._client = denied_client(region=region, account=ACCOUNT, role="patient-executor-task",
                                       secret_arn=arn, session="5f2c1d9e8b7a4c3d2e1f0a9b8c7d6e5f")
    stack.faults.keys_denied = True
    env.undo.append(lambda: setattr(stack.faults, "keys_denied", False))


def _full_volume(stack: Stack, env: Env) -> None:
    """The store's volume is full: the database cannot grow (SQLite: its page limit set to the pages
    it has, so it answers as on a full disk), and the collector's archive volume neither (/dev/full:
    the kernel answers every write with ENOSPC)."""
    from sqlalchemy import event, text

    engine = stack.store.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            pages = conn.execute(text("PRAGMA page_count")).scalar_one()

        def cap(dbapi_conn, _record):
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

        event.listen(engine, "connect", cap)
        engine.dispose()  # pooled connections reconnect, capped
    stack.faults.archive_path = "/dev/full"

    def undo():
        stack.faults.archive_path = None
        if engine.dialect.name == "sqlite":
            event.remove(engine, "connect", cap)
            engine.dispose()
    env.undo.append(undo)


def _pg_disk_full(platform: Platform, minute: int) -> None:
    for _ in range(10):
        platform.postgres("ERROR", f'could not extend file "base/16384/{platform.rng.randint(16000, 17000)}": '
                                   "No space left on device")
        platform.postgres("HINT", "Check free disk space.")


SCENARIOS: dict[str, Scenario] = {s.name: s for s in [
    Scenario("db_pool_exhaustion", "Database connection limit reached",
             "PostgreSQL hit max_connections; pools of strategy and executor time out waiting for connections.",
             "db_connections", "aws_db_parameter_group.postgres.parameter.max_connections", _hold_pool,
             _pg_too_many),
    Scenario("exchange_rate_limit", "Exchange rate limiting (HTTP 429)",
             "The executor polls the exchange faster than its request-weight limit.",
             "upstream_rate_limit", None, _poll_burst),
    Scenario("memory_leak_oom", "Executor memory leak ending in an OOM kill",
             "The executor's order-book cache grows without bound until ECS kills the container (exit 137).",
             "oom", "aws_ecs_task_definition.executor.memory", _leak),
    Scenario("redis_unavailable", "Redis unavailable",
             "The Redis node is unreachable; collector and strategy cannot publish or read ticks.",
             "broker_connection", None, _redis_down),
    Scenario("slow_upstream", "Slow exchange causing timeouts",
             "The exchange answers slower than the executor's read timeout.",
             "timeout", None, _slow_exchange),
    Scenario("bad_deploy_config", "Bad deploy: missing setting after a version bump",
             "strategy 1.8.0 requires RSI_PERIOD, which the task definition does not set; it fails at start-up.",
             "config_error", None, _bad_deploy, _deploy_failed, services=("collector", "executor", "dashboard")),
    Scenario("tls_expired", "Expired TLS certificate on the exchange endpoint",
             "The exchange endpoint serves an expired certificate; every order call fails verification.",
             "tls", None, _expired_tls),
    Scenario("missing_column", "Deploy without its migration",
             "executor 2.3.0 queries orders.client_order_id, which no migration has added.",
             "schema_migration", None, _new_executor_without_migration, _pg_missing_column),
    Scenario("iam_secret_denied", "Executor denied its exchange API key",
             "The executor's task role lacks secretsmanager:GetSecretValue on the exchange API key secret.",
             "secrets_access", "aws_iam_role_policy.executor.policy", _denied_secret),
    Scenario("disk_full", "Database storage full",
             "The RDS instance's allocated storage is used up; PostgreSQL cannot extend table files.",
             "disk_full", "aws_db_instance.postgres.allocated_storage", _full_volume, _pg_disk_full),
]}


def inject(name: str, stack: Stack, env: Env) -> Scenario:
    if name not in SCENARIOS:
        raise KeyError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
    scenario = SCENARIOS[name]
    scenario.inject(stack, env)
    return scenario


def heal(env: Env) -> None:
    while env.undo:
        env.undo.pop()()


def expired_tls_server(workdir: Path):
    """An HTTPS listener on loopback whose certificate expired yesterday; returns (url, CA file,
    server). The client trusts that certificate, so expiry is the only thing wrong."""
    import ssl
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "paper-exchange.internal")])
    now = datetime.now(UTC)
    import ipaddress

    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=90))
            .not_valid_after(now - timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("paper-exchange.internal")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = workdir / "exchange.pem", workdir / "exchange.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"https://127.0.0.1:{server.server_address[1]}", cert_path, server
