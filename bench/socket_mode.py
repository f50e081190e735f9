"""Benchmark: Socket Mode acknowledgements next to HTTP ones, same commands, same run.

Both edges run in this process on one event loop each, with the same settings: the HTTP app
(`doctor serve`'s app on uvicorn, loopback) and the Socket Mode edge (slack_sdk's builtin
client, connected through a local apps.connections.open to a local WebSocket server that
sends `slash_commands` envelopes). N `/analyze-logs` commands are sent to each at the same
concurrency; each is a real job (an empty log directory: "no problem found", answered to a
local response_url). Reported: ack p50/p99/max of both. Target: Socket Mode p99 within 2x of
HTTP's and under Slack's 3 s. Socket Mode pays for a thread hop (the client's worker thread
hands the request to the loop) and the client's 10-thread pool; HTTP for a TCP request each.
The load generator shares the machine's cores: compare the ratio, not the absolute figures.

Usage: python bench/socket_mode.py [--commands N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-signing-secret"
APP_TOKEN = "xapp-1-bench"


def _http_server(handler_post) -> str:
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            data = json.dumps(handler_post(self.path, body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_address[1]}"


class Slack:
    """Slack's side of Socket Mode: apps.connections.open and one WebSocket; sends envelopes, times acks."""

    def __init__(self):
        from websockets.sync.server import serve

        self.sent: dict[str, float] = {}
        self.acked: dict[str, float] = {}
        self.ws = None
        self.ready = threading.Event()
        self.cond = threading.Condition()

        def handler(ws):
            self.ws = ws
            ws.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}))
            self.ready.set()
            for message in ws:
                if isinstance(message, str) and message.startswith("{"):
                    env = json.loads(message).get("envelope_id")
                    if env:
                        with self.cond:
                            self.acked[env] = time.perf_counter()
                            self.cond.notify_all()

        self.server = serve(handler, "127.0.0.1", 0)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        ws_url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link/?ticket=bench"
        self.api = _http_server(lambda path, body: {"ok": True, "url": ws_url}) + "/api/"

    def load(self, n: int, concurrency: int, response_url: str, tag: str = "run") -> list[float]:
        window = threading.Semaphore(concurrency)
        latencies = []

        def wait_ack(env: str) -> None:
            with self.cond:
                self.cond.wait_for(lambda: env in self.acked, timeout=10)
            latencies.append(self.acked[env] - self.sent[env])
            window.release()

        waiters = []
        for i in range(n):
            window.acquire()
            env = f"{tag}-{i}"
            payload = {"team_id": "T1", "channel_id": "C1", "user_id": "U1", "command": "/analyze-logs",
                       "text": "service=executor", "response_url": response_url, "trigger_id": f"sm-{tag}-{i}"}
            self.sent[env] = time.perf_counter()
            self.ws.send(json.dumps({"envelope_id": env, "type": "slash_commands", "accepts_response_payload": True,
                                     "payload": payload}))
            t = threading.Thread(target=wait_ack, args=(env,))
            t.start()
            waiters.append(t)
        for t in waiters:
            t.join()
        return sorted(latencies)


async def http_load(url: str, n: int, concurrency: int, response_url: str, tag: str = "run") -> list[float]:
    import httpx
    from slack_sdk.signature import SignatureVerifier

    sem = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=10) as client:
        async def one(i: int) -> None:
            body = urlencode({"team_id": "T1", "channel_id": "C1", "user_id": "U1", "command": "/analyze-logs",
                              "text": "service=executor", "response_url": response_url,
                              "trigger_id": f"http-{tag}-{i}"}).encode()
            ts = str(int(time.time()))
            headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
                       "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)}
            async with sem:
                t = time.perf_counter()
                r = await client.post(f"{url}/slack/events", content=body, headers=headers)
                latencies.append(time.perf_counter() - t)
                if r.status_code != 200 or r.json().get("response_type") != "in_channel":
                    raise SystemExit(f"ack {i} failed: {r.status_code} {r.text[:200]}")

        await asyncio.gather(*(one(i) for i in range(n)))
    return sorted(latencies)


def figures(name: str, lat: list[float]) -> float:
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    print(f"  {name:<12} n={len(lat)}  p50 {statistics.median(lat) * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms  "
          f"max {lat[-1] * 1000:7.1f} ms")
    return p99


def main() -> int:
    import uvicorn

    from doctor.config import Settings
    from doctor.slack.socket_mode import serve
    from doctor.web.app import create_app

    ap = argparse.ArgumentParser()
    ap.add_argument("--commands", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=10)
    args = ap.parse_args()

    answered = []
    response_url = _http_server(lambda path, body: answered.append(1) or {}) + "/respond"
    tmp = Path(tempfile.mkdtemp(prefix="bench-sm-"))
    (tmp / "logs").mkdir()
    slack = Slack()

    def settings(name: str) -> Settings:
        return Settings(slack_signing_secret=SECRET, slack_app_token=APP_TOKEN, slack_api_base_url=slack.api,
                        local_logs_dir=tmp / "logs", database_url=f"sqlite:///{tmp / name}", log_format="text")

    server = uvicorn.Server(uvicorn.Config(create_app(settings("http.db")), host="127.0.0.1", port=0,
                                           log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    http_url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"

    loop, stop = asyncio.new_event_loop(), asyncio.Event()
    threading.Thread(target=lambda: loop.run_until_complete(serve(settings("sm.db"), stop=stop)), daemon=True).start()
    if not slack.ready.wait(30):
        raise SystemExit("the Socket Mode client did not connect")

    def settle() -> None:
        """Wait until the jobs so far have answered (no new answer for 2 s), so each round starts idle."""
        seen, quiet_since = -1, time.time()
        while time.time() - quiet_since < 2:
            if len(answered) != seen:
                seen, quiet_since = len(answered), time.time()
            time.sleep(0.1)

    # Warm-up, discarded: the first jobs import the pipeline and start the fetch processes (shared by both).
    warm = 20
    asyncio.run(http_load(http_url, warm, args.concurrency, response_url, tag="warm"))
    slack.load(warm, args.concurrency, response_url, tag="warm")
    settle()
    print(f"{args.commands} /analyze-logs at concurrency {args.concurrency}, each a real job; rounds start idle")
    http = asyncio.run(http_load(http_url, args.commands, args.concurrency, response_url))
    settle()
    sm = slack.load(args.commands, args.concurrency, response_url)
    p99_http, p99_sm = figures("http", http), figures("socket mode", sm)
    ratio = p99_sm / p99_http
    print(f"  socket mode p99 / http p99 = {ratio:.2f} (target <= 2.0; under 3 s: {sm[-1] < 3})")
    loop.call_soon_threadsafe(stop.set)
    server.should_exit = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
