"""A job as data: what the in-process runner runs and what a Cloud Task carries to `/tasks/run`.

`execute` runs a job at most once, whichever runner or instance delivers it: it claims the
job's row in the store first (a redelivered task for a finished job, or a second instance,
finds it claimed) and the job records its own outcome there.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from doctor.alerts.models import Alert
from doctor.config import Settings
from doctor.deliver.reply import Reply
from doctor.deploys import Deploy
from doctor.jobs.alert import alert_job, deploy_check_job, resolved_job
from doctor.jobs.analyze import AnalyzeArgs, analyze_job
from doctor.jobs.fix import fix_job
from doctor.jobs.rounds import rounds_job, rounds_slot
from doctor.observe import JOB_DURATION, JOBS_FINISHED, job_id, job_kind, timed
from doctor.store import Store

log = logging.getLogger("doctor.jobs")


@dataclass(frozen=True)
class JobSpec:
    kind: str  # a key of JOBS
    key: str  # the idempotency key: the jobs table's primary key
    args: dict = field(default_factory=dict)  # JSON-serializable

    def to_json(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def from_json(cls, body: bytes) -> JobSpec:
        try:
            data = json.loads(body)
        except RecursionError:
            raise ValueError("not a job: nested too deeply") from None
        if not isinstance(data, dict) or data.get("kind") not in JOBS or not isinstance(data.get("key"), str):
            raise ValueError("not a job: needs kind (one of " + ", ".join(JOBS) + ") and key")
        return cls(kind=data["kind"], key=data["key"], args=dict(data.get("args") or {}))


async def _analyze(key: str, *, settings: Settings, store: Store, args: dict, response_url: str, channel: str | None,
                   issued_at: float | None = None) -> None:
    parsed = AnalyzeArgs(**{k: tuple(v) if isinstance(v, list) else v for k, v in args.items()})  # type: ignore[arg-type]
    await analyze_job(key, parsed, response_url=response_url, settings=settings, store=store, channel=channel,
                      issued_at=issued_at)


async def _fix(key: str, *, settings: Settings, store: Store, **kwargs) -> None:
    await fix_job(key, settings=settings, store=store, **kwargs)


async def _alert(key: str, *, settings: Settings, store: Store, group_id: str, alert: dict) -> None:
    await alert_job(key, group_id=group_id, alert=Alert.model_validate(alert), settings=settings, store=store)


async def _alert_resolved(key: str, *, settings: Settings, store: Store, group_id: str, alert: dict) -> None:
    await resolved_job(key, group_id=group_id, alert=Alert.model_validate(alert), settings=settings, store=store)


async def _deploy_check(key: str, *, settings: Settings, store: Store, deploy: dict) -> None:
    await deploy_check_job(key, deploy=Deploy.model_validate(deploy), settings=settings, store=store)


async def _notice(key: str, *, settings: Settings, store: Store, response_url: str, message: dict) -> None:
    """A short ephemeral answer sent after the acknowledgement (a refusal from a button)."""
    await Reply(response_url, channel=None, settings=settings)(message)
    store.set_job(key, status="done", detail=message.get("text", "")[:200])


async def _rounds(key: str, *, settings: Settings, store: Store, at: str, services: list[str] | None = None) -> None:
    await rounds_job(key, at=at, services=services, settings=settings, store=store)


JOBS: dict[str, Callable[..., Awaitable[None]]] = {"analyze": _analyze, "fix": _fix, "alert": _alert, "alert_resolved": _alert_resolved,
        "deploy_check": _deploy_check, "notice": _notice, "rounds": _rounds}


def rounds_spec(at: datetime, *, settings: Settings, services: list[str] | None = None) -> JobSpec:
    """The round due at `at` (floored to the interval). Its key is its time: a retried delivery of the
    same schedule is the same job (run once), the next schedule a new one."""
    slot = rounds_slot(at, settings.rounds_every_minutes).isoformat().replace("+00:00", "Z")
    which = ",".join(services or ())
    if len(which) > 100:  # the jobs table's key has 200 characters
        which = hashlib.sha256(which.encode()).hexdigest()[:32]
    return JobSpec(kind="rounds", key=f"rounds:{slot}" + (f":{which}" if which else ""),
                   args={"at": slot, "services": services})


async def _interrupted(spec: JobSpec, *, settings: Settings, store: Store) -> None:
    """A Cloud Task is handed back (queued again: Cloud Tasks redelivers, and the next delivery claims
    it); an in-process job is recorded as interrupted and its user told, in the little time left."""
    if settings.job_backend == "cloudtasks":
        store.set_job(spec.key, status="queued", detail="handed back: the instance stopped; Cloud Tasks redelivers")
        return
    text = "⚠️ Cloud Doctor restarted before this finished; nothing was lost but the answer. Please ask again."
    store.set_job(spec.key, status="failed", detail="interrupted: the service stopped before the job finished")

    channel, thread_ts = spec.args.get("channel"), None
    if spec.args.get("group_id"):
        group = store.get_group(spec.args["group_id"])
        if group is not None:
            channel, thread_ts = group["channel"], group["thread_ts"]
    try:
        async with asyncio.timeout(2):
            await Reply(spec.args.get("response_url") or "", channel=channel, settings=settings,
                        issued_at=spec.args.get("issued_at"), thread_ts=thread_ts)(
                {"response_type": "in_channel", "replace_original": False, "text": text})
    except Exception:  # the store says interrupted either way
        log.warning("could not tell the user that job %s was interrupted", spec.key)


async def execute(spec: JobSpec, *, settings: Settings, store: Store) -> tuple[str, bool]:
    """Run `spec` unless it ran or is running. Returns the job's status afterwards (done or failed:
    finished; running: another attempt holds it) and whether this call ran it."""
    # A claim older than the deadline (plus margin) belongs to an attempt that died: take it over.
    if not store.start_job(spec.key, kind=spec.kind, request=spec.args,
                           stale_after_seconds=settings.job_deadline_seconds + 120):
        job = store.get_job(spec.key)
        return (job["status"] if job else "running"), False

    job_id.set(spec.key)
    job_kind.set(spec.kind)
    with timed(JOB_DURATION, stage="total", kind=spec.kind):
        try:
            await JOBS[spec.kind](spec.key, settings=settings, store=store, **spec.args)
        except asyncio.CancelledError:  # the service is stopping (SIGTERM) before the job finished
            await _interrupted(spec, settings=settings, store=store)
            raise
        except Exception as exc:  # the jobs report their own failures; this is the last net
            log.exception("job %s failed outside its own error handling", spec.key)
            store.set_job(spec.key, status="failed", detail=f"{type(exc).__name__}: {exc}")
    job = store.get_job(spec.key)
    status = job["status"] if job and job["status"] in ("done", "failed") else "done"
    if job and job["status"] == "running":
        store.set_job(spec.key, status="done", detail=job.get("detail"))
    JOBS_FINISHED.labels(kind=spec.kind, status=status).inc()
    return status, True
