"""A local Loki that speaks the documented HTTP API, for tests (no Loki binary runs here).

Implements what the doctor and loki-logger-handler use:
- `POST /loki/api/v1/push`: JSON body, optionally gzip; values `[ns, line]` or `[ns, line, metadata]`;
  an identical (ns, line) in a stream is stored once, as Loki does.
- `GET /loki/api/v1/query_range`: a stream selector with `=`, `!=`, `=~`, `!~`, then line filters
  `|=`, `!=`, `|~`, `!~`; `start` (inclusive) and `end` (exclusive) in ns or RFC3339; `limit`
  (default 100); `direction` (default backward); a limit above `max_entries` is a 400
  "max entries limit per query exceeded"; a bad query is a 400 "parse error".
- `GET /ready`, `GET /loki/api/v1/labels`.
- Load as Loki sheds it: at most `max_concurrent` queries run at once (the querier's
  `max_concurrent`, 4 by default since grafana/loki#10785), the others wait in a queue of at most
  `max_outstanding` (the query scheduler's `max_outstanding_requests_per_tenant`); a query beyond
  that is a 429 "too many outstanding requests" (grafana/loki#4613, #5123). `query_delay_s` makes
  each query cost that much wall time, as a query over many chunks does.
Optional auth: a required `X-Scope-OrgID` tenant and/or bearer token (401 otherwise).
"""

from __future__ import annotations

import bisect
import gzip
import json
import re
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

_MATCHER = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*')
_FILTER = re.compile(r'\s*(\|=|!=|\|~|!~)\s*"((?:[^"\\]|\\.)*)"')


class QueryError(ValueError):
    pass


def parse_logql(query: str):
    query = query.strip()
    if not query.startswith("{") or "}" not in query:
        raise QueryError(f'parse error : syntax error: unexpected input, expecting {{ in "{query}"')
    body, rest = query[1:query.index("}")], query[query.index("}") + 1:]
    matchers = []
    for part in filter(None, (p.strip() for p in _split(body))):
        m = _MATCHER.fullmatch(part)
        if not m:
            raise QueryError(f"parse error : bad matcher {part!r}")
        name, op, value = m.group(1), m.group(2), json.loads(f'"{m.group(3)}"')
        matchers.append((name, op, re.compile(value) if "~" in op else value))
    if not matchers:
        raise QueryError("parse error : queries require at least one matcher")
    filters, pos = [], 0
    while pos < len(rest):
        if not rest[pos:].strip():
            break
        m = _FILTER.match(rest, pos)
        if not m:
            raise QueryError(f"parse error : unexpected {rest[pos:].strip()!r}")
        op, value = m.group(1), json.loads(f'"{m.group(2)}"')
        filters.append((op, re.compile(value) if "~" in op else value))
        pos = m.end()
    return matchers, filters


def _split(body: str) -> list[str]:
    out, cur, quoted, esc = [], "", False, False
    for c in body:
        if esc:
            cur, esc = cur + c, False
            continue
        if c == "\\":
            cur, esc = cur + c, True
            continue
        if c == '"':
            quoted = not quoted
        if c == "," and not quoted:
            out.append(cur)
            cur = ""
        else:
            cur += c
    out.append(cur)
    return out


def _labels_match(labels: dict, matchers) -> bool:
    for name, op, value in matchers:
        actual = labels.get(name, "")
        if op == "=" and actual != value or op == "!=" and actual == value:
            return False
        if op == "=~" and not value.fullmatch(actual) or op == "!~" and value.fullmatch(actual):
            return False
    return True


def _line_match(line: str, filters) -> bool:
    for op, value in filters:
        if op == "|=" and value not in line or op == "!=" and value in line:
            return False
        if op == "|~" and not value.search(line) or op == "!~" and value.search(line):
            return False
    return True


def _ns(text: str | None, default: int) -> int:
    if not text:
        return default
    if text.isdigit():
        return int(text)
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return int(dt.timestamp()) * 1_000_000_000 + dt.microsecond * 1000


