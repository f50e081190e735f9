"""Where log records come from. Every source implements `LogSource`; this is the one place
they are registered and matched to services through the service map in settings."""

from __future__ import annotations

from doctor.config import ServiceLogs, Settings
from doctor.sources.base import FetchReport, Health, Limits, LogSource, Selector, ServiceMapError, SourceError, Window
from doctor.sources.cloudwatch import CloudWatchSource
from doctor.sources.file import FileSource
from doctor.sources.loki import LokiSource

# The registry: every log source, in the order they are asked. Adding one is a module and a line here.
SOURCES: tuple[type[LogSource], ...] = (CloudWatchSource, LokiSource, FileSource)


def source_names() -> tuple[str, ...]:
    """The registered sources' names: the `--source` and `source=` choices, the service map's keys.
    Read from the registry when asked, so nothing keeps a copy of it."""
    return tuple(kind.name for kind in SOURCES)


def source_title(name: str) -> str:
    """A source's name in words ("CloudWatch"); an unknown name (a stored incident's) as it is."""
    return next((kind.title for kind in SOURCES if kind.name == name), name)


def source_settings(kind: type[LogSource]) -> tuple[str, ...]:
    """The environment variables of the settings a source reads (the one that turns it on first)."""
    return tuple(Settings.env_name(f) for f in kind.settings_fields)


def how_to_configure() -> str:
    """The settings that turn each source on, for a configuration that has none."""
    switches = [f"{source_settings(kind)[0]} ({kind.name})" for kind in SOURCES if kind.settings_fields]
    return "set " + (", ".join(switches[:-1]) + " or " + switches[-1] if len(switches) > 1 else "".join(switches))


def service_map_errors(settings: Settings) -> list[str]:
    """What is wrong in the service map's source keys, one sentence each (none: every key names a
    registered source and its value is one that source can read)."""
    kinds = {kind.name: kind for kind in SOURCES}
    errors = []
    for service, entry in settings.services.items():
        for key, raw in entry.logs.items():
            kind = kinds.get(key)
            if kind is None:
                own = ", ".join(f for f in ServiceLogs.model_fields if f != "logs")
                errors.append(f"service {service!r}: {key!r} is not a log source (the sources: "
                              f"{', '.join(kinds)}; an entry's other keys: {own})")
                continue
            try:
                kind.parse_selector(raw)
            except ValueError as exc:
                errors.append(f"service {service!r}: {exc}")
    return errors


def service_map(settings: Settings) -> dict[str, dict[str, object]]:
    """Each service's source values, parsed by their sources (ServiceMapError: what is wrong, all of it)."""
    if errors := service_map_errors(settings):
        raise ServiceMapError("DOCTOR_SERVICES: " + "; ".join(errors))
    kinds = {kind.name: kind for kind in SOURCES}
    return {service: {key: kinds[key].parse_selector(raw) for key, raw in entry.logs.items()}
            for service, entry in settings.services.items()}


def build_sources(settings: Settings, *, only: tuple[str, ...] | None = None) -> dict[str, LogSource]:
    """The sources this configuration can use. A source with nothing configured is left out."""
    named = set(only or settings.sources or ())
    wanted = named or set(source_names())
    out: dict[str, LogSource] = {}
    for kind in SOURCES:
        if kind.name in wanted and (source := kind.from_settings(settings, named=kind.name in named)) is not None:
            out[kind.name] = source
    return out


def selectors(settings: Settings, services: list[str], *, query: str | None = None,
              insights_query: str | None = None) -> list[Selector]:
    """The services' own logs (with the user's query), then their platform streams (`platform_streams`)."""
    logs = service_map(settings)
    out = [Selector(service=service, logs=logs.get(service, {}), query=query, insights_query=insights_query)
           for service in services]
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
    logs = service_map(settings) if wanted else {}
    return [Selector(service=stream, logs=logs[stream], platform_for=tuple(by_service.items()))
            for stream, by_service in wanted.items()]


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
    """The fetch jobs: each source's jobs for each service it has logs for (`LogSource.jobs`)."""
    return [(source, job) for sel in sels for source in sources.values() if source.configured_for(sel)
            for job in source.jobs(sel)]


__all__ = ["SOURCES", "FetchReport", "Health", "Limits", "LogSource", "Selector", "ServiceMapError", "SourceError",
           "Window", "build_sources", "how_to_configure", "jobs_for", "platform_note", "platform_streams", "selectors", "service_map",
           "service_map_errors", "source_names", "source_settings", "source_title"]
