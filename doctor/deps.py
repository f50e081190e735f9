"""What the edges share (the HTTP routes, Socket Mode): settings, and the store, job runner and
redactor, made on first use.

Nothing here is global: each `create_app` builds its own `Deps` (tests run several apps at once).
"""

from __future__ import annotations

import logging
import threading

from doctor.alerts import ADAPTERS, AlertAdapter
from doctor.config import Settings
from doctor.deliver.links import ReportLinks
from doctor.digest import Redactor
from doctor.jobs import JobRunner, JobSpec, make_runner
from doctor.pipeline import redactor_for
from doctor.store import Store, open_store

log = logging.getLogger("doctor.web")


class Deps:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None
        self._runner: JobRunner | None = None
        self._redactor: Redactor | None = None
        self._links: ReportLinks | None = None
        self._adapters: dict[str, AlertAdapter] = {}
        self._lock = threading.RLock()  # the start-up warm-up thread and the first request may race
        self.closing = False  # set at SIGTERM: no new job is taken

    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = open_store(self.settings)
            return self._store

    def runner(self) -> JobRunner:
        with self._lock:
            if self._runner is None:
                self._runner = make_runner(self.settings, store=self.store())
            return self._runner

    def warm(self) -> None:
        """Make the runner and prepare its client now (a background thread at start-up)."""
        try:
            self.runner().prepare()
        except Exception:  # the first submit will say what is wrong, to the user
            log.exception("could not prepare the job runner")

    def redactor(self) -> Redactor:
        if self._redactor is None:
            self._redactor = redactor_for(self.settings)
        return self._redactor

    def links(self) -> ReportLinks:
        if self._links is None:
            self._links = ReportLinks(self.settings)
        return self._links

    def adapter(self, name: str) -> AlertAdapter | None:
        if name not in ADAPTERS:
            return None
        if name not in self._adapters:  # one per app: the SNS adapter caches certificates
            self._adapters[name] = ADAPTERS[name](self.settings)
        return self._adapters[name]

    async def submit(self, kind: str, key: str, *, request: dict, delay_seconds: float = 0, **args) -> bool:
        """Record the job under its idempotency key and hand it to the runner; False (and nothing
        submitted) when the key was taken: a retry, a double click, a replay."""
        if self.closing:  # answered like a queue that is down: the sender retries, against another instance
            raise JobNotQueued("this instance is shutting down")
        if not self.store().claim_job(key, kind=kind, request=request):
            return False
        try:
            await self.runner().submit(JobSpec(kind=kind, key=key, args=args), delay_seconds=delay_seconds)
        except Exception as exc:  # the queue is down or refuses: say so now, never leave a silent "queued"
            log.exception("could not hand job %s to the runner", key)
            self.store().set_job(key, status="failed", detail=f"not queued: {type(exc).__name__}: {exc}")
            raise JobNotQueued(f"{type(exc).__name__}: {exc}") from exc
        return True


class JobNotQueued(RuntimeError):
    """The job runner (Cloud Tasks) did not take the job."""
