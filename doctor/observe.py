"""The doctor's own observability: Prometheus metrics and structured JSON logs.

Metrics live in one registry (`REGISTRY`), served at `/metrics`. Logs are one JSON object per
line on stdout, each with the request id or job id it belongs to, and every message and
traceback passes through the redactor first: our own logs are no place for a secret either.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime

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
def timed(histogram: Histogram, *, stage: str, kind: str | None = None):
    start = time.perf_counter()
    try:
        yield
    finally:
        histogram.labels(stage=stage, kind=kind or job_kind.get()).observe(time.perf_counter() - start)


def stage(name: str):
    """Time one stage of the current job (fetch, digest, diagnose, fix, deliver)."""
    return timed(JOB_DURATION, stage=name)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, redacted, with the request or job it belongs to."""

    def __init__(self, redact) -> None:
        super().__init__()
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        out = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
               "severity": record.levelname, "logger": record.name, "message": self.redact(record.getMessage())}
        if (rid := request_id.get()) is not None:
            out["request_id"] = rid
        if (jid := job_id.get()) is not None:
            out["job_id"] = jid
        if record.exc_info:
            out["exception"] = self.redact(self.formatException(record.exc_info))
        return json.dumps(out, ensure_ascii=False)


def configure_logging(redact, *, level: str = "INFO", stream=None) -> None:
    """Send the doctor's, uvicorn's and the libraries' logs to stdout as redacted JSON lines."""
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonFormatter(redact))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
