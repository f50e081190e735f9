"""`POST /tasks/run`: where Cloud Tasks delivers a job, to run inside the request (where Cloud Run
gives it CPU).

The caller must present Google's OIDC token minted for the tasks service account, with this
service's URL as audience; the route is public (Slack needs the service open), so it checks
the token itself. 200 means finished (now or before, or a terminal failure already reported to
the user); any other status asks Cloud Tasks to retry.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from doctor.config import Settings
from doctor.deps import Deps

log = logging.getLogger("doctor.web")

GOOGLE_ISSUERS = ("accounts.google.com", "https://accounts.google.com")


class OidcVerifier:
    """Checks a Google-signed ID token: signature (Google's certs), expiry, audience, issuer, and
    that it was minted for the tasks service account with a verified email."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._request = None

    def __call__(self, token: str) -> dict:
        from google.auth import exceptions
        from google.auth.transport import requests as google_requests
        from google.oauth2 import id_token

        s = self.settings
        if self._request is None:
            self._request = google_requests.Request()  # a session whose cert fetches are cached by HTTP headers
        try:
            claims = id_token.verify_token(token, self._request, audience=s.service_url.rstrip("/"),
                                           certs_url=s.oidc_certs_url, clock_skew_in_seconds=10)
        except (ValueError, exceptions.GoogleAuthError) as exc:
            raise PermissionError(f"token rejected: {exc}") from None
        if claims.get("iss") not in GOOGLE_ISSUERS:
            raise PermissionError(f"token issuer {claims.get('iss')!r} is not Google")
        if claims.get("email") != s.tasks_service_account or not claims.get("email_verified"):
            raise PermissionError(f"token is for {claims.get('email')!r}, not the tasks service account")
        return claims


def router(deps: Deps, *, verify=None) -> APIRouter:
    settings = deps.settings
    api = APIRouter()
    verifier = verify or (OidcVerifier(settings) if settings.service_url and settings.tasks_service_account else None)

    @api.post("/tasks/run")
    async def run_task(request: Request):
        from doctor.jobs import JobSpec, execute

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
