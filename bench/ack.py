"""Benchmark: Slack acknowledgements of `doctor serve` under load, next to a bare endpoint.

Both servers are real processes started the same way (uvicorn on loopback). While four
analyses of 200,000 lines each run in the doctor, 2,000 signed `/analyze-logs` commands
are sent at concurrency 50 (each one a real job: a window with no lines, answered "no
problem found"), and the same 2,000 to a FastAPI endpoint that only verifies the
signature. Reported: ack p50/p99/max of both, and cold start (process start to first
successful ack). Targets: doctor p99 <= 2x the bare p99; no ack over 1 s; cold start
<= 1.5 s and <= 3x the bare one. The load generator shares the machine's two cores, so
compare ratios, not absolute figures.

A second part compares the job backends: a doctor with DOCTOR_JOB_BACKEND=cloudtasks (each
ack creates a Cloud Task in the gcloud-tasks-emulator, run from .venv-tasks, before it
returns) next to an in-process one, both fresh, under the same 2,000 commands. Reported: ack
p50/p99/max and cold start (process start to the first accepted command, which for Cloud
Tasks includes creating its first task). Target: Cloud Tasks within 1.5x of in-process.

Usage: python bench/ack.py [--commands N] [--heavy-lines N] [--skip-cloudtasks]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
SECRET = "bench-signing-secret"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _signed(text: str, trigger: str, response_url: str) -> tuple[bytes, dict]:
    from slack_sdk.signature import SignatureVerifier

    body = urlencode({"team_id": "T1", "channel_id": "C1", "user_id": "U1", "command": "/analyze-logs",
                      "text": text, "response_url": response_url, "trigger_id": trigger}).encode()
    ts = str(int(time.time()))
    return body, {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
                  "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)}


def _sink() -> tuple[str, list]:
    """Stands in for Slack's response_url."""
    got: list = []

    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            got.append(time.time())
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_address[1]}/respond", got


def start(cmd: list[str], env: dict, port: int, response_url: str, log: Path,
          text: str = "help") -> tuple[subprocess.Popen, float]:
    """Start a server; returns it and the seconds from process start to its first successful ack
    of `text` (`help` answers without a job; a real command also hands its job over)."""
    import httpx

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    while True:
        body, headers = _signed(text, f"cold-{time.time()}", response_url)
        try:
            r = httpx.post(f"http://127.0.0.1:{port}/slack/events", content=body, headers=headers, timeout=5)
            if r.status_code == 200 and (text == "help" or r.json().get("response_type") == "in_channel"):
                return proc, time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        if time.perf_counter() - t0 > 30:
            proc.kill()
            raise SystemExit(f"{cmd} did not answer within 30 s")
        time.sleep(0.01)


async def load(port: int, n: int, concurrency: int, text: str, response_url: str, tag: str) -> list[float]:
    import httpx

    sem = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=concurrency, keepalive_expiry=30)
    async with httpx.AsyncClient(timeout=10, limits=limits) as client:
        async def one(i: int) -> None:
            body, headers = _signed(text, f"{tag}-{i}", response_url)
            async with sem:
                t = time.perf_counter()
                r = await client.post(f"http://127.0.0.1:{port}/slack/events", content=body, headers=headers)
                latencies.append(time.perf_counter() - t)
                if r.status_code != 200:
                    raise SystemExit(f"ack {i} failed: {r.status_code} {r.text[:200]}")

        await asyncio.gather(*(one(i) for i in range(n)))
    return sorted(latencies)


