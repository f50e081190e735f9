"""Jobs started by alerts and deploys: an alert's analysis, a resolved note, a post-deploy check.

None of them has a response_url: they post with the bot token in the service's channel, and
an alert group's follow-ups are threaded under its first message.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from doctor.alerts import channel_for
from doctor.alerts.models import Alert
from doctor.config import Settings
from doctor.deliver.blocks import diagnosis_blocks, mrkdwn_escape
from doctor.deliver.links import ReportLinks
from doctor.deliver.reply import Reply, post_or_log, report_failure
from doctor.deploys import Deploy
from doctor.digest.timestamps import parse_time_arg
from doctor.jobs.analyze import run_analysis
from doctor.sources import Window
from doctor.store import Store

log = logging.getLogger("doctor.jobs")


async def alert_job(key: str, *, group_id: str, alert: Alert, settings: Settings, store: Store) -> None:
    group = store.get_group(group_id)
    if group is None:
        store.set_job(key, status="failed", detail=f"alert group {group_id} no longer exists")
        return
    services = [alert.service] if alert.service else list(settings.default_services)
    reply = Reply("", channel=group["channel"], settings=settings, thread_ts=group["thread_ts"])
    if reply.thread_ts is None:
        # The alert's text is the sender's (redacted at intake): escaped, it cannot mention or link.
        lead = f"🚨 *{mrkdwn_escape(alert.line())}*\nAnalyzing `{', '.join(services)}` logs…"
        reply.thread_ts = await post_or_log(reply, {"text": lead})
        if reply.thread_ts:
            store.set_group(group_id, thread_ts=reply.thread_ts)
    else:
        await post_or_log(reply, {"text": f"🔁 Still firing after {settings.alert_cooldown_minutes:g} min "
                                          f"({group['alert_count']} alerts so far); analyzing again…"})
    try:
        async with asyncio.timeout(settings.job_deadline_seconds):
            now = datetime.now(UTC)
            began = min(alert.starts_at or now, now)
            window = Window(parse_time_arg(settings.alert_lookback, now=began), now)
            result, incident_id = await run_analysis(
                settings=settings, store=store, services=services, window=window, incident_start=alert.starts_at,
                alert=alert.line() + (f" ({alert.description})" if alert.description else ""),
                channel=group["channel"])
            store.set_group(group_id, incident_id=incident_id)
        await post_or_log(reply, {"text": f"🩺 {result.diagnosis.summary}",
                                  "blocks": diagnosis_blocks(result, incident_id=incident_id,
                                                             report_url=ReportLinks(settings).incident_url(incident_id),
                                                             incident_url=ReportLinks(settings).incident_url)})
        store.set_job(key, status="done", detail=f"incident {incident_id}: {result.diagnosis.category}")
    except Exception as exc:
        await _tell_failure(key, reply, store, exc, what=f"The analysis of alert {mrkdwn_escape(alert.name)}",
                            settings=settings)


async def resolved_job(key: str, *, group_id: str, alert: Alert, settings: Settings, store: Store) -> None:
    group = store.get_group(group_id)
    if group is None:
        store.set_job(key, status="failed", detail=f"alert group {group_id} no longer exists")
        return
    opened = datetime.fromisoformat(group["opened_at"])
    lasted = (datetime.now(UTC) - opened).total_seconds() / 60
    actions = store.alert_actions(group_id)
    attached = actions.get("attach", 0) + actions.get("rate_limited", 0)
    text = (f"✅ Resolved: {mrkdwn_escape(alert.name)} after {lasted:.0f} min ({group['alert_count']} alerts, "
            f"{attached} attached to this thread without a new analysis).")
    if group["thread_ts"]:
        await post_or_log(Reply("", channel=group["channel"], settings=settings, thread_ts=group["thread_ts"]),
                          {"text": text})
    store.set_job(key, status="done", detail=text)


async def deploy_check_job(key: str, *, deploy: Deploy, settings: Settings, store: Store) -> None:
    """After a deploy: analyze the service around it; speak in Slack only if something is wrong."""
    reply = Reply("", channel=channel_for(settings, deploy.service), settings=settings)
    try:
        async with asyncio.timeout(settings.job_deadline_seconds):
            now = datetime.now(UTC)
            window = Window(min(deploy.at, now) - timedelta(minutes=15), now)
            result, incident_id = await run_analysis(
                settings=settings, store=store, services=[deploy.service], window=window, incident_start=deploy.at,
                alert=f"post-deploy check of {deploy.line()}", channel=reply.channel)
        sick = [t for t in result.digest.errors() if t.count_in_window and (t.new or t.bursting)]
        if not sick:
            store.set_job(key, status="done", detail=f"healthy after {deploy.version}: no new or bursting errors")
            return
        await post_or_log(reply, {"text": f"⚠️ After deploying {deploy.service} {deploy.version}: "
                                          f"{result.diagnosis.summary}",
                                  "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text":
                                              f"⚠️ *Post-deploy check* of `{deploy.service}` {deploy.version}: "
                                              f"{len(sick)} new or bursting error templates since the deploy."}},
                                             *diagnosis_blocks(result, incident_id=incident_id,
                                                               report_url=ReportLinks(settings).incident_url(incident_id),
                                                               incident_url=ReportLinks(settings).incident_url)][:50]})
        store.set_job(key, status="done", detail=f"sick after {deploy.version}: incident {incident_id}")
    except Exception as exc:
        await _tell_failure(key, reply, store, exc, what=f"The post-deploy check of {deploy.service} {deploy.version}",
                            settings=settings)


async def _tell_failure(key: str, reply: Reply, store: Store, exc: Exception, *, what: str, settings: Settings) -> None:
    """The job's outcome when it did not finish: its deadline passed, or what went wrong."""
    if isinstance(exc, TimeoutError):
        text = f"⏱️ {what} did not finish within {settings.job_deadline_seconds:g} s."
    else:
        log.exception("job %s failed", key)
        text = f"❌ {what} failed: {type(exc).__name__}: {exc}"
    await report_failure(key, reply, text, store)

