"""Job runners: where a job runs after the acknowledgement.

- `InProcessRunner` (the embedded default): an asyncio task in this process, bounded
  concurrency. Right for a laptop or an always-on instance.
- `CloudTasksRunner` (`DOCTOR_JOB_BACKEND=cloudtasks`): a Cloud Task whose HTTP target is this
  service's own `POST /tasks/run`, so the job runs inside a request, where Cloud Run gives it
  CPU (work after a response is CPU-starved and may be killed when the instance scales to zero).

Both take a `JobSpec` and return once the job is safely handed over; both run it through
`execute`, so a job runs at most once whichever delivers it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import UTC, datetime, timedelta
from typing import Protocol

from doctor.config import Settings
from doctor.jobs.spec import JobSpec, execute
from doctor.store import Store

log = logging.getLogger("doctor.jobs")


class JobRunner(Protocol):
    """Where jobs run. `submit` hands a job over before the acknowledgement returns; `prepare` makes
    whatever the first submit would otherwise pay for (a client, credentials), at start-up."""

    async def submit(self, spec: JobSpec, *, delay_seconds: float = 0) -> None: ...

    def prepare(self) -> None: ...


class InProcessRunner:
    def __init__(self, *, settings: Settings, store: Store, max_concurrent: int = 2) -> None:
        self.settings, self.store = settings, store
        self._slots = asyncio.Semaphore(max_concurrent)
        self._tasks: set[asyncio.Task] = set()

    def prepare(self) -> None:
        """Nothing to make ahead: jobs run on this process's loop."""

    async def submit(self, spec: JobSpec, *, delay_seconds: float = 0) -> None:
        task = asyncio.get_running_loop().create_task(self._run(spec, delay_seconds), name=f"job:{spec.key}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, spec: JobSpec, delay_seconds: float) -> None:
        if delay_seconds > 0:
            await asyncio.sleep(delay_seconds)  # waiting holds no slot
        async with self._slots:
            try:
                await execute(spec, settings=self.settings, store=self.store)
            except asyncio.CancelledError:
                log.warning("job %s interrupted by shutdown", spec.key)
            except Exception:
                log.exception("job %s could not be run", spec.key)

    async def drain(self) -> None:
        """Wait for every job (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def shutdown(self, grace_seconds: float) -> int:
        """SIGTERM: let running jobs finish within `grace_seconds`, then cancel the rest (`execute` records
        each as interrupted and tells its user). Returns how many were interrupted."""
        if not self._tasks:
            return 0
        _, pending = await asyncio.wait(list(self._tasks), timeout=grace_seconds)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        return len(pending)


def task_id(key: str) -> str:
    """A Cloud Tasks task id from the idempotency key: Cloud Tasks refuses a second task with
    the same name (even one completed recently), so a retried acknowledgement creates no second task."""
    return "job-" + hashlib.sha256(key.encode()).hexdigest()[:40]


class CloudTasksRunner:
    """Creates the task with the async Cloud Tasks client on the acknowledging loop: no worker thread
    per acknowledgement, so fifty acknowledgements at once are fifty gRPC calls in flight rather
    than a queue for the default thread pool's few threads."""

    def __init__(self, *, settings: Settings, client=None) -> None:
        if not (settings.tasks_queue and settings.service_url and settings.tasks_service_account):
            raise ValueError("DOCTOR_JOB_BACKEND=cloudtasks needs DOCTOR_TASKS_QUEUE, DOCTOR_SERVICE_URL and "
                             "DOCTOR_TASKS_SERVICE_ACCOUNT")
        self.settings = settings
        self.service_url: str = settings.service_url.rstrip("/")  # Cloud Tasks' target and the OIDC audience
        self._client = client
        self._credentials: object | None = None

    def prepare(self) -> None:
        """The slow part of making the client, off the event loop (a start-up thread): importing the
        gRPC stack (about a second) and, outside the emulator, finding the credentials. The client
        itself is made on the loop at the first submit: an asyncio gRPC channel belongs to its loop."""
        from google.cloud import tasks_v2  # noqa: F401
        from google.protobuf import duration_pb2  # noqa: F401

        if not self.settings.tasks_emulator_host and self._credentials is None:
            # lazy: Google's auth, gRPC and Cloud Tasks stacks cost about a second; only their users pay it
            import google.auth

            self._credentials, _ = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])

    @property
    def client(self):
        if self._client is None:
            self._client = make_tasks_client(self.settings, credentials=self._credentials)
        return self._client

    async def submit(self, spec: JobSpec, *, delay_seconds: float = 0) -> None:
        # Before the acknowledgement returns: once the task exists, the job survives this instance.
        await self.create_task(spec, delay_seconds)

    async def create_task(self, spec: JobSpec, delay_seconds: float = 0) -> bool:
        """False when a task of this name exists already (a retry of the same request)."""
        # lazy: Google's auth, gRPC and Cloud Tasks stacks cost about a second; only their users pay it
        from google.api_core.exceptions import AlreadyExists

        try:
            await self.client.create_task(parent=self.settings.tasks_queue, task=self.task(spec, delay_seconds),
                                          timeout=10)
        except AlreadyExists:
            log.info("task for job %s exists already", spec.key)
            return False
        return True

    def task(self, spec: JobSpec, delay_seconds: float = 0):
        # lazy: Google's auth, gRPC and Cloud Tasks stacks cost about a second; only their users pay it
        from google.cloud import tasks_v2
        from google.protobuf import duration_pb2, timestamp_pb2

        s = self.settings
        task = tasks_v2.Task(
            name=f"{s.tasks_queue}/tasks/{task_id(spec.key)}",
            http_request=tasks_v2.HttpRequest(
                http_method=tasks_v2.HttpMethod.POST, url=self.service_url + "/tasks/run",
                headers={"Content-Type": "application/json"}, body=spec.to_json(),
                oidc_token=tasks_v2.OidcToken(service_account_email=s.tasks_service_account,
                                              audience=self.service_url)),
            # The job's own deadline plus time to report; Cloud Tasks allows 15 s to 30 min.
            dispatch_deadline=duration_pb2.Duration(seconds=int(min(1800, max(15, s.job_deadline_seconds + 60)))),
        )
        if delay_seconds > 0:
            when = timestamp_pb2.Timestamp()
            when.FromDatetime(datetime.now(UTC) + timedelta(seconds=delay_seconds))
            task.schedule_time = when
        return task


def make_tasks_client(settings: Settings, *, credentials=None):
    """The async Cloud Tasks client; call it on the event loop that will use it."""
    # lazy: Google's auth, gRPC and Cloud Tasks stacks cost about a second; only their users pay it
    from google.cloud import tasks_v2

    if settings.tasks_emulator_host:  # a local emulator speaks plain gRPC, no credentials
        # lazy: Google's auth, gRPC and Cloud Tasks stacks cost about a second; only their users pay it
        import grpc
        from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcAsyncIOTransport

        channel = grpc.aio.insecure_channel(settings.tasks_emulator_host)
        return tasks_v2.CloudTasksAsyncClient(transport=CloudTasksGrpcAsyncIOTransport(channel=channel))
    return tasks_v2.CloudTasksAsyncClient(credentials=credentials)


def make_runner(settings: Settings, *, store: Store) -> JobRunner:
    if settings.job_backend == "cloudtasks":
        return CloudTasksRunner(settings=settings)
    return InProcessRunner(settings=settings, store=store, max_concurrent=settings.job_concurrency)
