"""Slack's HTTP side, local: the Web API as slack_sdk's WebClient calls it, and a response_url.

`SlackWebAPI` answers chat.postMessage (with a ts per message), auth.test (with the granted scopes in
`x-oauth-scopes`, as Slack sends them), apps.connections.open (the Socket Mode URL; set `socket_url`),
usergroups.users.list (the `members` given), views.open (each opened view in `views`; a trigger_id
works once, as Slack's does: `exchanged_trigger_id` the second time) and the external file upload
(files.getUploadURLExternal, the upload itself, files.completeUploadExternal, files.info). It records
every call: `posts` (each
chat.postMessage body, with the ts it was given), `tokens` (each Authorization header), `calls`
((path, Authorization)) and `bodies` ((path, raw body)). `tokens_allowed`, when set, is the tokens Slack
would accept. `SlackResponses` stands in for a response_url and records every message posted to it."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


def _body(raw: bytes, content_type: str) -> dict:
    """A Web API call's arguments: JSON or form encoded, as WebClient sends them."""
    if content_type.startswith("application/json"):
        return json.loads(raw or b"{}")
    return {k: v[-1] for k, v in parse_qs(raw.decode()).items()}


class SlackWebAPI:
    def __init__(self, members: Iterable[str] = ()):
        self.posts: list[dict] = []  # every chat.postMessage, with the ts it was given
        self.views: list[dict] = []  # every views.open: {"trigger_id": ..., "view": {...}}
        self.tokens: list[str | None] = []
        self.calls: list[tuple[str, str | None]] = []
        self.bodies: list[tuple[str, bytes]] = []
        self.members = list(members)
        self.scopes = ["chat:write", "commands", "files:write", "usergroups:read"]
        self.tokens_allowed: set[str] | None = None
        self.socket_url = ""
        ts = itertools.count(1)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                self.do_POST()

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                auth = self.headers.get("Authorization")
                outer.bodies.append((self.path, raw))
                outer.calls.append((self.path, auth))
                outer.tokens.append(auth)
                method = self.path.split("?")[0].rsplit("/", 1)[-1]
                answer, headers = {"ok": True}, {}
                token = (auth or "").removeprefix("Bearer ")
                if outer.tokens_allowed is not None and token not in outer.tokens_allowed:
                    answer = {"ok": False, "error": "invalid_auth"}
                elif method == "chat.postMessage":
                    body = _body(raw, self.headers.get("Content-Type", ""))
                    body["ts"] = f"1700000000.{next(ts):06d}"
                    outer.posts.append(body)
                    answer = {"ok": True, "channel": body.get("channel"), "ts": body["ts"]}
                elif method == "auth.test":
                    answer = {"ok": True, "url": "https://acme.slack.com/", "team": "Acme", "user": "cloud_doctor",
                              "team_id": "T0001", "user_id": "U0BOT", "bot_id": "B0BOT"}
                    headers["x-oauth-scopes"] = ",".join(outer.scopes)
                elif method == "apps.connections.open":
                    answer = {"ok": True, "url": outer.socket_url}
                elif method == "views.open":
                    body = _body(raw, self.headers.get("Content-Type", ""))
                    view = json.loads(body["view"]) if isinstance(body.get("view"), str) else body.get("view")
                    trigger = body.get("trigger_id")
                    if any(v["trigger_id"] == trigger for v in outer.views):
                        answer = {"ok": False, "error": "exchanged_trigger_id"}
                    else:
                        outer.views.append({"trigger_id": trigger, "view": view})
                        answer = {"ok": True, "view": {**view, "id": f"V{next(ts):07d}"}}
                elif method == "usergroups.users.list":
                    answer = {"ok": True, "users": outer.members}
                elif method == "files.getUploadURLExternal":
                    answer = {"ok": True, "upload_url": outer.url.replace("/api/", "/upload/F0FIX"), "file_id": "F0FIX"}
                elif method == "files.completeUploadExternal":
                    answer = {"ok": True, "files": [{"id": "F0FIX", "title": "fix.patch"}]}
                elif method == "files.info":
                    answer = {"ok": True, "file": {"id": "F0FIX", "name": "fix.patch"}}
                data = json.dumps(answer).encode()
                self.send_response(200)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def wait(self, n: int, timeout: float = 60) -> list[dict]:
        deadline = time.time() + timeout
        while len(self.posts) < n and time.time() < deadline:
            time.sleep(0.05)
        return self.posts

    def close(self) -> None:
        self.server.shutdown()


class SlackResponses:
    """Stands in for Slack's response_url: records every message posted to it."""

    def __init__(self):
        self.messages = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                outer.messages.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/commands/T1/123/abc"

    def wait(self, n=1, timeout=60):
        deadline = time.time() + timeout
        while len(self.messages) < n and time.time() < deadline:
            time.sleep(0.05)
        return self.messages

    def close(self) -> None:
        self.server.shutdown()
