"""Incident report pages: `GET /incidents`, `GET /incidents/{id}` and `GET /incidents/stats` (the on-call's
verdicts), rendered by `doctor.deliver.pages`.

Access needs the signed, expiring link posted to Slack, or DOCTOR_REPORT_TOKEN.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from doctor.deliver.pages import page, render, stats_page
from doctor.deps import Deps
from doctor.pipeline import history_of
from doctor.verdicts.stats import verdict_report
from doctor.web import schema


def router(deps: Deps) -> APIRouter:
    api = APIRouter()

    def allowed(request: Request) -> bool:
        q = request.query_params
        return deps.links().allows(request.url.path, exp=q.get("exp"), sig=q.get("sig"),
                                   authorization=request.headers.get("authorization", ""))

    @api.get("/incidents", response_class=HTMLResponse, openapi_extra=schema.REPORTS)
    async def incidents(request: Request):
        if not allowed(request):
            return _forbidden()
        links = deps.links()
        rows = [{**row, "href": links.sign(f"/incidents/{row['id']}")} for row in deps.store().list_incidents(limit=100)]
        return HTMLResponse(render("incidents.html", incidents=rows, stats_href=links.sign("/incidents/stats")))

    # The on-call's verdict: registered before /incidents/{incident_id}, which would take "stats" for an id.
    @api.get("/incidents/stats", response_class=HTMLResponse, openapi_extra=schema.REPORTS)
    async def stats(request: Request):
        if not allowed(request):
            return _forbidden()
        report = await asyncio.to_thread(verdict_report, deps.store())
        return HTMLResponse(render("stats.html", **stats_page(report)))

    @api.get("/incidents/{incident_id}", response_class=HTMLResponse, openapi_extra=schema.REPORTS)
    async def incident(incident_id: str, request: Request):
        if not allowed(request):
            return _forbidden()
        found = deps.store().get_incident(incident_id)
        if found is None:
            return HTMLResponse("<h1>No such incident</h1>", status_code=404)
        alerts = deps.store().alerts_for_incident(incident_id)
        history = history_of(incident_id, settings=deps.settings, store=deps.store())
        links = deps.links()
        verdict = deps.store().verdicts_for([incident_id]).get(incident_id)
        return HTMLResponse(render("incident.html", **page(found, alerts=alerts, history=history, verdict=verdict,
                                                           href=lambda i: links.sign(f"/incidents/{i}"))))

    return api


def _forbidden() -> HTMLResponse:
    return HTMLResponse("<h1>403: this link is invalid or has expired</h1><p>Ask Cloud Doctor in Slack for a new "
                        "one.</p>", status_code=403)
