"""SNS message signatures (versions 1 and 2) and subscription confirmation.

The signing certificate is fetched only from an SNS host over https (the host pattern
is a setting so tests can name a loopback host), and cached by URL. A confirmation's
SubscribeURL is fetched only after the message's signature checked out.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from doctor.alerts.models import Rejected
from doctor.net import async_client

# The fields AWS signs, in this order, when present.
_NOTIFICATION_KEYS = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
_SUBSCRIPTION_KEYS = ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type")


def string_to_sign(message: dict) -> bytes:
    keys = _NOTIFICATION_KEYS if message.get("Type") == "Notification" else _SUBSCRIPTION_KEYS
    return "".join(f"{k}\n{message[k]}\n" for k in keys if message.get(k) is not None).encode()


class SnsVerifier:
    def __init__(self, *, host_pattern: str, require_https: bool = True, timeout: float = 5.0) -> None:
        self.host = re.compile(host_pattern)
        self.require_https = require_https
        self.timeout = timeout
        self._keys: dict[str, object] = {}  # certificate URL -> public key

    def check_url(self, url: str, *, what: str) -> None:
        parts = urlsplit(url or "")
        if parts.scheme != "https" and (self.require_https or parts.scheme != "http"):
            raise Rejected(403, f"{what} must be an https URL, not {url!r}")
        if not self.host.match(parts.hostname or ""):
            raise Rejected(403, f"{what} host {parts.hostname!r} is not an SNS host")

    async def verify(self, message: dict) -> None:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        version = str(message.get("SignatureVersion"))
        algorithm = {"1": hashes.SHA1, "2": hashes.SHA256}.get(version)
        if algorithm is None:
            raise Rejected(401, f"unknown SNS SignatureVersion {version!r}")
        for field in ("Signature", "SigningCertURL", "MessageId", "Timestamp", "TopicArn", "Message"):
            if not message.get(field):
                raise Rejected(401, f"SNS message has no {field}")
        self.check_url(message["SigningCertURL"], what="SigningCertURL")
        key = await self._public_key(message["SigningCertURL"])
        try:
            signature = base64.b64decode(message["Signature"], validate=True)
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
            return self._keys[url]
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
        self._keys[url] = cert.public_key()
        return self._keys[url]
