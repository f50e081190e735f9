"""The incident report pages, server-rendered (Jinja2).

No JavaScript: the error-rate chart is inline SVG drawn here, the diff is highlighted by Pygments.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from doctor.deliver.memory import applied_phrase, fix_phrase, times, verdict_phrase
from doctor.store import Incident, IncidentAlert, Seen, VerdictSummary

TEMPLATES = Path(__file__).parent / "templates"


def render(template: str, **context) -> str:
    return _env().get_template(template).render(**context)


@lru_cache(maxsize=1)
def _env():
    """Built once: Jinja compiles and caches the templates on it."""
    # lazy: only report pages render templates (tests/test_lazy_imports.py keeps it off start-up)
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def page(incident: Incident, *, alerts: list[IncidentAlert], history: list[Seen] | None = None,
         href=None, verdict: VerdictSummary | None = None) -> dict[str, object]:
    """`history`: incidents close to this one (incident memory), newest first; `href` signs their links;
    `verdict`: the on-call's verdicts on this incident's diagnosis."""
    # lazy: only report pages render templates (tests/test_lazy_imports.py keeps it off start-up)
    from markupsafe import Markup

    digest = incident["digest"] or {}
    fix = incident["fix"]
    return {
        "incident": incident, "d": incident["diagnosis"], "digest": digest, "fix": fix, "alerts": alerts,
        "chart": Markup(error_chart(digest.get("timeline") or [], digest.get("incident_start"))),
        "diff": Markup(highlight_diff(fix["diff"])) if fix and fix.get("diff") else None,
        "diff_css": Markup(_diff_css()),
        "history": [history_row(s, incident, href) for s in history or []],
        "history_summary": history_summary(history or [], incident),
        "verdict": verdict_text(verdict),
    }


def verdict_text(verdict: VerdictSummary | None) -> str:
    """ "The on-call: 2 right, 1 wrong (it was db_connections)." or "" when nobody judged it."""
    if not verdict:
        return ""
    wrong = f"{verdict['wrong']} wrong" + (f" (it was {verdict['category']})" if verdict["category"] else "")
    return f"The on-call's verdict: {verdict['right']} right, {wrong}; last on {verdict['last_at'][:16].replace('T', ' ')}."


def history_summary(history: list[Seen], incident: Incident) -> str:
    """ "Seen 2 times before and 1 time since." """
    before = sum(1 for s in history if s["created_at"] < incident["created_at"])
    since = len(history) - before
    parts = ([f"{times(before)} before"] if before else []) + ([f"{times(since)} since"] if since else [])
    return f"Seen {' and '.join(parts)}." if parts else ""


def history_row(seen: Seen, incident: Incident, href) -> dict[str, object]:
    """One row of the History section: when, how close, what it was, what was proposed and whether it is in the tree."""
    return {**seen, "href": href(seen["id"]) if href else None, "fix_text": fix_phrase(seen).replace("`", ""),
            "applied_text": applied_phrase(seen).removeprefix("applied? ") or "-",
            "verdict_text": verdict_phrase(seen) or "-",
            "when": "before" if seen["created_at"] < incident["created_at"] else "after"}


def highlight_diff(diff: str) -> str:
    # lazy: only report pages highlight diffs
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import DiffLexer

    return highlight(diff, DiffLexer(), HtmlFormatter(cssclass="diff"))


def _diff_css() -> str:
    # lazy: only report pages highlight diffs
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


# The on-call's verdict (doctor/verdicts/): the `/incidents/stats` page and its chart.

WINDOW_COLOURS = ("#1e8449", "#52be80", "#a9dfbf")  # 7, 30, 90 days: the most recent the darkest


def stats_page(report: list) -> dict[str, object]:
    """`report`: doctor.verdicts.stats.verdict_report's windows."""
    # lazy: only report pages render templates (tests/test_lazy_imports.py keeps it off start-up)
    from markupsafe import Markup

    from doctor.verdicts.stats import cell, rows

    return {"windows": report, "chart": Markup(verdict_chart(report)), "cell": cell,
            "providers": rows(report, "provider"), "categories": rows(report, "category"),
            "judged": any(w.total.judged for w in report)}


def verdict_chart(report: list, *, width: int = 720) -> str:
    """Per category judged in any window, one bar per window: the share judged right, as inline SVG."""
    from doctor.verdicts.stats import rows

    judged = [(name, tallies) for name, tallies in rows(report, "category") if any(t.judged for t in tallies)]
    if not judged:
        return '<p class="muted">No verdict yet: nothing to chart.</p>'
    label_w, bar_h, gap, top = 150, 9, 10, 24
    inner_w = width - label_w - 70
    height = top + len(judged) * (len(report) * bar_h + gap) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="verdict-chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>Share of first answers judged right</title>']
    for i, w in enumerate(report):  # the legend
        x = label_w + i * 120
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{WINDOW_COLOURS[i % 3]}"/>'
                     f'<text x="{x + 14}" y="13" font-size="11">last {w.days} days</text>')
    y = top
    for name, tallies in judged:
        parts.append(f'<text x="{label_w - 6}" y="{y + len(report) * bar_h / 2 + 4:.1f}" text-anchor="end" '
                     f'font-size="12">{_esc(name)}</text>')
        for i, (w, t) in enumerate(zip(report, tallies)):
            share = t.share
            length = inner_w * share if share is not None else 0
            what = f"{t.right}/{t.judged} right" if share is not None else "not judged"
            parts.append(f'<rect class="share" x="{label_w}" y="{y}" width="{max(length, 1 if share is not None else 0):.1f}" '
                         f'height="{bar_h - 1}" fill="{WINDOW_COLOURS[i % 3]}"><title>{_esc(name)}, last {w.days} '
                         f'days: {what}</title></rect>')
            parts.append(f'<text x="{label_w + length + 4:.1f}" y="{y + bar_h - 1}" font-size="9">'
                         f'{f"{share:.0%}" if share is not None else "-"}</text>')
            y += bar_h
        y += gap
    parts.append(f'<line x1="{label_w}" y1="{top - 2}" x2="{label_w}" y2="{height - 4}" stroke="#999"/></svg>')
    return "".join(parts)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
