"""Secret redaction: the first thing that happens to every line from every source.

A secret becomes a typed placeholder, `<SECRET:aws_access_key:1a2b>`, whose
suffix is a keyed hash of the secret: the same secret maps to the same
placeholder (so "the same key failed 40 times" stays visible, and the same
incident digests to the same text, which the provider cache relies on). The key
is random per process unless DOCTOR_REDACTION_KEY sets one for every instance;
either way placeholders cannot be brute-forced back without it.

Three passes, each linear in the line's length (the rules are data in
`doctor.digest.secrets`):
1. secrets known by their surroundings (`password=`, `://user:pass@`, PEM blocks,
   webhooks), each behind a gate of a few substring tests;
2. the line's long tokens, found in one pass: a token that starts with a vendor's
   documented prefix is tried against that vendor's format, anchored;
3. any other long token whose characters look random (Shannon entropy, judged per
   alphabet: hex or base64) is a secret too, unless it is an identifier a
   diagnosis needs (commit SHAs, digests, trace and request ids, object ids).
A private key whose BEGIN, body and END arrive as separate records is followed
per stream, for a bounded number of lines.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field

from doctor.digest.secrets import (
    CONTEXT_RULES,
    CREDENTIAL_AFTER,
    NAME_TO_VALUE,
    OPTIONAL_RULES,
    PUNCTUATED_AFTER,
    PUNCTUATED_MAX,
    TOKEN_RULES,
    VALUE_CHARS,
    VALUE_STOPS,
)

# How every placeholder begins (`<SECRET:kind:hash>`): readers downstream treat a token holding it as a value
# that varies, since the hash is keyed per process.
PLACEHOLDER_OPEN = "<SECRET:"
# A placeholder with its kind (group 1) and its hash, which is keyed per process: what reads placeholders must not
# read the hash (the miner folds it to one form, the scorer drops it).
PLACEHOLDER_HASH = re.compile("(" + re.escape(PLACEHOLDER_OPEN) + r"\w{1,40}):[0-9a-f]{1,16}>")

OPTIONAL_KINDS = tuple(OPTIONAL_RULES)
MAX_CHARS = 1 << 20  # longer text is cut: the cost of one call is bounded whatever arrives
MAX_BLOCK_LINES = 200  # a private key's body lines followed after BEGIN (an 8192-bit RSA key has ~100)
MAX_OPEN_BLOCKS = 256  # streams followed at once; the oldest is given up first

# A token: a run of the characters secrets are made of. Possessive, so a run is
# scanned once: a failed start costs at most 19 characters, a match consumes its run.
# (Used on non-ASCII text; ASCII text has its runs found with bytes.find, below.)
# `=` and `:` end a token so that `token=ghp_...` and `key:AKIA...` start one at the secret.
_TOKEN = re.compile(r"[A-Za-z0-9_.+/~-]{20,}+")
# The same runs found at C speed: token characters become `a`, the rest a space, and a
# line without 20 `a` in a row has no token (half the Loghub lines, 70% of bench/digest.py's;
# an sre scan of the line costs several times more).
_TOKEN_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.+/~-"
_AS_RUNS = bytes(0x61 if i in _TOKEN_CHARS else 0x20 for i in range(256))
_LONG_RUN = b"a" * 20


def _has_long_run(text: str) -> bool:
    return _LONG_RUN in text.encode("utf-8", "surrogatepass").translate(_AS_RUNS)


def _long_runs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each token of 20 characters or more, left to right."""
    if not text.isascii():  # byte offsets would not be character offsets
        for m in _TOKEN.finditer(text):
            yield m.span()
        return
    runs = text.encode("ascii").translate(_AS_RUNS)
    start = runs.find(_LONG_RUN)
    while start != -1:
        end = runs.find(b" ", start + 20)
        if end == -1:
            end = len(runs)
        yield start, end
        start = runs.find(_LONG_RUN, end)


_HEX = re.compile(r"[0-9a-f]{32,}|[0-9A-F]{32,}")
_DIGIT = re.compile(r"[0-9]")
_RUNS = re.compile(r"[A-Z]+|[a-z]+|[0-9]+|[^A-Za-z0-9]+")
# `ch_3MmlLrLkdIwHu7ix0snN0B15`, `ord-...`, `req_...`: an object id, unless its prefix says key.
_OBJECT_ID = re.compile(r"([a-z][a-z0-9]{1,11})[_-]")  # digits after the first letter too: E2B's `e2b_`
KEY_BODY = 32  # characters after an unknown prefix from which a random body is a key, not an object id
_KEYISH_PREFIXES = frozenset(("sk", "rk", "pk", "key", "secret", "token", "tok", "pat", "api", "apikey", "auth",
                              "priv", "private", "pwd", "pass", "password", "access", "bearer", "live", "prod"))
# Words before a hex string that make it an identifier (a commit, a digest, a trace or request id)
# rather than a key. Looked for in the 48 characters before it, lowercased. Among them TLS fingerprints by their
# name (`ja3=`, `ja3s_hash`), a deployment's id, and `cksum`, checksum's short form (Cargo's registry index).
_HEX_ID_WORDS = ("commit", "sha", "rev", "hash", "digest", "checksum", "cksum", "md5", "etag", "trace", "span",
                 "request", "req", "correlation", "container", "image", "blob", "object", "build", "id", "$latest",
                 "parent", "tree", "ref", "version", "fingerprint", "checkpoint", "tx", "block", "checkout", "revert",
                 "cherry", "ja3", "deployment")
