"""Amazon Bedrock, local: the two REST calls `doctor check` makes (GetInferenceProfile on the control
plane, CountTokens on the runtime), with Bedrock's error shapes (`x-amzn-ErrorType`)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeBedrock:
    """Bedrock's two REST calls the check makes: GetInferenceProfile (control plane) and CountTokens (runtime)."""

    def __init__(self, profiles, *, invocable=True):
        self.paths = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, code, body, error=None):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                if error:
                    self.send_header("x-amzn-ErrorType", error)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                outer.paths.append(self.path)
                pid = self.path.rsplit("/", 1)[-1].replace("%3A", ":")
                if pid not in profiles:
                    return self._send(404, {"message": "The specified inference profile does not exist"},
                                      "ResourceNotFoundException")
                self._send(200, {"inferenceProfileId": pid, "inferenceProfileName": pid, "status": "ACTIVE",
                                 "type": "SYSTEM_DEFINED", "inferenceProfileArn": f"arn:aws:bedrock:::{pid}",
                                 "models": []})

            def do_POST(self):
                outer.paths.append(self.path)
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if not invocable:
                    return self._send(403, {"message": "You don't have access to the model with the specified "
                                                       "model ID."}, "AccessDeniedException")
                self._send(200, {"inputTokens": 8})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