def load_wrk(port: int, n: int, concurrency: int, text: str, response_url: str, tag: str) -> dict:
    """The same signed commands sent by wrk (C, epoll): the load generator takes far less of the
    two cores than Python's, so the servers' own latency shows. Returns wrk's figures in seconds."""
    import re
    import shutil

    threads = 2
    path = Path(tempfile.mkstemp(prefix="wrk-", suffix=".txt")[1])
    with path.open("w") as fh:
        for i in range(n + concurrency * 2):  # spares: a connection may send once more before its thread stops
            body, headers = _signed(text, f"{tag}-{i}", response_url)
            fh.write(f"{headers['X-Slack-Request-Timestamp']}\t{headers['X-Slack-Signature']}\t{body.decode()}\n")
    out = subprocess.run([shutil.which("wrk"), "-t", str(threads), "-c", str(concurrency), "-d", f"{max(10, n // 100)}s",
                          "--timeout", "10s", "-s", str(ROOT / "bench" / "wrk_ack.lua"), f"http://127.0.0.1:{port}",
                          "--", str(path), str(threads), str(n // threads)], capture_output=True, text=True).stdout
    m = re.search(r"WRK requests=(\d+) p50_us=(\d+) p99_us=(\d+) max_us=(\d+) mean_us=(\d+) non200=(\d+)", out)
    if not m:
        raise SystemExit(f"wrk said: {out}")
    requests, p50, p99, mx, mean, bad = map(int, m.groups())
    if bad:
        raise SystemExit(f"{bad} acks were not 200")
    if requests < n:
        raise SystemExit(f"wrk stopped after {requests} of {n} commands: raise its duration")
    return {"n": requests, "p50": p50 / 1e6, "p99": p99 / 1e6, "max": mx / 1e6, "mean": mean / 1e6}


def stats(driver: str, port: int, n: int, text: str, response_url: str, tag: str) -> dict:
    if driver == "wrk":
        return load_wrk(port, n, 50, text, response_url, tag)
    xs = asyncio.run(load(port, n, 50, text, response_url, tag))
    return {"n": len(xs), "p50": _pct(xs, 50), "p99": _pct(xs, 99), "max": max(xs), "mean": statistics.mean(xs)}


def _pct(xs: list[float], p: float) -> float:
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--commands", type=int, default=2000)
    ap.add_argument("--heavy-lines", type=int, default=200_000)
    ap.add_argument("--skip-cloudtasks", action="store_true")
    ap.add_argument("--driver", choices=("wrk", "httpx"), default=None,
                    help="load generator: wrk when installed (apt-get install wrk), else httpx")
    args = ap.parse_args()
    import shutil

    driver = args.driver or ("wrk" if shutil.which("wrk") else "httpx")
    from lines import generate

    work = Path(tempfile.mkdtemp(prefix="doctor-ack-"))
    logs = work / "logs"
    logs.mkdir()
    data = ROOT / ".bench" / f"ack-{args.heavy_lines}.log"
    if not data.exists():
        generate(data, args.heavy_lines)
    os.symlink(data, logs / "executor.log")
    (logs / "dashboard.log").write_text("")  # the load commands' service: nothing in its window
    response_url, answers = _sink()
    env = {**os.environ, "SLACK_SIGNING_SECRET": SECRET, "DOCTOR_LOCAL_LOGS_DIR": str(logs),
           "DOCTOR_DATABASE_URL": f"sqlite:///{work / 'doctor.db'}", "DOCTOR_JOB_CONCURRENCY": "2",
           "DOCTOR_JOB_DEADLINE_SECONDS": "600"}
    doctor_port, bare_port = _port(), _port()
    doctor, doctor_cold = start([sys.executable, "-m", "doctor", "serve", "--host", "127.0.0.1", "--port",
                                 str(doctor_port)], env, doctor_port, response_url, work / "doctor.log")
    bare, bare_cold = start([sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--host", "127.0.0.1", "--port",
                             str(bare_port), "--log-level", "warning", "--timeout-keep-alive", "75"], env, bare_port, response_url, work / "bare.log")
    try:
        heavy = "service=executor since=2026-11-20T09:00:00Z until=2026-11-20T10:00:00Z"
        empty = "service=dashboard since=2020-01-01T00:00:00Z until=2020-01-01T00:01:00Z"
        asyncio.run(load(doctor_port, 4, 4, heavy, response_url, "heavy"))  # four big analyses start
        time.sleep(0.5)
        # The baseline first, so it is measured while the same four analyses run on this machine
        # (and not while the doctor works through the 2,000 small jobs the next load queues).
        base = stats(driver, bare_port, args.commands, empty, response_url, "load")
        t = time.perf_counter()
        doc = stats(driver, doctor_port, args.commands, empty, response_url, "load")
        doc_wall = time.perf_counter() - t
        busy = len(answers) < 8  # progress + answer per heavy analysis: still running during the load?
    except BaseException:
        print("doctor serve's stderr (last lines):\n" + "".join((work / "doctor.log").read_text().splitlines(True)[-30:]))
        raise
    finally:
        doctor.terminate()
        bare.terminate()
        doctor.wait()
        bare.wait()

    def row(name, st):
        return (f"{name:<16} p50 {st['p50'] * 1000:7.1f} ms   p99 {st['p99'] * 1000:7.1f} ms   "
                f"max {st['max'] * 1000:7.1f} ms   mean {st['mean'] * 1000:6.1f} ms   ({st['n']:,} acks)")

    print(f"\nload generator: {driver}")
    print(f"{args.commands:,} signed /analyze-logs at concurrency 50; 4 analyses of {args.heavy_lines:,} lines "
          f"{'running' if busy else 'had finished'} when the load ended ({doc_wall:.1f} s)")
    print(row("doctor serve", doc))
    print(row("bare endpoint", base))
    ratio = doc["p99"] / base["p99"]
    print(f"p99 ratio {ratio:.2f} (target <= 2: {'met' if ratio <= 2 else 'NOT met'});"
          f" max ack {doc['max'] * 1000:.0f} ms (target <= 1000: {'met' if doc['max'] <= 1 else 'NOT met'})")
    print(f"cold start: doctor {doctor_cold:.2f} s, bare {bare_cold:.2f} s, ratio {doctor_cold / bare_cold:.2f} "
          f"(targets <= 1.5 s: {'met' if doctor_cold <= 1.5 else 'NOT met'}, <= 3x: "
          f"{'met' if doctor_cold <= 3 * bare_cold else 'NOT met'})")
    if not args.skip_cloudtasks:
        compare_backends(args.commands, env, work, response_url, row, driver)


QUEUE = "projects/bench/locations/here/queues/doctor-jobs"


def compare_backends(n: int, env: dict, work: Path, response_url: str, row, driver: str) -> None:
    emulator = ROOT / ".venv-tasks" / "bin" / "gcloud-tasks-emulator"
    if not emulator.exists():
        print("\n(no .venv-tasks: run `make test` once to install the Cloud Tasks emulator)")
        return
    tasks_url, _deliveries = _sink()  # where the emulator delivers: accepted, not run (the ack is measured)
    emu_port = _port()
    emu = subprocess.Popen([str(emulator), "start", "--port", str(emu_port), "--max-retries", "0", "--quiet",
                            "--default-queue", QUEUE], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)
    empty = "service=dashboard since=2020-01-01T00:00:00Z until=2020-01-01T00:01:00Z"
    results = {}
    try:
        for backend in ("inprocess", "cloudtasks"):
            port = _port()
            benv = {**env, "DOCTOR_JOB_BACKEND": backend, "DOCTOR_DATABASE_URL": f"sqlite:///{work / backend}.db"}
            if backend == "cloudtasks":
                benv |= {"DOCTOR_TASKS_QUEUE": QUEUE, "DOCTOR_TASKS_EMULATOR_HOST": f"127.0.0.1:{emu_port}",
                         "DOCTOR_SERVICE_URL": tasks_url.rsplit("/", 1)[0], "DOCTOR_TASKS_SERVICE_ACCOUNT": "b@x.iam"}
            proc, cold = start([sys.executable, "-m", "doctor", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               benv, port, response_url, work / f"{backend}.log", text=empty)
            try:
                lat = stats(driver, port, n, empty, response_url, f"backend-{backend}")
            finally:
                proc.terminate()
                proc.wait()
            results[backend] = (cold, lat)
    finally:
        emu.terminate()
        emu.wait()
    (ip_cold, ip), (ct_cold, ct) = results["inprocess"], results["cloudtasks"]
    print(f"\nJob backends, {n:,} commands at concurrency 50 (fresh processes, no background analyses)")
    print(row("in-process", ip))
    print(row("cloud tasks", ct))
    ratio = ct["p99"] / ip["p99"]
    cold_ratio = ct_cold / ip_cold
    print(f"p99 ratio {ratio:.2f} (target <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'}); cold start to the first "
          f"accepted command: in-process {ip_cold:.2f} s, cloud tasks {ct_cold:.2f} s, ratio {cold_ratio:.2f} "
          f"(target <= 1.5: {'met' if cold_ratio <= 1.5 else 'NOT met'})")


if __name__ == "__main__":
    main()