# OpenStack's request context at the head of its services' lines (oslo.context's `[req-<uuid> <user> <project> -
# <domain> <user domain> <project domain>]`): Keystone's ids, 32 hex each, after the request's id in one bracket.
_OSLO_CONTEXT = re.compile(r"\[req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                           r"(?: (?:[0-9a-f]{32}|-|\w{1,64})){0,5} $")
# The key a value is written under, right before it (`graphql_id=`, `x-amz-cf-id: `, `"UploadId": "`): its
# words say whether the value is an identifier a diagnosis needs or a credential.
_KEY_WORDS = re.compile(r"[A-Z]?[a-z]{1,60}|[A-Z]{1,60}(?![a-z])|\d{1,60}")
# (OpenID Connect's `sub` is the user's identifier at its issuer; a `uid` a record's or a user's, Keeper's `--uid <22 chars>`;
# a `username=` or an `account=` names who, never how they sign in: django-oscar's generated 30-character names)
_ID_KEY_WORDS = frozenset(("id", "ids", "request", "trace", "span", "correlation", "etag", "digest", "hash", "checksum",
                           "cksum", "integrity", "version", "upload", "revision", "commit", "ray", "operation", "event",
                           "message", "job", "build", "run", "ref", "reference", "node", "object", "resource",
                           "no", "num", "number", "sub", "uid", "user", "username", "account"))
_SECRET_KEY_WORDS = frozenset(("secret", "key", "keys", "token", "pass", "password", "passwd", "pwd", "auth", "session",
                               "cookie", "signature", "sig", "credential", "credentials", "private", "apikey", "otp"))
# A hash labelled with its algorithm: Go's `h1:` module sums, Terraform's lock-file `zh:` (a provider zip's SHA-256),
# `sha256:`, and Subresource Integrity's `sha512-...`.
_HASH_LABEL = re.compile(r"(?:h1|zh|sha1|sha224|sha256|sha384|sha512|md5)[:-]$", re.IGNORECASE)
_SRI = ("sha1-", "sha256-", "sha384-", "sha512-")
# ... but a webhook's signature is labelled the same way under a key that names it (GitHub's `X-Hub-Signature-256:
# sha256=<hex>`, Yousign's `X-Yousign-Signature-256`), or right after the word (Transloadit's `The provided signature
# sha384:<hex>`): a keyed hash of the payload, made with the secret. `sig` only as a word's start (`sig=`, `x-sig-256`),
# not inside one (`design`).
_SIGNED_HASH = re.compile(r"(?:(?i:signature)|(?<![A-Za-z])(?i:sig))[\w-]{0,12}[\"']?\s{0,2}[:=]?\s{0,2}[\"']?"
                          r"(?i:sha1|sha256|sha384|sha512)[=:]$")
# ... and so is a chat widget's identity-verification hash (Intercom's `user_hash`, an HMAC of the user's id keyed with
# the workspace's secret): whoever holds it can speak as that user, so it is a credential though its key says hash.
_USER_HMAC = re.compile(r"(?<![A-Za-z])user_hash[\"']?\s{0,2}[:=]\s{0,2}[\"']?$", re.IGNORECASE)
# A UUID or a ULID that is a whole path segment (`/subscriptions/<uuid>/resourceGroups/...`); one glued to a prefix
# (`sk_test_<uuid>`, Plaid's `access-production-<uuid>`) is judged with it.
_UUID_SEGMENT = re.compile(r"(?:(?<=/)|^)(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
                           r"|[0-7][0-9A-HJKMNP-TV-Z]{25})(?=/|$)")  # or a ULID: `/orders/01HGW2N7EHJZ5X3Q8K9M4T6V1B`
# A REST resource's id in a path, right after its collection's name (Okta's `/api/v1/groups/00g…/users/00u…`):
# an identifier, unless the collection holds credentials (`/tokens/…`, `/webhooks/<id>/<token>`). Google's resource
# names (AIP-122) open with a camel-case collection and no slash (`billingAccounts/450799-31E7EA-9AD246`); a camel-case
# collection holds credentials when its last word does (`accessTokens/…`).
_COLLECTION_ID = re.compile(r"(?:(?<=/)|^)([a-z][A-Za-z_-]{1,30}s)/[A-Za-z0-9_-]{8,64}(?=/|$)")
# A link that is its own credential: an invitation, a password reset, an e-mail confirmation or a magic sign-in link
# carries a one-time token as the path segment after its name (Lago's `/invitation/<40 hex>`, `/reset-password/…`);
# whoever holds the link holds the account, so a random segment there is a secret, hex or not.
_CAPABILITY_LINK = re.compile(r"(?:(?<=/)|^)(?:invitations?|invites?|(?:reset|forgot)[-_]password|password[-_]reset"
                              r"|confirm(?:ation)?|verify|activate|magic[-_]?link|login[-_]link)/"
                              r"([A-Za-z0-9_-]{20,128})(?=/|$)")
# A file in a temporary directory (`/tmp/…`, a CI runner's `/__w/_temp/task-definition-3348qyZ6U3Tq2Is5`):
# the random part of its name is mkstemp's, the name of a file, never a credential.
_TEMP_FILE = re.compile(r"^(?:/[\w.~+-]{1,255}){0,16}/(?i:tmp|temp|_temp)/[\w.~+-]{1,255}$")
_CREDENTIAL_COLLECTIONS = frozenset(("tokens", "keys", "secrets", "passwords", "credentials", "sessions", "signatures",
                                     "hooks", "webhooks", "apikeys", "api-keys", "api_keys", "passes", "seeds"))
_CREDENTIAL_ENDINGS = tuple(sorted(_CREDENTIAL_COLLECTIONS))
# Vault's audit device writes each secret it logs as `hmac-sha256:<64 hex>`, a keyed one-way hash: the record's
# point is that it holds no secret, and the hash is how an operator finds a token's requests.
_VAULT_HMAC = re.compile(r"hmac-sha256:[0-9a-f]{64}")
_BASE36 = re.compile(r"[a-z0-9]+")
# Keys that are no credentials by their names: a public key (a merchant's or a client's, Stripe's publishable one) is
# made to be shown, an idempotency key (`Idempotency-Key:`, Worldline's `idempotenceKey`) names a request so that a
# retry is not done twice, and a truncated or masked key (WooCommerce's `truncated_key`, the last 7 characters) is the
# part a vendor shows to tell keys apart. Their values still meet the vendor and entropy rules.
_OPEN_KEY_WORDS = ("public", "publishable", "idempotency", "idempotence", "truncated", "masked")
# So is a key named for the data it finds (a cache's, a partition's, PagerDuty's `dedup_key` naming an incident); not
# a primary, hash, map or routing key, which vendors name credentials so (Azure's `primaryKey`, PagerDuty's
# `routing_key`, a payment gateway's `HashKey`, a maps API's key).
_DATA_NAME_WORDS = ("cache", "partition", "sort", "foreign", "object", "dedup", "deduplication", "lookup", "row",
                    "shard")
_OPEN_KEY_NAMES = tuple(w + sep for w in (*_OPEN_KEY_WORDS, *_DATA_NAME_WORDS) for sep in ("", "_", "-", " "))
# A checksum tool's line (`sha256sum`, `md5sum`, `shasum`, and the build tools that print the same: Gradle's wrapper
# check) puts a digest of its algorithm's length before the file it was computed from, one or two spaces between and
# `*` for a binary read: the digest is the file's identity, and a diagnosis needs it to tell two builds apart.
_DIGEST_LENGTHS = frozenset((32, 40, 56, 64, 96, 128))  # MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512 in hex
_FILE_AFTER = re.compile(r" {1,2}\*?([\w.+~/-]{1,1024})(?=\s|$)")
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,9}$")


