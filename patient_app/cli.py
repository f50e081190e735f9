"""`patient`: run the trading stack, make it sick, or write a simulated incident window.

    patient serve [--component collector|strategy|executor|dashboard] [--port 8000]
    patient chaos SCENARIO [--url http://127.0.0.1:8000] [--heal]   (needs PATIENT_CHAOS_TOKEN)
    patient chaos --list
    patient simulate SCENARIO --out DIR [--start ISO]                (40 minutes in seconds)

`simulate` ships the window where the patient's settings say (PATIENT_LOKI_URL or LOKI_URL,
PATIENT_CLOUDWATCH_LOG_GROUP_PREFIX with AWS_REGION), as the running patient would.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from patient_app.config import COMPONENTS


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="patient", description="A paper-trading stack that can be made sick on purpose.")
    sub = p.add_subparsers(dest="command", required=True)
    sv = sub.add_parser("serve", help="run the stack: dashboard API, paper exchange and the components")
    sv.add_argument("--component", choices=COMPONENTS, action="append",
                    help="run only these components' loops (default: all, in one process)")
    sv.add_argument("--host", default="0.0.0.0")
    sv.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    ch = sub.add_parser("chaos", help="inject a scenario into a running patient (POST /chaos/{scenario})")
    ch.add_argument("scenario", nargs="?")
    ch.add_argument("--url", default="http://127.0.0.1:8000")
    ch.add_argument("--heal", action="store_true", help="undo the scenario in effect")
    ch.add_argument("--list", action="store_true", help="the scenarios, their root causes and fixes")
    sm = sub.add_parser("simulate", help="write a scenario's 40-minute window (healthy, chaos, aftermath)")
    sm.add_argument("scenario", help="a scenario name, or 'healthy'")
    sm.add_argument("--out", type=Path, required=True)
    sm.add_argument("--seed", type=int, default=7)
    sm.add_argument("--start", type=_utc, default=None,
                    help="the window's first minute, ISO 8601 (default: 40 minutes ago, so every store accepts it)")
    return p


def _utc(text: str):
    from datetime import UTC, datetime

    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    return when.replace(tzinfo=when.tzinfo or UTC).astimezone(UTC)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "chaos":
        return chaos(args)
    return simulate(args)


def simulate(args) -> int:
    from patient_app import logs
    from patient_app.chaos import SCENARIOS
    from patient_app.config import PatientSettings
    from patient_app.simulate import write_window

    scenario = None if args.scenario == "healthy" else args.scenario
    if scenario is not None and scenario not in SCENARIOS:
        print(f"patient simulate: unknown scenario {scenario!r} (one of: healthy, {', '.join(sorted(SCENARIOS))})",
              file=sys.stderr)
        return 2
    settings = PatientSettings()
    shipped, dropped = logs.SHIPPED.copy(), logs.DROPPED.copy()  # the counters are the process's
    files = write_window(scenario, args.out, seed=args.seed, start=args.start, loki_url=settings.loki_url,
                         cloudwatch_prefix=settings.cloudwatch_log_group_prefix, aws_region=settings.aws_region)
    for f in files:
        print(f"{f}  {sum(1 for _ in f.open())} lines")
    shipped, dropped = logs.SHIPPED - shipped, logs.DROPPED - dropped
    for sink in sorted(set(shipped) | set(dropped)):
        print(f"{sink}: {shipped[sink]} lines shipped, {dropped[sink]} dropped")
    return 1 if dropped else 0


def serve(args) -> int:
    import logging
    import threading

    import uvicorn

    from patient_app import chaos as chaos_mod
    from patient_app import logs
    from patient_app.app import create_app, run_loop
    from patient_app.clock import Clock
    from patient_app.config import PatientSettings
    from patient_app.exchange import PaperExchange
    from patient_app.stack import Stack

    settings = PatientSettings()
    clock = Clock()
    logs.setup(settings, clock=clock)
    api_key = settings.exchange_api_key.get_secret_value() if settings.exchange_api_key else "paper-key"
    exchange = PaperExchange(clock=clock, api_keys={api_key}, weight_per_minute=settings.exchange_weight_per_minute)
    exchange_url = settings.exchange_url or f"http://127.0.0.1:{args.port}/exchange"
    def oom_kill(component: str) -> None:
        # No cgroup limit enforces the task's memory here: do what the kernel's OOM killer does
        # to the container (the orchestrator starts a new one).
        logging.getLogger(f"patient.{component}").critical("memory limit of %d MiB exceeded; killed",
                                                           settings.memory_limit_mib)
        os._exit(137)

    stack = Stack(settings, clock=clock, exchange_url=exchange_url, on_oom=oom_kill, real_memory=True)
    env = chaos_mod.Env(exchange=exchange)
    app = create_app(settings, stack=stack, exchange=exchange, env=env)
    stop = threading.Event()
    components = tuple(args.component or COMPONENTS)
    loop = threading.Thread(target=run_loop, args=(stack,), kwargs={"components": components, "stop": stop},
                            name="components", daemon=True)
    loop.start()
    try:
        uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_config=None)
    finally:
        stop.set()
        loop.join(timeout=10)
    return 0


def chaos(args) -> int:
    from patient_app.chaos import SCENARIOS

    if args.list or not (args.scenario or args.heal):
        for s in SCENARIOS.values():
            print(f"{s.name:20} {s.category:20} fix: {s.fix_target or '-'}\n{'':20} {s.root_cause}")
        return 0
    import httpx

    token = os.environ.get("PATIENT_CHAOS_TOKEN", "")
    if not token:
        print("patient chaos: set PATIENT_CHAOS_TOKEN (the running patient's chaos token)", file=sys.stderr)
        return 2
    name = args.scenario or "any"
    resp = httpx.post(f"{args.url.rstrip('/')}/chaos/{name}", params={"heal": "true"} if args.heal else None,
                      headers={"Authorization": f"Bearer {token}"}, timeout=30)
    print(resp.text)
    return 0 if resp.status_code == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
