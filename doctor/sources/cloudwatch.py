"""CloudWatch Logs through boto3: FilterLogEvents, or Logs Insights when given a query.

boto3 is imported on first use, never at start-up. Credentials come from the
standard AWS chain (no keys in our config); `AWS_ENDPOINT_URL` is honoured by
botocore itself, which is how tests and local setups point at moto's server.
Calls run in a worker thread so the event loop never blocks on HTTP.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, ClassVar

from doctor.config import Settings
from doctor.models import LogRecord
from doctor.sources.base import Health, Limits, Selector, SourceError, Window, bounded_text

PAGE_EVENTS = 10_000  # FilterLogEvents' maximum
INSIGHTS_ROWS = 10_000
_THROTTLED = {"ThrottlingException", "Throttling", "TooManyRequestsException", "LimitExceededException",
              "ServiceUnavailableException"}


def _ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


def platform_pattern(lines: tuple[str, ...]) -> str:
    """A filter pattern that lets through every line containing one of `lines`: each as a quoted
    phrase (`?` = any of them). A quote cannot be escaped inside a phrase, so a match with quotes
    is narrowed by its longest quote-free part; the collector keeps only the exact matches."""
    terms = [max(m.split('"'), key=len) for m in lines]
    if not terms or not all(terms):
        return ""  # a match that is only quotes: no narrowing here
    if len(terms) == 1:
        return f'"{terms[0]}"'
    return " ".join(f'?"{t}"' for t in dict.fromkeys(terms))


# A map entry's log groups: FilterLogEvents reads one group per job, Logs Insights at most 50 at once;
# CloudWatch names a group in 1 to 512 characters.
MAX_GROUPS = 50
MAX_GROUP_CHARS = 512


def groups(selector: Selector) -> tuple[str, ...]:
    """The log groups the service map gives CloudWatch for the selector's service."""
    value = selector.logs.get(CloudWatchSource.name)
    return tuple(str(g) for g in value) if isinstance(value, tuple) else ()


