"""Grafana Loki through its HTTP API (`GET /loki/api/v1/query_range`).

Paging: Loki returns at most `limit` entries per query (and rejects a limit over
its `max_entries_limit_per_query`, 5,000 by default, with a 400). We query
forward; when a page is full, the next query starts *at* the last timestamp
seen (start is inclusive) and the entries at that timestamp already delivered
are skipped, so lines that share a nanosecond are neither lost nor repeated.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import httpx

from doctor.config import Settings
from doctor.digest.header import LEVELS
from doctor.models import Level, LogRecord
from doctor.net import async_client
from doctor.sources.base import Health, Limits, Selector, SourceError, Window, bounded_text

QUERY_PATH = "/loki/api/v1/query_range"
MAX_SELECTOR_CHARS = 4096  # a map entry's LogQL selector (the query with the user's filter goes in a URL)
RETRY_STATUSES = frozenset({429, 502, 503})  # load shed, not a verdict on the query


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _ns(dt: datetime) -> int:
    return int(dt.timestamp()) * 1_000_000_000 + dt.microsecond * 1000


def stream_selector(selector: Selector) -> str | None:
    """The LogQL stream selector the service map gives Loki for the selector's service."""
    value = selector.logs.get(LokiSource.name)
    return value if isinstance(value, str) else None


def logql(selector: Selector) -> str:
    """The selector from the service map, with the user's free text as a line filter."""
    query = stream_selector(selector) or "{}"
    if selector.query:
        query += " |= " + json.dumps(selector.query)
    lines = selector.line_filter()  # a platform stream: the lines naming its services
    if len(lines) == 1:
        query += " |= " + json.dumps(lines[0])
    elif lines:  # any of them: an RE2 alternation of literals (Go's regexp takes every escape re.escape makes)
        query += " |~ " + json.dumps("|".join(re.escape(m) for m in lines))
    return query


def parse_line(line: str) -> tuple[str, Level | None]:
    """(message, level) of a line: JSON lines as loki-logger-handler and structlog write them
    are unwrapped; anything else is kept as it is."""
    if line[:1] != "{":
        return line, None
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):  # nested deeper than the parser's stack: kept as it is
        return line, None
    if not isinstance(obj, dict):
        return line, None
    message = obj.get("message", obj.get("msg"))
    if not isinstance(message, str):
        return line, None
    level = obj.get("level") or obj.get("levelname") or obj.get("severity")
    stack = obj.get("stacktrace") or obj.get("exc_info")
    if isinstance(stack, str) and stack.strip():
        # The exception's last line names it: keep it with the message, as a file's traceback is.
        message = f"{message} | {stack.strip().splitlines()[-1]}"
    return message, LEVELS.get(str(level).upper()) if level else None


