"""A local Slack Web API as slack_sdk's WebClient calls it (JSON or form body): chat.postMessage,
auth.test (with the granted scopes in `x-oauth-scopes`, as Slack sends them) and apps.connections.open
(the Socket Mode URL; set `socket_url`). `tokens_allowed`, when set, is the tokens Slack would accept."""

from __future__ import annotations

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class SlackChat:
    def __init__(self):
        self.posts: list[dict] = []  # every chat.postMessage, with the ts it was given
        self.tokens: list[str | None] = []
        self.scopes = ["chat:write", "commands", "files:write", "usergroups:read"]
        self.tokens_allowed: set[str] | None = None
        self.socket_url = ""
        ts = itertools.count(1)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    body = json.loads(raw or b"{}")
                else:
                    body = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
                auth = self.headers.get("Authorization")
                outer.tokens.append(auth)
                method = self.path.split("?")[0].rsplit("/", 1)[-1]
                answer, headers = {"ok": True}, {}
                token = (auth or "").removeprefix("Bearer ")
                if outer.tokens_allowed is not None and token not in outer.tokens_allowed:
                    answer = {"ok": False, "error": "invalid_auth"}
                elif method == "chat.postMessage":
                    body["ts"] = f"1700000000.{next(ts):06d}"
                    outer.posts.append(body)
                    answer = {"ok": True, "channel": body.get("channel"), "ts": body["ts"]}
                elif method == "auth.test":
                    answer = {"ok": True, "url": "https://acme.slack.com/", "team": "Acme", "user": "cloud_doctor",
                              "team_id": "T0001", "user_id": "U0BOT", "bot_id": "B0BOT"}
                    headers["x-oauth-scopes"] = ",".join(outer.scopes)
                elif method == "apps.connections.open":
                    answer = {"ok": True, "url": outer.socket_url}
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
