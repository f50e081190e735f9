"""Logs exported as one document (JSON, YAML or CSV) instead of one record a line: what the clouds' command lines,
APIs and consoles give.

`aws logs filter-log-events` and `get-log-events` (`{"events": [...]}`), a CloudWatch subscription's payload
(`{"logEvents": [...]}`), Logs Insights' `get-query-results` (`{"results": [[{"field", "value"}, ...]]}`), a log
search's results downloaded as CSV (a header naming a time and a message column: Logs Insights', Datadog's, Azure
Log Analytics', Splunk's; Windows Event Viewer's, whose description follows its named columns),
`gcloud logging read` (LogEntry objects as YAML documents, or a list of them with `--format=json`, or one as the
console copies it), `kubectl get events -o json` (`{"items": [...]}`),
Loki's `query_range` response (`{"data": {"result": [{"stream", "values"}]}}`), an Elasticsearch or OpenSearch search
response (`{"hits": {"hits": [{"_source"}]}}`) and a plain list of records. Each event becomes one JSON object in the
keys the file source reads a JSON line by: its time, its level where the export gives one, and its text under `log`
when the text is a whole line with a header of its own (a CloudWatch message, a Cloud Logging `textPayload`, a Loki
line), so that line's own header is read as a shipper's envelope is.

The document is parsed whole, so it is bounded (`MAX_DOCUMENT_BYTES`); a larger one is refused with the way out.
"""

from __future__ import annotations

import csv
import io
import json
import re
from itertools import islice
from typing import Any

import yaml

MAX_DOCUMENT_BYTES = 64 << 20
# The exporters' own bookkeeping, no part of the event: left out of the line the digest shows as an example.
_BOOKKEEPING = frozenset(("eventId", "ingestionTime", "insertId", "receiveTimestamp", "@ptr"))
_OPENERS = ("[{", '{"')  # on one line with more after it: an array of objects, an object with a key


# A log search's results downloaded as CSV (CloudWatch Logs Insights', Datadog's, Azure Log Analytics', Splunk's,
# Grafana's): a header row naming a time column and a message column, found by these names (compared in lower case).
_CSV_TIME = ("@timestamp", "timestamp", "time", "_time", "date", "datetime", "timegenerated", "timegenerated [utc]",
             "eventtime", "ts", "date and time")
_CSV_MESSAGE = ("@message", "message", "msg", "_raw", "log", "line", "log_s", "rendereddescription", "content")
_CSV_LEVEL = ("level", "severity", "status", "loglevel", "severitylevel", "log.level", "@level")
_CSV_HEADER_CHARS = 2000
# `gcloud logging read`'s default output: LogEntry objects as YAML documents, each opened by `---`.
_GCLOUD_YAML = re.compile(r"(?:---\n)?(?:[a-zA-Z]+:.*\n(?:[ -].*\n)*){0,40}?(?:insertId|logName): ")


def opens_document(head: str) -> bool:
    """Whether a file's first characters open one export document rather than JSON lines or text: a CSV header naming a
    time and a message column; `gcloud logging read`'s YAML; or a JSON first line that is a bracket or brace alone (a
    pretty-printed document), an unfinished object or array, or a whole array. A text line that opens with a bracket
    (`[2024-01-15 10:00:00] INFO …`) is none of these."""
    text = head.lstrip()
    if _csv_columns(text) is not None:
        return True
    if text[:1] not in "[{":
        return text[:1] in "-ijlrst" and _GCLOUD_YAML.match(text) is not None
    first = text.split("\n", 1)[0].strip()
    if first in ("[", "{"):
        return True
    if not first.startswith(_OPENERS):
        return False
    if "\n" not in text:  # a first line longer than the head: a minified array or a known export object
        return first.startswith(("[{", '{"events":', '{"logEvents":', '{"results":', '{"entries":'))
    try:
        value = json.loads(first)
    except (ValueError, RecursionError):
        # An object or array continued on indented lines (pretty-printed), not a JSON-lines file whose first record
        # is cut: its next line would open a record of its own.
        second = text.split("\n", 2)[1]
        return second[:1] in (" ", "\t", "}", "]", '"')
    # A whole array on one line (`jq -c`), or a whole export object with nothing after it.
    return isinstance(value, list) or (isinstance(value, dict) and _events_of(value) is not None
                                       and not text[len(text.split("\n", 1)[0]):].strip())


def event_lines(document: Any) -> list[str] | None:
    """One JSON line per event of an export `document` (parsed), or None when its shape is no export we know."""
    events = _events_of(document)
    return None if events is None else _as_lines(events)


def _as_lines(events: list[dict[str, Any]]) -> list[str]:
    # `default=str`: a YAML document's unquoted times arrive as datetimes
    return [json.dumps(e, ensure_ascii=False, separators=(",", ":"), default=str) for e in events]


def _events_of(doc: Any) -> list[dict[str, Any]] | None:
    if isinstance(doc, list):
        if doc and all(isinstance(e, dict) for e in doc):
            return [_event(e, whole_line="logStreamName" in e or "ingestionTime" in e) for e in doc]
        if doc and all(isinstance(e, list) for e in doc):
            return _insights(doc)
        return None
    if not isinstance(doc, dict):
        return None
    if "logName" in doc and ("textPayload" in doc or "jsonPayload" in doc):
        return [_event(doc)]  # one Cloud Logging entry, as the console copies it
    for key in ("events", "logEvents", "items", "entries"):
        found = doc.get(key)
        if isinstance(found, list) and found and all(isinstance(e, dict) for e in found):
            return [_event(e, whole_line=key in ("events", "logEvents")) for e in found]
    results = doc.get("results")
    if isinstance(results, list) and results and all(isinstance(r, list) for r in results):
        return _insights(results)
    data = doc.get("data")
    if isinstance(data, dict) and isinstance(data.get("result"), list):
        return _loki(data["result"])
    hits = doc.get("hits")
    if isinstance(hits, dict) and isinstance(hits.get("hits"), list):
        return [_event({**h.get("_source", {}), **({"_id": h["_id"]} if "_id" in h else {})})
                for h in hits["hits"] if isinstance(h, dict) and isinstance(h.get("_source"), dict)]
    return None


