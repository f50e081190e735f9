"""The in-process job runner: the embedded default (Cloud Tasks takes over in production).

Bounded concurrency: at most `max_concurrent` jobs run at once, the rest wait their
turn. CPU-heavy stages run in worker threads (the jobs do that), so the event loop
that answers Slack within 3 s is never blocked by a digest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("doctor.jobs")


class InProcessRunner:
    def __init__(self, *, max_concurrent: int = 2) -> None:
        self._slots = asyncio.Semaphore(max_concurrent)
        self._tasks: set[asyncio.Task] = set()

    def submit(self, key: str, job: Callable[[], Awaitable[None]], *, delay_seconds: float = 0) -> None:
        """Start `job` soon (after `delay_seconds`); returns at once (the caller is acknowledging a request)."""
        task = asyncio.get_running_loop().create_task(self._run(key, job, delay_seconds), name=f"job:{key}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, key: str, job: Callable[[], Awaitable[None]], delay_seconds: float = 0) -> None:
        if delay_seconds > 0:
            await asyncio.sleep(delay_seconds)  # waiting holds no slot
        async with self._slots:
            try:
                await job()
            except Exception:  # the job reports its own failures to the user; this is the last net
                log.exception("job %s failed outside its own error handling", key)

    async def drain(self) -> None:
        """Wait for every job (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
