"""Benchmark (issue #17): two on-calls analyse a big window at once on a Cloud Run-shaped instance.

Six services x N lines (default 200,000) over 60 minutes, an OOM kill in the newest 10% of the
window (executor), read through each source in turn: local files, moto's CloudWatch Logs server and
the test suite's Loki stand-in (each server in a process of its own). For each source the doctor
runs in a child process shaped like `terraform/doctor`'s Cloud Run service: one core (CPU affinity),
512 MiB (a cgroup, where this machine lets us make one; otherwise the output says so and reports the
peak RSS instead), its fetch processes kept as the service keeps them; two analyses start at once,
each with the budget the instance gives it (`doctor.sources.budget`).

Printed per source and analysis: time to answer and where it went (the slowest job's own read,
the fetch with its digest, the diagnosis), the diagnosis, whether the incident was found,
coverage (the share of the window read, lowest and mean over the six services) and peak memory (the
child's and its fetch processes', summed). Targets: the incident found in every run, every answer
within 60 s, peak memory under 400 MB.

Usage: python bench/scale.py [--lines N] [--sources file,loki,cloudwatch]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
MINUTES = 60
SERVICES = ("collector", "strategy", "executor", "dashboard", "postgres", "ecs-events")
INCIDENT = "executor"
OOM = ("Out of memory: Killed process {pid} (python3) total-vm:1523900kB, anon-rss:{rss}kB, file-rss:0kB, "
       "shmem-rss:0kB, UID:1000 pgtables:1100kB oom_score_adj:0")


def _lines(service: str, n: int):
    """(ms since epoch, line) in time order; the OOM kills (every 20 s) in the newest 10% of the window."""
    step = MINUTES * 60_000 / n
    base = int(T0.timestamp() * 1000)
    incident_from = base + int(MINUTES * 60_000 * 0.9)
    for i in range(n):
        ms = base + int(i * step)
        stamp = datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        if service == INCIDENT and ms >= incident_from and i % 1000 == 0:
            yield ms, f"{stamp} ERROR kernel: " + OOM.format(pid=4000 + i % 97, rss=498012 + i % 1000)
        elif i % 53 == 0:
            yield ms, f"{stamp} WARNING {service}.http: slow request GET /orders/{i} took {200 + i % 700} ms"
        else:
            yield ms, (f"{stamp} INFO {service}.api: order ord-{i * 7919 % 10**9:09x} filled buy 0.{i % 1000:03d} "
                       f"BTC-USDT at {60000 + i % 5000}.25")


def seed_files(root: Path, n: int) -> None:
    for s in SERVICES:
        with (root / f"{s}.log").open("w") as fh:
            fh.writelines(f"{line}\n" for _, line in _lines(s, n))


def seed_loki(url: str, n: int) -> None:
    import httpx

    for s in SERVICES:
        batch = []
        for ms, line in _lines(s, n):
            batch.append([str(ms * 1_000_000), line])
            if len(batch) == 50_000:
                httpx.post(f"{url}/loki/api/v1/push", json={"streams": [{"stream": {"service": s}, "values": batch}]},
                           timeout=120).raise_for_status()
                batch = []
        if batch:
            httpx.post(f"{url}/loki/api/v1/push", json={"streams": [{"stream": {"service": s}, "values": batch}]},
                       timeout=120).raise_for_status()


def seed_cloudwatch(url: str, n: int) -> None:
    import boto3

    logs = boto3.client("logs", region_name="ap-northeast-2", endpoint_url=url)
    for s in SERVICES:
        group = f"/ecs/scale/{s}"
        logs.create_log_group(logGroupName=group)
        logs.create_log_stream(logGroupName=group, logStreamName="task/1")
        batch = []
        for ms, line in _lines(s, n):
            batch.append({"timestamp": ms, "message": line})
            if len(batch) == 10_000:
                logs.put_log_events(logGroupName=group, logStreamName="task/1", logEvents=batch)
                batch = []
        if batch:
            logs.put_log_events(logGroupName=group, logStreamName="task/1", logEvents=batch)


def _hwm_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(source: str) -> None:
    """Runs in the Cloud Run-shaped child: two analyses of the six services at once."""
    import multiprocessing

    from doctor.config import ServiceLogs, Settings
    from doctor.pipeline import diagnose, fetch_digest
    from doctor.sources import Window

    services = {s: ServiceLogs(cloudwatch=[f"/ecs/scale/{s}"], loki=f'{{service="{s}"}}', file=f"{s}.log")
                for s in SERVICES}
    settings = Settings(services=services, default_services=list(SERVICES), job_concurrency=2,
                        local_logs_dir=os.environ.get("SCALE_FILES"), loki_url=os.environ.get("SCALE_LOKI"),
                        aws_region="ap-northeast-2" if source == "cloudwatch" else None)
    window = Window(T0, T0 + timedelta(minutes=MINUTES))

    async def one() -> dict:
        start = time.perf_counter()
        # As the service runs it: parsing in the kept fetch processes, the fetch on a loop of its own.
        digest, reports = await asyncio.to_thread(asyncio.run, fetch_digest(
            settings=settings, services=list(SERVICES), window=window, source_names=(source,), isolate=True))
        fetched = time.perf_counter()
        result = await asyncio.to_thread(diagnose, digest, settings=settings)
        cov = [r.coverage for r in reports]
        return {"seconds": time.perf_counter() - start, "category": result.diagnosis.category,
                # where the time went: the slowest job's own read, the fetch with its digest, the diagnosis
                "job_seconds": max(r.seconds for r in reports), "fetch_seconds": fetched - start,
                "diagnose_seconds": time.perf_counter() - fetched,
                "summary": result.diagnosis.summary, "lines": sum(r.lines for r in reports),
                "coverage_min": min(cov), "coverage_mean": sum(cov) / len(cov),
                "executor_coverage": next(r.coverage for r in reports if r.service == INCIDENT),
                "outcomes": sorted({r.outcome for r in reports}),
                "failures": sorted({r.detail[:160] for r in reports if r.outcome == "failed"})}

    async def both():
        return await asyncio.gather(one(), one())

    runs = asyncio.run(both())
    workers = multiprocessing.active_children()
    peak = _hwm_mb() + sum(_hwm_mb(p.pid) for p in workers)
    print(json.dumps({"runs": runs, "peak_mb": peak, "processes": 1 + len(workers),
                      "cores": sorted(os.sched_getaffinity(0))}), flush=True)
    for p in workers:  # the kept fetch processes hold our stdout: they go with us
        p.kill()
    os._exit(0)


def _cloud_run_shape() -> tuple:
    """A preexec_fn that pins the child to one core and, where possible, puts it in a 512 MiB cgroup."""
    core = min(os.sched_getaffinity(0))
    group = None
    note = "no cgroup could be made here (cgroup v1 or no permission): 512 MiB NOT enforced, peak RSS reported"
    for base, limit_file in ((Path("/sys/fs/cgroup"), "memory.max"), (Path("/sys/fs/cgroup/memory"),
                                                                       "memory.limit_in_bytes")):
        g = base / f"doctor-scale-{os.getpid()}"
        try:
            g.mkdir()
        except OSError:
            continue
        # A real cgroup directory is filled by the kernel; on a plain tmpfs (v1 mounts) it stays empty.
        try:
            if not (g / limit_file).exists():
                raise OSError("not a cgroup")
            (g / limit_file).write_text(str(512 * 1024 * 1024))
        except OSError:
            g.rmdir()
            continue
        group = g
        note = f"512 MiB enforced by the cgroup {g}"
        break

    def shape() -> None:
        os.sched_setaffinity(0, {core})
        if group is not None:
            (group / "cgroup.procs").write_text(str(os.getpid()))

    return shape, f"1 core (CPU {core}) by affinity; {note}", group


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str) -> None:
    import httpx

    deadline = time.time() + 60
    while True:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            if time.time() > deadline:
                raise SystemExit(f"{url} did not come up") from None
            time.sleep(0.2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=200_000, help="lines per service")
    ap.add_argument("--sources", default="file,loki,cloudwatch")
    ap.add_argument("--child")
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    n = args.lines
    shape, shape_note, group = _cloud_run_shape()
    print(f"six services x {n:,} lines over {MINUTES} min, an OOM kill in the newest 10% ({INCIDENT}); "
          f"two analyses at once.\nInstance: {shape_note}.", flush=True)
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
    os.environ.update({k: env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")})
    bin_dir = Path(sys.executable).parent
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for source in args.sources.split(","):
            server = None
            started = time.perf_counter()
            if source == "file":
                seed_files(Path(tmp), n)
                env["SCALE_FILES"] = tmp
            elif source == "loki":
                port = _free_port()
                server = subprocess.Popen([sys.executable, "-m", "tests.fakes.loki_server", str(port)], cwd=ROOT,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                env["SCALE_LOKI"] = f"http://127.0.0.1:{port}"
                _wait_for(f"{env['SCALE_LOKI']}/ready")
                seed_loki(env["SCALE_LOKI"], n)
            else:
                port = _free_port()
                server = subprocess.Popen([str(bin_dir / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                env["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{port}"
                _wait_for(f"{env['AWS_ENDPOINT_URL']}/moto-api/")
                seed_cloudwatch(env["AWS_ENDPOINT_URL"], n)
            print(f"{source}: seeded in {time.perf_counter() - started:.0f} s; analysing ...", flush=True)
            try:
                proc = subprocess.run([sys.executable, __file__, "--child", source], env=env, preexec_fn=shape,
                                      capture_output=True, text=True, check=False, timeout=600)
            finally:
                if server is not None:
                    server.terminate()
                    server.wait()
            if proc.returncode != 0:
                raise SystemExit(f"{source} run failed: {proc.stderr[-3000:]}")
            results[source] = json.loads(proc.stdout.strip().splitlines()[-1])
            if group is not None:  # the cgroup's own high-water mark: every process of the child at once
                usage = group / ("memory.peak" if (group / "memory.peak").exists() else "memory.max_usage_in_bytes")
                results[source]["cgroup_peak_mb"] = int(usage.read_text()) / 2**20
                if usage.name == "memory.max_usage_in_bytes":
                    usage.write_text("0")  # reset for the next source
    if group is not None:
        group.rmdir()

    print()
    found_all, slowest, peak = True, 0.0, 0.0
    for source, r in results.items():
        peak = max(peak, r["peak_mb"])
        for i, run in enumerate(r["runs"], 1):
            found = run["category"] == "oom"
            found_all &= found
            slowest = max(slowest, run["seconds"])
            print(f"{source:<11} analysis {i}: answer in {run['seconds']:5.1f} s  {run['lines']:>9,} lines  "
                  f"coverage min {run['coverage_min']:.0%} mean {run['coverage_mean']:.0%} "
                  f"(executor {run['executor_coverage']:.0%}, {'/'.join(run['outcomes'])})  "
                  f"{'FOUND' if found else 'MISSED'}: {run['summary'][:70]}")
            print(f"{'':<11}   slowest job {run['job_seconds']:.1f} s, fetch and digest {run['fetch_seconds']:.1f} s, "
                  f"diagnosis {run['diagnose_seconds']:.1f} s")
            for failure in run.get("failures", []):
                print(f"{'':<11}   failed: {failure}")
        cg = f", the cgroup's peak {r['cgroup_peak_mb']:.0f} MB" if "cgroup_peak_mb" in r else ""
        print(f"{'':<11} peak memory {r['peak_mb']:.0f} MB (sum of the {r['processes']} processes' peaks{cg}) "
              f"on CPUs {r['cores']}")
    print(f"\nincident found in every run: {'met' if found_all else 'NOT met'}; slowest answer {slowest:.1f} s "
          f"(target 60 s: {'met' if slowest <= 60 else 'NOT met'}); peak memory {peak:.0f} MB "
          f"(target 400 MB: {'met' if peak < 400 else 'NOT met'})")


if __name__ == "__main__":
    main()
