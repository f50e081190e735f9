"""The `doctor` command.

Exit codes: 0 a diagnosis was made (including "no problem found"), 2 bad input
(one line on stderr says why), 1 an internal error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from doctor.config import Settings, get_settings
from doctor.errors import InputError

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2


def _time(text: str):
    from doctor.digest.timestamps import parse_time_arg

    try:
        return parse_time_arg(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
        sp.add_argument("--file", action="append", required=True, metavar="PATH",
                        help="log file: plain text or JSON lines, .gz accepted; repeat for several (merged by time)")
        sp.add_argument("--service", help="service name for lines that do not carry one (default: the file's name)")
        sp.add_argument("--budget-tokens", type=_positive, help="token budget of the rendered digest (default 6000)")
        sp.add_argument("--since", type=_time, help="keep lines at or after: 30m, 2h, 1d or ISO 8601")
        sp.add_argument("--until", type=_time, help="keep lines before: 30m, 2h, 1d or ISO 8601")
        sp.add_argument("--incident-start", type=_time,
                        help="where the incident window begins (default: found from the error rate)")

    a = sub.add_parser("analyze", help="diagnose log files and propose a Terraform fix")
    add_input(a)
    a.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    d = sub.add_parser("digest", help="print the digest exactly as a model would receive it")
    add_input(d)
    d.add_argument("--format", choices=("text", "json"), default="text")

    m = sub.add_parser("demo", help="run every bundled incident scenario through the offline doctor")
    m.add_argument("--out", type=Path, default=Path("reports/demo"), help="where windows and reports go")
    m.add_argument("--scenario", action="append", help="only this scenario (repeatable)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    try:
        if args.command == "demo":
            from doctor.demo.run import run_demo

            return run_demo(out=args.out, only=args.scenario, settings=settings)
        return _analyze_or_digest(args, settings)
    except InputError as exc:
        print(f"doctor: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except (OSError, ValueError) as exc:
        print(f"doctor: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


def _analyze_or_digest(args: argparse.Namespace, settings: Settings) -> int:
    from doctor import pipeline, report
    from doctor.sources.file import read_files

    budget = args.budget_tokens or settings.budget_tokens
    window = {"incident_start": args.incident_start, "since": args.since, "until": args.until}
    if args.service:
        records = _with_service(read_files(args.file, max_line_chars=settings.max_line_chars), args.service)
        digest = pipeline.build(records, settings=settings, **window)
    else:
        digest = pipeline.build_from_files([Path(f) for f in args.file], settings=settings, **window)
    if args.command == "digest":
        rendered = digest.render(budget)
        if args.format == "json":
            print(json.dumps({**digest.stats(), "budget_tokens": budget, "rendered": rendered}, indent=2))
        else:
            print(rendered)
        return EXIT_OK
    result = pipeline.diagnose(digest, settings=settings)
    if args.format == "json":
        print(report.render_json(result, budget_tokens=budget))
    elif args.format == "markdown":
        print(report.render_markdown(result))
    else:
        print(report.render_text(result))
    return EXIT_OK


def _with_service(records, service: str):
    for r in records:
        if r.labels.get("file") and r.labels.get("service") == _stem(r.labels["file"]):
            r.labels = {**r.labels, "service": service}
        yield r


def _stem(name: str) -> str:
    from doctor.sources.file import _service_from_name

    return _service_from_name(Path(name))


if __name__ == "__main__":
    sys.exit(main())
