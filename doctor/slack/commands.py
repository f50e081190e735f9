"""Arguments of `/analyze-logs`: `key=value` words, quotes allowed, `help` for usage."""

from __future__ import annotations

import shlex

from doctor.jobs.analyze import AnalyzeArgs
from doctor.sources import source_names


def usage() -> str:
    # The source choices are the registry's, read when asked.
    return ("Usage: `/analyze-logs [service=NAME[,NAME]] [since=30m|2h|ISO] [until=...] "
            f"[source={'|'.join(source_names())}|all] [query=\"text\"]`. With no arguments: the default services, "
            "the last 30 minutes.")


_KEYS = {"service", "since", "until", "source", "query"}


class UsageError(ValueError):
    """A reply for the user (ephemeral), not an error trace."""


def parse_analyze(text: str, *, known_services: list[str], default_services: list[str],
                  default_window: str) -> AnalyzeArgs:
    text = (text or "").strip()
    if text.lower() in ("help", "-h", "--help", "?"):
        raise UsageError(usage())
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise UsageError(f"Could not read the arguments ({exc}). {usage()}") from None
    values: dict[str, str] = {}
    for word in words:
        key, eq, value = word.partition("=")
        if not eq or key not in _KEYS or not value:
            raise UsageError(f"`{word}` is not an argument I know. {usage()}")
        values[key] = value
    services = tuple(s for s in values.get("service", "").split(",") if s) or tuple(default_services)
    unknown = [s for s in services if s not in known_services]
    if unknown:
        raise UsageError(f"Unknown service `{', '.join(unknown)}`; I know: {', '.join(sorted(known_services))}.")
    source = values.get("source")
    if source and source not in (*source_names(), "all"):
        raise UsageError(f"`source={source}` is not one of {', '.join(source_names())}, all.")
    return AnalyzeArgs(services=services, since=values.get("since", default_window), until=values.get("until"),
                       sources=None if source in (None, "all") else (source,), query=values.get("query"))
