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
from fastapi.responses import JSONResponse, Response
from slack_sdk.signature import SignatureVerifier

from doctor.deliver.reply import response_url_allowed
from doctor.deps import Deps
from doctor.observe import ACK_SECONDS, ACKS
from doctor.slack.handlers import SlackHandlers
from doctor.web import schema


def router(deps: Deps) -> APIRouter:
    settings = deps.settings
    # the core Socket Mode shares
    handlers = SlackHandlers(settings, deps.submit, store=deps.store, redact=lambda text: deps.redactor().redact(text))
    api = APIRouter()

    @api.post("/slack/events", openapi_extra=schema.SLACK_EVENTS)
    async def slack_events(request: Request):
        started = time.perf_counter()
        body = await request.body()  # the signature covers these exact bytes (DOCTOR_MAX_BODY_BYTES bounds them)
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
        stamp = request.headers.get("x-slack-request-timestamp", "")
        if secret and not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
            # slack_sdk would int() it: a ValueError (a 500) for "abc", a slow parse for 5,000 digits.
            ACKS.labels(command="unknown", outcome="unauthorized").inc()
            return JSONResponse({"error": "X-Slack-Request-Timestamp must be a Unix time"}, status_code=401)
        if not secret or not SignatureVerifier(secret).is_valid_request(body, dict(request.headers)):
            ACKS.labels(command="unknown", outcome="unauthorized").inc()
            return JSONResponse({"error": "invalid request"}, status_code=401)
        try:
            form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True,
                                                   max_num_fields=100).items()}
        except ValueError:
            return JSONResponse({"error": "more than 100 form fields"}, status_code=400)
        if form.get("response_url") and not response_url_allowed(form["response_url"], settings):
            return JSONResponse({"error": "response_url is not on Slack's hosts"}, status_code=400)
        if "payload" in form:  # interactivity: a button in one of our messages
            try:
                payload = json.loads(form["payload"])
            except (ValueError, RecursionError):
                return JSONResponse({"error": "the interaction payload is not JSON"}, status_code=400)
            if not isinstance(payload, dict) or not _shaped(payload):
                return JSONResponse({"error": "the interaction payload is not a Slack interaction"}, status_code=400)
            if payload.get("response_url") and not response_url_allowed(str(payload["response_url"]), settings):
                return JSONResponse({"error": "response_url is not on Slack's hosts"}, status_code=400)
            command, (answer, outcome) = "button", await handlers.interaction(payload)
        else:
            command = form.get("command", "unknown")
            answer, outcome = await handlers.command(form)
        ACKS.labels(command=command, outcome=outcome).inc()
        ACK_SECONDS.labels(command=command).observe(time.perf_counter() - started)
        if not answer:
            # An interaction acknowledged with nothing to say: an empty body. That is what closes a submitted
            # form; any other body of a view_submission's answer must be a response_action.
            return Response(status_code=200)
        return JSONResponse(answer)

    return api


def _shaped(payload: dict) -> bool:
    """The fields the interaction handler reads have the types Slack sends (objects, a list of objects, strings)."""
    objects = all(isinstance(payload.get(k, {}), dict) for k in ("team", "user", "channel", "container", "view"))
    actions = payload.get("actions", [])
    return objects and isinstance(actions, list) and all(isinstance(a, dict) for a in actions) and \
        all(isinstance(payload.get(k, ""), str) for k in ("type", "response_url", "trigger_id"))
