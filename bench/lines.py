"""Realistic raw log lines for benchmarks: several services interleaved, an incident in the middle.

Mix: the trading stack's own lines (plain Python logging and JSON, ids and prices),
Loghub-2k lines in their own formats, re-valued (every digit but the timestamp's
redrawn, so templates repeat but lines do not; the timestamp rewritten to the
benchmark's clock in the line's own format), nginx access lines, PostgreSQL lines,
klog, RFC 5424 syslog, Go log and CRI-wrapped lines. Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from loghub import EXTRA, LOGHUB

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SYMBOLS = ("BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT", "DOGE-USDT", "ADA-USDT")
PATHS = ("/positions", "/orders", "/pnl", "/healthz", "/metrics", "/api/v1/orders/{id}", "/api/v1/fills?symbol={s}",
         "/static/app.{h}.js", "/login", "/api/v1/candles?symbol={s}&interval=1m")
AGENTS = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
          "python-httpx/0.28.1", "ELB-HealthChecker/2.0", "Prometheus/3.1.0", "curl/8.5.0")


def _hex(rng: random.Random, n: int) -> str:
    return f"{rng.getrandbits(4 * n):0{n}x}"


def _trading(rng: random.Random, ts: str, incident: bool) -> str:
    k = rng.randrange(14)
    sym = rng.choice(SYMBOLS)
    if incident and rng.random() < 0.25:
        e = rng.randrange(3)
        if e == 0:
            return (f"{ts} ERROR strategy.db: sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 "
                    f"reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)")
        if e == 1:
            return json.dumps({"timestamp": ts, "level": "ERROR", "service": "executor", "logger": "executor.orders",
                               "message": f"order ord-{_hex(rng, 10)} failed: database unavailable", "symbol": sym})
        return f'{ts} INFO:     10.40.11.{rng.randint(2, 250)}:{rng.randint(30000, 60000)} - "GET /orders HTTP/1.1" 500 Internal Server Error'
    if k == 0:
        return f"{ts} INFO collector.feed: tick {sym} price={rng.uniform(0.1, 90000):.2f} volume={rng.random():.5f} seq={rng.getrandbits(30)}"
    if k == 1:
        return f"{ts} DEBUG collector.ws: frame {rng.getrandbits(20)} bytes={rng.randint(80, 4000)} lag_ms={rng.randint(0, 90)}"
    if k == 2:
        return f"{ts} INFO collector.store: stored {rng.randint(1, 600)} ticks for {sym} in {rng.randint(1, 80)} ms"
    if k == 3:
        return json.dumps({"timestamp": ts, "level": "INFO", "service": "strategy", "logger": "strategy.rsi",
                           "message": f"signal {rng.choice(('buy', 'sell', 'hold'))} for {sym}", "rsi": round(rng.uniform(5, 95), 2)})
    if k == 4:
        return f"{ts} INFO strategy.scanner: scanned {rng.randint(20, 200)} symbols in {rng.uniform(0.1, 3):.3f}s, {rng.randint(0, 5)} candidates"
    if k == 5:
        oid = "ord-" + _hex(rng, 10)
        return json.dumps({"timestamp": ts, "level": "INFO", "service": "executor", "logger": "executor.orders",
                           "message": f"order {oid} filled {rng.choice(('buy', 'sell'))} {rng.random():.4f} {sym} at {rng.uniform(0.1, 90000):.2f}",
                           "order_id": oid, "symbol": sym})
    if k == 6:
        return f"{ts} INFO executor.risk: risk check ok position={rng.uniform(0, 1):.3f} limit=1.000 daily_pnl={rng.uniform(-90, 90):.2f}"
    if k == 7:
        return f"{ts} WARNING executor.exchange: retrying order ord-{_hex(rng, 10)} in {rng.choice((1, 2, 4))} s (attempt {rng.randint(1, 3)})"
    if k == 8:
        return f"{ts} INFO executor.exchange: POST https://paper-exchange.internal/api/v3/order 200 in {rng.randint(5, 400)} ms request_id={_hex(rng, 16)}"
    if k == 9:
        return f"{ts} INFO dashboard.cache: cache hit ratio {rng.uniform(0.5, 1):.3f} keys={rng.randint(100, 90000)}"
    if k == 10:
        return f"{ts} INFO uvicorn.access: 10.40.11.{rng.randint(2, 250)}:{rng.randint(30000, 60000)} - \"GET {rng.choice(('/positions', '/pnl', '/healthz'))} HTTP/1.1\" 200"
    if k == 11:
        return f"{ts} DEBUG strategy.features: computed {rng.randint(3, 40)} features for {sym} window={rng.choice((14, 50, 200))} trace_id={_hex(rng, 32)}"
    if k == 12:
        return f"{ts} INFO executor.positions: position {sym} qty={rng.uniform(-2, 2):.4f} avg={rng.uniform(1, 90000):.2f} upnl={rng.uniform(-300, 300):.2f}"
    return f"{ts} INFO collector.health: heartbeat ok uptime={rng.randint(1, 10**6)}s rss={rng.randint(90, 500)}MiB"


def _nginx(rng: random.Random, when: datetime) -> str:
    path = rng.choice(PATHS).format(id=rng.getrandbits(32), s=rng.choice(SYMBOLS), h=_hex(rng, 8))
    status = rng.choice((200, 200, 200, 200, 304, 301, 404, 401))
    return (f'10.40.{rng.randint(0, 255)}.{rng.randint(1, 254)} - - [{when:%d/%b/%Y:%H:%M:%S} +0000] '
            f'"{rng.choice(("GET", "GET", "POST"))} {path} HTTP/1.1" {status} {rng.randint(0, 90000)} "-" "{rng.choice(AGENTS)}"')


def _postgres(rng: random.Random, when: datetime, incident: bool) -> str:
    stamp = f"{when:%Y-%m-%d %H:%M:%S}.{rng.randint(0, 999):03d} UTC [{rng.randint(100, 99999)}]"
    if incident and rng.random() < 0.3:
        return f"{stamp} FATAL:  sorry, too many clients already"
    k = rng.randrange(4)
    if k == 0:
        return f"{stamp} LOG:  checkpoint complete: wrote {rng.randint(1, 9000)} buffers ({rng.uniform(0, 9):.1f}%); 0 WAL file(s) added, 0 removed, {rng.randint(0, 9)} recycled"
    if k == 1:
        return f"{stamp} LOG:  duration: {rng.uniform(500, 9000):.3f} ms  statement: SELECT * FROM orders WHERE id = {rng.getrandbits(30)}"
    if k == 2:
        return f"{stamp} LOG:  connection authorized: user=trader database=trading application_name=executor"
    return f"{stamp} LOG:  automatic vacuum of table \"trading.public.ticks\": index scans: {rng.randint(0, 3)}"




# How each timestamp format is written for a given time: the Loghub lines keep their own
# header layout, with their time rewritten to the benchmark's clock.
def _render(fmt: str, when: datetime) -> str | None:
    ms = f"{when.microsecond // 1000:03d}"
    return {
        "iso8601": f"{when:%Y-%m-%d %H:%M:%S},{ms}",
        "rfc3164": f"{when:%b} {when.day:2d} {when:%H:%M:%S}",
        "ctime": f"[{when:%a %b %d %H:%M:%S %Y}]",
        "yymmdd-hhmmss": f"{when:%y%m%d %H%M%S}",
        "yy-slash": f"{when:%y/%m/%d %H:%M:%S}",
        "md-dot": f"[{when:%m.%d %H:%M:%S}]",
        "logcat": f"{when:%m-%d %H:%M:%S}.{ms}",
        "ymd-compact": f"{when:%Y%m%d-%H:%M:%S}:{int(ms)}",
        "epoch": str(int(when.timestamp())),
    }.get(fmt)


def _loghub_pool() -> list[tuple[str, str, str]]:
    """(format, text before the timestamp, text after it) of every Loghub line whose time we can rewrite."""
    from doctor.digest.timestamps import TimeReader

    pool: list[tuple[str, str, str]] = []
    roots = [LOGHUB] + [p for p in (EXTRA,) if p.is_dir()]
    for root in roots:
        for log in sorted(root.glob("*/*_2k.log")):
            reader = TimeReader()
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
                m = reader.match(line)
                if m is not None and _render(reader.format.name, START) is not None:
                    pool.append((reader.format.name, line[: m.start()], line[m.end():]))
    return pool


def _revalue(rng: random.Random, line: str) -> str:
    return "".join(rng.choice("0123456789") if c.isdigit() else c for c in line)


def _other(rng: random.Random, when: datetime, incident: bool) -> str:
    """Formats no shared Loghub sample has: klog, RFC 5424 syslog, Go's log package, a CRI-shipped line,
    Android logcat, Windows CBS, epoch milliseconds (Squid-style), `yyyyMMdd-HH:mm:ss:SSS`, Tomcat."""
    k = rng.randrange(9)
    ms = when.microsecond // 1000
    if k == 4:
        return (f"{when:%m-%d %H:%M:%S}.{ms:03d}  {rng.randint(1000, 3000)}  {rng.randint(1000, 30000)} "
                f"{rng.choice('DIW')} PowerManagerService: acquire lock={rng.getrandbits(28)}, flags=0x1, "
                f"tag=\"View Lock\", uid={rng.randint(10000, 10200)}")
    if k == 5:
        return (f"{when:%Y-%m-%d %H:%M:%S}, Info                  CBS    Session: {rng.getrandbits(26)}_"
                f"{rng.getrandbits(31)} initialized by client WindowsUpdateAgent.")
    if k == 6:
        return (f"{int(when.timestamp() * 1000)} {rng.randint(1, 900)} 10.0.0.{rng.randint(1, 250)} "
                f"TCP_MISS/{rng.choice((200, 200, 304, 503))} {rng.randint(200, 9000)} GET http://cdn.example/{_hex(rng, 8)}")
    if k == 7:
        return (f"{when:%Y%m%d-%H:%M:%S}:{ms}|Step_LSC|{rng.randint(30000000, 30009999)}|onStandStepChanged "
                f"{rng.randint(1000, 9999)}")
    if k == 8:
        return (f"{when:%d-%b-%Y %H:%M:%S}.{ms:03d} INFO [http-nio-8080-exec-{rng.randint(1, 10)}] "
                f"org.apache.catalina.core.StandardContext.reload Reloading Context with name [/app] has started")
    if k == 0:
        lv = "E" if incident and rng.random() < 0.3 else "I"
        return (f"{lv}{when:%m%d %H:%M:%S}.{when.microsecond:06d}       1 reflector.go:{rng.randint(100, 400)}] "
                f"watch of *v1.Pod ended with: too old resource version: {rng.getrandbits(24)} ({rng.getrandbits(24)})")
    if k == 1:
        pri = 11 if incident and rng.random() < 0.3 else 14
        return (f"<{pri}>1 {when:%Y-%m-%dT%H:%M:%S}.{when.microsecond // 1000:03d}Z node-{rng.randint(1, 9)} "
                f"cron {rng.randint(100, 9999)} - - job {rng.choice(('backup', 'rotate', 'sync'))} finished "
                f"with status {rng.choice((0, 0, 0, 1))}")
    if k == 2:
        return f"{when:%Y/%m/%d %H:%M:%S} http: TLS handshake error from 10.0.{rng.randint(0, 9)}.{rng.randint(1, 250)}:{rng.randint(30000, 60000)}: EOF"
    return (f"{when:%Y-%m-%dT%H:%M:%S}.{when.microsecond:06d}000Z stdout F {when:%Y-%m-%d %H:%M:%S},"
            f"{when.microsecond // 1000:03d} INFO worker.jobs: job {_hex(rng, 12)} done in {rng.randint(1, 900)} ms")


def generate(path: Path, n: int = 1_000_000, *, seed: int = 42, minutes: int = 60) -> Path:
    """`n` lines over `minutes`: the trading stack's ISO and JSON lines (35%), Loghub lines in their own
    formats with their own headers (35%), nginx access (12%), PostgreSQL (8%), and klog, RFC 5424,
    Go log, CRI-wrapped, logcat, Windows CBS, epoch-ms, compact and Tomcat lines (10%): 14 timestamp
    formats and more header layouts, interleaved in one file."""
    rng = random.Random(seed)
    pool = _loghub_pool()
    incident = (minutes // 2, minutes // 2 + 6)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            when = START + timedelta(seconds=minutes * 60 * i / n)
            in_incident = incident[0] <= (when - START).total_seconds() / 60 < incident[1]
            ts = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
            r = rng.random()
            if r < 0.35 or (not pool and r < 0.70):
                line = _trading(rng, ts, in_incident)
            elif r < 0.70:
                fmt, before, after = pool[rng.randrange(len(pool))]
                line = _revalue(rng, before) + _render(fmt, when) + _revalue(rng, after)
            elif r < 0.82:
                line = _nginx(rng, when)
            elif r < 0.90:
                line = _postgres(rng, when, in_incident)
            else:
                line = _other(rng, when, in_incident)
            fh.write(line + "\n")
    return path
