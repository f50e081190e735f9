"""Secret redaction: the first thing that happens to every line from every source.

A secret becomes a typed placeholder, `<SECRET:aws_access_key:1a2b>`, whose
suffix is a keyed hash of the secret: the same secret maps to the same
placeholder (so "the same key failed 40 times" stays visible, and the same
incident digests to the same text, which the provider cache relies on). The key
is random per process unless DOCTOR_REDACTION_KEY sets one for every instance;
either way placeholders cannot be brute-forced back without it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections import Counter
from dataclasses import dataclass, field

# Credentials by name: `password=...`, `"api_key": "..."`, `X-Api-Key: ...`, `client_secret=...`.
# Each keyword is found with str.find in the lowercased line (it may end a longer
# name: db_password, x-mbx-apikey), then the rest is matched anchored right after
# it: what may follow the keyword, a separator, and the value. Anchored matching
# is what keeps this cheap: no regex scans the line.
_VALUE = r"[\"']?\s*[:=]\s*[\"']?(?!<SECRET)(?![0-9a-f]{4}>)([^\s\"',;&}<>]{4,})"
_CREDENTIAL_AFTER = {
    "pass": re.compile(r"(?i:word|wd)?" + _VALUE),
    "pwd": re.compile(_VALUE),
    "secret": re.compile(r"(?i:[_-]?(?:key|id|value))?" + _VALUE),
    "token": re.compile(r"(?i:[_-]?(?:id|value))?" + _VALUE),
    "key": re.compile(r"(?i:[_-]?(?:id|value))?" + _VALUE),
    "signature": re.compile(_VALUE),
}
# A value that is one of our placeholders' tails (`aws_access_key:1a2b>`) is never a secret.
_NOT_PLACEHOLDER = r"(?!<SECRET)(?![0-9a-f]{4}>)"
# (kind, gate, pattern, group holding the secret: 0 = the whole match).
# A rule's regex runs only on a line its gate lets through, so the common line
# costs a few substring tests. A gate is literals checked as written (for
# secrets with a fixed-case prefix: `AIza`, `eyJ`), literals checked in the
# lowercased line (credential words), or a regex (prefix families).
_PATTERNS: list[tuple[str, dict, str, int]] = [
    ("private_key", {"exact": ("-----BEGIN",)},
     r"-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[\s\S]*)", 0),
    # Prefix families get a regex gate each: a regex whose branches share a first
    # character keeps sre's fast literal scan; merging the two families loses it (3x slower).
    ("aws_access_key", {"regex": r"A(?:KIA|SIA|GPA|IDA|ROA|IPA|NPA|NVA)"},
     r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b", 0),
    ("aws_secret_key", {"lower": ("secret",)},
     r"(?i:aws_?secret_?(?:access_?)?key)[\"']?\s*[:=]\s*[\"']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])", 1),
    ("slack_token", {"exact": ("xox",)}, r"\bxox[abposre]-[A-Za-z0-9-]{10,}", 0),
    ("slack_webhook", {"exact": ("hooks.slack",)}, r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+", 0),
    ("github_token", {"regex": r"gh[pousr]_|github_pat_"},
     r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})", 0),
    ("gitlab_token", {"exact": ("glpat-",)}, r"\bglpat-[A-Za-z0-9_-]{20,}", 0),
    ("google_api_key", {"exact": ("AIza",)}, r"\bAIza[0-9A-Za-z_-]{35}", 0),
    ("jwt", {"exact": ("eyJ",)}, r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}", 0),
    ("auth_header", {"lower": ("bearer", "basic")}, r"(?i:\b(?:bearer|basic))\s+(?!<SECRET)([A-Za-z0-9._~+/-]{8,}=*)", 1),
    ("url_password", {"exact": ("@",)}, r"://[^/\s:@<]{1,64}:(?!<SECRET)([^/\s@]{1,128})@", 1),
    ("credential", {"lower": tuple(_CREDENTIAL_AFTER)}, "", 1),  # matched by _credentials(), not a regex
    # Exchange API keys and secrets: 64 mixed-case alphanumerics (hex digests are not; see
    # the replacer), looked for where the line talks about keys or secrets.
    ("exchange_key", {"lower": ("key", "secret")}, r"\b[A-Za-z0-9]{64}\b", 0),
    # An address needs `@domain.tld`: the pre-check skips `Election@774` and `user@host` cheaply.
    ("email", {"exact": ("@",), "pre": r"@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2}"},
     r"\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,}\b", 0),
]
# Off by default: addresses and account ids help a diagnosis more than they leak.
_OPTIONAL: dict[str, tuple[str, int]] = {
    "ipv4": (r"\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b", 0),
    "ipv6": (r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}(?::|[0-9A-Fa-f]{1,4})(?![\w:])", 0),
    "aws_account_id": (r"(?<!\d)(\d{12})(?!\d)", 1),
}
OPTIONAL_KINDS = tuple(_OPTIONAL)


_PROCESS_KEY = os.urandom(16)


def key_from_secret(secret: str | None) -> bytes:
    return hashlib.sha256(secret.encode()).digest()[:16] if secret else _PROCESS_KEY


@dataclass
class Redactor:
    """Replaces secrets with keyed placeholders and counts what it replaced.

    `extra` turns on the optional kinds: "ipv4", "ipv6", "aws_account_id".
    """

    extra: tuple[str, ...] = ()
    key: bytes = _PROCESS_KEY
    counts: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        unknown = set(self.extra) - set(_OPTIONAL)
        if unknown:
            raise ValueError(f"unknown redaction kinds: {sorted(unknown)}; known: {sorted(_OPTIONAL)}")
        self._rules = [(kind, re.compile(p) if p else None, g, re.compile(gate["pre"]) if "pre" in gate else None)
                       for kind, gate, p, g in _PATTERNS]
        # (literal, bits of every rule it gates): one flat pass over a line finds the rules to run.
        exact: dict[str, int] = {}
        lower: dict[str, int] = {}
        regex: dict[str, int] = {}
        for i, (_, gate, _, _) in enumerate(_PATTERNS):
            for word in gate.get("exact", ()):
                exact[word] = exact.get(word, 0) | (1 << i)
            for word in gate.get("lower", ()):
                lower[word] = lower.get(word, 0) | (1 << i)
            if "regex" in gate:
                regex[gate["regex"]] = regex.get(gate["regex"], 0) | (1 << i)
        self._exact, self._lower = tuple(exact.items()), tuple(lower.items())
        self._regex = tuple((re.compile(p), bits) for p, bits in regex.items())
        # Optional kinds have no literal gate: they run on every line.
        self._ungated = [(k, re.compile(_OPTIONAL[k][0]), _OPTIONAL[k][1]) for k in self.extra]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def placeholder(self, kind: str, secret: str) -> str:
        digest = hmac.new(self.key, secret.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:4]
        return f"<SECRET:{kind}:{digest}>"

    def _triggered(self, text: str) -> int:
        hit = 0
        for word, bits in self._exact:
            if word in text:
                hit |= bits
        low = text.lower()
        for word, bits in self._lower:
            if word in low:
                hit |= bits
        for rx, bits in self._regex:
            if rx.search(text) is not None:
                hit |= bits
        return hit

    def might_hold_secret(self, text: str) -> bool:
        """False only when no rule could match: the cheap test every line takes."""
        return bool(self._ungated) or self._triggered(text) != 0

    def redact(self, text: str) -> str:
        """`text` with its secrets replaced; the same object when it holds none."""
        hit = self._triggered(text)
        if hit:
            for i, (kind, rx, group, pre) in enumerate(self._rules):
                if not hit >> i & 1:
                    continue
                if rx is None:
                    text = self._credentials(text)
                elif (pre is None or pre.search(text)) and rx.search(text) is not None:
                    text = rx.sub(self._replacer(kind, group), text)
        for kind, rx, group in self._ungated:
            text = rx.sub(self._replacer(kind, group), text)
        return text

    def _credentials(self, text: str) -> str:
        low = text.lower()
        spans: list[tuple[int, int]] = []
        for word, after in _CREDENTIAL_AFTER.items():
            p = low.find(word)
            while p != -1:
                if p == 0 or text[p - 1] != "<":  # `<SECRET:...>` is ours
                    m = after.match(text, p + len(word))
                    if m:
                        spans.append(m.span(1))
                p = low.find(word, p + 1)
        if not spans:
            return text
        out, end = [], len(text)
        for start, stop in sorted(set(spans), reverse=True):
            if stop > end:
                continue  # overlaps a span already replaced
            out.append(text[stop:end])
            out.append(self.placeholder("credential", text[start:stop]))
            self.counts["credential"] += 1
            end = start
        out.append(text[:end])
        return "".join(reversed(out))

    def _replacer(self, kind: str, group: int):
        def repl(m: re.Match) -> str:
            whole = m.group(0)
            if kind == "exchange_key" and (whole.islower() or whole.isupper() or whole.isdigit()):
                return whole  # a hex digest or an all-caps id, not a key
            if group == 0:
                self.counts[kind] += 1
                return self.placeholder(kind, whole)
            start, end = m.span(group)
            self.counts[kind] += 1
            base = m.start()
            return whole[: start - base] + self.placeholder(kind, m.group(group)) + whole[end - base :]

        return repl
