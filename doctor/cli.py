"""The `doctor` command.

Exit codes: 0 a diagnosis was made (including "no problem found"), 2 bad input
(one line on stderr says why, a wrong setting included), 1 an internal error, or for
`doctor check`: something required does not work.

Each command imports what only it needs (the checks, the demo's patient, Slack, the job runner, the
verdicts) in its own function: `doctor digest` on a big file runs on every core, and the other core waits
while the parent imports.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

import yaml
from pydantic import ValidationError

from doctor import pipeline
from doctor import sources as registry  # its SOURCES read when used: the registry is one tuple
from doctor.config import Settings, get_settings
from doctor.deliver import report
from doctor.deliver.links import ReportLinks
from doctor.digest.timestamps import parse_time_arg
from doctor.errors import InputError
from doctor.models import Diagnosis
from doctor.observe import configure_logging
from doctor.pipeline import redactor_for
from doctor.sources import (
    Selector,
    Window,
    build_sources,
    how_to_configure,
    service_map,
    service_map_errors,
    source_names,
    source_settings,
)
from doctor.sources.collect import stop_fetch_processes
from doctor.sources.file import read_files, service_from_name
from doctor.store import open_store

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2


def _time(text: str):
    try:
        return parse_time_arg(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _minutes(text: str) -> float:
    """A duration (`15m`, `1h`, `1d`) in minutes: at least one, at most a day."""
    now = datetime.now(UTC)
    try:
        minutes = (now - parse_time_arg(text, now=now)).total_seconds() / 60
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not 1 <= minutes <= 1440:
        raise argparse.ArgumentTypeError(f"{text!r}: an interval from 1m to 1d")
    return minutes


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 200:
        raise argparse.ArgumentTypeError("must be at least 200 tokens")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="doctor", description="Cloud Doctor: diagnose an incident from its logs.")
    sub = p.add_subparsers(dest="command", required=True)

    def add_input(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--file", action="append", metavar="PATH",
                        help="log file: plain text or JSON lines, .gz accepted; repeat for several (merged by time). "
                             "Without --file, logs are fetched from the configured sources")
        sp.add_argument("--service", action="append",
                        help="with --file: the service of lines that do not name one (default: the file's name); "
                             "without: a service of the service map to fetch (repeatable; default: DOCTOR_DEFAULT_SERVICES)")
        sp.add_argument("--source", action="append", choices=(*source_names(), "all"),
                        help="only these sources (default: every configured one)")
        sp.add_argument("--query", help="free text: a CloudWatch filter pattern and a Loki line filter")
        sp.add_argument("--insights", metavar="QUERY", help="a CloudWatch Logs Insights query instead of FilterLogEvents")
        sp.add_argument("--budget-tokens", type=_positive, help="token budget of the rendered digest (default 6000)")
        sp.add_argument("--since", type=_time, help="keep lines at or after: 30m, 2h, 1d or ISO 8601")
        sp.add_argument("--until", type=_time, help="keep lines before: 30m, 2h, 1d or ISO 8601")
        sp.add_argument("--incident-start", type=_time,
                        help="where the incident window begins (default: found from the error rate)")

    a = sub.add_parser("analyze", help="diagnose log files and propose a Terraform fix")
    add_input(a)
    a.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    a.add_argument("--no-save", action="store_true", help="do not record the incident in the store")

    f = sub.add_parser("fix", help="propose (again) the Terraform fix of a recorded incident")
    f.add_argument("--incident", required=True, metavar="ID", help="an incident id printed by `doctor analyze`")
    f.add_argument("--write", metavar="PATH", type=Path, help="write the fix as a patch (git apply PATH); only a valid fix")
    f.add_argument("--format", choices=("text", "json"), default="text")

    d = sub.add_parser("digest", help="print the digest exactly as a model would receive it")
    add_input(d)
    d.add_argument("--format", choices=("text", "json"), default="text")

    sub.add_parser("sources", help="show the service map and what each configured source can reach")

    sv = sub.add_parser("serve", help="run the HTTP service (Slack slash commands)")
    sv.add_argument("--host", default="0.0.0.0")
    sv.add_argument("--port", type=int, default=int(__import__("os").environ.get("PORT", "8080")))
    sv.add_argument("--socket-mode", action="store_true",
                    help="take Slack's commands and buttons over Socket Mode (SLACK_APP_TOKEN): no public URL needed")

    sm = sub.add_parser("slack-manifest", help="print the Slack app manifest (create the app from it)")
    sm.add_argument("--url", help="the service's public https URL (Slack posts to <url>/slack/events)")
    sm.add_argument("--socket-mode", action="store_true", help="a Socket Mode app: no URL needed")
    sm.add_argument("--name", default="Cloud Doctor", help="the app's name in Slack")
    sm.add_argument("--format", choices=("yaml", "json"), default="yaml")

    c = sub.add_parser("check", help="validate the settings and reach every configured dependency")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--only", action="append", metavar="CHECK",
                   help="only this check (repeatable): slack, sources, aws, loki, vertex, bedrock, store, tasks, terraform")

    r = sub.add_parser("rounds", help="the doctor's rounds: check every mapped service each interval; post only "
                                      "what is new, bursting or gone quiet")
    r.add_argument("--every", type=_minutes, metavar="DURATION",
                   help="the interval: 15m, 1h (default DOCTOR_ROUNDS_EVERY_MINUTES)")
    r.add_argument("--once", action="store_true", help="one round, then exit")
    r.add_argument("--at", type=_time, help="with --once: the round's time (replays a past interval; 30m, ISO 8601)")
    r.add_argument("--service", action="append", help="only this service of the map (repeatable)")

    m = sub.add_parser("demo", help="run every bundled incident scenario through the offline doctor")
    m.add_argument("--out", type=Path, default=Path("reports/demo"), help="where windows and reports go")
    m.add_argument("--scenario", action="append", help="only this scenario (repeatable)")

    # The on-call's verdict (doctor/verdicts/)
    st = sub.add_parser("stats", help="how often the first answer was right, per category and provider (7/30/90 days)")
    st.add_argument("--format", choices=("text", "json"), default="text")
    ex = sub.add_parser("export-cases", help="write incidents judged wrong as incident-corpus cases (YAML)")
    ex.add_argument("--wrong", action="store_true", required=True,
                    help="the incidents the on-call judged wrong (the only selection so far; required)")
    ex.add_argument("--out", type=Path, default=Path("tests/corpus/cases"),
                    help="the corpus folder: one <service>.yaml per system, appended to (default tests/corpus/cases)")
    ex.add_argument("--since", type=_time, help="only incidents diagnosed at or after: 30d, ISO 8601")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "slack-manifest":
        return _slack_manifest(args)
    try:
        settings = get_settings()
    except ValueError as exc:  # pydantic's ValidationError: name each wrong setting, no traceback
        return _bad_settings(exc, args)
    # The service map's source keys are the sources' to read (`doctor check` lists what is wrong).
    if args.command != "check" and (errors := service_map_errors(settings)):
        return _setting_errors([("DOCTOR_SERVICES", e) for e in errors], args)
    try:
        if args.command == "check":
            return _check(args, settings)
        if args.command == "demo":
            from doctor.demo.run import run_demo

            return run_demo(out=args.out, only=args.scenario, settings=settings)
        if args.command == "sources":
            return _sources(settings)
        if args.command == "fix":
            return _fix(args, settings)
        if args.command == "stats":
            return _stats(args, settings)
        if args.command == "export-cases":
            return _export_cases(args, settings)
        if args.command == "rounds":
            return _rounds(args, settings)
        if args.command == "serve" and args.socket_mode:
            return _serve_socket_mode(settings)
        if args.command == "serve":
            # lazy: only `doctor serve` runs a server
            import uvicorn

            log_config = None
            if settings.log_format == "json":
                configure_logging(redactor_for(settings).redact, max_chars=settings.log_max_chars)
            else:
                log_config = uvicorn.config.LOGGING_CONFIG

            # Keep-alive longer than the front end's (Cloud Run's proxy, a load balancer), so it is
            # never the server that closes a connection the proxy is about to reuse. X-Forwarded-For is
            # believed only from DOCTOR_FORWARDED_ALLOW_IPS. On SIGTERM, requests in flight (a /tasks/run
            # job) get the grace time, then are cancelled and handed back (README "Security").
            uvicorn.run("doctor.web.app:create_app", factory=True, host=args.host, port=args.port,
                        proxy_headers=True, forwarded_allow_ips=settings.forwarded_allow_ips,
                        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
                        timeout_keep_alive=75, log_config=log_config)
            return EXIT_OK
        return _analyze_or_digest(args, settings)
    except InputError as exc:
        print(f"doctor: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except (OSError, ValueError) as exc:
        print(f"doctor: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


def _bad_settings(exc: ValueError, args: argparse.Namespace) -> int:
    if not isinstance(exc, ValidationError):
        raise exc
    lines = []
    for err in exc.errors():
        name = "_".join(str(p) for p in err["loc"][:1]).upper()
        env = name if name.startswith(("SLACK_", "AWS_", "GOOGLE_")) else f"DOCTOR_{name}"
        lines.append((env, err["msg"]))
    return _setting_errors(lines, args)


def _setting_errors(lines: list[tuple[str, str]], args: argparse.Namespace) -> int:
    if args.command == "check" and args.format == "json":
        print(json.dumps({"ok": False, "results": [{"name": env, "status": "fail", "detail": msg,
                                                    "fix": f"correct {env}", "required": True}
                                                   for env, msg in lines]}, indent=2))
    else:
        for env, msg in lines:
            print(f"doctor: setting {env}: {msg}", file=sys.stderr)
    return EXIT_INPUT


def _slack_manifest(args: argparse.Namespace) -> int:
    from doctor.slack.manifest import manifest

    try:
        data = manifest(url=args.url, socket_mode=args.socket_mode, name=args.name)
    except ValueError as exc:
        print(f"doctor: {exc}", file=sys.stderr)
        return EXIT_INPUT
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), end="")
    return EXIT_OK


def _check(args: argparse.Namespace, settings: Settings) -> int:
    from doctor.check import CHECKS, render_table, run_checks

    unknown = [o for o in args.only or [] if o not in CHECKS]
    if unknown:
        raise InputError(f"no check named {', '.join(unknown)}; the checks are {', '.join(CHECKS)}")
    results = run_checks(settings, args.only)
    failed = any(r.failed for r in results)
    if args.format == "json":
        print(json.dumps({"ok": not failed, "results": [r.to_dict() for r in results]}, indent=2))
    else:
        print(render_table(results))
        print("\nSomething required does not work: see the → lines." if failed else "\nEverything required works.")
    return EXIT_INTERNAL if failed else EXIT_OK


def _serve_socket_mode(settings: Settings) -> int:
    from doctor.slack.socket_mode import serve

    if settings.log_format == "json":  # as `doctor serve`: JSON lines through the redactor

        configure_logging(redactor_for(settings).redact)
    else:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(serve(settings))
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def _analyze_or_digest(args: argparse.Namespace, settings: Settings) -> int:
    budget = args.budget_tokens or settings.budget_tokens
    window = {"incident_start": args.incident_start, "since": args.since, "until": args.until}
    if not args.file:
        digest = _fetch(args, settings)
    elif args.service:
        if len(args.service) > 1:
            raise InputError("with --file, give at most one --service (the service of lines that name none)")
        time_notes: list[str] = []  # filled as the files are read: timestamps that lacked a year or zone
        records = _with_service(read_files(args.file, max_line_chars=settings.max_line_chars, reference=args.until,
                                           notes=time_notes), args.service[0])
        digest = pipeline.build(records, settings=settings, **window)
        digest.notes.extend(time_notes)
    else:
        digest = pipeline.build_from_files([Path(f) for f in args.file], settings=settings, **window)
    if args.command == "digest":
        rendered = digest.render(budget)
        if args.format == "json":
            print(json.dumps({**digest.stats(), "budget_tokens": budget, "rendered": rendered}, indent=2))
        else:
            print(rendered)
        return EXIT_OK
    store = None
    if not args.no_save:
        store = open_store(settings)
    # The store also knows the deploys (POST /deploys): they are listed, and blamed when errors follow one.
    context = pipeline.context_for(digest, settings=settings, store=store, services=list(args.service or []))
    result = pipeline.diagnose(digest, settings=settings, context=context)
    incident_id = None if store is None else pipeline.save_incident(result, settings=settings, store=store)
    if args.format == "json":
        print(json.dumps({**result.to_dict(budget_tokens=budget), "incident_id": incident_id}, indent=2))
    elif args.format == "markdown":
        print(report.render_markdown(result))
    else:
        print(report.render_text(result))
        if incident_id:
            print(f"Incident {incident_id} recorded; `doctor fix --incident {incident_id} --write fix.patch` "
                  "re-proposes its fix against the current tree.")
    return EXIT_OK


def _fix(args: argparse.Namespace, settings: Settings) -> int:
    incident = open_store(settings).get_incident(args.incident)
    if incident is None:
        raise InputError(f"no incident {args.incident!r} in the store ({settings.database_url})")
    diagnosis = Diagnosis.model_validate(incident["diagnosis"])
    fix, note = pipeline.propose_fix(diagnosis, settings=settings)
    if args.format == "json":
        print(json.dumps({"incident_id": args.incident, "fix": fix.model_dump(mode="json") | {"valid": fix.valid}
                          if fix else None, "fix_note": note}, indent=2))
    else:
        print(f"Incident {args.incident}: {incident['title']} ({incident['category']})")
        lines = report.fix_lines(fix, note)
        print("\n".join(lines) if lines else "No Terraform fix: not an infrastructure cause.")
    if args.write:
        if fix is None or not fix.valid:
            print(f"doctor: not writing {args.write}: there is no valid fix", file=sys.stderr)
            return EXIT_INTERNAL
        args.write.write_text(fix.diff, encoding="utf-8")
        print(f"Wrote {args.write} (apply with: git apply {args.write}; review it first, it is never applied for you)")
    return EXIT_OK


# The on-call's verdict (doctor/verdicts/): `doctor stats`, `doctor export-cases --wrong`

def _stats(args: argparse.Namespace, settings: Settings) -> int:
    from doctor.verdicts.stats import render_text as render_stats
    from doctor.verdicts.stats import to_dict as stats_dict
    from doctor.verdicts.stats import verdict_report

    report = verdict_report(open_store(settings))
    if args.format == "json":
        print(json.dumps(stats_dict(report), indent=2))
        return EXIT_OK
    print(render_stats(report))
    url = ReportLinks(settings).url("/incidents/stats")
    if url:
        print(f"With a chart: {url}")
    return EXIT_OK


def _export_cases(args: argparse.Namespace, settings: Settings) -> int:
    from doctor.verdicts.export import export_wrong

    done = export_wrong(open_store(settings), args.out, redactor=redactor_for(settings), since=args.since)
    for path, n in done.written.items():
        print(f"{path}: {n} case(s) added")
    total = sum(done.written.values())
    print(f"{total} case(s) written, {done.already} already in the corpus"
          + (f", {len(done.skipped)} skipped (no evidence lines or no named cause: {', '.join(done.skipped[:10])})"
             if done.skipped else "") + ".")
    if total:
        print("Check them with: pytest tests/test_corpus_data.py; score the engine on them: python bench/corpus.py")
    return EXIT_OK


# The doctor's rounds (doctor/jobs/rounds.py): `doctor rounds`

def _rounds(args: argparse.Namespace, settings: Settings) -> int:
    """`doctor rounds`: rounds on this machine, through the in-process job runner (the service's Cloud
    Scheduler job posts the same job to /tasks/run)."""
    from doctor.jobs import InProcessRunner
    from doctor.jobs.spec import rounds_spec

    if args.at and not args.once:
        raise InputError("--at replays one past round: use it with --once")
    if args.every:
        settings = settings.model_copy(update={"rounds_every_minutes": args.every})
    unknown = [s for s in args.service or [] if s not in settings.services]
    if unknown:
        raise InputError(f"unknown service(s) {', '.join(unknown)}; the service map knows: "
                         f"{', '.join(sorted(settings.services))}")
    store = open_store(settings)

    async def loop() -> None:
        runner = InProcessRunner(settings=settings, store=store)
        while True:
            spec = rounds_spec(args.at or datetime.now(UTC), settings=settings, services=args.service)
            await runner.submit(spec)
            await runner.drain()
            at = spec.args["at"]
            for row in reversed([r for r in store.rounds_of(limit=500) if r["at"].startswith(at[:16])]):
                print(f"{at[11:16]}Z {row['service']}: {row['status']}" + (f" ({row['detail']})" if row["detail"]
                                                                         and row["status"] != "healthy" else ""))
            job = store.get_job(spec.key)
            if job and job["status"] != "done":
                print(f"round {spec.key}: {job['status']}: {job['detail']}", file=sys.stderr)
            if args.once:
                return
            step = settings.rounds_every_minutes * 60
            await asyncio.sleep(step - datetime.now(UTC).timestamp() % step)  # to the next slot boundary

    try:
        asyncio.run(loop())
    finally:
        stop_fetch_processes()
    return EXIT_OK


def _fetch(args: argparse.Namespace, settings: Settings):

    now = datetime.now(UTC)
    window = Window(args.since or parse_time_arg(settings.default_window, now=now), args.until or now)
    only = None if not args.source or "all" in args.source else tuple(args.source)
    digest, _reports = asyncio.run(pipeline.fetch_digest(
        settings=settings, services=args.service or list(settings.default_services), window=window,
        source_names=only, query=args.query, insights_query=args.insights, incident_start=args.incident_start,
    ))
    return digest


def _sources(settings: Settings) -> int:

    print("Service map:")
    sources = build_sources(settings)
    logs = service_map(settings)
    for name, m in sorted(settings.services.items()):
        default = " (default)" if name in settings.default_services else ""
        platform = f"; platform {', '.join(link.stream for link in m.platform)}" if m.platform else ""
        # What each source reads for the service: a configured source says it (the file it would
        # read); otherwise the map's value as written.
        read = []
        for kind in registry.SOURCES:
            value = logs[name].get(kind.name)
            if kind.name in sources:
                shown = sources[kind.name].target(Selector(name, logs=logs[name]))
            else:
                shown = ", ".join(value) if isinstance(value, tuple) else str(value or "")
            read.append(f"{kind.name} {shown or '-'}")
        print(f"  {name}{default}: {'; '.join(read)}{platform}")
    print("Sources and their settings:")
    for kind in registry.SOURCES:
        state = "configured" if kind.name in sources else "not configured"
        print(f"  {kind.name} ({state}): {', '.join(source_settings(kind)) or 'no settings'}")
    if not sources:
        print(f"No source configured: {how_to_configure()}.")
        return EXIT_INPUT

    async def check():
        return await asyncio.gather(*(s.health() for s in sources.values()))

    print("Health:")
    ok = True
    for (name, _), health in zip(sources.items(), asyncio.run(check())):
        ok &= health.ok
        print(f"  {name}: {'ok' if health.ok else 'UNREACHABLE'} - {health.detail}")
        if health.reachable:
            shown = ", ".join(health.reachable[:20])
            more = f" (+{len(health.reachable) - 20} more)" if len(health.reachable) > 20 else ""
            print(f"    sees: {shown}{more}")
    return EXIT_OK if ok else EXIT_INTERNAL


def _with_service(records, service: str):
    for r in records:
        if r.labels.get("file") and r.labels.get("service") == _stem(r.labels["file"]):
            r.labels = {**r.labels, "service": service}
        yield r


def _stem(name: str) -> str:
    return service_from_name(Path(name))


if __name__ == "__main__":
    sys.exit(main())
