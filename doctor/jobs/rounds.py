"""The doctor's rounds: a scheduled check-up of every mapped service, before any alert fires.

A round has a time `at` (Cloud Scheduler's schedule time, or the time floored to the interval:
a redelivered round is the same round). For each service it digests the last interval (`at`
minus DOCTOR_ROUNDS_EVERY_MINUTES to `at`) against the baseline before it, with the interval as
the incident window, and keeps what the digest already marks in the service's own lines:

- a warning or error template that is **new** in the interval (at least twice) or **bursting** in it;
- a steady template that went **quiet** (the digest's STOPPED), or no line of the service at all
  in the interval after a baseline that had some.

Nothing found: a healthy round, recorded and silent. Findings that an open incident of the service
(an alert's group or an earlier round's) already covers: recorded as covered, silent (`uncovered`
says what covers what). A finding no open incident covers, while the round's own incident is open:
posted in that incident's thread. Otherwise the finding opens the group `round:<service>` through
the alerts' dedupe (`doctor.alerts.service`),
is diagnosed, and posted once to the service's channel; an alert of that service that fires
afterwards attaches to that group. A later round that finds the opening round's templates gone
(and a quiet service logging again) closes the group in its thread.

Cost: a finding is diagnosed by the offline engine unless its new or bursting error lines reach
DOCTOR_ROUNDS_CLOUD_MIN_LINES; then by the configured providers, where the daily budget applies.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from doctor import pipeline
from doctor.alerts import channel_for
from doctor.alerts.service import round_fingerprint
from doctor.config import Settings
from doctor.deliver.blocks import diagnosis_blocks, mrkdwn_escape
from doctor.deliver.links import ReportLinks
from doctor.deliver.reply import Reply, post_or_log
from doctor.diagnose import OfflineAnalyzer
from doctor.digest import Digest
from doctor.providers import make_fixer, make_providers
from doctor.sources import Window
from doctor.store import Store

log = logging.getLogger("doctor.jobs")

SEVERE = ("WARNING", "ERROR", "CRITICAL")
# A new template must repeat to be a finding, as it must to start an incident window (doctor/digest/
# tally.py): one stray timeout in fifteen minutes is not worth a page.
NEW_MIN_LINES = 2
MAX_FINDINGS = 10  # kept per round: the message and the store stay short however sick a service is


@dataclass(frozen=True)
class Finding:
    kind: str  # new, bursting, quiet
    text: str  # the template (redacted), or what went quiet
    lines: int  # its lines in the interval
    level: str = "INFO"

    def line(self) -> str:
        if self.kind == "quiet":
            return f"QUIET  {self.text}"
        return f"{self.kind.upper():<8} {self.level:<7} x{self.lines:,}  {self.text}"


def rounds_slot(at: datetime, every_minutes: float) -> datetime:
    """`at` floored to the rounds' interval (epoch-aligned, as cron's */15 is): every delivery of one
    scheduled round, and every instance that runs it, names the same round."""
    step = int(every_minutes * 60)
    seconds = int(at.astimezone(UTC).timestamp())
    return datetime.fromtimestamp(seconds - seconds % step, UTC)


def findings_of(digest: Digest, service: str) -> list[Finding]:
    """What changed in the service's own lines in the interval (platform lines read with it, "postgres
    via executor", are the platform stream's own round's to report)."""
    own = [t for t in digest.templates if service in t.services]
    out: list[Finding] = []
    for t in sorted(own, key=lambda t: (-t.count_in_window, t.id)):
        if t.stopped is not None:
            out.append(Finding("quiet", f"{t.text[:200]} (logged steadily until {t.stopped:%H:%M}Z)", 0, t.level))
        elif t.level in SEVERE and ((t.new and t.count_in_window >= NEW_MIN_LINES) or t.bursting):
            out.append(Finding("new" if t.new else "bursting", t.text[:300], t.count_in_window, t.level))
    baseline = sum(t.count_baseline for t in own)
    if baseline and not sum(t.count_in_window for t in own):
        out.insert(0, Finding("quiet", f"{service} wrote no line in the interval ({baseline:,} in the baseline)", 0))
    return out[:MAX_FINDINGS]


def recovered(opened_by: list[dict], digest: Digest, service: str) -> bool:
    """Whether what a round found is gone: none of its templates in the interval, and a quiet service
    logging again. Templates are compared by text: the same lines mine to the same template."""
    own = [t for t in digest.templates if service in t.services]
    if not sum(t.count_in_window for t in own):
        return False  # no line at all: not well, whatever opened the incident
    live = {t.text[:300] for t in own if t.count_in_window}
    return not any(f["kind"] != "quiet" and f["text"] in live for f in opened_by)