class FakeLoki:
    def __init__(self, *, max_entries: int = 5000, tenant: str | None = None, token: str | None = None,
                 max_concurrent: int = 4, max_outstanding: int = 100, query_delay_s: float = 0.0) -> None:
        self.max_entries = max_entries
        self.max_outstanding = max_outstanding
        self.query_delay_s = query_delay_s
        self.outstanding = 0  # queries queued or running
        self.rejected = 0  # queries answered 429
        self.querier = threading.BoundedSemaphore(max_concurrent)
        self.tenant = tenant
        self.token = token
        # stream key -> (labels, set of (ns, line), entries sorted by time or None when stale)
        self.streams: dict[str, list] = {}
        self.queries: list[dict] = []
        self.pushes = 0
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, code: int, body, content_type: str = "application/json") -> None:
                data = body if isinstance(body, bytes) else (json.dumps(body) if not isinstance(body, str) else body).encode()
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorized(self) -> bool:
                if fake.tenant and self.headers.get("X-Scope-OrgID") != fake.tenant:
                    self._send(401, "no org id\n", "text/plain")
                    return False
                if fake.token and self.headers.get("Authorization") != f"Bearer {fake.token}":
                    self._send(401, "unauthorized\n", "text/plain")
                    return False
                return True

            def do_POST(self):
                if urlparse(self.path).path != "/loki/api/v1/push":
                    return self._send(404, "not found\n", "text/plain")
                if not self._authorized():
                    return None
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                try:
                    payload = json.loads(raw)
                    fake.push(payload["streams"])
                except (ValueError, KeyError, TypeError) as exc:
                    return self._send(400, f"error parsing push: {exc}\n", "text/plain")
                return self._send(204, b"")

            def do_GET(self):
                url = urlparse(self.path)
                if url.path == "/ready":
                    return self._send(200, "ready\n", "text/plain")
                if not self._authorized():
                    return None
                if url.path == "/loki/api/v1/labels":
                    with fake.lock:
                        names = sorted({k for entry in fake.streams.values() for k in entry[0]})
                    return self._send(200, {"status": "success", "data": names})
                if url.path != "/loki/api/v1/query_range":
                    return self._send(404, "not found\n", "text/plain")
                q = {k: v[-1] for k, v in parse_qs(url.query).items()}
                with fake.lock:
                    if fake.outstanding >= fake.max_outstanding:
                        fake.rejected += 1
                        return self._send(429, "too many outstanding requests\n", "text/plain")
                    fake.outstanding += 1
                try:
                    with fake.querier:  # queued until a querier is free
                        fake.queries.append(q)
                        time.sleep(fake.query_delay_s)
                        body = fake.query_range(q)
                except QueryError as exc:
                    return self._send(400, f"{exc}\n", "text/plain")
                finally:
                    with fake.lock:
                        fake.outstanding -= 1
                return self._send(200, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeLoki:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def push(self, streams: list[dict]) -> None:
        with self.lock:
            self.pushes += 1
            for s in streams:
                labels = {k: str(v) for k, v in s["stream"].items()}
                key = json.dumps(labels, sort_keys=True)
                entry = self.streams.setdefault(key, [labels, set(), None])
                for value in s["values"]:
                    entry[1].add((int(value[0]), value[1]))
                entry[2] = None

    def query_range(self, q: dict) -> dict:
        matchers, filters = parse_logql(q.get("query", ""))
        limit = int(q.get("limit", "100"))
        if limit > self.max_entries:
            raise QueryError(f"max entries limit per query exceeded, limit > max_entries_limit_per_query "
                             f"({limit} > {self.max_entries})")
        end = _ns(q.get("end"), 2**63 - 1)
        start = _ns(q.get("start"), end - 3600 * 10**9)
        backward = q.get("direction", "backward") == "backward"
        picked = []
        with self.lock:
            for key, entry in self.streams.items():
                labels = entry[0]
                if not _labels_match(labels, matchers):
                    continue
                if entry[2] is None:
                    entry[2] = sorted(entry[1])
                ordered = entry[2]
                lo, hi = bisect.bisect_left(ordered, (start, "")), bisect.bisect_left(ordered, (end, ""))
                span = range(lo, hi) if not backward else range(hi - 1, lo - 1, -1)
                taken = 0
                for i in span:  # each stream contributes at most `limit` in the query's direction
                    ts, line = ordered[i]
                    if _line_match(line, filters):
                        picked.append((ts, key, line, labels))
                        taken += 1
                        if taken >= limit:
                            break
        picked.sort(key=lambda e: (e[0], e[1]), reverse=backward)
        picked = picked[:limit]
        by_stream: dict[str, dict] = {}
        for ts, key, line, labels in picked:
            by_stream.setdefault(key, {"stream": labels, "values": []})["values"].append([str(ts), line])
        return {"status": "success", "data": {"resultType": "streams", "result": list(by_stream.values()),
                                              "stats": {"summary": {"totalEntriesReturned": len(picked)}}}}


if __name__ == "__main__":  # a stand-alone process, for benchmarks: python -m tests.fakes.loki_server PORT
    import sys

    fake = FakeLoki(max_entries=5000)  # Loki's default limits
    fake.server.server_close()
    fake.server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), fake.server.RequestHandlerClass)
    print("ready", flush=True)
    fake.server.serve_forever()


class StuckLoki:
    """A Loki that accepts connections and never answers until released."""

    def __init__(self):
        self.release = threading.Event()
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                outer.release.wait(30)
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
