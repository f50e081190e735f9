"""SNS message signatures (versions 1 and 2) and subscription confirmation.

Everything that costs nothing is checked before anything is fetched: the fields, the
Timestamp (older than an hour is a replay), the signature's encoding, and the certificate URL's
documented form, `https://sns.<region>.amazonaws.com[.cn]/SimpleNotificationService-<hex>.pem`
with no query, userinfo or port (the host pattern is a setting so tests can name a loopback
host). Certificates are cached by URL, least recently used dropped past a bound. A
confirmation's SubscribeURL is fetched only after the message's signature checked out.
"""

from __future__ import annotations

import base64
import re
from collections import OrderedDict
from datetime import UTC, datetime
from urllib.parse import urlsplit

from doctor.alerts.models import Rejected
from doctor.net import async_client

# The fields AWS signs, in this order, when present.
_NOTIFICATION_KEYS = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
_CERT_PATH = re.compile(r"/SimpleNotificationService-[0-9a-fA-F]{1,64}\.pem")
_SUBSCRIPTION_KEYS = ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type")


def string_to_sign(message: dict) -> bytes:
    keys = _NOTIFICATION_KEYS if message.get("Type") == "Notification" else _SUBSCRIPTION_KEYS
    return "".join(f"{k}\n{message[k]}\n" for k in keys if message.get(k) is not None).encode()


class SnsVerifier:
    def __init__(self, *, host_pattern: str, require_https: bool = True, timeout: float = 5.0,
                 max_age_seconds: float = 3600.0, cache_size: int = 16) -> None:
        self.host = re.compile(host_pattern)
        self.require_https = require_https
        self.timeout = timeout
        self.max_age_seconds = max_age_seconds
        self.cache_size = cache_size
        self._keys: OrderedDict[str, object] = OrderedDict()  # certificate URL -> public key, most recent last

    def check_url(self, url: str, *, what: str, certificate: bool = False) -> None:
        try:
            parts = urlsplit(url or "")
            port = parts.port
        except ValueError:
            raise Rejected(403, f"{what} is not a URL") from None
        if parts.scheme != "https" and (self.require_https or parts.scheme != "http"):
            raise Rejected(403, f"{what} must be an https URL, not {url[:200]!r}")
        if not self.host.fullmatch(parts.hostname or ""):
            raise Rejected(403, f"{what} host {parts.hostname!r} is not an SNS host")
        if parts.username is not None or parts.password is not None or (port is not None and self.require_https):
            raise Rejected(403, f"{what} must not carry a user or a port")
        if certificate and (parts.query or parts.fragment or not _CERT_PATH.fullmatch(parts.path)):
            raise Rejected(403, f"{what} is not of SNS's form /SimpleNotificationService-<hex>.pem (no query)")

    def check_timestamp(self, stamp: str) -> None:
        try:
            when = datetime.fromisoformat(str(stamp)[:40].replace("Z", "+00:00"))
        except ValueError:
            raise Rejected(401, "SNS message Timestamp is not an ISO 8601 time") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        age = (datetime.now(UTC) - when).total_seconds()
        if age > self.max_age_seconds or age < -300:
            raise Rejected(401, f"SNS message Timestamp {stamp!r} is not within {self.max_age_seconds:g} s of now "
                           "(a replay?)")

    async def verify(self, message: dict) -> None:
        # lazy: cryptography's primitives load only when an SNS message is verified
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        version = str(message.get("SignatureVersion"))[:8]
        algorithm = {"1": hashes.SHA1, "2": hashes.SHA256}.get(version)
        if algorithm is None:
            raise Rejected(401, f"unknown SNS SignatureVersion {version!r}")
        for field in ("Signature", "SigningCertURL", "MessageId", "Timestamp", "TopicArn", "Message"):
            if not message.get(field) or not isinstance(message[field], str):
                raise Rejected(401, f"SNS message has no {field}")
        self.check_timestamp(message["Timestamp"])
        try:
            signature = base64.b64decode(message["Signature"], validate=True)
        except ValueError:
            raise Rejected(401, "SNS message Signature is not base64") from None
        self.check_url(message["SigningCertURL"], what="SigningCertURL", certificate=True)
        key = await self._public_key(message["SigningCertURL"])
        try:
            key.verify(signature, string_to_sign(message), padding.PKCS1v15(), algorithm())
        except (InvalidSignature, ValueError):
            raise Rejected(401, "SNS message signature does not verify") from None

    async def confirm(self, message: dict) -> None:
        """GET the SubscribeURL (the message's signature was checked by `verify` first)."""
        url = message.get("SubscribeURL", "")
        self.check_url(url, what="SubscribeURL")
        async with async_client(timeout=self.timeout, follow_redirects=False) as client:
            resp = await client.get(url)
        if resp.status_code != 200:
            raise RuntimeError(f"SNS refused the subscription confirmation: HTTP {resp.status_code}")

    async def _public_key(self, url: str):
        if url in self._keys:
            self._keys.move_to_end(url)
            return self._keys[url]
        # lazy: cryptography's primitives load only when an SNS message is verified
        from cryptography import x509

        async with async_client(timeout=self.timeout, follow_redirects=False) as client:
            resp = await client.get(url)
        if resp.status_code != 200:
            raise Rejected(401, f"could not fetch the SNS signing certificate: HTTP {resp.status_code}")
        try:
            cert = x509.load_pem_x509_certificate(resp.content)
        except ValueError:
            raise Rejected(401, "the SNS signing certificate is not a PEM certificate") from None
        now = datetime.now(UTC)
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
            raise Rejected(401, "the SNS signing certificate is expired or not yet valid")
        key = self._keys[url] = cert.public_key()
        while len(self._keys) > self.cache_size:
            self._keys.popitem(last=False)
        return key
