"""What the HTTP routes share: settings, and the store, job runner and redactor, made on first use.

Nothing here is global: each `create_app` builds its own `Deps` (tests run several apps at once).
"""

from __future__ import annotations

import threading

from doctor.config import Settings


class Deps:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store = self._runner = self._redactor = self._links = None
        self._adapters: dict = {}
        self._lock = threading.RLock()  # the start-up warm-up thread and the first request may race
        self.closing = False  # set at SIGTERM: no new job is taken

    def store(self):
        with self._lock:
            if self._store is None:
                from doctor.providers import open_store

                self._store = open_store(self.settings)
            return self._store

    def runner(self):
        with self._lock:
            if self._runner is None:
                from doctor.jobs import make_runner

                self._runner = make_runner(self.settings, store=self.store())
            return self._runner

    def warm(self) -> None:
        """Make the runner and prepare its client now (a background thread at start-up)."""
        import logging

        try:
            runner = self.runner()
            if hasattr(runner, "prepare"):
                runner.prepare()
        except Exception:  # the first submit will say what is wrong, to the user
            logging.getLogger("doctor.web").exception("could not prepare the job runner")

    def redactor(self):
        if self._redactor is None:
            from doctor.pipeline import redactor_for

            self._redactor = redactor_for(self.settings)
        return self._redactor

    def links(self):
        if self._links is None:
            from doctor.web.links import ReportLinks

            self._links = ReportLinks(self.settings)
        return self._links

    def adapter(self, name: str):
        from doctor.alerts import ADAPTERS

        if name not in ADAPTERS:
            return None
        if name not in self._adapters:  # one per app: the SNS adapter caches certificates
            self._adapters[name] = ADAPTERS[name](self.settings)
        return self._adapters[name]

    async def submit(self, kind: str, key: str, *, request: dict, delay_seconds: float = 0, **args) -> bool:
        """Record the job under its idempotency key and hand it to the runner; False (and nothing
        submitted) when the key was taken: a retry, a double click, a replay."""
        from doctor.jobs import JobSpec

        if self.closing:  # answered like a queue that is down: the sender retries, against another instance
            raise JobNotQueued("this instance is shutting down")
        if not self.store().claim_job(key, kind=kind, request=request):
            return False
        try:
            await self.runner().submit(JobSpec(kind=kind, key=key, args=args), delay_seconds=delay_seconds)
        except Exception as exc:  # the queue is down or refuses: say so now, never leave a silent "queued"
            import logging

            logging.getLogger("doctor.web").exception("could not hand job %s to the runner", key)
            self.store().set_job(key, status="failed", detail=f"not queued: {type(exc).__name__}: {exc}")
            raise JobNotQueued(f"{type(exc).__name__}: {exc}") from exc
        return True


class JobNotQueued(RuntimeError):
    """The job runner (Cloud Tasks) did not take the job."""
