"""`doctor serve --socket-mode`: the same commands and buttons over Slack's Socket Mode.

Slack opens no connection to us: the doctor opens a WebSocket to Slack (apps.connections.open with
the app-level token, SLACK_APP_TOKEN) and receives slash commands and button clicks as envelopes,
acknowledging each by its envelope_id. So a laptop with no public URL can serve a real workspace.

What a request does is `SlackHandlers`, the core `POST /slack/events` uses, with the same `Deps`
(store, job runner): the acknowledgement carries the same message, jobs run and answer through
response_url the same way. slack_sdk's builtin client is used because it needs no extra package
(its asyncio variants need aiohttp); it calls our listener on its worker threads, and the listener
hands each request to the one asyncio loop the job runner lives on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from doctor.config import Settings
from doctor.deps import Deps
from doctor.net import tls_context
from doctor.observe import ACK_SECONDS, ACKS
from doctor.slack.handlers import SlackHandlers

log = logging.getLogger("doctor.slack")

ACK_TIMEOUT_SECONDS = 2.5  # Slack allows 3 s per envelope, as over HTTP


class SocketModeEdge:
    """Connects, receives, acknowledges. `await start()` on the loop that runs the jobs; `close()` to stop."""

    def __init__(self, settings: Settings, *, deps=None) -> None:
        if not settings.slack_app_token:
            raise ValueError("Socket Mode needs SLACK_APP_TOKEN (an app-level token, xapp-..., with "
                             "connections:write); see `doctor slack-manifest --socket-mode`")

        self.settings = settings
        self.deps = deps or Deps(settings)
        self.handlers = SlackHandlers(settings, self.deps.submit, store=self.deps.store,
                                      redact=lambda text: self.deps.redactor().redact(text))
        self.client: Any = None  # slack_sdk SocketModeClient, made in _connect (the SDK loads lazily)
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        await asyncio.to_thread(self._connect)  # HTTP and the WebSocket handshake: off the loop

    def _connect(self) -> None:
        # lazy: slack_sdk's Web API and Socket Mode clients stay off the acknowledgement path
        from slack_sdk import WebClient
        from slack_sdk.errors import SlackApiError
        from slack_sdk.socket_mode.builtin import SocketModeClient

        bot = self.settings.slack_bot_token.get_secret_value() if self.settings.slack_bot_token else None
        web = WebClient(token=bot, base_url=self.settings.slack_api_base_url, ssl=tls_context())
        app_token = self.settings.slack_app_token.get_secret_value() if self.settings.slack_app_token else ""
        self.client = SocketModeClient(app_token=app_token, web_client=web,
                                       logger=log)
        self.client.socket_mode_request_listeners.append(self._on_request)
        try:
            self.client.connect()  # apps.connections.open, then the WebSocket; reconnects on its own
        except SlackApiError as exc:  # a wrong or revoked token, Socket Mode off: say which, no traceback
            self.client.close()
            raise ValueError(f"Slack refused to open a Socket Mode connection ({exc.response.get('error')}): "
                             "check SLACK_APP_TOKEN (an app-level token with connections:write) and that Socket "
                             "Mode is enabled for the app") from None

    def _on_request(self, client, req) -> None:
        """On one of the client's threads: run the shared handler on the loop, acknowledge with its answer."""
        # lazy: slack_sdk's Web API and Socket Mode clients stay off the acknowledgement path
        from slack_sdk.socket_mode.response import SocketModeResponse

        started = time.perf_counter()
        if req.type == "slash_commands":
            command, work = (req.payload or {}).get("command", "unknown"), self.handlers.command(req.payload or {})
        elif req.type == "interactive":
            command, work = "button", self.handlers.interaction(req.payload or {})
        else:  # events_api and anything newer: not ours, but Slack still wants the envelope acknowledged
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        assert self._loop is not None, "requests arrive only after serve() started the loop"
        future = asyncio.run_coroutine_threadsafe(work, self._loop)
        try:
            answer, outcome = future.result(ACK_TIMEOUT_SECONDS)
        except Exception:
            future.cancel()  # past the budget Slack shows the user an error anyway: do not start work behind it
            log.exception("Socket Mode request %s could not be handled", req.envelope_id)
            answer, outcome = {"response_type": "ephemeral",
                               "text": "❌ Cloud Doctor could not take this request; please try again."}, "error"
        # An interaction's acknowledgement carries no message; a slash command's shows in the channel.
        client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id, payload=answer or None))
        ACKS.labels(command=command, outcome=outcome).inc()
        ACK_SECONDS.labels(command=command).observe(time.perf_counter() - started)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


async def serve(settings: Settings, *, stop: asyncio.Event | None = None, drain_seconds: float = 30.0) -> None:
    """Run until `stop` is set (Ctrl-C cancels it), then let running jobs finish for a while."""
    edge = SocketModeEdge(settings)
    await edge.start()
    log.info("Socket Mode connected; waiting for /analyze-logs, /terraform and button clicks")
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        edge.close()
        runner = edge.deps.runner()
        if hasattr(runner, "drain"):
            try:
                await asyncio.wait_for(runner.drain(), drain_seconds)
            except TimeoutError:
                log.warning("jobs still running after %s s; stopping anyway", drain_seconds)