def _names_a_file(text: str, end: int) -> bool:
    """A file's path follows `end`, as a checksum tool writes it after a digest: one or two spaces (and `*`), then a
    path with a directory or a file name with an extension (`gradle/wrapper/gradle-wrapper.jar`, `app.tar.gz`)."""
    m = _FILE_AFTER.match(text, end)
    return m is not None and ("/" in m.group(1) or _EXTENSION.search(m.group(1)) is not None)
# Options on a command line whose value is a credential, by the option's last word.
_FLAG_CREDENTIALS = frozenset(("secret", "token", "key", "apikey", "password", "passwd", "pass", "pwd", "passphrase",
                               "signature", "credential", "credentials"))
_FLAG_WORD = re.compile(r"[-_]")
_FLAG_VALUE = re.compile(r"[\"']?([^\s\"']{4,4096})")
_ARN = re.compile(r"arn:aws[a-z\-]{0,12}:[a-z0-9\-]{2,40}:[a-z0-9\-]{0,30}:\d{0,12}:")  # partition, service, region, account
_PEM_END = re.compile(r"-----END[A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----")
_BASE64_LINE = re.compile(r"\s{0,64}[A-Za-z0-9+/=]{1,512}\s{0,64}")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=]{16,}+")


_SPACE = re.compile(r"\s")
_VALUE_RUN = re.compile(f"{VALUE_CHARS}{{1,{PUNCTUATED_MAX}}}")
MIN_PUNCTUATED = 8
# Another field beginning after the punctuation: `&page=2`, `,user=bob`.
_NEXT_FIELD = re.compile(f"[{VALUE_STOPS}]" + r"[A-Za-z_][\w.\-]{0,64}=")


def _value_end(text: str, start: int, end: int) -> int:
    """Where a named credential's value really ends. The value is read up to the punctuation that
    separates fields (`password=abc, user=…`, `?token=abc&page=2`), but a generated password may
    hold that punctuation itself (`CLIENT_SECRET=HhZ,QACc-s&B?&C-q]HA<Wf…`): a quoted value runs
    to its closing quote when no space comes first, an unquoted one to the next space when no
    other field (`&page=2`, `,user=bob`) begins before it and some letter or digit comes first.
    Bounded: a scan of at most PUNCTUATED_MAX characters and one linear search of them."""
    if end >= len(text) or text[end] not in VALUE_STOPS:
        return end
    limit = min(len(text), end + PUNCTUATED_MAX)
    if start and text[start - 1] in "\"'":
        close = text.find(text[start - 1], end, limit)
        return close if close != -1 and _SPACE.search(text, end, close) is None else end
    field = _NEXT_FIELD.search(text, end, limit)  # searched first: it is usually near when it is there at all
    space = _SPACE.search(text, end, field.start() if field else limit)
    if field is not None and space is None:
        return end
    stop = space.start() if space else limit
    return stop if any(c.isalnum() for c in text[end:stop]) else end


# What a field named `key` alone holds when it names data rather than a credential: a field's own name, words
# joined by `_` or `.` (Google's ErrorInfo `key: "quota_limit_value"`, Spring Kafka's `key='si.key'`), or a Kubernetes
# object's `namespace/name` (controller-runtime's `"key"="default/example-cert"`, DNS labels around one slash), or an
# issue tracker's key, a project's key and the number (Jira's `"key": "PLAT-4821"`: a capital, then capitals
# or digits). A single lower-case word stays hidden: a weak password looks the same.
_KEY_NAMES_DATA = re.compile(r"[a-z]{1,40}(?:[_.][a-z]{1,40}){1,6}|[a-z0-9][a-z0-9.-]{0,62}/[a-z0-9][a-z0-9.-]{0,252}"
                             r"|[A-Z][A-Z0-9]{1,9}-[1-9][0-9]{0,6}")


def _data_key(text: str, low: str, offset: int, start: int, stop: int) -> bool:
    """The keyword `key` at `offset` is a field's whole name (not `api_key`, `apikey`, `x-api-key`) and its value,
    text[start:stop], names data."""
    bare = offset == 0 or not (low[offset - 1].isalnum() or low[offset - 1] in "_-")
    return bare and _KEY_NAMES_DATA.fullmatch(text, start, stop) is not None


