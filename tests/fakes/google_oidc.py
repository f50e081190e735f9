"""Google's side of Cloud Tasks' OIDC tokens, on loopback: a signing key, its certificate served
the way https://www.googleapis.com/oauth2/v1/certs serves it, and a token minter.

`TokenRelay` stands where Google's infrastructure stands between the queue and Cloud Run: it
takes a task's HTTP request (from the Cloud Tasks emulator, which attaches no token), adds an
OIDC token minted for the tasks service account, and forwards it to one of the app instances.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


class GoogleOidc:
    def __init__(self):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID

        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-kid-1"
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-google-oidc")])
        now = datetime.now(UTC)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(self.key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
                .not_valid_after(now + timedelta(days=1)).sign(self.key, hashes.SHA256()))
        self.pem_key = self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption())
        self.fetches = 0
        outer = self
        certs = json.dumps({self.kid: cert.public_bytes(serialization.Encoding.PEM).decode()}).encode()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                outer.fetches += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                # What Google sends: the certificates may be kept for hours.
                self.send_header("Cache-Control", "public, max-age=21600, must-revalidate, no-transform")
                self.send_header("Content-Length", str(len(certs)))
                self.end_headers()
                self.wfile.write(certs)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.certs_url = f"http://127.0.0.1:{self.server.server_address[1]}/oauth2/v1/certs"

    def mint(self, *, audience: str, email: str, issuer: str = "https://accounts.google.com",
             email_verified: bool = True, lifetime: int = 3600, key=None) -> str:
        from google.auth import crypt, jwt

        now = int(time.time())
        signer = crypt.RSASigner.from_string(key or self.pem_key, key_id=self.kid)
        payload = {"iss": issuer, "aud": audience, "sub": "1234567890", "email": email,
                   "email_verified": email_verified, "iat": now, "exp": now + lifetime}
        return jwt.encode(signer, payload).decode()

    def close(self):
        self.server.shutdown()


class TokenRelay:
    """Round-robins task deliveries over `targets`, each with a fresh OIDC token."""

    def __init__(self, oidc: GoogleOidc, *, audience: str | None = None, email: str, targets: list[str] | None = None):
        self.oidc, self.email, self.targets = oidc, email, list(targets or [])
        self.deliveries: list[tuple[str, int]] = []  # (target, status)
        self._next = itertools.count()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                target = outer.targets[next(outer._next) % len(outer.targets)]
                token = outer.oidc.mint(audience=outer.audience, email=outer.email)
                try:
                    resp = httpx.post(target + self.path, content=body, timeout=120, headers={
                        "Authorization": f"Bearer {token}", "Content-Type": "application/json",
                        "X-CloudTasks-TaskName": self.headers.get("X-CloudTasks-TaskName", "")})
                    status, data = resp.status_code, resp.content
                except httpx.HTTPError as exc:
                    status, data = 502, str(exc).encode()
                outer.deliveries.append((target, status))
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.audience = audience or self.url

    def close(self):
        self.server.shutdown()
