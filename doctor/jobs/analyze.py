"""The `/analyze-logs` job: fetch, diagnose, record the incident, answer in Slack.

Whatever happens, the user gets an outcome: the diagnosis, or what failed and
what was still found; a job has a deadline, and no message stays at "Analyzing...".
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import httpx

from doctor.config import Settings
from doctor.slack.commands import AnalyzeArgs

log = logging.getLogger("doctor.jobs")


async def deliver(response_url: str, message: dict) -> None:
    """Post to Slack's response_url (valid 30 minutes, 5 uses)."""
    async with httpx.AsyncClient(timeout=10) as client:
        resp = await client.post(response_url, json=message)
        if resp.status_code >= 400:
            log.warning("Slack refused the answer (%s): %s", resp.status_code, resp.text[:200])


async def analyze_job(key: str, args: AnalyzeArgs, *, response_url: str, settings: Settings, store,
                      channel: str | None = None) -> None:
    from doctor import pipeline
    from doctor.digest.timestamps import parse_time_arg
    from doctor.slack.blocks import diagnosis_blocks
    from doctor.sources import Window

    store.set_job(key, status="running")
    try:
        async with asyncio.timeout(settings.job_deadline_seconds):
            now = datetime.now(UTC)
            window = Window(parse_time_arg(args.since, now=now), parse_time_arg(args.until, now=now) if args.until else now)
            digest, _reports = await pipeline.fetch_digest(settings=settings, services=list(args.services),
                                                           window=window, source_names=args.sources, query=args.query)
            # Diagnosis and fix are CPU work (and, with cloud providers, blocking calls): off the event loop.
            await deliver(response_url, {"response_type": "in_channel", "replace_original": True,
                                         "text": f"🩺 Read {digest.lines_in:,} lines of `{', '.join(args.services)}` "
                                                 f"({digest.templates_out:,} templates); diagnosing…"})
            result = await asyncio.to_thread(pipeline.diagnose, digest, settings=settings)
            incident_id = await asyncio.to_thread(pipeline.save_incident, result, settings=settings,
                                                  channel=channel, store=store)
        await deliver(response_url, {"response_type": "in_channel", "replace_original": False,
                                     "text": f"🩺 {result.diagnosis.summary}",
                                     "blocks": diagnosis_blocks(result, incident_id=incident_id)})
        store.set_job(key, status="done", detail=f"incident {incident_id}: {result.diagnosis.category}")
    except TimeoutError:
        text = (f"⏱️ The analysis of `{', '.join(args.services)}` did not finish within "
                f"{settings.job_deadline_seconds:g} s. Try a shorter window (`since=15m`) or one service.")
        await _report_failure(key, response_url, text, store)
    except ValueError as exc:  # bad window, unknown service, no source configured: the user can act on it
        await _report_failure(key, response_url, f"⚠️ The analysis could not start: {exc}", store)
    except Exception as exc:
        log.exception("analysis job %s failed", key)
        await _report_failure(key, response_url, f"❌ The analysis failed: {type(exc).__name__}: {exc}", store)


async def _report_failure(key: str, response_url: str, text: str, store) -> None:
    store.set_job(key, status="failed", detail=text)
    try:
        await deliver(response_url, {"response_type": "in_channel", "replace_original": False, "text": text})
    except httpx.HTTPError:
        log.exception("could not tell Slack that job %s failed", key)