# A credential's name (its ending: `_token`, `word`), its assignment and a URL where the value would be.
_URL_VALUE = re.compile(r"[a-z_-]{0,12}" + NAME_TO_VALUE + r"https?://")
# Values that say whether a credential is set, not what it is.
_NO_VALUE = frozenset(("yes", "no", "true", "false", "null", "none", "nil", "undefined", "empty"))


def _arn_resource_type(low: str, offset: int, length: int) -> bool:
    """The keyword at `offset` is an ARN's resource type (`arn:aws:secretsmanager:eu-west-2:123:secret:Name`): the
    resource's name follows it, which says which secret a role could not read and hides nothing."""
    return (offset > 0 and low[offset - 1] == ":" and low[offset + length:offset + length + 1] == ":"
            and "arn:" in low[max(0, offset - 120):offset])


def _named_open(low: str, offset: int) -> bool:
    """The key name ending at `offset` of the lowercased line is a public, an idempotency or a data key's (`public_key`,
    `publishablekey`, `idempotency-key`, `dedup_key`), the word one of its own (`nonpublic_key` is not)."""
    for prefix in _OPEN_KEY_NAMES:
        start = offset - len(prefix)
        if start >= 0 and low.startswith(prefix, start):
            return start == 0 or not low[start - 1].isalpha()
    return False


# A token named for where a listing or a stream goes on (`NextToken`, `ContinuationToken`, `resumeToken`,
# `syncToken`, and Google's camel-case `pageToken` and `nextPageToken`): an opaque cursor the API hands out with every
# page, which opens nothing by itself. A page's token in any other spelling stays a credential: Facebook's page access
# tokens are kept as `PAGE_TOKEN` and `page_token`.
_CURSOR_WORDS = frozenset(("next", "continuation", "resume", "sync", "pagination", "cursor"))


def _cursor_name(words: list[str]) -> bool:
    """`words` (a name's words in the line's own case, `_KEY_WORDS`) end in a cursor's token: `Next` `Token`,
    `next` `Page` `Token`, but not `PAGE` `TOKEN` nor `homepage` `token`."""
    if len(words) < 2 or words[-1].lower() != "token":
        return False
    before = words[-2].lower()
    return before in _CURSOR_WORDS or (before == "page" and words[-1] == "Token")


def _cursor_token(text: str, offset: int) -> bool:
    """The keyword `token` at `offset` ends a name glued to it or joined by `_` or `-` that names a cursor
    (`_cursor_name`)."""
    if offset == 0 or not (text[offset - 1].isalpha() or text[offset - 1] in "_-"):
        return False
    return _cursor_name([*_KEY_WORDS.findall(text, max(0, offset - 30), offset), text[offset:offset + 5]])


def _flag_value(text: str, low: str, offset: int) -> tuple[int, int] | None:
    """The span of the value after a command-line option named for a credential, a space between them
    (`--token-secret as-i9MJ...`, `--api-key abc...`, `--password hunter2`), the keyword at `offset`; else None.
    The option's last word must name the credential (`--key-file`, `--secret-name` name a file and a name), and a
    path, a variable or another option after it is no value worth hiding."""
    start = offset
    while start > 0 and offset - start < 60 and (low[start - 1].isalnum() or low[start - 1] in "-_"):
        start -= 1
    end = offset
    while end < len(low) and end - offset < 60 and (low[end].isalnum() or low[end] in "-_"):
        end += 1
    if (low[start:start + 2] != "--" or low[start + 2:start + 5] == "no-" or low[end:end + 1] != " "
            or (start > 0 and not low[start - 1].isspace())
            or _FLAG_WORD.split(low[start + 2:end])[-1] not in _FLAG_CREDENTIALS):
        return None
    m = _FLAG_VALUE.match(text, end + 1)
    if m is None or m.group(1)[:1] in "-/~.$" or _named_open(low, offset):
        return None
    return m.span(1)


def entropy(s: str) -> float:
    """Shannon entropy of `s` in bits per character."""
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def _random_hex(piece: str) -> bool:
    """Hex of one case, 32 digits or more, not a run of few digits (`0000…`, `abab…`)."""
    return _HEX.fullmatch(piece) is not None and entropy(piece) >= 3.0


def _looks_random(piece: str, slack: float = 0.85) -> bool:
    """Mixed-case letters and digits spread like a random string of this length.

    A random base62 string of n characters has about log2(n) - 0.3 bits per character
    for n <= 64; words, class names and camelCase ids fall well below 0.85 * log2(n).
    A random string also changes between upper case, lower case and digits at about 6 of
    10 characters; an identifier built of words and numbers (`DFSClient_NONMAPREDUCE_1537864556_1`)
    changes at its word boundaries only. Both must hold, and most of its characters must not stand in
    words (`_in_words`: class names and error codes such as `Psr18RequestException` pass the first two).
    """
    n = len(piece)
    return (len(_RUNS.findall(piece)) >= 0.3 * n and entropy(piece) >= min(4.5, slack * math.log2(n))
            and _in_words(piece) < WORDY * n)


# A word as code names things: three or more lower-case letters, perhaps after a capital, a quarter of them vowels
# (`Request`, `ception`, `Subnet`; random letters give a vowel one time in five).
_WORD = re.compile(r"[A-Z]?[a-z]{3,}")
_VOWELS = frozenset("aeiouy")
# From this share of its characters in words, a string is a name made of words and digits, not a random one:
# class names and error codes (`Psr18RequestException`, `Ec2SubnetInvalidConfiguration`, `XAmzContentSHA256Mismatch`).
# Random base62 strings of 20 characters reach it about one time in three hundred, of 32 one in three thousand.
WORDY = 0.6


def _in_words(piece: str) -> int:
    """How many of the piece's characters stand in words (`_WORD` with its vowels)."""
    total = 0
    for m in _WORD.finditer(piece):
        word = m.group(0)
        low = word[1:] if word[0].isupper() else word
        if 4 * sum(c in _VOWELS for c in low) >= len(low):
            total += len(word)
    return total