class CloudWatchSource:
    name = "cloudwatch"
    title = "CloudWatch"
    settings_fields: ClassVar[tuple[str, ...]] = ("aws_region",)  # AWS_ENDPOINT_URL is botocore's own

    def __init__(self, *, region: str | None = None, endpoint_url: str | None = None, client: Any = None,
                 botocore_attempts: int = 3, backoff_base_s: float = 0.5, backoff_cap_s: float = 8.0) -> None:
        self.region = region
        self.endpoint_url = endpoint_url
        self._client = client
        self.botocore_attempts = botocore_attempts
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s

    @classmethod
    def from_settings(cls, settings: Settings, *, named: bool) -> CloudWatchSource | None:
        # Named explicitly, the SDK's own region (AWS_DEFAULT_REGION, the profile) may answer.
        return cls(region=settings.aws_region) if settings.aws_region or named else None

    @classmethod
    def parse_selector(cls, raw: object) -> tuple[str, ...]:
        """A list of log group names: `"cloudwatch": ["/ecs/patient/executor"]`."""
        if not isinstance(raw, (list, tuple)):
            raise ValueError(f"cloudwatch is a list of log group names, not {type(raw).__name__}")
        if len(raw) > MAX_GROUPS:
            raise ValueError(f"cloudwatch names at most {MAX_GROUPS} log groups, not {len(raw)}")
        return tuple(bounded_text(g, what="a log group name", max_chars=MAX_GROUP_CHARS) for g in raw)

    def configured_for(self, selector: Selector) -> bool:
        return bool(groups(selector))

    def target(self, selector: Selector) -> str:
        return ", ".join(groups(selector))

    def jobs(self, selector: Selector) -> list[Selector]:
        """One job per log group, so each job reads one group in time order (a Logs Insights query
        spans the groups itself)."""
        own = groups(selector)
        if selector.insights_query or len(own) < 2:
            return [selector]
        return [replace(selector, logs={**selector.logs, self.name: (g,)}) for g in own]

    @property
    def client(self) -> Any:
        if self._client is None:
            # lazy: boto3 costs ~1 s at import; only a run that reads CloudWatch needs it
            import boto3
            from botocore.config import Config

            self._client = boto3.client(
                "logs",
                region_name=self.region,
                endpoint_url=self.endpoint_url,
                config=Config(retries={"mode": "standard", "max_attempts": self.botocore_attempts},
                              connect_timeout=5, read_timeout=30),
            )
        return self._client

    async def _call(self, operation: str, what: str, **kwargs: Any) -> dict[str, Any]:
        """One API call; throttling is retried with capped exponential backoff and full jitter
        until the collector's deadline cancels us; other errors become a SourceError."""
        # lazy: botocore is a cloud SDK, kept out of start-up (tests/test_lazy_imports.py)
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        attempt = 0
        while True:
            try:
                client = self._client or await asyncio.to_thread(lambda: self.client)
                resp: dict[str, Any] = await asyncio.to_thread(getattr(client, operation), **kwargs)  # boto3 JSON
                return resp
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                message = exc.response.get("Error", {}).get("Message", "")
                if code in _THROTTLED:
                    attempt += 1
                    delay = random.uniform(0, min(self.backoff_cap_s, self.backoff_base_s * 2 ** attempt))
                    await asyncio.sleep(delay)
                    continue
                if code in ("AccessDeniedException", "AccessDenied", "UnauthorizedOperation"):
                    raise SourceError(f"the doctor's role cannot read {what} ({code}: {message})") from None
                if code == "ResourceNotFoundException":
                    raise SourceError(f"{what} does not exist in region {self._region_name()}") from None
                if code in ("MalformedQueryException", "InvalidParameterException"):
                    raise SourceError(f"CloudWatch rejected the request for {what}: {message}") from None
                raise SourceError(f"{operation} on {what} failed: {code}: {message}") from None
            except NoCredentialsError:
                raise SourceError("no AWS credentials found (environment, profile, or the instance's role)") from None
            except BotoCoreError as exc:
                raise SourceError(f"cannot reach CloudWatch Logs for {what}: {exc}") from None

    def _region_name(self) -> str:
        return self.region or getattr(getattr(self._client, "meta", None), "region_name", None) or "?"

    async def fetch(self, window: Window, selector: Selector, limits: Limits) -> AsyncIterator[list[LogRecord]]:
        if selector.insights_query:
            async for page in self._insights(window, selector):
                yield page
            return
        for group in groups(selector):
            async for page in self._filter(window, selector, group):
                yield page

    async def _filter(self, window: Window, selector: Selector, group: str) -> AsyncIterator[list[LogRecord]]:
        kwargs: dict[str, Any] = {
            "logGroupName": group,
            "startTime": _ms(window.start),
            "endTime": _ms(window.end) - 1,  # the API's end is inclusive, our window's is not
            "limit": PAGE_EVENTS,
        }
        if selector.query:
            kwargs["filterPattern"] = selector.query
        elif pattern := platform_pattern(selector.line_filter()):
            kwargs["filterPattern"] = pattern
        # One labels dict per stream, shared by its records (nothing downstream changes labels).
        labels: dict[str, dict[str, str]] = {}

        def stream_labels(stream: str) -> dict[str, str]:
            if stream not in labels:
                labels[stream] = {"service": selector.service, "log_group": group, "log_stream": stream}
            return labels[stream]

        while True:
            resp = await self._call("filter_log_events", f"log group {group}", **kwargs)
            events = resp.get("events", [])
            if events:
                yield [
                    LogRecord(datetime.fromtimestamp(e["timestamp"] / 1000, UTC), "cloudwatch",
                              e.get("message", "").rstrip("\n"), stream_labels(e.get("logStreamName", "")), None)
                    for e in events
                ]
            token = resp.get("nextToken")
            # Pages can be empty while more follow: keep going as long as there is a token.
            if not token or token == kwargs.get("nextToken"):
                return
            kwargs["nextToken"] = token

    async def _insights(self, window: Window, selector: Selector) -> AsyncIterator[list[LogRecord]]:
        names = list(groups(selector))
        what = f"log groups {', '.join(names)}"
        started = await self._call(
            "start_query", what, logGroupNames=names, startTime=int(window.start.timestamp()),
            endTime=int(window.end.timestamp()), queryString=selector.insights_query, limit=INSIGHTS_ROWS,
        )
        query_id = started["queryId"]
        finished = False
        try:
            delay = 0.25
            token = None
            while True:
                kwargs: dict[str, Any] = {"queryId": query_id}
                if token:
                    kwargs["nextToken"] = token
                resp = await self._call("get_query_results", what, **kwargs)
                status = resp.get("status")
                if status in ("Failed", "Cancelled", "Timeout", "Unknown"):
                    finished = True
                    raise SourceError(f"the Logs Insights query on {what} ended {status}")
                if status == "Complete":
                    found = [self._row(r, selector.service) for r in resp.get("results", [])]
                    rows = sorted((r for r in found if r is not None), key=lambda r: r.timestamp)
                    if rows:
                        yield rows
                    token = resp.get("nextToken")
                    if not token:
                        finished = True
                        return
                    continue
                await asyncio.sleep(delay)  # Scheduled or Running: poll with backoff
                delay = min(delay * 1.5, 5.0)
        finally:
            if not finished:
                # Cancelled by the deadline (or the consumer stopped): do not leave it running.
                try:
                    await asyncio.shield(self._stop(query_id))
                except Exception:  # best effort; the query times out on its own after 60 min
                    pass

    async def _stop(self, query_id: str) -> None:
        await asyncio.to_thread(self.client.stop_query, queryId=query_id)

    @staticmethod
    def _row(fields: list[dict[str, str]], service: str) -> LogRecord | None:
        row = {f.get("field"): f.get("value") for f in fields}
        stamp, message = row.get("@timestamp"), row.get("@message")
        if not stamp or message is None:
            return None
        try:
            ts = datetime.fromisoformat(stamp).replace(tzinfo=UTC)
        except ValueError:
            return None
        labels = {"service": service, "log_group": (row.get("@log") or "").split(":")[-1],
                  "log_stream": row.get("@logStream") or ""}
        return LogRecord(ts, "cloudwatch", message.rstrip("\n"), labels, None)

    async def health(self) -> Health:
        try:
            resp = await self._call("describe_log_groups", "log groups", limit=50)
        except SourceError as exc:
            return Health(False, str(exc))
        names = tuple(g["logGroupName"] for g in resp.get("logGroups", []))
        return Health(True, f"{len(names)} log group(s) visible in {self._region_name()}", names)
