"""Alert webhooks (`POST /alerts/{source}`) and deploy reports (`POST /deploys`).

Authenticated, normalized and deduplicated here; 202 and the work handed to the job runner.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from doctor.alerts import Inbound, Rejected, receive
from doctor.alerts.adapters import check_bearer
from doctor.deploys import Deploy, record
from doctor.deps import Deps, JobNotQueued
from doctor.errors import InputError
from doctor.observe import ALERTS
from doctor.web import schema


def router(deps: Deps) -> APIRouter:
    settings = deps.settings
    api = APIRouter()

    @api.post("/alerts/{name}", openapi_extra=schema.ALERTS)
    async def alerts_in(name: str, request: Request):
        source = deps.adapter(name)
        if source is None:
            return JSONResponse({"error": f"unknown alert source {name!r}; use alertmanager, grafana or sns"},
                                status_code=404)
        inbound = Inbound(request.headers, await request.body())
        try:
            await source.authenticate(inbound)
            control = await source.handshake(inbound)
            if control is not None:
                return JSONResponse({"ok": control}, status_code=200)
            alerts = await asyncio.to_thread(source.parse, inbound)  # up to DOCTOR_MAX_BODY_BYTES of JSON
        except Rejected as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status)
        except InputError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        except RuntimeError as exc:  # the subscription could not be confirmed: let SNS retry
            return JSONResponse({"error": str(exc)}, status_code=502)

        outcomes = await asyncio.to_thread(receive, alerts, settings=settings, store=deps.store(),
                                           redact=deps.redactor().redact)
        try:
            await _start_work(outcomes, name)
        except JobNotQueued as exc:  # recorded as failed in the store; the sender retries on 5xx
            return JSONResponse({"error": f"the analysis could not be queued: {exc}",
                                 "outcomes": [o.to_dict() for o in outcomes]}, status_code=503)
        return JSONResponse({"received": len(alerts), "outcomes": [o.to_dict() for o in outcomes]},
                            status_code=202)

    async def _start_work(outcomes, name: str) -> None:
        for outcome in outcomes:
            ALERTS.labels(source=name, action=outcome.action).inc()
            group, alert = outcome.group, outcome.alert
            if outcome.action == "analyze":
                try:
                    await deps.submit("alert", f"alert:{group['id']}:{group['analyzed_at']}",
                                      request={"group": group["id"], "alert": alert.fingerprint},
                                      group_id=group["id"], alert=alert.model_dump(mode="json"))
                except Exception:
                    # Not analysed after all: the sender's retry must find the group due for analysis.
                    await asyncio.to_thread(deps.store().set_group, group["id"], analyzed_at=None)
                    raise
            elif outcome.action == "resolve":
                await deps.submit("alert_resolved", f"alert-resolved:{group['id']}",
                                  request={"group": group["id"], "alert": alert.fingerprint},
                                  group_id=group["id"], alert=alert.model_dump(mode="json"))

    @api.post("/deploys", openapi_extra=schema.DEPLOYS)
    async def deploys_in(request: Request):
        """A deploy workflow's report: stored for correlation; `check=true` schedules a post-deploy check."""

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
        clean = await asyncio.to_thread(record, deploy, store=deps.store(), redact=deps.redactor().redact)

        scheduled = False
        if deploy.check and deploy.status == "success":
            try:
                scheduled = await deps.submit(
                    "deploy_check", f"deploy-check:{clean.service}:{clean.version}:{clean.at.isoformat()}",
                    request={"deploy": clean.line()}, delay_seconds=settings.deploy_check_delay_seconds,
                    deploy=clean.model_dump(mode="json"))
            except JobNotQueued as exc:
                return JSONResponse({"recorded": clean.line(), "error": f"the post-deploy check could not be "
                                     f"queued: {exc}"}, status_code=503)
        return JSONResponse({"recorded": clean.line(), "check_scheduled": scheduled}, status_code=202)

    return api
