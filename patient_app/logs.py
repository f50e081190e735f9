"""The patient's logs: JSON lines with service, component, symbol and order id, always on stdout,
shipped to Loki (loki-logger-handler) and to CloudWatch Logs (one group per component, batched
PutLogEvents) when configured.

Shipping never blocks or crashes trading: each sink has a bounded buffer; a line that does not
fit, or a batch the sink refused, is dropped and counted (`patient_log_lines_dropped_total`).
"""

from __future__ import annotations

import json
import logging
import queue
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime

from patient_app.config import PatientSettings

DROPPED: Counter = Counter()  # sink -> lines dropped
SHIPPED: Counter = Counter()  # sink -> lines delivered
_EXTRA = ("symbol", "order_id", "side", "version")


class ContextFilter(logging.Filter):
    """`service` and `component` from the logger name (patient.<component>.<part>), the doctor's
    service map key and the Loki label it selects on."""

    def __init__(self, version: str) -> None:
        super().__init__()
        self.version = version

    def filter(self, record: logging.LogRecord) -> bool:
        parts = record.name.split(".")
        component = parts[1] if len(parts) > 1 and parts[0] == "patient" else parts[0]
        record.service = record.component = component
        record.version = getattr(record, "version", self.version)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {"timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
               .replace("+00:00", "Z"), "level": record.levelname, "service": getattr(record, "service", "patient"),
               "component": getattr(record, "component", "patient"), "logger": record.name,
               "message": record.getMessage()}
        for key in _EXTRA:
            if getattr(record, key, None) is not None:
                out[key] = getattr(record, key)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def bounded_loki_handler(url: str, *, buffer: int, timeout: float = 5.0) -> logging.Handler:
    """loki-logger-handler, with what it lacks for a trading process: a bounded buffer (its queue is
    unbounded), a timeout on the push (it has none), and counts of what was dropped."""
    from loki_logger_handler.loki_logger_handler import LokiLoggerHandler

    class CountingQueue(queue.Queue):
        """The library's buffer, counting what its `_send` takes out: lines logged while a push is
        being built go into that push, so a count taken before the send undercounts."""

        taken = 0

        def get(self, *args, **kwargs):
            item = super().get(*args, **kwargs)
            self.taken += 1
            return item

    class BoundedLokiHandler(LokiLoggerHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.buffer = CountingQueue()
            self._send_lock = threading.Lock()  # the flush thread and close() may both send

        def emit(self, record):
            if self.buffer.qsize() >= buffer:
                DROPPED["loki"] += 1
                return
            super().emit(record)

        def _send(self):
            with self._send_lock:
                before = self.buffer.taken
                self.error = False
                super()._send()
                sent = self.buffer.taken - before  # read after the send: everything this push carried
                if self.error:
                    DROPPED["loki"] += sent
                else:
                    SHIPPED["loki"] += sent

        def handle_unexpected_error(self, e):
            self.error = True

    handler = BoundedLokiHandler(url=url.rstrip("/") + "/loki/api/v1/push", labels={"app": "patient"},
                                 label_keys={"service": "service"}, timeout=1, compressed=True)
    original = handler.request.session.post
    handler.request.session.post = lambda *a, **kw: original(*a, timeout=timeout, **kw)
    return handler


def rejected_count(info: dict, n: int) -> int:
    """How many of a PutLogEvents batch of `n` CloudWatch refused, from `rejectedLogEventsInfo`.

    CloudWatch accepts events from the last 14 days (and the retention period) up to 2 hours ahead,
    and answers the others by index: too old and expired at the front of the (sorted) batch, too
    new at the end. AWS documents the end indexes as exclusive, while moto reports the index of the
    last rejected event; counting that index as rejected errs toward "dropped", never "shipped"."""
    front = max((info[k] + 1 for k in ("tooOldLogEventEndIndex", "expiredLogEventEndIndex") if k in info), default=0)
    back = n - info["tooNewLogEventStartIndex"] if "tooNewLogEventStartIndex" in info else 0
    return min(n, front + max(0, back))


class CloudWatchHandler(logging.Handler):
    """Batched PutLogEvents, one log group per component (`<prefix>/<component>`), from a thread."""

    MAX_BATCH = 1000  # PutLogEvents takes at most 10,000 events / 1 MiB; stay well under

    def __init__(self, *, prefix: str, region: str | None, buffer: int, stream: str, flush_seconds: float = 2.0):
        super().__init__()
        self.prefix, self.region, self.stream = prefix.rstrip("/"), region, stream
        self.queue: queue.Queue = queue.Queue(maxsize=buffer)
        self.flush_seconds = flush_seconds
        self._client = None
        self._streams: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cloudwatch-logs", daemon=True)
        self._thread.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.queue.put_nowait((getattr(record, "component", "patient"), int(record.created * 1000),
                                   self.format(record)))
        except queue.Full:
            DROPPED["cloudwatch"] += 1

    def client(self):
        if self._client is None:
            import boto3  # honours AWS_ENDPOINT_URL (moto's server in tests)
            from botocore.config import Config

            self._client = boto3.client("logs", region_name=self.region,
                                        config=Config(connect_timeout=3, read_timeout=5, retries={"max_attempts": 2}))
        return self._client

    def _run(self) -> None:
        while not self._stop.is_set():
            self._stop.wait(self.flush_seconds)
            self.flush()

    def flush(self) -> None:
        batch: dict[str, list] = {}
        while True:
            try:
                component, ts, line = self.queue.get_nowait()
            except queue.Empty:
                break
            batch.setdefault(component, []).append({"timestamp": ts, "message": line})
        for component, events in batch.items():
            events.sort(key=lambda e: e["timestamp"])  # PutLogEvents wants them in order
            for i in range(0, len(events), self.MAX_BATCH):
                self._put(component, events[i:i + self.MAX_BATCH])

    def _put(self, component: str, events: list[dict]) -> None:
        group = f"{self.prefix}/{component}"
        try:
            client = self.client()
            if group not in self._streams:
                for call, kwargs in ((client.create_log_group, {"logGroupName": group}),
                                     (client.create_log_stream, {"logGroupName": group, "logStreamName": self.stream})):
                    try:
                        call(**kwargs)
                    except client.exceptions.ResourceAlreadyExistsException:
                        pass
                self._streams.add(group)
            resp = client.put_log_events(logGroupName=group, logStreamName=self.stream, logEvents=events)
            rejected = rejected_count(resp.get("rejectedLogEventsInfo") or {}, len(events))
            SHIPPED["cloudwatch"] += len(events) - rejected
            if rejected:
                DROPPED["cloudwatch"] += rejected
                sys.stderr.write(f"cloudwatch rejected {rejected} of {len(events)} lines (too old, too new or expired)\n")
        except Exception as exc:  # never let shipping reach trading
            DROPPED["cloudwatch"] += len(events)
            sys.stderr.write(f"cloudwatch shipping failed, {len(events)} lines dropped: {exc}\n")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.flush()
        super().close()


def setup(settings: PatientSettings, *, clock=None, stdout: bool = True, extra: list[logging.Handler] = ()) -> list:
    """Handlers on the `patient` logger; returns them (tests and the simulation close them)."""
    from patient_app.clock import Clock, ClockFilter

    formatter = JsonFormatter()
    handlers: list[logging.Handler] = list(extra)
    if stdout:
        handlers.append(logging.StreamHandler(sys.stdout))
    if settings.loki_url:
        handlers.append(bounded_loki_handler(settings.loki_url, buffer=settings.ship_buffer))
    if settings.cloudwatch_log_group_prefix:
        stream = f"patient-{settings.version}-{int(time.time())}"
        handlers.append(CloudWatchHandler(prefix=settings.cloudwatch_log_group_prefix, region=settings.aws_region,
                                          buffer=settings.ship_buffer, stream=stream))
    log = logging.getLogger("patient")
    log.setLevel(logging.INFO)
    log.propagate = False
    for h in list(log.handlers):
        log.removeHandler(h)
    for h in handlers:
        h.addFilter(ContextFilter(settings.version))
        h.addFilter(ClockFilter(clock or Clock()))
        if not hasattr(h, "label_keys"):  # loki-logger-handler formats its own JSON
            h.setFormatter(formatter)
        log.addHandler(h)
    return handlers