# Words before `key` that make it a name of data rather than a credential (`cache key <value>`, `partition key`).
_DATA_KEY_WORDS = frozenset((*_DATA_NAME_WORDS, "primary", "routing", "map", "hash", *_OPEN_KEY_WORDS))


def _named_credential(text: str, offset: int) -> bool:
    """The value at `offset` follows a word that names a credential, in prose (`for consumer key <value>`, `token
    <value>`): a short random string so named is a secret even when its letters repeat a little more than the
    entropy rule allows (Twitter's 22-character consumer keys sit right at its bound)."""
    words = _words_before(text, offset)
    return bool(words) and words[-1] in _SECRET_KEY_WORDS and not (len(words) > 1 and words[0] in _DATA_KEY_WORDS)


def _key_at(text: str, offset: int) -> tuple[int, int] | None:
    """Where the key the value at `offset` is written under stands (`graphql_id=`, `x-amz-cf-id: `, `"requestId": "`),
    as text[start:end]; None when no `:` or `=` comes right before the value. At most 60 characters of key."""
    j = offset
    while j > 0 and offset - j < 3 and text[j - 1] in " \"'":
        j -= 1
    if j == 0 or text[j - 1] not in ":=":
        return None
    j -= 1
    while j > 0 and offset - j < 6 and text[j - 1] in " \"'":
        j -= 1
    end = j
    while j > 0 and end - j < 60 and (text[j - 1].isalnum() or text[j - 1] in "_.-"):
        j -= 1
    return j, end


def _credential_key(text: str, offset: int) -> bool:
    """The value at `offset` is written under a key whose last word names a credential (`x-cal-signature-256=`,
    `webhook_secret: `, `"authToken": "`): a random value so named is the credential, whatever other words stand
    nearby. The key's last word, its digits aside: `key_fingerprint` and `token_type` name something else, and so
    does a key named for the data it finds or made to be shown (`cache_key`, `idempotency_key`)."""
    span = _key_at(text, offset)
    if span is None:
        return False
    words = [w.lower() for w in _KEY_WORDS.findall(text, *span) if not w.isdigit()]
    return (bool(words) and words[-1] in _SECRET_KEY_WORDS
            and not (len(words) > 1 and words[-1] == "key" and words[-2] in _DATA_KEY_WORDS))


def _identifier_key(text: str, offset: int) -> bool:
    """The value at `offset` is written under a key that names an identifier (`graphql_id=`, `x-amz-cf-id:`,
    `"requestId": "`) and no credential (`private_key_id`, `session_id`, `secret_id` stay secrets)."""
    span = _key_at(text, offset)
    if span is None:
        return False
    j, end = span
    if _USER_HMAC.match(text, j, offset):
        return False  # Intercom's `user_hash`: a credential, though its key says hash
    named = _KEY_WORDS.findall(text, j, end)
    if _cursor_name(named):
        return True  # a listing's cursor (`pageToken`, `NextToken`), however random it looks
    words = {w.lower() for w in named}
    if words.intersection(_OPEN_KEY_WORDS) and "key" in words and not words & {"secret", "private"}:
        return True  # a public key is made to be shown, an idempotency key names a request
    if not words & _ID_KEY_WORDS and j > 0 and text[j - 1] == "=" and text[end:end + 1] == ":" and end > j:
        # what stood before was the value's own label, under the key that names it (Elastic's
        # `cloud.id=<label>:<base64>`): that key decides
        return _identifier_key(text, j)
    return bool(words & _ID_KEY_WORDS) and not words & _SECRET_KEY_WORDS


# Words that name an identifier when they stand right before a value, in prose rather than as a key:
# `Sentry event <32 hex>`, `job <hex>`, `processing message <KSUID>`, `ipfs cid Qm...`, BTCPay's `Invoice <base58>`,
# EasyPost's `shipment shp_<32 hex>` (commerce's records: an order, an invoice, a payment, a refund, a shipment), and
# a video or chat room's generated name (Daily's `room vLS8SX8hyvSrMYHJMsGK not found`).
_ID_WORDS_BEFORE = _ID_KEY_WORDS | frozenset(("uuid", "ulid", "ksuid", "nanoid", "cid", "txid", "tx", "order",
                                              "transaction", "execution", "sha", "invoice", "shipment", "payment",
                                              "refund", "room"))
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _words_before(text: str, offset: int) -> list[str]:
    """The one or two words right before `offset`, lowercased: each of 1 to 40 ASCII letters (the last 40 of a
    longer run), separated from `offset` (or its opening quote) and from each other by one or two spaces, within
    the 84 characters before it. A walk backwards: a regex searched over that window tried every start in it, the
    hottest call of the digest on lines full of hex ids (HBase's regions, S3's request ids)."""
    lo = max(0, offset - 84)
    words: list[str] = []
    # A quoted value (`API token "<hex>"`) or one behind a sigil (Matrix's `event $<hash>`): the words stand before it.
    j = offset - 1 if offset > lo and text[offset - 1] in "\"'$" else offset
    while len(words) < 2:
        k = j
        while k > lo and j - k < 3 and text[k - 1].isspace():
            k -= 1
        if not 1 <= j - k <= 2:
            break
        end = k
        while k > lo and end - k < 40 and text[k - 1] in _ASCII_LETTERS:
            k -= 1
        if k == end:
            break
        words.append(text[k:end].lower())
        j = k
    words.reverse()
    return words


def _identifier_word(text: str, offset: int) -> bool:
    """The value at `offset` follows a word that names an identifier (`event`, `job`, `ksuid`), and neither that
    word nor the one before it names a credential (`session id`, `secret id`, `api key id` stay secrets)."""
    words = _words_before(text, offset)
    return bool(words) and words[-1] in _ID_WORDS_BEFORE and not any(w in _SECRET_KEY_WORDS for w in words)


