"""What a slash command or a button click does before it is acknowledged, whatever carried it.

HTTP (`POST /slack/events`, doctor/web/slack.py) and Socket Mode (doctor/slack/socket_mode.py) differ
only in how a request arrives and how the acknowledgement goes back; both hand the parsed request
here and send back the message returned. Nothing here waits on real work: the job is handed to the
runner (`submit`) and the answer arrives later through response_url. Heavy modules load in the job.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict

from doctor.config import Settings
from doctor.deliver.blocks import VERDICT_RIGHT, VERDICT_WRONG
from doctor.deps import JobNotQueued
from doctor.digest.timestamps import parse_time_arg
from doctor.jobs.analyze import AnalyzeArgs
from doctor.slack.auth import may_propose_fixes
from doctor.slack.commands import UsageError, parse_analyze
from doctor.slack.verdict import VIEW_CALLBACK, VerdictHandlers
from doctor.sources import source_names
from doctor.store import Store

TERRAFORM_USAGE = ("Usage: `/terraform` (the latest incident in this channel), `/terraform incident=ID`, or "
                   "`/terraform <the problem in words>`. Fixes are proposed and proven, never applied.")

Submit = Callable[..., Awaitable[bool]]  # Deps.submit: (kind, key, *, request, **args) -> accepted


class SlackHandlers:
    """`command(form)` and `interaction(payload)` return (acknowledgement body, outcome for the metrics).

    `store` and `redact` (the edges pass `Deps.store` and the redactor) enable the verdict buttons."""

    def __init__(self, settings: Settings, submit: Submit, *, store: Callable[[], Store] | None = None,
                 redact: Callable[[str], str] | None = None) -> None:
        self.settings, self.submit = settings, submit
        self.verdicts = VerdictHandlers(settings, submit, store, redact) if store and redact else None

    async def command(self, form: dict) -> tuple[dict, str]:
        try:
            return await self._route(form)
        except JobNotQueued as exc:
            return _ephemeral(f"❌ I could not queue this request ({exc}). Nothing is running; please try again."), \
                "not_queued"

    async def _route(self, form: dict) -> tuple[dict, str]:
        if self.settings.slack_team_ids and form.get("team_id") not in self.settings.slack_team_ids:
            return _ephemeral("This Slack workspace is not allowed to use Cloud Doctor."), "refused"
        if form.get("command") == "/analyze-logs":
            return await self._analyze(form)
        if form.get("command") == "/terraform":
            return await self._terraform(form)
        return _ephemeral(f"I do not know `{form.get('command', '?')}`."), "unknown"

    async def _analyze(self, form: dict) -> tuple[dict, str]:
        settings = self.settings
        try:
            args = parse_analyze(form.get("text", ""), known_services=list(settings.services),
                                 default_services=list(settings.default_services),
                                 default_window=settings.default_window)
        except UsageError as exc:
            return _ephemeral(str(exc)), "usage"
        # One trigger, one analysis: a retry, a double submit or a replay finds the key taken.
        key = f"slack:analyze:{_trigger(form)}"
        request = {"services": list(args.services), "since": args.since, "until": args.until,
                   "user": form.get("user_id"), "channel": form.get("channel_id")}
        if not await self.submit("analyze", key, request=request, args=_plain(args),
                                 response_url=form.get("response_url", ""), channel=form.get("channel_id"),
                                 issued_at=time.time()):
            return _ephemeral("This request is already being analyzed; the answer will appear here."), "duplicate"
        window = f"since {args.since}" if any(c in args.since for c in "T:") else f"from the last {args.since}"
        return {"response_type": "in_channel",
                "text": f"🩺 Analyzing `{', '.join(args.services)}` logs {window}…"}, "accepted"

    async def _terraform(self, form: dict) -> tuple[dict, str]:
        text = form.get("text", "").strip()
        if text.lower() in ("help", "-h", "--help", "?"):
            return _ephemeral(TERRAFORM_USAGE), "usage"
        allowed, why = await may_propose_fixes(self.settings, user=form.get("user_id", ""),
                                               channel=form.get("channel_id", ""))
        if not allowed:
            return _ephemeral(why), "refused"
        incident_id = text[len("incident="):].strip() if text.startswith("incident=") else None
        key = f"slack:fix:{_trigger(form)}"
        if not await self.submit("fix", key, request={"incident": incident_id, "text": text,
                                                      "user": form.get("user_id")},
                                 incident_id=incident_id, text=None if incident_id else (text or None),
                                 channel=form.get("channel_id", ""), response_url=form.get("response_url", "")):
            return _ephemeral("This fix is already being prepared; it will appear here."), "duplicate"
        what = f"incident `{incident_id}`" if incident_id else ("“" + text[:60] + "”" if text else
                                                                 "the latest incident in this channel")
        return {"response_type": "in_channel", "text": f"🛠️ Preparing a Terraform fix for {what}…"}, "accepted"

    async def interaction(self, payload: dict) -> tuple[dict, str]:
        ok: dict = {}
        if self.settings.slack_team_ids and payload.get("team", {}).get("id") not in self.settings.slack_team_ids:
            return ok, "refused"
        if payload.get("type") == "view_submission":  # a form of ours: so far only the "wrong cause" one
            view = payload.get("view")
            if self.verdicts and isinstance(view, dict) and view.get("callback_id") == VIEW_CALLBACK:
                return await self.verdicts.submission(payload)
            return ok, "ignored"
        actions = payload.get("actions") or [{}]
        action = actions[0].get("action_id") if payload.get("type") == "block_actions" else None
        if action in (VERDICT_RIGHT, VERDICT_WRONG) and self.verdicts:
            return await self.verdicts.click(payload, actions[0])
        user, channel = payload.get("user", {}).get("id", ""), payload.get("channel", {}).get("id", "")
        response_url = payload.get("response_url", "")
        if action == "read_rest":
            await self._read_rest(payload, actions[0].get("value", ""), channel, response_url)
            return ok, "accepted"
        if action != "propose_fix":
            return ok, "ignored"
        allowed, why = await may_propose_fixes(self.settings, user=user, channel=channel)
        if not allowed:
            await self.submit("notice", f"slack:refuse:{payload.get('trigger_id')}", request={"user": user},
                              response_url=response_url,
                              message={"response_type": "ephemeral", "replace_original": False, "text": why})
            return ok, "refused"
        incident_id = actions[0].get("value", "")
        # One fix per button: a double click carries the same message, so the same key.
        key = f"slack:fix-button:{incident_id}:{payload.get('container', {}).get('message_ts', '')}"
        accepted = await self.submit("fix", key, request={"incident": incident_id, "user": user},
                                     incident_id=incident_id, text=None, channel=channel, response_url=response_url)
        return ok, "accepted" if accepted else "duplicate"

    async def _read_rest(self, payload: dict, value: str, channel: str, response_url: str) -> None:
        """The "Read the rest" button: the same window again with the whole job's budget; the answer
        replaces the message. Its value is ours, but it comes back through the user's client: checked."""
        args = _rest_args(value, known=set(self.settings.services))
        if args is None:
            return
        # One full read per message: a double click carries the same message, so the same key.
        key = f"slack:read-rest:{channel}:{payload.get('container', {}).get('message_ts', '')}"
        await self.submit("analyze", key, request={"services": list(args.services), "since": args.since,
                                                   "until": args.until, "user": payload.get("user", {}).get("id"),
                                                   "channel": channel, "full": True},
                          args=_plain(args), response_url=response_url, channel=channel, issued_at=time.time())


def _rest_args(value: str, *, known: set[str]) -> AnalyzeArgs | None:
    """AnalyzeArgs from a "Read the rest" button's value, or None when it is not one of ours."""
    if len(value) > 2000:
        return None
    try:
        data = json.loads(value)
        services = tuple(str(s) for s in data["services"])
        since, until = str(data["since"]), str(data["until"])
        parse_time_arg(since), parse_time_arg(until)
        sources = tuple(str(s) for s in data["sources"]) if data.get("sources") else None
        query = str(data["query"]) if data.get("query") else None
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    if not services or not set(services) <= known or (sources and not set(sources) <= set(source_names())):
        return None
    return AnalyzeArgs(services=services, since=since, until=until, sources=sources, query=query, full=True)


def _trigger(form: dict) -> str:
    return form.get("trigger_id") or hashlib.sha256(repr(sorted(form.items())).encode()).hexdigest()


def _plain(args) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(args).items()}


def _ephemeral(text: str) -> dict:
    return {"response_type": "ephemeral", "text": text}
