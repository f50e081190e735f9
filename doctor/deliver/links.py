"""Signed, expiring links to incident report pages (the ones posted to Slack).

A link carries its expiry and an HMAC of the path and expiry under DOCTOR_REPORT_SIGNING_KEY;
incident ids are random (not guessable) besides. Without a configured key, a random one per
process is used: links then work only on the instance that made them (fine on a laptop).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from urllib.parse import urlencode

from doctor.config import Settings

log = logging.getLogger("doctor.web")

# Without a configured key, one random key per process, shared by the app and its in-process jobs.
_PROCESS_KEY = secrets.token_bytes(32)


class ReportLinks:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        if settings.report_signing_key:
            self._key = settings.report_signing_key.get_secret_value().encode()
        else:
            self._key = _PROCESS_KEY

    def _sign(self, path: str, expires: int) -> str:
        return hmac.new(self._key, f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def sign(self, path: str, *, ttl_seconds: float | None = None) -> str:
        """`path` (e.g. /incidents/abc) with `exp` and `sig` query parameters."""
        ttl = ttl_seconds if ttl_seconds is not None else self.settings.report_link_days * 86400
        expires = int(time.time() + ttl)
        return f"{path}?{urlencode({'exp': expires, 'sig': self._sign(path, expires)})}"

    def incident_url(self, incident_id: str | None) -> str | None:
        return self.url(f"/incidents/{incident_id}") if incident_id else None

    def url(self, path: str) -> str | None:
        """An absolute signed URL, when the service knows its own URL (DOCTOR_SERVICE_URL)."""
        if not self.settings.service_url:
            return None
        return self.settings.service_url.rstrip("/") + self.sign(path)

    def allows(self, path: str, *, exp: str | None, sig: str | None, authorization: str = "") -> bool:
        token = self.settings.report_token.get_secret_value() if self.settings.report_token else ""
        scheme, _, given = authorization.partition(" ")
        if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
        # ASCII digits, at most 12 (year 33658): "²" is a digit to str.isdigit but not to int(), and
        # int() of 5,000 digits raises; either was a 500.
        if not (exp and sig and exp.isascii() and exp.isdigit() and len(exp) <= 12) or int(exp) < time.time():
            return False
        return hmac.compare_digest(sig.encode(), self._sign(path, int(exp)).encode())
