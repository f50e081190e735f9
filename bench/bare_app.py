"""The baseline for bench/ack.py: a FastAPI endpoint that only verifies Slack's signature."""

import os

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from slack_sdk.signature import SignatureVerifier

app = FastAPI()
verifier = SignatureVerifier(os.environ["SLACK_SIGNING_SECRET"])


@app.post("/slack/events")
async def events(request: Request):
    body = await request.body()
    if not verifier.is_valid_request(body, dict(request.headers)):
        return JSONResponse({"error": "invalid request"}, status_code=401)
    return JSONResponse({"response_type": "in_channel", "text": "ok"})
