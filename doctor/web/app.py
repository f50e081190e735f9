"""The doctor's HTTP service. Slack's edge is our own, thin, over slack_sdk's request signing:
no global Bolt app, and nothing but signature checking and argument parsing stands
between a slash command and its acknowledgement (Slack allows 3 s, cold start included).

Heavy modules (the pipeline, cloud SDKs) load in the job, after the acknowledgement.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from slack_sdk.signature import SignatureVerifier

from doctor.config import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="Cloud Doctor", docs_url=None, redoc_url=None)
    state: dict = {}

    def store():
        if "store" not in state:
            from doctor.providers import open_store

            state["store"] = open_store(settings)
        return state["store"]

    def runner():
        if "runner" not in state:
            from doctor.jobs import InProcessRunner

            state["runner"] = InProcessRunner(max_concurrent=settings.job_concurrency)
        return state["runner"]

    def redactor():
        if "redactor" not in state:
            from doctor.pipeline import redactor_for

            state["redactor"] = redactor_for(settings)
        return state["redactor"]

    def adapter(name: str):
        from doctor.alerts import ADAPTERS

        if name not in ADAPTERS:
            return None
        if ("adapter", name) not in state:  # one per app: the SNS adapter caches certificates
            state[("adapter", name)] = ADAPTERS[name](settings)
        return state[("adapter", name)]

    app.state.runner = runner
    app.state.store = store

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"ok": True}

    @app.post("/alerts/{name}")
    async def alerts_in(name: str, request: Request):
        """Alertmanager, Grafana or SNS: authenticated, normalized, deduplicated; 202 and the work queued."""
        from doctor.alerts import Inbound, Rejected, receive
        from doctor.errors import InputError

        source = adapter(name)
        if source is None:
            return JSONResponse({"error": f"unknown alert source {name!r}; use alertmanager, grafana or sns"},
                                status_code=404)
        inbound = Inbound(request.headers, await request.body())
        try:
            await source.authenticate(inbound)
            control = await source.handshake(inbound)
            if control is not None:
                return JSONResponse({"ok": control}, status_code=200)
            alerts = source.parse(inbound)
        except Rejected as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status)
        except InputError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        except RuntimeError as exc:  # the subscription could not be confirmed: let SNS retry
            return JSONResponse({"error": str(exc)}, status_code=502)
        outcomes = await asyncio.to_thread(receive, alerts, settings=settings, store=store(),
                                           redact=redactor().redact)
        for outcome in outcomes:
            _start_alert_work(outcome)
        return JSONResponse({"received": len(alerts), "outcomes": [o.to_dict() for o in outcomes]},
                            status_code=202)

    def _start_alert_work(outcome) -> None:
        from doctor.jobs.alert import alert_job, resolved_job

        group, alert = outcome.group, outcome.alert
        if outcome.action == "analyze":
            key, job = f"alert:{group['id']}:{group['analyzed_at']}", alert_job
        elif outcome.action == "resolve":
            key, job = f"alert-resolved:{group['id']}", resolved_job
        else:
            return
        if store().claim_job(key, kind=job.__name__, request={"group": group["id"], "alert": alert.fingerprint}):
            runner().submit(key, lambda: job(key, group_id=group["id"], alert=alert, settings=settings,
                                             store=store()))

    @app.post("/deploys")
    async def deploys_in(request: Request):
        """A deploy workflow's report: stored for correlation; `check=true` schedules a post-deploy check."""
        from pydantic import ValidationError

        from doctor.alerts import Rejected
        from doctor.alerts.adapters import check_bearer
        from doctor.deploys import Deploy, record

        try:
            check_bearer(request.headers.get("authorization", ""),
                         settings.deploy_token.get_secret_value() if settings.deploy_token else "",
                         what="DOCTOR_DEPLOY_TOKEN")
        except Rejected as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status)
        try:
            deploy = Deploy.model_validate_json(await request.body())
        except ValidationError as exc:
            reasons = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
            return JSONResponse({"error": reasons}, status_code=400)
        if deploy.check and deploy.service not in settings.services:
            return JSONResponse({"error": f"check=true needs a service of the service map, not {deploy.service!r}"},
                                status_code=400)
        clean = await asyncio.to_thread(record, deploy, store=store(), redact=redactor().redact)
        scheduled = False
        if deploy.check and deploy.status == "success":
            from doctor.jobs.alert import deploy_check_job

            key = f"deploy-check:{clean.service}:{clean.version}:{clean.at.isoformat()}"
            if store().claim_job(key, kind="deploy_check", request={"deploy": clean.line()}):
                runner().submit(key, lambda: deploy_check_job(key, deploy=clean, settings=settings, store=store()),
                                delay_seconds=settings.deploy_check_delay_seconds)
                scheduled = True
        return JSONResponse({"recorded": clean.line(), "check_scheduled": scheduled}, status_code=202)

    @app.post("/slack/events")
    async def slack_events(request: Request):
        body = await request.body()  # the signature covers these exact bytes
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
        if not secret or not SignatureVerifier(secret).is_valid_request(body, dict(request.headers)):
            return JSONResponse({"error": "invalid request"}, status_code=401)
        form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        if "payload" in form:  # interactivity: a button in one of our messages
            return await _interaction(json.loads(form["payload"]))
        if settings.slack_team_ids and form.get("team_id") not in settings.slack_team_ids:
            return _ephemeral("This Slack workspace is not allowed to use Cloud Doctor.")
        if form.get("command") == "/analyze-logs":
            return _analyze(form)
        if form.get("command") == "/terraform":
            return await _terraform(form)
        return _ephemeral(f"I do not know `{form.get('command', '?')}`.")

    def _trigger(form: dict) -> str:
        return form.get("trigger_id") or hashlib.sha256(repr(sorted(form.items())).encode()).hexdigest()

    async def _terraform(form: dict) -> JSONResponse:
        from doctor.slack.auth import may_propose_fixes

        text = form.get("text", "").strip()
        if text.lower() in ("help", "-h", "--help", "?"):
            return _ephemeral(TERRAFORM_USAGE)
        allowed, why = await may_propose_fixes(settings, user=form.get("user_id", ""), channel=form.get("channel_id", ""))
        if not allowed:
            return _ephemeral(why)
        incident_id = text[len("incident="):].strip() if text.startswith("incident=") else None
        key = f"slack:fix:{_trigger(form)}"
        if not store().claim_job(key, kind="fix", request={"incident": incident_id, "text": text,
                                                           "user": form.get("user_id")}):
            return _ephemeral("This fix is already being prepared; it will appear here.")
        _submit_fix(key, incident_id=incident_id, text=None if incident_id else (text or None),
                    channel=form.get("channel_id", ""), response_url=form.get("response_url", ""))
        what = f"incident `{incident_id}`" if incident_id else ("“" + text[:60] + "”" if text else
                                                                 "the latest incident in this channel")
        return JSONResponse({"response_type": "in_channel", "text": f"🛠️ Preparing a Terraform fix for {what}…"})

    async def _interaction(payload: dict) -> JSONResponse:
        from doctor.jobs.analyze import Reply
        from doctor.slack.auth import may_propose_fixes

        if settings.slack_team_ids and payload.get("team", {}).get("id") not in settings.slack_team_ids:
            return JSONResponse({}, status_code=200)
        actions = payload.get("actions") or [{}]
        if payload.get("type") != "block_actions" or actions[0].get("action_id") != "propose_fix":
            return JSONResponse({}, status_code=200)
        user, channel = payload.get("user", {}).get("id", ""), payload.get("channel", {}).get("id", "")
        response_url = payload.get("response_url", "")
        allowed, why = await may_propose_fixes(settings, user=user, channel=channel)
        if not allowed:
            reply = Reply(response_url, channel=None, settings=settings)
            runner().submit(f"refuse:{payload.get('trigger_id')}", lambda: reply(
                {"response_type": "ephemeral", "replace_original": False, "text": why}))
            return JSONResponse({}, status_code=200)
        incident_id = actions[0].get("value", "")
        # One fix per button: a double click carries the same message, so the same key.
        key = f"slack:fix-button:{incident_id}:{payload.get('container', {}).get('message_ts', '')}"
        if store().claim_job(key, kind="fix", request={"incident": incident_id, "user": user}):
            _submit_fix(key, incident_id=incident_id, text=None, channel=channel, response_url=response_url)
        return JSONResponse({}, status_code=200)

    def _submit_fix(key: str, **kwargs) -> None:
        from doctor.jobs.fix import fix_job

        runner().submit(key, lambda: fix_job(key, settings=settings, store=store(), **kwargs))

    def _analyze(form: dict) -> JSONResponse:
        from doctor.slack.commands import UsageError, parse_analyze

        try:
            args = parse_analyze(form.get("text", ""), known_services=list(settings.services),
                                 default_services=list(settings.default_services),
                                 default_window=settings.default_window)
        except UsageError as exc:
            return _ephemeral(str(exc))
        # One trigger, one analysis: a retry, a double submit or a replay finds the key taken.
        key = f"slack:analyze:{_trigger(form)}"
        request = {"services": list(args.services), "since": args.since, "until": args.until,
                   "user": form.get("user_id"), "channel": form.get("channel_id")}
        if not store().claim_job(key, kind="analyze", request=request):
            return _ephemeral("This request is already being analyzed; the answer will appear here.")
        from doctor.jobs.analyze import analyze_job

        runner().submit(key, lambda: analyze_job(key, args, response_url=form.get("response_url", ""),
                                                 settings=settings, store=store(), channel=form.get("channel_id")))
        window = f"since {args.since}" if any(c in args.since for c in "T:") else f"from the last {args.since}"
        return JSONResponse({"response_type": "in_channel",
                             "text": f"🩺 Analyzing `{', '.join(args.services)}` logs {window}…"})

    return app


TERRAFORM_USAGE = ("Usage: `/terraform` (the latest incident in this channel), `/terraform incident=ID`, or "
                   "`/terraform <the problem in words>`. Fixes are proposed and proven, never applied.")


def _ephemeral(text: str) -> JSONResponse:
    return JSONResponse({"response_type": "ephemeral", "text": text})
