"""Where a job's messages go, and how a failed job is told.

Slack's response_url first (it needs no token), then chat.postMessage with the bot token.
"""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import urlsplit

from doctor.config import Settings
from doctor.deliver.slack_api import web_client
from doctor.net import shared_client
from doctor.observe import stage
from doctor.store import Store

log = logging.getLogger("doctor.jobs")


RESPONSE_URL_USES = 5
RESPONSE_URL_SECONDS = 30 * 60


class Reply:
    """Where a job's messages go: Slack's response_url while it is valid (5 uses, 30 minutes
    from the command), then chat.postMessage with the bot token in the channel (in `thread_ts`'s
    thread when set). Jobs without a response_url (alerts, deploy checks) always use the bot token."""

    def __init__(self, response_url: str, *, channel: str | None, settings: Settings,
                 issued_at: float | None = None, thread_ts: str | None = None) -> None:
        if response_url and not response_url_allowed(response_url, settings):
            # Checked at the edge too; a job's arguments (a Cloud Task's body) are checked again here.
            log.warning("response_url refused: not on DOCTOR_SLACK_RESPONSE_URL_HOSTS; the bot token answers")
            response_url = ""
        self.response_url, self.channel, self.settings = response_url, channel, settings
        self.issued_at = issued_at if issued_at is not None else time.time()
        self.thread_ts = thread_ts
        self.uses = 0

    def response_url_valid(self) -> bool:
        ttl = min(RESPONSE_URL_SECONDS, self.settings.slack_response_url_seconds)
        return bool(self.response_url) and self.uses < RESPONSE_URL_USES and time.time() - self.issued_at < ttl

    async def __call__(self, message: dict) -> str | None:
        """Send `message`; returns the posted message's ts when the bot token posted it."""
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

        client = web_client(self.settings)
        resp = await asyncio.to_thread(client.chat_postMessage, channel=self.channel, text=message.get("text", ""),
                                       blocks=message.get("blocks"), thread_ts=self.thread_ts)
        return resp.get("ts")


async def post_or_log(reply: Reply, message: dict) -> str | None:
    """Post `message` in the reply's channel; its ts, or None when Slack did not take it (logged).
    Slack being down must not lose the work behind the message: callers record it either way."""
    try:
        return await reply({"response_type": "in_channel", **message})
    except Exception:
        log.exception("could not post to Slack channel %s", reply.channel)
        return None


async def report_failure(key: str, reply: Reply, text: str, store: Store) -> None:
    """Record job `key` as failed with `text` and tell the user; a Slack failure here is only logged."""
    store.set_job(key, status="failed", detail=text)
    try:
        await reply({"response_type": "in_channel", "replace_original": False, "text": text})
    except Exception:
        log.exception("could not tell Slack that job %s failed", key)


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def response_url_allowed(url: str, settings: Settings) -> bool:
    """A response_url we will POST to: https on one of Slack's hosts (DOCTOR_SLACK_RESPONSE_URL_HOSTS), no
    userinfo, no port. A loopback host listed there (tests) may use http and a port. Anything else would
    let whoever writes the job's arguments make the doctor send a diagnosis wherever they like."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return False
    if not host or parts.username is not None or parts.password is not None:
        return False
    if host not in settings.slack_response_url_hosts:
        return False
    if host in _LOOPBACK:
        return parts.scheme in ("http", "https")
    return parts.scheme == "https" and port is None
