"""`POST /tasks/run`: where Cloud Tasks delivers a job, to run inside the request (where Cloud Run
gives it CPU).

The caller must present Google's OIDC token minted for the tasks service account, with this
service's URL as audience; the route is public (Slack needs the service open), so it checks
the token itself. 200 means finished (now or before, or a terminal failure already reported to
the user); any other status asks Cloud Tasks to retry.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from doctor.config import Settings
from doctor.deps import Deps
from doctor.jobs import JobSpec, execute
from doctor.jobs.spec import rounds_spec
from doctor.web import schema

log = logging.getLogger("doctor.web")

GOOGLE_ISSUERS = ("accounts.google.com", "https://accounts.google.com")


class OidcVerifier:
    """Checks a Google-signed ID token: signature (Google's certs), expiry, audience, issuer, and
    that it was minted for the tasks service account with a verified email.

    Google's certificates are kept as long as their Cache-Control max-age says (hours): google-auth's
    `verify_token` fetches them on every call, so any bearer token, valid or not, cost a request to
    Google. A token naming a key id we do not hold refetches at most once a minute (Google rotates)."""

    REFETCH_UNKNOWN_KID_SECONDS = 60.0

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._request: Any = None  # google.auth.transport.requests.Request, made on first use
        self._certs: dict = {}
        self._expires = 0.0  # monotonic
        self._fetched = -1e9
        self._lock = threading.Lock()

    def __call__(self, token: str) -> dict:
        # lazy: Google's auth, gRPC and Cloud Tasks stacks cost about a second; only their users pay it
        from google.auth import exceptions, jwt

        s = self.settings
        try:
            if len(token) > 8192:
                raise ValueError("longer than any Google ID token")
            header = jwt.decode_header(token)
            certs = self._current_certs(header.get("kid") if isinstance(header, dict) else None)
            claims = jwt.decode(token, certs=certs, audience=(s.service_url or "").rstrip("/"), clock_skew_in_seconds=10)
        except (ValueError, exceptions.GoogleAuthError) as exc:
            raise PermissionError(f"token rejected: {str(exc)[:300]}") from None
        if claims.get("iss") not in GOOGLE_ISSUERS:
            raise PermissionError(f"token issuer {str(claims.get('iss'))[:100]!r} is not Google")
        if claims.get("email") != s.tasks_service_account or not claims.get("email_verified"):
            raise PermissionError(f"token is for {str(claims.get('email'))[:100]!r}, not the tasks service account")
        return claims

    def _current_certs(self, kid) -> dict:
        with self._lock:  # concurrent deliveries wait for one fetch rather than each making their own
            now = time.monotonic()
            stale = now >= self._expires
            unknown = kid not in self._certs and now - self._fetched >= self.REFETCH_UNKNOWN_KID_SECONDS
            if stale or unknown:
                self._certs, max_age = self._fetch()
                self._fetched, self._expires = now, now + max_age
            return self._certs

    def _fetch(self) -> tuple[dict, float]:
        # lazy: Google's auth, gRPC and Cloud Tasks stacks cost about a second; only their users pay it
        from google.auth import exceptions
        from google.auth.transport import requests as google_requests

        if self._request is None:
            self._request = google_requests.Request()
        resp = self._request(self.settings.oidc_certs_url, method="GET")
        if resp.status != 200:
            raise exceptions.TransportError(f"could not fetch Google's certificates: HTTP {resp.status}")
        try:
            certs = json.loads(resp.data)
        except ValueError:
            raise exceptions.TransportError("Google's certificates are not JSON") from None
        if not isinstance(certs, dict) or "keys" in certs:
            raise exceptions.TransportError("expected Google's x509 certificate map (oauth2/v1/certs)")
        return certs, max_age(resp.headers.get("cache-control", ""))


def max_age(cache_control: str) -> float:
    """Seconds from a Cache-Control header's max-age (0 when absent, no-cache or no-store)."""
    directives = [d.strip().lower() for d in cache_control.split(",")]
    if "no-cache" in directives or "no-store" in directives:
        return 0.0
    for d in directives:
        name, _, value = d.partition("=")
        if name == "max-age" and value.strip().isdigit() and len(value.strip()) <= 9:
            return float(value.strip())
    return 0.0


# The doctor's rounds: Cloud Scheduler posts the same body every time ({"kind": "rounds", "key": "",
# "args": {}}); the round's time, hence its idempotency key, comes from the schedule time it sends
# (X-CloudScheduler-ScheduleTime, RFC 3339 UTC), or from the clock floored to the interval.

def scheduled_round(spec: JobSpec, schedule_time: str | None, settings: Settings) -> JobSpec:
    at = datetime.now(UTC)
    if schedule_time:
        try:
            if len(schedule_time) > 64:
                raise ValueError("too long")
            at = datetime.fromisoformat(schedule_time.strip().replace("Z", "+00:00"))
            if at.tzinfo is None:
                raise ValueError("no time zone")
            if not 2000 <= at.astimezone(UTC).year <= 2100:
                raise ValueError("not a time this service schedules")
        except ValueError as exc:
            raise ValueError(f"X-CloudScheduler-ScheduleTime is not an RFC 3339 time: {exc}") from None
    services = spec.args.get("services")
    if services is not None and not (isinstance(services, list) and all(isinstance(x, str) for x in services)):
        raise ValueError("rounds: services must be a list of service names")
    unknown = [str(x)[:100] for x in services or () if x not in settings.services]
    if unknown:  # the body's list is bounded by the map, not by what a caller writes
        raise ValueError(f"rounds: unknown service(s) {', '.join(unknown[:5])}; the service map knows: "
                         f"{', '.join(sorted(settings.services))}")
    return rounds_spec(at, settings=settings, services=services or None)


def router(deps: Deps, *, verify=None) -> APIRouter:
    settings = deps.settings
    api = APIRouter()
    verifier = verify or (OidcVerifier(settings) if settings.service_url and settings.tasks_service_account else None)

    @api.post("/tasks/run", openapi_extra=schema.TASKS_RUN)
    async def run_task(request: Request):
        if verifier is None:
            return JSONResponse({"error": "DOCTOR_SERVICE_URL and DOCTOR_TASKS_SERVICE_ACCOUNT are not set: "
                                          "no task is accepted"}, status_code=401)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return JSONResponse({"error": "missing bearer token"}, status_code=401)
        try:
            await asyncio.to_thread(verifier, token.strip())
        except PermissionError as exc:
            return JSONResponse({"error": str(exc)}, status_code=401)
        try:
            spec = JobSpec.from_json(await request.body())
            if spec.kind == "rounds" and not spec.args.get("at"):
                spec = scheduled_round(spec, request.headers.get("x-cloudscheduler-scheduletime"), settings)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        job = deps.store().get_job(spec.key)
        if job and job["status"] in ("done", "failed"):
            return JSONResponse({"job": spec.key, "status": job["status"], "ran": False})
        status, ran = await execute(spec, settings=settings, store=deps.store())
        if status == "running":  # another delivery holds it: ask Cloud Tasks to come back later
            return JSONResponse({"job": spec.key, "status": "running elsewhere"}, status_code=409)
        return JSONResponse({"job": spec.key, "status": status, "ran": ran})

    return api