class LokiSource:
    name = "loki"
    title = "Loki"
    settings_fields: ClassVar[tuple[str, ...]] = ("loki_url", "loki_tenant", "loki_username", "loki_password",
                                                  "loki_token", "loki_page_size")

    def __init__(self, *, url: str, tenant: str | None = None, username: str | None = None,
                 password: str | None = None, token: str | None = None, page_size: int = 5000,
                 timeout_s: float = 15.0, transport: httpx.AsyncBaseTransport | None = None,
                 attempts: int = 6, backoff_base_s: float = 0.5, backoff_cap_s: float = 8.0) -> None:
        headers = {"X-Scope-OrgID": tenant} if tenant else {}
        auth = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif username and password:
            auth = httpx.BasicAuth(username, password)
        self.url = url.rstrip("/")
        self.page_size = page_size
        self.attempts = attempts
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self._client_args = {"base_url": self.url, "headers": headers, "auth": auth,
                             "timeout": httpx.Timeout(timeout_s), "transport": transport}

    @classmethod
    def from_settings(cls, settings: Settings, *, named: bool) -> LokiSource | None:
        if not settings.loki_url:
            return None
        return cls(url=settings.loki_url, tenant=settings.loki_tenant, username=settings.loki_username,
                   password=settings.loki_password.get_secret_value() if settings.loki_password else None,
                   token=settings.loki_token.get_secret_value() if settings.loki_token else None,
                   page_size=settings.loki_page_size)

    @classmethod
    def parse_selector(cls, raw: object) -> str:
        """A LogQL stream selector, `'{service="executor"}'` (Loki itself checks its syntax)."""
        return bounded_text(raw, what="loki (a LogQL stream selector)", max_chars=MAX_SELECTOR_CHARS)

    def configured_for(self, selector: Selector) -> bool:
        return bool(stream_selector(selector))

    def target(self, selector: Selector) -> str:
        return stream_selector(selector) or ""

    def jobs(self, selector: Selector) -> list[Selector]:
        return [selector]

    async def _get(self, client: httpx.AsyncClient, path: str, params: dict[str, str] | None = None) -> httpx.Response:
        try:
            return await client.get(path, params=params)
        except httpx.TimeoutException:
            raise SourceError(f"Loki at {self.url} did not answer in time") from None
        except httpx.HTTPError as exc:
            raise SourceError(f"cannot reach Loki at {self.url}: {exc}") from None

    async def _query(self, client: httpx.AsyncClient, params: dict[str, str]) -> httpx.Response:
        """One query_range call. A busy Loki sheds load: its query scheduler answers 429 "too many
        outstanding requests" once a tenant's queue is full (grafana/loki#4613, #5123), a gateway 502
        or 503. Those are retried with capped exponential backoff and full jitter (`Retry-After` when
        given); after `attempts` the slice fails with the reason, and the collector's deadline stops
        the retries sooner if it comes first. Either way the answer states what was read."""
        attempt = 0
        while True:
            resp = await self._get(client, QUERY_PATH, params)
            attempt += 1
            if resp.status_code not in RETRY_STATUSES:
                return resp
            reason = f"{resp.status_code} {resp.text.strip()[:120]}".strip()
            if attempt >= self.attempts:
                raise SourceError(f"Loki at {self.url} is overloaded: it answered {reason} to {attempt} tries")
            delay = random.uniform(0, min(self.backoff_cap_s, self.backoff_base_s * 2 ** attempt))
            retry_after = resp.headers.get("Retry-After", "")
            if retry_after.isdigit():
                delay = max(delay, min(float(retry_after), self.backoff_cap_s))
            await asyncio.sleep(delay)

    async def fetch(self, window: Window, selector: Selector, limits: Limits) -> AsyncIterator[list[LogRecord]]:
        query = logql(selector)
        start, end = _ns(window.start), _ns(window.end)
        limit = self.page_size
        seen_at_start: set[tuple[str, str]] = set()  # (stream, line) already delivered at `start`
        async with async_client(**self._client_args) as client:
            while start < end:
                params = {"query": query, "start": str(start), "end": str(end), "limit": str(limit),
                          "direction": "forward"}
                resp = await self._query(client, params)
                if resp.status_code == 400 and "max entries" in resp.text and limit > 100:
                    limit = max(100, limit // 2)  # the server's cap is lower than ours
                    continue
                if resp.status_code == 400:
                    raise SourceError(f"Loki rejected the query {query}: {resp.text.strip()[:300]}")
                if resp.status_code in (401, 403):
                    raise SourceError(f"Loki refused the doctor's credentials ({resp.status_code})")
                if resp.status_code != 200:
                    raise SourceError(f"Loki answered {resp.status_code}: {resp.text.strip()[:200]}")
                entries = _entries(resp.json(), selector.service)
                fresh = [e for e in entries if not (e[0] == start and (e[1], e[2]) in seen_at_start)]
                if fresh:
                    yield [self._record(ts, line, labels) for ts, _, line, labels in fresh]
                if len(entries) < limit:
                    return
                last = entries[-1][0]
                if last == start and not fresh:
                    raise SourceError(f"more than {limit} lines share one nanosecond at {last}; "
                                      "Loki cannot page past them")
                seen_at_start = {(e[1], e[2]) for e in entries if e[0] == last} | (
                    seen_at_start if last == start else set())
                start = last

    @staticmethod
    def _record(ts: int, line: str, labels: dict[str, str]) -> LogRecord:
        message, level = parse_line(line)
        return LogRecord(_EPOCH + timedelta(microseconds=ts // 1000), "loki", message, labels, level)

    async def health(self) -> Health:
        async with async_client(**self._client_args) as client:
            try:
                ready = await self._get(client, "/ready")
                labels = await self._get(client, "/loki/api/v1/labels")
            except SourceError as exc:
                return Health(False, str(exc))
        if ready.status_code != 200:
            return Health(False, f"Loki at {self.url} is not ready ({ready.status_code})")
        names = tuple(labels.json().get("data", [])) if labels.status_code == 200 else ()
        return Health(True, f"Loki at {self.url} is ready", names)


def _entries(payload: dict[str, Any], service: str) -> list[tuple[int, str, str, dict[str, str]]]:
    """(ns, stream key, line, labels) of every entry, in time order; a stream's records share its
    labels (with `service` from the service map unless the stream has its own)."""
    data = payload.get("data", {})
    if data.get("resultType") not in (None, "streams"):
        raise SourceError(f"expected log streams, Loki returned {data.get('resultType')} (use a log query)")
    out = []
    for stream in data.get("result", []):
        labels = {"service": service, **stream.get("stream", {})}
        key = json.dumps(stream.get("stream", {}), sort_keys=True)
        for value in stream.get("values", []):
            out.append((int(value[0]), key, value[1], labels))
    out.sort(key=lambda e: (e[0], e[1]))
    return out
