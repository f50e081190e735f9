"""Where log records come from. Every source implements `LogSource`; this is the one place
they are registered and matched to services through the service map in settings."""

from __future__ import annotations

from doctor.config import Settings
from doctor.sources.base import FetchReport, Health, Limits, LogSource, Selector, SourceError, Window

SOURCE_NAMES = ("cloudwatch", "loki", "file")


def build_sources(settings: Settings, *, only: tuple[str, ...] | None = None) -> dict[str, LogSource]:
    """The sources this configuration can use. A source with nothing configured is left out."""
    wanted = set(only or settings.sources or SOURCE_NAMES)
    out: dict[str, LogSource] = {}
    if "cloudwatch" in wanted and (settings.aws_region or "cloudwatch" in (settings.sources or ())):
        from doctor.sources.cloudwatch import CloudWatchSource

        out["cloudwatch"] = CloudWatchSource(region=settings.aws_region)
    if "loki" in wanted and settings.loki_url:
        from doctor.sources.loki import LokiSource

        out["loki"] = LokiSource(
            url=settings.loki_url, tenant=settings.loki_tenant, username=settings.loki_username,
            password=settings.loki_password.get_secret_value() if settings.loki_password else None,
            token=settings.loki_token.get_secret_value() if settings.loki_token else None,
            page_size=settings.loki_page_size,
        )
    if "file" in wanted and settings.local_logs_dir:
        from doctor.sources.file import FileSource

        out["file"] = FileSource(settings.local_logs_dir, max_line_chars=settings.max_line_chars)
    return out


def selectors(settings: Settings, services: list[str], *, query: str | None = None,
              insights_query: str | None = None) -> list[Selector]:
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
    return out


def jobs_for(sources: dict[str, LogSource], sels: list[Selector]) -> list[tuple[LogSource, Selector]]:
    """One job per (source, service); CloudWatch gets one per log group, so each job is in time order."""
    jobs: list[tuple[LogSource, Selector]] = []
    for sel in sels:
        for source in sources.values():
            if not source.configured_for(sel):
                continue
            if source.name == "cloudwatch" and not sel.insights_query and len(sel.cloudwatch_groups) > 1:
                from dataclasses import replace

                jobs += [(source, replace(sel, cloudwatch_groups=(g,))) for g in sel.cloudwatch_groups]
            else:
                jobs.append((source, sel))
    return jobs


__all__ = ["SOURCE_NAMES", "FetchReport", "Health", "Limits", "LogSource", "Selector", "SourceError", "Window",
           "build_sources", "jobs_for", "selectors"]