def _event(e: dict[str, Any], whole_line: bool = False) -> dict[str, Any]:
    """One exported event in the keys of a JSON log line. `whole_line`: its `message` is a whole line, its own header
    included (CloudWatch's events), as a Cloud Logging entry's `textPayload` always is."""
    if isinstance(e.get("involvedObject"), dict) and "reason" in e:  # a Kubernetes Event
        obj = e["involvedObject"]
        meta = e["metadata"] if isinstance(e.get("metadata"), dict) else {}
        when = e.get("lastTimestamp") or e.get("eventTime") or e.get("firstTimestamp") or meta.get("creationTimestamp")
        return {"time": when, "level": "warning" if e.get("type") == "Warning" else "info",
                "message": f"{e.get('reason')} {obj.get('kind', '')}/{obj.get('name', '')}: {e.get('message', '')}"}
    out = {k: v for k, v in e.items() if k not in _BOOKKEEPING}
    if isinstance(out.get("jsonPayload"), dict):  # Cloud Logging's structured entry: its payload's keys are the line's
        out.update(out.pop("jsonPayload"))
    if isinstance(out.get("textPayload"), str):
        out["log"] = out.pop("textPayload")
    elif whole_line and isinstance(out.get("message"), str) and "log" not in out:
        out["log"] = out.pop("message")
    return out


def _insights(rows: list[Any]) -> list[dict[str, Any]]:
    """Logs Insights' rows: each a list of `{"field": …, "value": …}`; `@message` is the whole line."""
    out = []
    for row in rows:
        fields = {f.get("field"): f.get("value") for f in row if isinstance(f, dict)}
        event: dict[str, Any] = {k.lstrip("@"): v for k, v in fields.items() if isinstance(k, str) and k != "@ptr"}
        if "message" in event:
            event["log"] = event.pop("message")
        out.append(event)
    return out


def _loki(result: list[Any]) -> list[dict[str, Any]]:
    """Loki's streams: each line with its nanosecond time, in time order across the streams."""
    out: list[tuple[str, dict[str, Any]]] = []
    for stream in result:
        if not isinstance(stream, dict) or not isinstance(stream.get("values"), list):
            continue
        for value in stream["values"]:
            if isinstance(value, list) and len(value) >= 2 and isinstance(value[1], str):
                out.append((str(value[0]), {"time": str(value[0]), "log": value[1]}))
    out.sort(key=lambda pair: (len(pair[0]), pair[0]))
    return [event for _, event in out]


def _csv_columns(text: str) -> tuple[int, int, int | None] | None:
    """The time, message and level columns of a CSV export's header row (its first line), or None when the first line
    names no time and message column."""
    first = text[:_CSV_HEADER_CHARS].split("\n", 1)[0]
    if "," not in first or first[:1] in "[{":
        return None
    try:
        names = [n.strip().lower() for n in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return None
    when = next((names.index(n) for n in _CSV_TIME if n in names), None)
    what = next((names.index(n) for n in _CSV_MESSAGE if n in names), None)
    level = next((names.index(n) for n in _CSV_LEVEL if n in names), None)
    if what is None and names[-1:] == ["task category"] and "event id" in names:
        what = len(names)  # Windows Event Viewer's "Save as CSV": each row's description follows, unnamed
    return None if when is None or what is None else (when, what, level)


def _csv_events(text: str, when: int, what: int, level: int | None) -> list[str] | None:
    """One JSON line per row of a CSV export: its time, its message as a whole line (under `log`), its level."""
    events = []
    try:
        for row in islice(csv.reader(io.StringIO(text)), 1, None):
            if len(row) <= max(when, what):
                continue
            event = {"time": row[when], "log": row[what]}
            if level is not None and level < len(row) and row[level]:
                event["level"] = row[level]
            events.append(event)
    except csv.Error:  # a field over the csv module's limit, a quote never closed: read as lines
        return None
    return _as_lines(events)


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors and aliases: no exporter writes them, and an alias nested in aliases expands
    exponentially when the events are written out as JSON."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("an alias in a log export")
        return super().compose_node(parent, index)


def read_document(text: str) -> list[str] | None:
    """The event lines (one JSON object each) of an export document's whole text, or None when it is no export we know
    (read it as lines)."""
    columns = _csv_columns(text.lstrip())
    if columns is not None:
        return _csv_events(text.lstrip(), *columns)
    if text.lstrip()[:1] in "[{":
        try:
            document: Any = json.loads(text)
        except (ValueError, RecursionError):  # nested deeper than a parser's stack: no export, read as lines
            return None
    else:
        try:
            document = [d for d in yaml.load_all(text, Loader=_NoAliases) if d is not None]
        except (yaml.YAMLError, RecursionError):
            return None
        if not all(isinstance(d, dict) and "logName" in d for d in document):
            return None
    return event_lines(document)