def _random_base36_key(piece: str, prefix: re.Match[str]) -> bool:
    """A lower-case key after a vendor's prefix: `hcaik_<58 random>`, Checkout.com's `sk_sbox_<26>`. The body
    (after the prefix and an environment word such as `sbox_`, `test_`, `live_`) is letters and digits mixed like
    a random string: 20 or more characters after a prefix that says key (TokPortal's `tok_live_<32 hex>`), 32 or
    more after any other (lower-case object ids, ULIDs like Paddle's `ctm_01h8441jn5pcwrfhwh78jqt8hk`, carry 26 or
    fewer)."""
    body = piece[prefix.end():]
    env = _OBJECT_ID.match(body)
    if env is not None and len(env.group(1)) <= 8:
        body = body[env.end():]
    keyish = prefix.group(1) in _KEYISH_PREFIXES
    if len(body) < (20 if keyish else KEY_BODY) or _BASE36.fullmatch(body) is None:
        return False
    # A hex body after a prefix that does not say key is left to the hex rule (`build_<commit sha>`).
    return not body.isdigit() and not body.isalpha() and entropy(body) >= 3.5 and (keyish or _HEX.fullmatch(body) is None)


_PROCESS_KEY = os.urandom(16)


def key_from_secret(secret: str | None) -> bytes:
    return hashlib.sha256(secret.encode()).digest()[:16] if secret else _PROCESS_KEY


