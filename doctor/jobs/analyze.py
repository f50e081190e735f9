"""The `/analyze-logs` job: fetch, diagnose, record the incident, answer in Slack.

Whatever happens, the user gets an outcome: the diagnosis, or what failed and
what was still found; a job has a deadline, and no message stays at "Analyzing...".
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

from doctor.config import Settings
from doctor.net import shared_client
from doctor.slack.commands import AnalyzeArgs

log = logging.getLogger("doctor.jobs")


RESPONSE_URL_USES = 5
RESPONSE_URL_SECONDS = 30 * 60


class Reply:
    """Where a job's messages go: Slack's response_url while it is valid (5 uses, 30 minutes
    from the command), then chat.postMessage with the bot token in the channel (in `thread_ts`'s
    thread when set). Jobs without a response_url (alerts, deploy checks) always use the bot token."""

    def __init__(self, response_url: str, *, channel: str | None, settings: Settings,
                 issued_at: float | None = None, thread_ts: str | None = None) -> None:
        self.response_url, self.channel, self.settings = response_url, channel, settings
        self.issued_at = issued_at if issued_at is not None else time.time()
        self.thread_ts = thread_ts
        self.uses = 0

    def response_url_valid(self) -> bool:
        ttl = min(RESPONSE_URL_SECONDS, self.settings.slack_response_url_seconds)
        return bool(self.response_url) and self.uses < RESPONSE_URL_USES and time.time() - self.issued_at < ttl

    async def __call__(self, message: dict) -> str | None:
        """Send `message`; returns the posted message's ts when the bot token posted it."""
        from doctor.observe import stage

        with stage("deliver"):
            return await self._send(message)

    async def _send(self, message: dict) -> str | None:
        if self.response_url_valid():
            self.uses += 1
            resp = await shared_client().post(self.response_url, json=message)
            if resp.status_code < 400:
                return None
            log.warning("Slack refused the response_url answer (%s): %s", resp.status_code, resp.text[:200])
        if (message.get("replace_original") and message.get("response_type") == "in_channel" and self.response_url
                and not message.get("blocks")):
            return None  # a progress update is not worth a new message in the channel (an answer is)
        return await self._post_message(message)

    async def _post_message(self, message: dict) -> str | None:
        if message.get("response_type") == "ephemeral":
            return None  # an ephemeral note needs the user's response_url; never turn it into a public message
        if not (self.settings.slack_bot_token and self.channel):
            log.error("no way left to answer in Slack: no usable response_url, and no bot token or channel")
            return None
        from doctor.slack.api import web_client

        client = web_client(self.settings)
        resp = await asyncio.to_thread(client.chat_postMessage, channel=self.channel, text=message.get("text", ""),
                                       blocks=message.get("blocks"), thread_ts=self.thread_ts)
        return resp.get("ts")


async def run_analysis(*, settings: Settings, store, services: list[str], window, sources=None, query=None,
                       incident_start: datetime | None = None, alert: str | None = None, channel: str | None = None,
                       progress=None, full: bool = False):
    """Fetch, digest, diagnose (with the deploys around the window) and record the incident.

    Fetching is I/O, but parsing what arrives is CPU: it runs in the kept fetch processes (a thread
    here would hold the GIL the acknowledgements need), and the rest of the fetch on a loop of its
    own in a worker thread, so the loop that acknowledges Slack never waits on a page. Diagnosis and
    fix are CPU work (and, with cloud providers, blocking calls): off the event loop too."""
    from doctor import pipeline

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


async def analyze_job(key: str, args: AnalyzeArgs, *, response_url: str, settings: Settings, store,
                      channel: str | None = None, issued_at: float | None = None) -> None:
    from doctor.digest.timestamps import parse_time_arg
    from doctor.slack.blocks import diagnosis_blocks
    from doctor.sources import Window
    from doctor.web.links import ReportLinks

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
                                                report_url=ReportLinks(settings).incident_url(incident_id))})
        store.set_job(key, status="done", detail=f"incident {incident_id}: {result.diagnosis.category}")
    except TimeoutError:
        text = (f"⏱️ The analysis of `{', '.join(args.services)}` did not finish within "
                f"{settings.job_deadline_seconds:g} s. Try a shorter window (`since=15m`) or one service.")
        await _report_failure(key, reply, text, store)
    except ValueError as exc:  # bad window, unknown service, no source configured: the user can act on it
        await _report_failure(key, reply, f"⚠️ The analysis could not start: {exc}", store)
    except Exception as exc:
        log.exception("analysis job %s failed", key)
        await _report_failure(key, reply, f"❌ The analysis failed: {type(exc).__name__}: {exc}", store)


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


async def _report_failure(key: str, reply: Reply, text: str, store) -> None:
    store.set_job(key, status="failed", detail=text)
    try:
        await reply({"response_type": "in_channel", "replace_original": False, "text": text})
    except Exception:
        log.exception("could not tell Slack that job %s failed", key)
