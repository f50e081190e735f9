"""The doctor's own observability: Prometheus metrics and structured JSON logs.

Metrics live in one registry (`REGISTRY`), served at `/metrics`. Logs are one JSON object per
line on stdout, each with the request id or job id it belongs to, and every message and
traceback passes through the redactor first: our own logs are no place for a secret either.
"""

from __future__ import annotations

import atexit
import contextvars
import copy
import json
import logging
import queue
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from logging.handlers import QueueHandler, QueueListener
from typing import TextIO

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()

ACKS = Counter("doctor_acks_total", "Slack commands and interactions acknowledged, by command and outcome.",
               ["command", "outcome"], registry=REGISTRY)
ACK_SECONDS = Histogram("doctor_ack_seconds", "Time to acknowledge a Slack request (server side).", ["command"],
                        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0), registry=REGISTRY)
JOBS_FINISHED = Counter("doctor_jobs_finished_total", "Jobs that ran to an outcome, by kind and status.",
                        ["kind", "status"], registry=REGISTRY)
JOBS_BY_STATE = Gauge("doctor_jobs", "Jobs in the store by state (read at scrape time).", ["state"],
                      registry=REGISTRY)
JOB_DURATION = Histogram("doctor_job_stage_seconds", "Job time by stage: fetch, digest, diagnose, fix, deliver, "
                         "total.", ["stage", "kind"], buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
                         registry=REGISTRY)
PROVIDER_CALLS = Counter("doctor_provider_calls_total", "Cloud provider calls by provider and outcome (ok, cached, "
                         "or the failure reason).", ["provider", "outcome"], registry=REGISTRY)
PROVIDER_TOKENS = Counter("doctor_provider_tokens_total", "Tokens sent to and received from cloud providers.",
                          ["provider", "direction"], registry=REGISTRY)
PROVIDER_COST = Counter("doctor_provider_cost_usd_total", "What cloud providers cost, in USD.", ["provider"],
                        registry=REGISTRY)
PROVIDER_FALLBACKS = Counter("doctor_provider_fallbacks_total", "Times a provider was skipped for the next one.",
                             ["provider", "reason"], registry=REGISTRY)
ALERTS = Counter("doctor_alerts_total", "Alerts received, by source and what was done (analyze, attach, "
                 "rate_limited, resolve, ignore, duplicate).", ["source", "action"], registry=REGISTRY)

# The request or job a log line belongs to; set by the HTTP middleware and by `execute`.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
job_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("job_id", default=None)
# The job kind, so a stage timed deep in the pipeline is labelled with the job it serves.
job_kind: contextvars.ContextVar[str] = contextvars.ContextVar("job_kind", default="cli")


@contextmanager
def timed(histogram: Histogram, *, stage: str, kind: str | None = None) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        histogram.labels(stage=stage, kind=kind or job_kind.get()).observe(time.perf_counter() - start)


def stage(name: str) -> AbstractContextManager[None]:
    """Time one stage of the current job (fetch, digest, diagnose, fix, deliver)."""
    return timed(JOB_DURATION, stage=name)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, redacted, with the request or job it belongs to. A message is cut to
    `max_chars` before the redactor sees it: a 16 KB path in an access line is not ours to scan whole."""

    def __init__(self, redact: Callable[[str], str], *, max_chars: int = 4096) -> None:
        super().__init__()
        self.redact = redact
        self.max_chars = max_chars

    def format(self, record: logging.LogRecord) -> str:
        out = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
               "severity": record.levelname, "logger": record.name,
               "message": self.redact(_cut(record.getMessage(), self.max_chars))}
        # Set by the queue handler when the record was made on another thread; else this thread's context.
        rid = getattr(record, "request_id", None) or request_id.get()
        jid = getattr(record, "job_id", None) or job_id.get()
        if rid is not None:
            out["request_id"] = rid
        if jid is not None:
            out["job_id"] = jid
        exception = self.formatException(record.exc_info) if record.exc_info else record.exc_text
        if exception:
            out["exception"] = self.redact(_cut(exception, 4 * self.max_chars))
        return json.dumps(out, ensure_ascii=False)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f"… [{len(text) - limit:,} more characters]"


class _ContextQueueHandler(QueueHandler):
    """Hands records to the writer thread with what only this thread knows: the request and job ids,
    the message made (and cut) from its arguments, the traceback as text."""

    def __init__(self, queue: queue.SimpleQueue[logging.LogRecord], *, max_chars: int) -> None:
        super().__init__(queue)
        self.max_chars = max_chars

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        record = copy.copy(record)
        record.request_id, record.job_id = request_id.get(), job_id.get()
        record.msg, record.args = _cut(record.getMessage(), self.max_chars), None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        return record


class AccessLogScrub(logging.Filter):
    """uvicorn's access line without the query string (a report link's `exp` and `sig` are a week's
    access to the page: whoever reads the logs must not get it) and with a long path cut."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:  # (client, method, path?query, http version, status)
            path = str(args[2]).split("?", 1)[0]
            record.args = (args[0], args[1], path if len(path) <= 200 else path[:200] + "…", args[3], args[4])
        return True


def scrub_access_log() -> None:
    """Install `AccessLogScrub` on uvicorn's access logger (once; the app factory calls this)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, AccessLogScrub) for f in access.filters):
        access.addFilter(AccessLogScrub())


_listener: QueueListener | None = None


def configure_logging(redact: Callable[[str], str], *, level: str = "INFO", stream: TextIO | None = None,
                      max_chars: int = 4096) -> None:
    """Send the doctor's, uvicorn's and the libraries' logs to stdout as redacted JSON lines.

    Redacting and writing happen on a writer thread (a QueueListener): the thread that logs, often the
    event loop, only cuts the message and queues it. `stop_logging` drains the queue (atexit does too)."""
    global _listener
    stop_logging()
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonFormatter(redact, max_chars=max_chars))
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    _listener = QueueListener(records, handler, respect_handler_level=False)
    _listener.start()
    root = logging.getLogger()
    root.handlers[:] = [_ContextQueueHandler(records, max_chars=max_chars)]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


def stop_logging() -> None:
    """Write out every queued line, stop the writer thread, and write the lines still to come directly:
    the service calls this at the end of its shutdown, because uvicorn re-raises SIGTERM once it has
    stopped, and a process killed by its signal runs no atexit and would lose what is queued."""
    global _listener
    if _listener is None:
        return
    listener, _listener = _listener, None
    listener.stop()
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, _ContextQueueHandler)] + list(listener.handlers)


atexit.register(stop_logging)
