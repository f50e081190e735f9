"""Slack's edge: `POST /slack/events` for /analyze-logs, /terraform and the fix button.

Our own thin edge over slack_sdk's request signing, no global Bolt app: nothing but the
signature check, argument parsing and handing the job over stands between a slash command
and its acknowledgement (Slack allows 3 s, cold start included). Heavy modules load in the job.
What a command or click does is `doctor.slack.handlers`, shared with Socket Mode.
"""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from slack_sdk.signature import SignatureVerifier

from doctor.deps import Deps
from doctor.observe import ACK_SECONDS, ACKS
from doctor.slack.handlers import SlackHandlers


def router(deps: Deps) -> APIRouter:
    settings = deps.settings
    handlers = SlackHandlers(settings, deps.submit)  # the core Socket Mode shares
    api = APIRouter()

    @api.post("/slack/events")
    async def slack_events(request: Request):
        started = time.perf_counter()
        body = await request.body()  # the signature covers these exact bytes
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
        if not secret or not SignatureVerifier(secret).is_valid_request(body, dict(request.headers)):
            ACKS.labels(command="unknown", outcome="unauthorized").inc()
            return JSONResponse({"error": "invalid request"}, status_code=401)
        form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        if "payload" in form:  # interactivity: a button in one of our messages
            command, (answer, outcome) = "button", await handlers.interaction(json.loads(form["payload"]))
        else:
            command = form.get("command", "unknown")
            answer, outcome = await handlers.command(form)
        ACKS.labels(command=command, outcome=outcome).inc()
        ACK_SECONDS.labels(command=command).observe(time.perf_counter() - started)
        return JSONResponse(answer)

    return api

