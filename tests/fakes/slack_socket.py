"""Slack's Socket Mode server, local: one WebSocket connection speaking Slack's documented envelopes
(https://api.slack.com/apis/socket-mode). It sends `hello`, then whatever the test queues with `send`,
and records what the app sends back (`received`); `ack` waits for an envelope's acknowledgement."""

from __future__ import annotations

import json
import threading
import time

from websockets.sync.server import serve


class SocketModeServer:
    """Slack's side of one Socket Mode connection: sends what the test queues, records what the app sends."""

    def __init__(self):
        self.outbox: list[dict] = []
        self.received: list[dict] = []
        self.connected = threading.Event()
        self._lock = threading.Lock()

        def handler(ws):
            ws.send(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {
                "host": "applink-local", "approximate_connection_time": 18060}, "connection_info": {"app_id": "A0001"}}))
            self.connected.set()
            while True:
                with self._lock:
                    pending, self.outbox = self.outbox, []
                for envelope in pending:
                    ws.send(json.dumps(envelope))
                try:
                    message = ws.recv(timeout=0.05)
                except TimeoutError:
                    continue
                except Exception:
                    return  # the app closed the connection
                if isinstance(message, str) and message.startswith("{"):
                    self.received.append(json.loads(message))

        self.server = serve(handler, "127.0.0.1", 0)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link/?ticket=t1&app_id=A0001"

    def send(self, envelope: dict) -> None:
        with self._lock:
            self.outbox.append(envelope)

    def ack(self, envelope_id: str, timeout: float = 30) -> dict:
        deadline = time.time() + timeout
        while time.time() < deadline:
            for m in self.received:
                if m.get("envelope_id") == envelope_id:
                    return m
            time.sleep(0.02)
        raise AssertionError(f"no acknowledgement of {envelope_id}")

    def close(self):
        self.server.shutdown()
