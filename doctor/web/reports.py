"""Incident report pages: `GET /incidents` and `GET /incidents/{id}`, server-rendered (Jinja2).

No JavaScript: the error-rate chart is inline SVG drawn here, the diff is highlighted by
Pygments. Access needs the signed, expiring link posted to Slack, or DOCTOR_REPORT_TOKEN.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from doctor.web import schema
from doctor.web.deps import Deps

TEMPLATES = Path(__file__).parent / "templates"


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
        rows = deps.store().list_incidents(limit=100)
        links = deps.links()
        for row in rows:
            row["href"] = links.sign(f"/incidents/{row['id']}")
        return HTMLResponse(_env().get_template("incidents.html").render(incidents=rows))

    @api.get("/incidents/{incident_id}", response_class=HTMLResponse, openapi_extra=schema.REPORTS)
    async def incident(incident_id: str, request: Request):
        if not allowed(request):
            return _forbidden()
        found = deps.store().get_incident(incident_id)
        if found is None:
            return HTMLResponse("<h1>No such incident</h1>", status_code=404)
        alerts = deps.store().alerts_for_incident(incident_id)
        return HTMLResponse(_env().get_template("incident.html").render(**page(found, alerts=alerts)))

    return api


def _forbidden() -> HTMLResponse:
    return HTMLResponse("<h1>403: this link is invalid or has expired</h1><p>Ask Cloud Doctor in Slack for a new "
                        "one.</p>", status_code=403)


@lru_cache(maxsize=1)
def _env():
    """Built once: Jinja compiles and caches the templates on it."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def page(incident: dict, *, alerts: list[dict]) -> dict:
    from markupsafe import Markup

    digest = incident["digest"] or {}
    fix = incident["fix"]
    return {
        "incident": incident, "d": incident["diagnosis"], "digest": digest, "fix": fix, "alerts": alerts,
        "chart": Markup(error_chart(digest.get("timeline") or [], digest.get("incident_start"))),
        "diff": Markup(highlight_diff(fix["diff"])) if fix and fix.get("diff") else None,
        "diff_css": Markup(_diff_css()),
    }


def highlight_diff(diff: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import DiffLexer

    return highlight(diff, DiffLexer(), HtmlFormatter(cssclass="diff"))


def _diff_css() -> str:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(cssclass="diff").get_style_defs(".diff")


def error_chart(timeline: list, incident_start: str | None, *, width: int = 720, height: int = 160) -> str:
    """Errors per minute as bars over all lines per minute as a faint area, as inline SVG."""
    if not timeline:
        return '<p class="muted">No timeline: no timestamped lines in the window.</p>'
    pad_l, pad_b, pad_t = 40, 22, 8
    inner_w, inner_h = width - pad_l - 8, height - pad_b - pad_t
    top = max(max(lines for _, lines, _ in timeline), 1)
    bar = inner_w / len(timeline)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="error-chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>Errors per minute</title>',
             f'<line x1="{pad_l}" y1="{pad_t + inner_h}" x2="{width - 8}" y2="{pad_t + inner_h}" stroke="#999"/>',
             f'<text x="{pad_l - 4}" y="{pad_t + 10}" text-anchor="end" font-size="10">{top}</text>',
             f'<text x="{pad_l - 4}" y="{pad_t + inner_h}" text-anchor="end" font-size="10">0</text>']
    start = _parse(incident_start)
    for i, (minute, lines, errors) in enumerate(timeline):
        x = pad_l + i * bar
        h_all, h_err = inner_h * lines / top, inner_h * errors / top
        parts.append(f'<rect x="{x:.1f}" y="{pad_t + inner_h - h_all:.1f}" width="{max(bar - 1, 1):.1f}" '
                     f'height="{h_all:.1f}" fill="#dde5f0"><title>{minute}: {lines} lines</title></rect>')
        if errors:
            parts.append(f'<rect class="errors" x="{x:.1f}" y="{pad_t + inner_h - h_err:.1f}" '
                         f'width="{max(bar - 1, 1):.1f}" height="{h_err:.1f}" fill="#c0392b">'
                         f'<title>{minute}: {errors} errors</title></rect>')
        when = _parse(minute)
        if start and when and when == start.replace(second=0, microsecond=0):
            parts.append(f'<line x1="{x:.1f}" y1="{pad_t}" x2="{x:.1f}" y2="{pad_t + inner_h}" stroke="#333" '
                         'stroke-dasharray="3,3"><title>incident starts</title></line>')
        if i % max(1, len(timeline) // 6) == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 6}" font-size="10">{minute[11:16]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _parse(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
