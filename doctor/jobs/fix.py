"""The `/terraform` job (and the "Propose Terraform fix" button): a proven fix for an incident."""

from __future__ import annotations

import asyncio
import logging

from doctor.config import Settings
from doctor.jobs.analyze import Reply, _report_failure

log = logging.getLogger("doctor.jobs")


async def fix_job(key: str, *, incident_id: str | None, text: str | None, channel: str, response_url: str,
                  settings: Settings, store) -> None:
    from doctor import pipeline
    from doctor.models import Diagnosis
    from doctor.slack.blocks import fix_blocks

    reply = Reply(response_url, channel=channel, settings=settings)
    store.set_job(key, status="running")
    try:
        async with asyncio.timeout(settings.job_deadline_seconds):
            if incident_id or not text:
                incident = store.get_incident(incident_id) if incident_id else store.latest_incident(channel)
                if incident is None:
                    what = f"incident `{incident_id}`" if incident_id else "an incident analysed in this channel"
                    await _report_failure(key, reply, f"⚠️ I found no {what}. Run `/analyze-logs` first, "
                                          "or describe the problem: `/terraform the executor is OOM-killed`.", store)
                    return
                diagnosis, title = Diagnosis.model_validate(incident["diagnosis"]), incident["title"]
            else:
                diagnosis = await asyncio.to_thread(pipeline.diagnosis_from_text, text, settings=settings)
                title = f"“{text[:80]}”"
            fix, note = await asyncio.to_thread(pipeline.propose_fix, diagnosis, settings=settings)
        await reply({"response_type": "in_channel", "replace_original": False, "text": f"🛠️ Terraform fix for {title}",
                                     "blocks": fix_blocks(fix, note, title=title, category=diagnosis.category)})
        store.set_job(key, status="done", detail=("valid fix" if fix and fix.valid else note or "no valid fix"))
    except TimeoutError:
        await _report_failure(key, reply, f"⏱️ The fix did not finish within {settings.job_deadline_seconds:g} s.",
                              store)
    except Exception as exc:
        log.exception("fix job %s failed", key)
        await _report_failure(key, reply, f"❌ Proposing the fix failed: {type(exc).__name__}: {exc}", store)
