"""Where log records come from. Every source implements `LogSource`; this is the one place
they are registered and matched to services through the service map in settings."""

from __future__ import annotations

from dataclasses import replace

from doctor.config import Settings
from doctor.sources.base import FetchReport, Health, Limits, LogSource, Selector, SourceError, Window
from doctor.sources.cloudwatch import CloudWatchSource
from doctor.sources.file import FileSource
from doctor.sources.loki import LokiSource

SOURCE_NAMES = ("cloudwatch", "loki", "file")


def build_sources(settings: Settings, *, only: tuple[str, ...] | None = None) -> dict[str, LogSource]:
    """The sources this configuration can use. A source with nothing configured is left out."""
    wanted = set(only or settings.sources or SOURCE_NAMES)
    out: dict[str, LogSource] = {}
    if "cloudwatch" in wanted and (settings.aws_region or "cloudwatch" in (settings.sources or ())):
        out["cloudwatch"] = CloudWatchSource(region=settings.aws_region)
    if "loki" in wanted and settings.loki_url:
        out["loki"] = LokiSource(
            url=settings.loki_url, tenant=settings.loki_tenant, username=settings.loki_username,
            password=settings.loki_password.get_secret_value() if settings.loki_password else None,
            token=settings.loki_token.get_secret_value() if settings.loki_token else None,
            page_size=settings.loki_page_size,
        )
    if "file" in wanted and settings.local_logs_dir:
        out["file"] = FileSource(settings.local_logs_dir, max_line_chars=settings.max_line_chars)
    return out


def selectors(settings: Settings, services: list[str], *, query: str | None = None,
              insights_query: str | None = None) -> list[Selector]:
    """The services' own logs (with the user's query), then their platform streams (`platform_streams`)."""
    out = []
    for service in services:
        m = settings.services.get(service)
        out.append(Selector(
            service=service,
            cloudwatch_groups=tuple(m.cloudwatch) if m else (),
            loki_selector=m.loki if m else None,
            file=m.file if m else None,
            query=query,
            insights_query=insights_query,
        ))
    return out + platform_streams(settings, services)


def platform_streams(settings: Settings, services: list[str]) -> list[Selector]:
    """One selector per platform stream the services name in the map, however many name it (a shared
    database is read once), narrowed to the lines about them. A stream analysed as a service of its
    own is read whole already and not again. The user's query and Insights query are written for the
    services' own logs, so they do not narrow platform streams: the cause there rarely shares their words."""
    wanted: dict[str, dict[str, tuple[str, ...]]] = {}  # stream -> service -> its matches
    for service in services:
        m = settings.services.get(service)
        for link in m.platform if m else ():
            if link.stream in services:
                continue
            wanted.setdefault(link.stream, {})[service] = settings.services[link.stream].matches_for(link, service)
    out = []
    for stream, by_service in wanted.items():
        m = settings.services[stream]
        out.append(Selector(service=stream, cloudwatch_groups=tuple(m.cloudwatch), loki_selector=m.loki,
                            file=m.file, platform_for=tuple(by_service.items())))
    return out


def platform_note(sels: list[Selector], read: set[str]) -> str | None:
    """The digest's note of the platform streams read with the services (`read`: the streams some
    source had), so a reader knows where "via" lines come from and what was not there."""
    parts = []
    for sel in sels:
        if not sel.platform_for:
            continue
        whole = [s for s, ms in sel.platform_for if not ms]
        narrowed = [s for s, ms in sel.platform_for if ms]
        how = "; ".join(([f"every line for {', '.join(whole)}"] if whole else [])
                        + ([f"the lines naming {', '.join(narrowed)}"] if narrowed else []))
        parts.append(f"{sel.service} ({how})" if sel.service in read
                     else f"{sel.service} (no configured source has it)")
    return f"platform streams read with the services: {'; '.join(parts)}" if parts else None


def jobs_for(sources: dict[str, LogSource], sels: list[Selector]) -> list[tuple[LogSource, Selector]]:
    """One job per (source, service); CloudWatch gets one per log group, so each job is in time order."""
    jobs: list[tuple[LogSource, Selector]] = []
    for sel in sels:
        for source in sources.values():
            if not source.configured_for(sel):
                continue
            if source.name == "cloudwatch" and not sel.insights_query and len(sel.cloudwatch_groups) > 1:
                jobs += [(source, replace(sel, cloudwatch_groups=(g,))) for g in sel.cloudwatch_groups]
            else:
                jobs.append((source, sel))
    return jobs


__all__ = ["SOURCE_NAMES", "FetchReport", "Health", "Limits", "LogSource", "Selector", "SourceError", "Window",
           "build_sources", "jobs_for", "platform_note", "platform_streams", "selectors"]
