"""Secret redaction: the first thing that happens to every line from every source.

A secret becomes a typed placeholder, `<SECRET:aws_access_key:1a2b>`, whose
suffix is a keyed hash of the secret: the same secret maps to the same
placeholder within one run (so "the same key failed 40 times" stays visible),
and the key is random per run, so placeholders cannot be brute-forced back.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections import Counter
from dataclasses import dataclass, field

_KEYWORD = (
    r"(?<![<\w])(?<!SECRET:)(?i:\w*?(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|"
    r"private[_-]?key|signature)|pwd)"
)
# (kind, gate, pattern, group holding the secret: 0 = the whole match).
# The gate is a few lowercase literals; a rule's regex runs only on a line that
# contains one of them, so the common line costs one lower() and a few `in` tests.
_PATTERNS: list[tuple[str, tuple[str, ...], str, int]] = [
    ("private_key", ("-----begin",),
     r"-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[\s\S]*)", 0),
    ("aws_access_key", ("akia", "asia", "agpa", "aida", "aroa", "aipa", "anpa", "anva"),
     r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b", 0),
    ("aws_secret_key", ("secret",),
     r"(?i:aws_?secret_?(?:access_?)?key)[\"']?\s*[:=]\s*[\"']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])", 1),
    ("slack_token", ("xox",), r"\bxox[abposre]-[A-Za-z0-9-]{10,}", 0),
    ("slack_webhook", ("hooks.slack",), r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+", 0),
    ("github_token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
     r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})", 0),
    ("gitlab_token", ("glpat-",), r"\bglpat-[A-Za-z0-9_-]{20,}", 0),
    ("google_api_key", ("aiza",), r"\bAIza[0-9A-Za-z_-]{35}", 0),
    ("jwt", ("eyj",), r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}", 0),
    ("auth_header", ("bearer", "basic"), r"(?i:\b(?:bearer|basic))\s+(?!<SECRET)([A-Za-z0-9._~+/-]{8,}=*)", 1),
    ("url_password", ("://",), r"://[^/\s:@<]{1,64}:(?!<SECRET)([^/\s@]{1,128})@", 1),
    ("credential", ("pass", "pwd", "secret", "token", "key", "signature"),
     _KEYWORD + r"[\"']?\s*[:=]\s*[\"']?(?!<SECRET)([^\s\"',;&}<]{4,})", 1),
    # Exchange API keys and secrets: 64 mixed-case alphanumerics (hex digests are not),
    # looked for where the line talks about keys, secrets or APIs.
    ("exchange_key", ("key", "secret", "api"),
     r"\b(?=[A-Za-z0-9]{0,63}[a-z])(?=[A-Za-z0-9]{0,63}[A-Z])[A-Za-z0-9]{64}\b", 0),
    ("email", ("@",), r"\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,}\b", 0),
]
# Off by default: addresses and account ids help a diagnosis more than they leak.
_OPTIONAL: dict[str, tuple[str, int]] = {
    "ipv4": (r"\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b", 0),
    "ipv6": (r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}(?::|[0-9A-Fa-f]{1,4})(?![\w:])", 0),
    "aws_account_id": (r"(?<!\d)(\d{12})(?!\d)", 1),
}
OPTIONAL_KINDS = tuple(_OPTIONAL)


@dataclass
class Redactor:
    """Replaces secrets with keyed placeholders and counts what it replaced.

    `extra` turns on the optional kinds: "ipv4", "ipv6", "aws_account_id".
    """

    extra: tuple[str, ...] = ()
    key: bytes = field(default_factory=lambda: os.urandom(16))
    counts: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        unknown = set(self.extra) - set(_OPTIONAL)
        if unknown:
            raise ValueError(f"unknown redaction kinds: {sorted(unknown)}; known: {sorted(_OPTIONAL)}")
        self._rules = [(kind, gate, re.compile(p), g) for kind, gate, p, g in _PATTERNS]
        # Optional kinds have no literal gate: they run on every line.
        self._ungated = [(k, re.compile(_OPTIONAL[k][0]), _OPTIONAL[k][1]) for k in self.extra]
        self._gate_words = tuple(sorted({w for _, gate, _, _ in _PATTERNS for w in gate}, key=len))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def placeholder(self, kind: str, secret: str) -> str:
        digest = hmac.new(self.key, secret.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:4]
        return f"<SECRET:{kind}:{digest}>"

    def might_hold_secret(self, text: str) -> bool:
        """False only when no rule could match: the cheap test every line takes."""
        if self._ungated:
            return True
        low = text.lower()
        for word in self._gate_words:
            if word in low:
                return True
        return False

    def redact(self, text: str) -> str:
        low = text.lower()
        for kind, gate, rx, group in self._rules:
            for word in gate:
                if word in low:
                    break
            else:
                continue
            if rx.search(text) is not None:
                text = rx.sub(self._replacer(kind, group), text)
        for kind, rx, group in self._ungated:
            text = rx.sub(self._replacer(kind, group), text)
        return text

    def _replacer(self, kind: str, group: int):
        def repl(m: re.Match) -> str:
            whole = m.group(0)
            if group == 0:
                self.counts[kind] += 1
                return self.placeholder(kind, whole)
            start, end = m.span(group)
            self.counts[kind] += 1
            base = m.start()
            return whole[: start - base] + self.placeholder(kind, m.group(group)) + whole[end - base :]

        return repl
