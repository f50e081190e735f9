"""The request body limit, enforced before the body is read.

Plain ASGI around the whole app: a declared Content-Length over the limit is answered 413 at
once, before a byte of the body is received (uvicorn then closes the connection rather than
drain it); a body without a length (chunked) is counted as it streams and refused the moment
it passes the limit. No route buffers more than `max_body_bytes` plus one chunk.
"""

from __future__ import annotations

import json


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        lengths = [v for k, v in scope.get("headers") or () if k == b"content-length"]
        if lengths:
            # One plain decimal; anything else is a malformed request (uvicorn's h11 refuses most of
            # these itself; httptools is more lenient).
            if len(lengths) > 1 or not lengths[0].isdigit() or len(lengths[0]) > 18:
                return await _answer(send, 400, "Content-Length is not one plain number")
            if int(lengths[0]) > self.max_bytes:
                return await _answer(send, 413, self._reason())
        received = 0
        started = False

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def watched(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if started:  # cannot happen for our routes (they read the body first); never answer twice
                raise
            await _answer(send, 413, self._reason())

    def _reason(self) -> str:
        return f"the request body is larger than {self.max_bytes:,} bytes (DOCTOR_MAX_BODY_BYTES)"


async def _answer(send, status: int, reason: str) -> None:
    body = json.dumps({"error": reason}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
