"""The `/analyze-logs` job: fetch, diagnose, record the incident, answer in Slack.

Whatever happens, the user gets an outcome: the diagnosis, or what failed and
what was still found; a job has a deadline, and no message stays at "Analyzing...".
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

import httpx

from doctor.config import Settings
from doctor.slack.commands import AnalyzeArgs

log = logging.getLogger("doctor.jobs")


RESPONSE_URL_USES = 5
RESPONSE_URL_SECONDS = 30 * 60


class Reply:
    """Where a job's messages go: Slack's response_url while it is valid (5 uses, 30 minutes
    from the command), then chat.postMessage with the bot token in the command's channel."""

    def __init__(self, response_url: str, *, channel: str | None, settings: Settings,
                 issued_at: float | None = None) -> None:
        self.response_url, self.channel, self.settings = response_url, channel, settings
        self.issued_at = issued_at if issued_at is not None else time.time()
        self.uses = 0

    def response_url_valid(self) -> bool:
        ttl = min(RESPONSE_URL_SECONDS, self.settings.slack_response_url_seconds)
        return bool(self.response_url) and self.uses < RESPONSE_URL_USES and time.time() - self.issued_at < ttl

    async def __call__(self, message: dict) -> None:
        if self.response_url_valid():
            self.uses += 1
            async with httpx.AsyncClient(timeout=10) as client:
                resp = await client.post(self.response_url, json=message)
            if resp.status_code < 400:
                return
            log.warning("Slack refused the response_url answer (%s): %s", resp.status_code, resp.text[:200])
        if message.get("replace_original") and message.get("response_type") == "in_channel":
            return  # a progress update is not worth a new message in the channel
        await self._post_message(message)

    async def _post_message(self, message: dict) -> None:
        import asyncio

        if message.get("response_type") == "ephemeral":
            return  # an ephemeral note needs the user's response_url; never turn it into a public message
        if not (self.settings.slack_bot_token and self.channel):
            log.error("no way left to answer in Slack: response_url spent and no bot token or channel")
            return
        from slack_sdk import WebClient

        client = WebClient(token=self.settings.slack_bot_token.get_secret_value(),
                           base_url=self.settings.slack_api_base_url)
        await asyncio.to_thread(client.chat_postMessage, channel=self.channel, text=message.get("text", ""),
                                blocks=message.get("blocks"))


async def analyze_job(key: str, args: AnalyzeArgs, *, response_url: str, settings: Settings, store,
                      channel: str | None = None, issued_at: float | None = None) -> None:
    from doctor import pipeline
    from doctor.digest.timestamps import parse_time_arg
    from doctor.slack.blocks import diagnosis_blocks
    from doctor.sources import Window

    reply = Reply(response_url, channel=channel, settings=settings, issued_at=issued_at)
    store.set_job(key, status="running")
    try:
        async with asyncio.timeout(settings.job_deadline_seconds):
            now = datetime.now(UTC)
            window = Window(parse_time_arg(args.since, now=now), parse_time_arg(args.until, now=now) if args.until else now)
            # Fetching is I/O, but digesting what arrives is CPU: the whole of it runs on a loop of its
            # own in a worker thread, so the loop that acknowledges Slack never waits on a page.
            digest, _reports = await asyncio.to_thread(asyncio.run, pipeline.fetch_digest(
                settings=settings, services=list(args.services), window=window, source_names=args.sources,
                query=args.query))
            # Diagnosis and fix are CPU work (and, with cloud providers, blocking calls): off the event loop.
            await reply({"response_type": "in_channel", "replace_original": True,
                                         "text": f"🩺 Read {digest.lines_in:,} lines of `{', '.join(args.services)}` "
                                                 f"({digest.templates_out:,} templates); diagnosing…"})
            result = await asyncio.to_thread(pipeline.diagnose, digest, settings=settings)
            incident_id = await asyncio.to_thread(pipeline.save_incident, result, settings=settings,
                                                  channel=channel, store=store)
        await reply({"response_type": "in_channel", "replace_original": False, "text": f"🩺 {result.diagnosis.summary}",
                                     "blocks": diagnosis_blocks(result, incident_id=incident_id)})
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


async def _report_failure(key: str, reply: Reply, text: str, store) -> None:
    store.set_job(key, status="failed", detail=text)
    try:
        await reply({"response_type": "in_channel", "replace_original": False, "text": text})
    except Exception:
        log.exception("could not tell Slack that job %s failed", key)