def uncovered(found: list[Finding], group, store: Store) -> list[Finding]:
    """The findings an open incident (`group`) does not already cover. A group still being analysed
    (no incident recorded yet) covers its whole service; a recorded incident covers the templates its
    digest ranked and what rounds already recorded against it (the opening round's findings, and those
    told in its thread). Silence is covered by any open incident of the service: going quiet is what a
    sick service does next."""
    if group["incident_id"] is None:
        return []
    incident = store.get_incident(group["incident_id"])
    ranked = incident["digest"].get("top_templates", []) if incident else []
    known = {str(t.get("text", ""))[:300] for t in ranked}
    # What the rounds recorded against this group: the opening round's findings, and those told in its thread.
    known |= {f["text"] for r in store.rounds_of(group["service"], limit=200) if r["group_id"] == group["id"]
              for f in r["findings"]}
    return [f for f in found if f.kind != "quiet" and f.text not in known]


async def rounds_job(key: str, *, at: str, services: list[str] | None = None, settings: Settings,
                     store: Store) -> None:
    """One round over `services` (default: DOCTOR_ROUNDS_SERVICES, else the whole service map)."""
    when = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(UTC)
    names = list(services or settings.rounds_services or settings.services)
    outcomes: list[str] = []
    try:
        async with asyncio.timeout(settings.job_deadline_seconds):
            for service in names:
                try:
                    status = await check_service(service, at=when, settings=settings, store=store)
                except Exception as exc:  # one service's logs failing to read must not skip the others
                    log.exception("round of %s at %s failed", service, at)
                    status = "failed"
                    store.record_round(service=service, at=when, status=status, findings=[],
                                       detail=f"{type(exc).__name__}: {exc}"[:500])
                outcomes.append(f"{service} {status}")
    except TimeoutError:
        for service in names[len(outcomes):]:
            store.record_round(service=service, at=when, status="failed", findings=[],
                               detail=f"not reached within the job's {settings.job_deadline_seconds:g} s")
            outcomes.append(f"{service} failed")
    store.set_job(key, status="done", detail=f"round at {at}: " + ", ".join(outcomes)[:900])


async def check_service(service: str, *, at: datetime, settings: Settings, store: Store) -> str:
    """One service's check-up; returns (and records) its status."""
    every = timedelta(minutes=settings.rounds_every_minutes)
    window = Window(at - every - timedelta(minutes=settings.rounds_baseline_minutes), at)
    digest, _reports = await asyncio.to_thread(asyncio.run, pipeline.fetch_digest(
        settings=settings, services=[service], window=window, incident_start=at - every, isolate=True,
        silence_until=at))
    found = findings_of(digest, service)
    fingerprint = round_fingerprint(service)
    mine = store.open_group(fingerprint)
    if not found:
        if mine is not None:
            return await _close_if_recovered(mine, digest, service, at=at, settings=settings, store=store)
        store.record_round(service=service, at=at, status="healthy", findings=[])
        return "healthy"
    records = [asdict(f) for f in found]
    covering = [g for g in (mine, store.latest_open_group(service)) if g is not None]
    fresh = found
    for cover in covering:
        left = uncovered(fresh, cover, store)
        if not left:
            store.record_round(service=service, at=at, status="covered", findings=records, group_id=cover["id"],
                               incident_id=cover["incident_id"], detail=f"open incident {cover['name'][:200]}")
            return "covered"
        fresh = left
    if mine is not None:  # something new beside the round's own open incident: said in its thread
        return await _tell_thread(mine, fresh, service, at=at, settings=settings, store=store)
    found, records = fresh, [asdict(f) for f in fresh]
    name = f"Round: {found[0].kind} in {service}"
    group = store.create_group(fingerprint=fingerprint, source="round", name=name, service=service,
                               channel=channel_for(settings, service), now=at)
    if group is None:  # another instance's delivery of this round got there first
        store.record_round(service=service, at=at, status="covered", findings=records, detail="opened concurrently")
        return "covered"
    store.set_group(group["id"], alert_count=0)  # no alert yet: the round opened it
    result, incident_id = await asyncio.to_thread(_diagnose, digest, found, service, window, settings, store,
                                                  group["channel"])
    store.set_group(group["id"], incident_id=incident_id)
    detail = f"{result.diagnosis.category}: {result.diagnosis.summary}"[:400]
    if not (settings.slack_bot_token and group["channel"]):  # `doctor rounds` on a laptop: the console says it
        store.record_round(service=service, at=at, status="sick", findings=records, group_id=group["id"],
                           incident_id=incident_id, detail=f"{detail}; not posted: no Slack bot token or channel")
        return "sick"
    reply = Reply("", channel=group["channel"], settings=settings)
    ts = await post_or_log(reply, {"text": f"{_headline(found, service, at, settings)}: {result.diagnosis.summary}",
                                   "blocks": [*_finding_blocks(found, service, at, settings),
                                              *diagnosis_blocks(result, incident_id=incident_id,
                                                                report_url=ReportLinks(settings).incident_url(incident_id))
                                              ][:50]})
    if ts:
        store.set_group(group["id"], thread_ts=ts)
    store.record_round(service=service, at=at, status="sick", findings=records, group_id=group["id"],
                       incident_id=incident_id, detail=detail if ts else f"{detail}; Slack did not take the post")
    return "sick"


