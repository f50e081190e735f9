"""The `/analyze-logs` job: fetch, diagnose, record the incident, answer in Slack.

Whatever happens, the user gets an outcome: the diagnosis, or what failed and
what was still found; a job has a deadline, and no message stays at "Analyzing...".
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from doctor import pipeline
from doctor.config import Settings
from doctor.deliver.blocks import diagnosis_blocks
from doctor.deliver.links import ReportLinks
from doctor.deliver.reply import Reply, report_failure
from doctor.digest.timestamps import parse_time_arg
from doctor.sources import Window
from doctor.store import Store

log = logging.getLogger("doctor.jobs")


@dataclass(frozen=True)
class AnalyzeArgs:
    """What `/analyze-logs` asks for (parsed by `doctor.slack.commands`)."""

    services: tuple[str, ...]
    since: str
    until: str | None
    sources: tuple[str, ...] | None
    query: str | None
    full: bool = False  # "Read the rest": the same window with the whole job's budget, replacing the answer


async def run_analysis(*, settings: Settings, store: Store, services: list[str], window, sources=None, query=None,
                       incident_start: datetime | None = None, alert: str | None = None, channel: str | None = None,
                       progress=None, full: bool = False):
    """Fetch, digest, diagnose (with the deploys around the window) and record the incident.

    Fetching is I/O, but parsing what arrives is CPU: it runs in the kept fetch processes (a thread
    here would hold the GIL the acknowledgements need), and the rest of the fetch on a loop of its
    own in a worker thread, so the loop that acknowledges Slack never waits on a page. Diagnosis and
    fix are CPU work (and, with cloud providers, blocking calls): off the event loop too."""
    digest, _reports = await asyncio.to_thread(asyncio.run, pipeline.fetch_digest(
        settings=settings, services=services, window=window, source_names=sources, query=query,
        incident_start=incident_start, isolate=True, full=full))
    if progress is not None:
        await progress(digest)

    def diagnose():
        context = pipeline.context_for(digest, settings=settings, store=store, services=services, alert=alert,
                                       start=window.start, end=window.end)
        result = pipeline.diagnose(digest, settings=settings, context=context)
        return result, pipeline.save_incident(result, settings=settings, channel=channel, store=store)

    return await asyncio.to_thread(diagnose)


async def analyze_job(key: str, args: AnalyzeArgs, *, response_url: str, settings: Settings, store: Store,
                      channel: str | None = None, issued_at: float | None = None) -> None:
    reply = Reply(response_url, channel=channel, settings=settings, issued_at=issued_at)

    async def progress(digest) -> None:
        await reply({"response_type": "in_channel", "replace_original": True,
                     "text": f"🩺 Read {digest.lines_in:,} lines of `{', '.join(args.services)}` "
                             f"({digest.templates_out:,} templates); diagnosing…"})

    try:
        async with asyncio.timeout(settings.job_deadline_seconds):
            now = datetime.now(UTC)
            window = Window(parse_time_arg(args.since, now=now), parse_time_arg(args.until, now=now) if args.until else now)
            result, incident_id = await run_analysis(
                settings=settings, store=store, services=list(args.services), window=window, sources=args.sources,
                query=args.query, channel=channel, progress=progress, full=args.full)
        # The same window, fixed in time, for a "Read the rest" button.
        rest = {"services": list(args.services), "since": _iso(window.start), "until": _iso(window.end),
                "sources": list(args.sources) if args.sources else None, "query": args.query}
        # "Read the rest" replaces the message that offered it; a first answer is a new message.
        await reply({"response_type": "in_channel", "replace_original": args.full,
                     "text": f"🩺 {result.diagnosis.summary}",
                     "blocks": diagnosis_blocks(result, incident_id=incident_id, read_rest=rest,
                                                report_url=ReportLinks(settings).incident_url(incident_id),
                                                incident_url=ReportLinks(settings).incident_url)})
        store.set_job(key, status="done", detail=f"incident {incident_id}: {result.diagnosis.category}")
    except TimeoutError:
        text = (f"⏱️ The analysis of `{', '.join(args.services)}` did not finish within "
                f"{settings.job_deadline_seconds:g} s. Try a shorter window (`since=15m`) or one service.")
        await report_failure(key, reply, text, store)
    except ValueError as exc:  # bad window, unknown service, no source configured: the user can act on it
        await report_failure(key, reply, f"⚠️ The analysis could not start: {exc}", store)
    except Exception as exc:
        log.exception("analysis job %s failed", key)
        await report_failure(key, reply, f"❌ The analysis failed: {type(exc).__name__}: {exc}", store)


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")
