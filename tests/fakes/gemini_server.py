"""A local Vertex AI `generateContent` endpoint, for driving the real google-genai client in tests.

Each request takes the next scripted reply: `answer(obj)` (a 200 with the JSON text as the
model's output), `truncated(thoughts)` (what a thinking model returns when its thoughts used
up `maxOutputTokens`: a candidate with no parts, `finishReason: MAX_TOKENS`), `status(code)`
(an error), `slow(seconds)` (answers after a delay). A model in `retired` answers 404 with
Vertex's NOT_FOUND body to every call, as a model past its retirement date does. Every request
is recorded with its path, headers and JSON body.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def answer(obj, prompt_tokens: int = 1200, output_tokens: int = 150, thoughts: int = 0) -> tuple:
    text = obj if isinstance(obj, str) else json.dumps(obj)
    usage = {"promptTokenCount": prompt_tokens, "candidatesTokenCount": output_tokens,
             "totalTokenCount": prompt_tokens + output_tokens + thoughts}
    if thoughts:
        usage["thoughtsTokenCount"] = thoughts
    return ("answer", {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}],
                       "usageMetadata": usage})


def truncated(thoughts: int, prompt_tokens: int = 1200) -> tuple:
    return ("answer", {"candidates": [{"content": {"role": "model"}, "finishReason": "MAX_TOKENS"}],
                       "usageMetadata": {"promptTokenCount": prompt_tokens, "thoughtsTokenCount": thoughts,
                                         "totalTokenCount": prompt_tokens + thoughts}})


def status(code: int) -> tuple:
    return ("status", code)


def slow(seconds: float) -> tuple:
    return ("slow", seconds)


class FakeGemini:
    def __init__(self, replies: list[tuple], *, chars_per_token: float = 4.0, retired: tuple[str, ...] = (),
                 known_models: set[str] | None = None) -> None:
        self.replies = list(replies)
        # Vertex answers 404 NOT_FOUND for a retired model and for one it does not know (when set).
        self.retired = retired
        self.known_models = known_models
        self.chars_per_token = chars_per_token  # how `countTokens` counts (a real tokenizer is denser for logs)
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                model = self.path.rsplit("/models/", 1)[-1].split(":", 1)[0]
                if model in fake.retired or (fake.known_models is not None and model not in fake.known_models):
                    return self._send(404, {"error": {"code": 404, "status": "NOT_FOUND", "message": (
                        f"Publisher Model `{self.path.split('/v1beta1/', 1)[-1].split(':', 1)[0]}` was not found or "
                        "your project does not have access to it. Please ensure you are using a valid model "
                        "version.")}})
                if self.path.endswith(":countTokens"):
                    text = "".join(p.get("text", "") for c in body.get("contents", []) for p in c.get("parts", []))
                    kind, value = "answer", {"totalTokens": int(len(text) / fake.chars_per_token)}
                else:
                    kind, value = fake.replies.pop(0) if fake.replies else ("status", 500)
                if kind == "slow":
                    time.sleep(value)
                    kind, value = answer({"summary": "late"})
                code, payload = (200, value) if kind == "answer" else (value, {"error": {
                    "code": value, "message": f"scripted {value}", "status": "UNAVAILABLE" if value >= 500 else
                    "RESOURCE_EXHAUSTED" if value == 429 else "INVALID_ARGUMENT"}})
                self._send(code, payload)

            def _send(self, code: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeGemini:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def bodies(self) -> str:
        return json.dumps([r["body"] for r in self.requests])

    @property
    def generations(self) -> list[dict]:
        return [r for r in self.requests if r["path"].endswith(":generateContent")]