async def _tell_thread(group, found: list[Finding], service: str, *, at: datetime, settings: Settings,
                       store: Store) -> str:
    """Findings the round's open incident does not cover: one reply in its thread (not a new page)."""
    text = f"{_headline(found, service, at, settings)}, beside this incident"
    listing = "\n".join(mrkdwn_escape(f.line())[:280] for f in found)
    ts = None
    if settings.slack_bot_token and group["channel"] and group["thread_ts"]:
        ts = await post_or_log(Reply("", channel=group["channel"], settings=settings, thread_ts=group["thread_ts"]),
                               {"text": text, "blocks": [
                                   {"type": "section", "text": {"type": "mrkdwn", "text": f"*{text}*:"}},
                                   {"type": "section", "text": {"type": "mrkdwn", "text": f"```{listing[:2900]}```"}}]})
    store.record_round(service=service, at=at, status="sick", findings=[asdict(f) for f in found],
                       group_id=group["id"], incident_id=group["incident_id"],
                       detail="new beside the round's open incident" + ("" if ts else "; not posted"))
    return "sick"


async def _close_if_recovered(group, digest: Digest, service: str, *, at: datetime, settings: Settings,
                              store: Store) -> str:
    opening = store.round_that_opened(group["id"])
    if opening is None or not recovered(opening["findings"], digest, service):
        store.record_round(service=service, at=at, status="covered", findings=[], group_id=group["id"],
                           incident_id=group["incident_id"], detail="the round's incident stays open: not recovered")
        return "covered"
    if store.resolve_group(group["id"], now=at) and group["thread_ts"]:
        await post_or_log(Reply("", channel=group["channel"], settings=settings, thread_ts=group["thread_ts"]),
                          {"text": f"✅ Rounds at {at:%H:%M}Z: `{service}` looks well again; what the round of "
                                   f"{opening['at'][11:16]}Z found is gone. Closing this incident."})
    store.record_round(service=service, at=at, status="recovered", findings=[], group_id=group["id"],
                       incident_id=group["incident_id"])
    return "recovered"


def _diagnose(digest: Digest, found: list[Finding], service: str, window: Window, settings: Settings,
              store: Store, channel: str | None):
    """Offline unless the finding clears DOCTOR_ROUNDS_CLOUD_MIN_LINES; then the configured chain (whose
    ledger skips cloud providers past the daily budget). Records the incident."""
    lines = sum(f.lines for f in found if f.kind != "quiet" and f.level in ("ERROR", "CRITICAL"))
    cloud = settings.rca_provider != "offline" or settings.fix_provider != "offline"
    if lines >= settings.rounds_cloud_min_lines:
        analyzer, fixer = make_providers(settings)
        note = None
    else:
        analyzer = OfflineAnalyzer(extra_signatures=settings.signatures_file)
        fixer = make_fixer(settings.model_copy(update={"fix_provider": "offline"}))
        note = (f"Diagnosed offline: the round's finding has {lines:,} new or bursting error lines, under "
                f"DOCTOR_ROUNDS_CLOUD_MIN_LINES ({settings.rounds_cloud_min_lines:,})") if cloud else None
    context = pipeline.context_for(digest, settings=settings, store=store, services=[service],
                                   alert=f"the doctor's round found {service} sick", start=window.start,
                                   end=window.end)
    result = pipeline.diagnose(digest, settings=settings, analyzer=analyzer, fixer=fixer, context=context)
    if note:
        result.diagnosis.notes.append(note)
    return result, pipeline.save_incident(result, settings=settings, channel=channel, store=store)


def _headline(found: list[Finding], service: str, at: datetime, settings: Settings) -> str:
    since = at - timedelta(minutes=settings.rounds_every_minutes)
    kinds = [k for k in ("new", "bursting", "quiet") if any(f.kind == k for f in found)]
    what = " and ".join({"new": "new errors", "bursting": "bursting errors", "quiet": "silence"}[k] for k in kinds)
    return f"🩺 Rounds found {what} in {service} since {since:%H:%M}Z"


def _finding_blocks(found: list[Finding], service: str, at: datetime, settings: Settings) -> list[dict]:
    # Template text is redacted log text: escaped, it cannot mention or link.
    listing = "\n".join(mrkdwn_escape(f.line())[:280] for f in found)
    return [{"type": "section", "text": {"type": "mrkdwn", "text":
             f"*{_headline(found, service, at, settings)}* (no alert has fired for it)."}},
            {"type": "section", "text": {"type": "mrkdwn", "text": f"```{listing[:2900]}```"}}]

