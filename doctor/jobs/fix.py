"""The `/terraform` job (and the "Propose Terraform fix" button): a proven fix for an incident."""

from __future__ import annotations

import asyncio
import logging

from doctor import pipeline
from doctor.config import Settings
from doctor.deliver.blocks import fix_blocks
from doctor.deliver.reply import Reply, report_failure
from doctor.deliver.slack_api import web_client
from doctor.models import Diagnosis
from doctor.store import Store

log = logging.getLogger("doctor.jobs")


async def fix_job(key: str, *, incident_id: str | None, text: str | None, channel: str, response_url: str,
                  settings: Settings, store: Store) -> None:
    reply = Reply(response_url, channel=channel, settings=settings)
    try:
        async with asyncio.timeout(settings.job_deadline_seconds):
            if incident_id or not text:
                incident = store.get_incident(incident_id) if incident_id else store.latest_incident(channel)
                if incident is None:
                    what = f"incident `{incident_id}`" if incident_id else "an incident analysed in this channel"
                    await report_failure(key, reply, f"⚠️ I found no {what}. Run `/analyze-logs` first, "
                                          "or describe the problem: `/terraform the executor is OOM-killed`.", store)
                    return
                diagnosis, title = Diagnosis.model_validate(incident["diagnosis"]), incident["title"]
            else:
                diagnosis = await asyncio.to_thread(pipeline.diagnosis_from_text, text, settings=settings)
                title = f"“{text[:80]}”"
            fix, note = await asyncio.to_thread(pipeline.propose_fix, diagnosis, settings=settings)
            uploaded = False
            if fix is not None and len(fix.diff) > settings.slack_diff_upload_chars:
                uploaded = await asyncio.to_thread(_upload_diff, settings, channel, fix)
        await reply({"response_type": "in_channel", "replace_original": False, "text": f"🛠️ Terraform fix for {title}",
                     "blocks": fix_blocks(fix, note, title=title, category=diagnosis.category,
                                          diff_uploaded=uploaded)})
        store.set_job(key, status="done", detail=("valid fix" if fix and fix.valid else note or "no valid fix"))
    except TimeoutError:
        await report_failure(key, reply, f"⏱️ The fix did not finish within {settings.job_deadline_seconds:g} s.",
                              store)
    except Exception as exc:
        log.exception("fix job %s failed", key)
        await report_failure(key, reply, f"❌ Proposing the fix failed: {type(exc).__name__}: {exc}", store)


def _upload_diff(settings: Settings, channel: str, fix) -> bool:
    """A long diff as a `fix.patch` file in the channel (needs the bot token); False when it could not be."""
    if not (settings.slack_bot_token and channel):
        return False
    # lazy: slack_sdk's Web API and Socket Mode clients stay off the acknowledgement path
    from slack_sdk.errors import SlackApiError

    client = web_client(settings)
    try:
        client.files_upload_v2(channel=channel, content=fix.diff, filename="fix.patch",
                               title=f"Terraform fix: {fix.target.address}",
                               initial_comment=f"The proposed change to `{fix.target.file}` (too long for a message).")
    except (SlackApiError, OSError) as exc:
        log.warning("could not upload the diff as a file, sending it in the message: %s", exc)
        return False
    return True