@dataclass
class Redactor:
    """Replaces secrets with keyed placeholders and counts what it replaced.

    `extra` turns on the optional kinds: "ipv4", "ipv6", "aws_account_id".
    `entropy=False` turns the high-entropy rule off (benchmarks measure it apart).
    """

    extra: tuple[str, ...] = ()
    key: bytes = _PROCESS_KEY
    counts: Counter[str] = field(default_factory=Counter)
    max_chars: int = MAX_CHARS
    entropy: bool = True

    def __post_init__(self) -> None:
        unknown = set(self.extra) - set(OPTIONAL_RULES)
        if unknown:
            raise ValueError(f"unknown redaction kinds: {sorted(unknown)}; known: {sorted(OPTIONAL_RULES)}")
        self._rules = [(kind, re.compile(p) if p else None, g, re.compile(gate["pre"]) if "pre" in gate else None)
                       for kind, gate, p, g, _ in CONTEXT_RULES]
        # (literal, bits of every rule it gates): one flat pass over a line finds the rules to run.
        exact: dict[str, int] = {}
        exact_long: dict[str, int] = {}
        lower: dict[str, int] = {}
        for i, (_, gate, _, _, _) in enumerate(CONTEXT_RULES):
            into = exact_long if gate.get("long") else exact
            for word in gate.get("exact", ()):
                into[word] = into.get(word, 0) | (1 << i)
            for word in gate.get("lower", ()):
                lower[word] = lower.get(word, 0) | (1 << i)
        self._exact, self._exact_long = tuple(exact.items()), tuple(exact_long.items())
        self._lower = tuple(lower.items())
        # One C pass per group says whether any of its words is in the line at all; most lines hold none, and a
        # test per word (fifty-odd `in` scans) was a tenth of the digest's time per line.
        self._any_exact, self._any_exact_long, self._any_lower = (
            re.compile("|".join(re.escape(w) for w, _ in words) or "(?!)")
            for words in (self._exact, self._exact_long, self._lower))
        self._after = {word: re.compile(p) for word, p in CREDENTIAL_AFTER.items()}
        self._punctuated = {word: re.compile(p) for word, p in PUNCTUATED_AFTER.items()}
        # Token rules by the first two characters of their prefixes: a token is tried
        # only against the rules it could start.
        self._by_start: dict[str, list[tuple[tuple[str, ...], str, re.Pattern[str]]]] = {}
        for rule in TOKEN_RULES:
            rx = re.compile(rule.pattern)
            for start in dict.fromkeys(p[:2] for p in rule.prefixes):
                self._by_start.setdefault(start, []).append((rule.prefixes, rule.kind, rx))
        # Optional kinds have no literal gate: they run on every line.
        self._ungated = [(k, re.compile(OPTIONAL_RULES[k][0]), OPTIONAL_RULES[k][1]) for k in self.extra]
        self._blocks: dict[Hashable, int] = {}  # stream -> body lines still to follow
        self._opened = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def placeholder(self, kind: str, secret: str) -> str:
        digest = hmac.new(self.key, secret.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:4]
        return f"{PLACEHOLDER_OPEN}{kind}:{digest}>"

    def _triggered(self, text: str, long_run: bool) -> int:
        hit = 0
        if self._any_exact.search(text) is not None:
            for word, bits in self._exact:
                if word in text:
                    hit |= bits
        if long_run and self._any_exact_long.search(text) is not None:
            for word, bits in self._exact_long:
                if word in text:
                    hit |= bits
        low = text.lower()
        if self._any_lower.search(low) is not None:
            for word, bits in self._lower:
                if word in low:
                    hit |= bits
        return hit

    def might_hold_secret(self, text: str) -> bool:
        """False only when no rule could match: the cheap test every line takes."""
        return bool(self._ungated) or bool(self._blocks) or _has_long_run(text) or self._triggered(text, False) != 0

    def redact(self, text: str, stream: Hashable | None = None) -> str:
        """`text` with its secrets replaced; the same object when it holds none.

        `stream` names the sequence the text belongs to (a service's log stream): a
        private key's BEGIN line opens a block on that stream, and the stream's next
        lines up to END (at most MAX_BLOCK_LINES) are key material. None: `text` stands alone.
        """
        if len(text) > self.max_chars:
            text = f"{text[: self.max_chars]}<CUT:{len(text) - self.max_chars} chars>"
        if stream is not None and self._blocks and stream in self._blocks:
            text = self._block_line(text, stream)
        long_run = _has_long_run(text)
        hit = self._triggered(text, long_run)
        if hit:
            self._opened = False
            for i, (kind, rx, group, pre) in enumerate(self._rules):
                if not hit >> i & 1:
                    continue
                if rx is None:
                    text = self._credentials(text)
                elif (pre is None or pre.search(text)) and rx.search(text) is not None:
                    text = rx.sub(self._replacer(kind, group), text)
            if self._opened and stream is not None:
                self._open_block(stream)
        if long_run:
            text = self._tokens(text)
        for kind, rx, group in self._ungated:
            text = rx.sub(self._replacer(kind, group), text)
        return text

    # -- private keys over several records ------------------------------------------------

    def _open_block(self, stream: Hashable) -> None:
        self._blocks.pop(stream, None)
        if len(self._blocks) >= MAX_OPEN_BLOCKS:
            del self._blocks[next(iter(self._blocks))]
        self._blocks[stream] = MAX_BLOCK_LINES

    def _block_line(self, text: str, stream: Hashable) -> str:
        """A line inside an open private-key block: its base64 is key material."""
        end = _PEM_END.search(text)
        body = text if end is None else text[: end.start()]
        if end is not None or self._blocks[stream] <= 1:
            del self._blocks[stream]
        else:
            self._blocks[stream] -= 1
        if _BASE64_LINE.fullmatch(body) and body.strip():
            secret = body.strip()
            self.counts["private_key"] += 1
            clean = body.replace(secret, self.placeholder("private_key", secret))
        else:
            clean = _BASE64_RUN.sub(self._replacer("private_key", 0), body)
        return clean if end is None else clean + text[end.start():]

    # -- tokens: vendor prefixes, then entropy ---------------------------------------------

    def _tokens(self, text: str) -> str:
        spans: list[tuple[int, int, str]] = []
        last = 0
        by_start = self._by_start
        for start, stop in _long_runs(text):
            if start < last:
                continue  # inside a secret a rule matched past its token
            token = text[start:stop]
            found = None
            for prefixes, kind, rx in by_start.get(token[:2], ()):
                if token.startswith(prefixes):
                    hit = rx.match(text, start)
                    if hit is not None:
                        found = (start, hit.end(), kind)
                        break
            if found is not None:
                spans.append(found)
                last = found[1]
            elif self.entropy:
                if "." not in token:
                    if self._random_piece(text, start, token):
                        spans.append((start, stop, "high_entropy"))
                    continue
                offset = start
                for piece in token.split("."):  # JWT-like dotted parts are judged one by one
                    if len(piece) >= 20 and self._random_piece(text, offset, piece):
                        spans.append((offset, offset + len(piece), "high_entropy"))
                    offset += len(piece) + 1
        if not spans:
            return text
        out, end = [], 0
        for start, stop, kind in spans:
            secret = text[start:stop]
            out.append(text[end:start])
            out.append(self.placeholder(kind, secret))
            self.counts[kind] += 1
            end = stop
        out.append(text[end:])
        return "".join(out)

    @staticmethod
    def _random_piece(text: str, offset: int, piece: str) -> bool:
        """Is this long run of token characters a secret nobody told us about?"""
        whole = piece
        if piece[:1] == "/" and _TEMP_FILE.match(piece):
            return False
        if "/" in piece and _UUID_SEGMENT.search(piece):
            # A UUID segment of a path is an identifier (an Azure resource id); what is left decides.
            piece = _UUID_SEGMENT.sub("", piece)
            if len(piece) < 20:
                return False
        if "/" in piece and (link := _CAPABILITY_LINK.search(piece)) is not None:
            token = link.group(1)
            if _random_hex(token) or _looks_random(token):
                return True
        if "/" in piece and _COLLECTION_ID.search(piece):
            # So is a resource's id after its collection's name in a URL's path; what is left decides.
            piece = _COLLECTION_ID.sub(lambda m: m.group(0) if m.group(1).lower().endswith(_CREDENTIAL_ENDINGS)
                                       else m.group(1) + "/", piece)
            if len(piece) < 20:
                return False
        if not Redactor._random_body(text, offset, piece):
            return False
        # Random, but an identifier by what it says of itself: a hash labelled with its algorithm, or a value
        # under a key that names an id (checked last: most tokens never get here).
        return not (whole.startswith(_SRI) or (_HASH_LABEL.search(text, max(0, offset - 7), offset)
                                               and not _SIGNED_HASH.search(text, max(0, offset - 64), offset))
                    or _identifier_key(text, offset) or _identifier_word(text, offset))

    @staticmethod
    def _random_body(text: str, offset: int, piece: str) -> bool:
        if piece.islower() or piece.isupper():
            # Pod names, AWS resource ids, UUIDs, paths: one case. A hex string is a key unless
            # the words before it say it is a commit, a digest or an id.
            obj = _OBJECT_ID.match(piece)
            if obj is not None and piece.islower() and _random_base36_key(piece, obj):
                return True
            head = 0
            if obj is not None and obj.group(1) in _KEYISH_PREFIXES:
                head = obj.end()  # `live_<hex>`: the prefix says key, the hex is the key
            elif obj is not None and piece.islower() and obj.group(1) not in _ID_KEY_WORDS:
                # A vendor's prefix, perhaps with a kind word, before hex (Private Packagist's
                # `packagist_uut_<68 hex>`): the hex is judged as if it stood alone, the prefix among the
                # words before it, so `build_<sha>` and `commit_<sha>` stay identifiers.
                env = _OBJECT_ID.match(piece, obj.end())
                head = env.end() if env is not None and len(env.group(1)) <= 8 else obj.end()
            piece = piece[head:]
            if not _random_hex(piece):
                return False
            if any(w in _SECRET_KEY_WORDS for w in _words_before(text, offset)):
                return True  # `secret id <hex>`, `session id <hex>`: the id of a credential is the credential
            if head == 0 and _credential_key(text, offset):
                return True  # before the words nearby are read for an id: `triggerEvent=…` holds "rev"
            if (_SIGNED_HASH.search(text, max(0, offset - 64), offset + head)
                    or _USER_HMAC.search(text, max(0, offset - 16), offset + head)):
                return True
            if head == 0 and len(piece) in _DIGEST_LENGTHS and _names_a_file(text, offset + len(piece)):
                return False  # `sha256sum`'s layout: a file's digest, then the file
            before = text[max(0, offset - 48): offset + head].lower()
            return not (any(w in before for w in _HEX_ID_WORDS)
                        or (head == 0 and _OSLO_CONTEXT.search(text, max(0, offset - 240), offset) is not None))
        if _DIGIT.search(piece) is None:
            return False  # class names and words
        if "/" in piece and max(map(len, piece.split("/"))) < 16:
            return False  # a path
        word = text[text.rfind(" ", max(0, offset - 256), offset) + 1: offset]
        if "arn:" in word:
            return False  # a generated name inside an ARN (`role/ci-deploy-AbC123...`)
        obj = _OBJECT_ID.match(piece)
        if obj is not None and obj.group(1) not in _KEYISH_PREFIXES:
            # An object id (`ch_3Mml...`, `req_...`: 14 to 29 characters after the prefix), unless
            # what follows the prefix is as long as a key and random: vendors nobody listed
            # (`hf_`, `figd_`, `pcsk_`) put 32 or more random characters after theirs. A body with
            # a `/` is a generated name in a path (`assumed-role/eksctl-...`, `jaeger-span-.../xcVS...`).
            body = piece[obj.end():]
            return len(body) >= KEY_BODY and "/" not in body and _looks_random(body)
        return _looks_random(piece) or (_named_credential(text, offset) and _looks_random(piece, slack=0.8))

    def _vendor_kind(self, value: str, default: str) -> str:
        """The vendor's kind when a value found by its surroundings (`GH_TOKEN=...`) has a known format."""
        for prefixes, kind, rx in self._by_start.get(value[:2], ()):
            if value.startswith(prefixes) and rx.match(value) is not None:
                return kind
        return default

    # -- credentials by name ----------------------------------------------------------------

    def _credentials(self, text: str) -> str:
        low = text.lower()
        spans: list[tuple[int, int]] = []
        for word, after in self._after.items():
            p = low.find(word)
            while p != -1:
                m = None
                # `<SECRET:...>` is ours; a public, an idempotency or a data key is no credential by its name
                # (`_named_open`)
                if ((p == 0 or text[p - 1] != "<") and not (word == "key" and _named_open(low, p))
                        and not (word == "token" and _cursor_token(text, p))
                        and not _arn_resource_type(low, p, len(word))):
                    if _URL_VALUE.match(low, p + len(word)):
                        # a URL says where to get one (ngrok's `Install your authtoken: https://dashboard.ngrok.com/…`);
                        # the search goes on inside it, so a token in its query (`?token=`) is still found (a bounded
                        # look, not the value's rule: each keyword costs a constant however long the URL)
                        pass
                    elif (m := after.match(text, p + len(word))):
                        stop = _value_end(text, m.start(1), m.end(1))
                        if not (word == "key" and _data_key(text, low, p, m.start(1), stop)):
                            spans.append((m.start(1), stop))
                    elif (punctuated := self._punctuated_value(text, p + len(word), word)) is not None:
                        spans.append(punctuated)
                    elif (flagged := _flag_value(text, low, p)) is not None:
                        spans.append(flagged)
                # Past the value just matched: `pass=pass=pass=...` is read once, not once per word.
                p = low.find(word, m.end() if m else p + 1)
        if not spans:
            return text
        out, end = [], len(text)
        for start, stop in sorted(set(spans), reverse=True):
            if stop > end:
                continue  # overlaps a span already replaced
            if (_ARN.match(text, start) or _VAULT_HMAC.fullmatch(text, start, stop)
                    or text[start:stop].rstrip(")]").lower() in _NO_VALUE):
                # an AWS resource name under a key's name (`"kms_key": "arn:aws:kms:..."`) names, never holds; Vault's
                # audit HMAC of a token is the token's trace, not the token; a yes, a no or an empty word says whether
                # there is a credential (MySQL's `(using password: YES)`), not what it is
                continue
            out.append(text[stop:end])
            kind = self._vendor_kind(text[start:stop], "credential")
            out.append(self.placeholder(kind, text[start:stop]))
            self.counts[kind] += 1
            end = start
        out.append(text[:end])
        return "".join(reversed(out))

    def _punctuated_value(self, text: str, offset: int, word: str) -> tuple[int, int] | None:
        """A value too short for the rules before its first punctuation that runs on past it (`=HhZ,QACc-s&B?…`,
        `"ab,cd;ef"`): a credential when it is at least MIN_PUNCTUATED characters in all."""
        lead = self._punctuated[word].match(text, offset)
        if lead is None:
            return None
        start = lead.end()
        first = _VALUE_RUN.match(text, start)
        stop = first.end() if first else start
        end = _value_end(text, start, stop)
        return (start, end) if end > stop and end - start >= MIN_PUNCTUATED else None

    def _replacer(self, kind: str, group: int) -> Callable[[re.Match[str]], str]:
        def repl(m: re.Match[str]) -> str:
            whole: str = m.group(0)
            if kind == "exchange_key" and (whole.islower() or whole.isupper() or whole.isdigit()):
                return whole  # a hex digest or an all-caps id, not a key
            if kind == "private_key" and "-----END" not in whole:
                self._opened = True  # the body follows in the stream's next records
            if group == 0:
                self.counts[kind] += 1
                return self.placeholder(kind, whole)
            start, end = m.span(group)
            secret = m.group(group)
            named = self._vendor_kind(secret, kind)
            self.counts[named] += 1
            base = m.start()
            return whole[: start - base] + self.placeholder(named, secret) + whole[end - base :]

        return repl
