"""Log-template mining: an implementation of Drain (He et al., ICWS 2017).

Why our own and not drain3: drain3 0.9.11 pins `jsonpickle==1.5.1` and
`cachetools==4.2.1` exactly, and on whole raw lines (no per-system header
format) it groups only 0.44 of Loghub-2k correctly; see README "Template mining".

What differs from the paper's setup:
- the header (time, level, logger) is recognised by token shape in
  `header.split_header`, so raw lines from any system can be fed in;
- every digit is folded to `0` before anything else, so a line that differs
  from one already seen only in its numbers hits a dictionary (the fast path)
  and never walks the tree;
- any token containing a digit is a variable: numbers, ids, addresses,
  durations, `host:port` (`key=value` keeps its key), and so are month and
  weekday names; except a code that tells behaviour apart, recognised by its
  context (`HTTP/1.1" 500`, `GET /x 200`, `status=503`, `exit code 137`,
  `[Errno 111]`, `signal 9`, a syslog `<3>`) or a Java class's package path
  (`com.amazonaws.services.s3.model.AmazonS3Exception`): `fold_digits` keeps its digits,
  it stays a constant, and two templates differing only there never merge;
- a wildcard in the message matching a wildcard in the template counts as a
  match, so messages made mostly of variables still find their template;
- a value without digits beside a variable joins the run of variables its
  digit-bearing twin made (`_join_across_a_run`), and a crowded leaf is searched
  through an index of its templates' tokens, not scanned (`_Leaf`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from doctor.digest.header import CISCO_MNEMONIC, MONTHS_DAYS, split_header
from doctor.digest.redact import PLACEHOLDER_HASH, PLACEHOLDER_OPEN

WILDCARD = "<*>"
# The one template of every line unlike all the templates made before the cap (`TemplateMiner.max_templates`).
OVERFLOW = "<*> (lines unlike every template made before the cap on templates)"
_FOLD_DIGITS = bytes.maketrans(b"123456789", b"000000000")
# A behaviour code: its context names it. At most three digits (HTTP status, exit code,
# errno, signal), so an id after `code=` stays a variable. Each context is found with
# str.find on a keyword and its pattern matched only there: one alternation searched at
# every position costs ~50 us a line in `re`, this ~1 us. All patterns are linear.
_SEP = r"""["']?(?: ?[=:] ?| )["']?"""
# A period after the code ends a sentence (`Process completed with exit code 1.`); a digit after it makes a version.
_TAIL = r"(\d{1,3})(?!\w|\.\d)"
# A class named by its package path is the event, digits and all: `com.amazonaws.services.s3.model.
# AmazonS3Exception:`, `io.netty.handler.codec.http2.Http2Exception`. Lower-case package parts, then a
# capitalised class name: host names (`ip-10-0-0-1.ec2.internal`) and versions do not look like that.
# Two uses of one shape: under the common top-level packages `fold_digits` keeps the digits (so the
# template shows the class as written), and any token of this shape stays a constant in `mask_tokens`.
_PACKAGE_PART = r"[a-z][a-z0-9_]{0,40}\."
_CLASS_NAME = r"[A-Z][A-Za-z0-9_$]{0,80}"
_CLASS_AT = re.compile(rf"((?:com|org|io|net|software)\.(?:{_PACKAGE_PART}){{1,12}}{_CLASS_NAME})")
_CLASS_PATH = re.compile(rf"(?:{_PACKAGE_PART}){{2,12}}{_CLASS_NAME}(?:\.[a-z]\w{{0,40}})?[:,;]?$")
_CONTEXTS = (
    ("http/", re.compile(r'HTTP/\d(?:\.\d)?"? ' + _TAIL, re.I)),  # `"GET /x HTTP/1.1" 500`
    ("status", re.compile(r"status(?:[ _]?code)?" + _SEP + _TAIL, re.I)),  # `status=503`, `status code 403`
    ("exit", re.compile(r"exit(?:ed with |[ _]?)(?:code|status)" + _SEP + _TAIL, re.I)),  # `exit code: 137`
    ("errno", re.compile(r"errno" + _SEP + r"(\d{1,4})(?!\w|\.\d)", re.I)),  # `[Errno 111]`, `errno=28`
    ("signal", re.compile(r"signal" + _SEP + _TAIL, re.I)),  # `killed by signal 9`
    ("%", re.compile(CISCO_MNEMONIC)),  # Cisco's severity: `%LINK-3-UPDOWN:`
    ("]: 01", re.compile(r"\]: 01[0-9a-f]{6}:([0-7]):")),  # F5 BIG-IP's severity after its message code: `01020066:3:`
    ('" type="', re.compile(r'" type="([0-3])"')),  # ConfigMgr's severity among its attributes: `type="3"`
    # pino's and bunyan's level numbers (`"level":50`), GELF's syslog severity (`"level":3`)
    ('"level":', re.compile(r'"level": ?([1-6]0|[0-7])(?![\w.])')),
    ('"priority":', re.compile(r'"PRIORITY": ?"([0-7])"')),  # journald's export: the syslog severity in a string
    ('"log_level":', re.compile(r'"log_level": ?([0-3])(?![\w.])')),  # Cloud Foundry's lager: `"log_level":2`
    # A Java class named by its package path keeps its digits (`_CLASS_AT`).
    *((top, _CLASS_AT) for top in ("com.", "org.", "io.", "net.", "software.")),
)
# `GET /positions 500`: a request line without its protocol.
_METHODS = ("GET ", "POST ", "PUT ", "DELETE ", "PATCH ", "HEAD ", "OPTIONS ")
_REQUEST = re.compile(r'(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) [^\s"]{1,2048} (\d{3})(?![\w.])')
_PRIORITY = re.compile(r"<(\d{1,3})>")
# Whether any context's keyword or any method is in a line at all: one C pass each, where a test per word was two
# Python generators a line
_ANY_CONTEXT = re.compile("|".join(re.escape(keyword) for keyword, _ in _CONTEXTS))
_ANY_METHOD = re.compile("|".join(re.escape(method) for method in _METHODS))
# Digits other than 0 in a folded line were kept on purpose (a code).
CODE_DIGIT = re.compile(r"[1-9]")
_CODE_SCAN_CHARS = 4096


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where the digits of behaviour codes are in `text` (see `_CONTEXTS`)."""
    head = text[:_CODE_SCAN_CHARS]
    low = head.lower()
    if _ANY_CONTEXT.search(low) is None and _ANY_METHOD.search(head) is None and head[:1] != "<":
        return []  # most lines: two searches in C and done
    spans = []
    for keyword, pattern in _CONTEXTS:
        i = low.find(keyword)
        while i >= 0:
            m = pattern.match(head, i)
            if m is not None:
                spans.append(m.span(1))
            i = low.find(keyword, i + 1)
    for method in _METHODS:
        i = head.find(method)
        while i >= 0:
            m = _REQUEST.match(head, i)
            if m is not None:
                spans.append(m.span(1))
            i = head.find(method, i + 1)
    if head[:1] == "<":
        m = _PRIORITY.match(head)
        if m is not None:
            spans.append(m.span(1))
    return spans


def fold_digits(text: str) -> str:
    """Every digit becomes `0`, except those of a behaviour code and of a syslog priority or severity
    (`code_spans`). Done on UTF-8 bytes: bytes.translate is ~15x faster than str.translate,
    and digit bytes never occur inside a multi-byte character, so positions are unchanged."""
    folded = text.encode("utf-8", "surrogatepass").translate(_FOLD_DIGITS).decode("utf-8", "surrogatepass")
    spans = code_spans(text)
    if spans:
        parts: list[str] = []
        last = 0
        for start, end in sorted(spans):
            if start < last:
                continue
            parts += (folded[last:start], text[start:end])
            last = end
        parts.append(folded[last:])
        folded = "".join(parts)
    if PLACEHOLDER_OPEN in folded:
        # A placeholder's hash is keyed per process: one form for all, so that no header or template rule reads
        # its letters (`<SECRET:email:eeeb>:` was a logger where `<SECRET:email:4128>:` was not).
        folded = PLACEHOLDER_HASH.sub(r"\1:0000>", folded)
    return folded


def is_code(token: str) -> bool:
    """A token of a folded line that carries a kept code (it has a digit other than 0)."""
    return CODE_DIGIT.search(token) is not None


_UNITS = frozenset(
    "B KB MB GB TB KiB MiB GiB TiB b kb mb gb ms us µs ns s sec secs seconds min mins h % x".split()
)


_EMPTY_VALUES = frozenset(("()", "[]", "{}", "''", '""', "<>"))


def _is_unit(tok: str) -> bool:
    return tok.strip("(),;:]") in _UNITS


_MAX_QUOTED_TOKENS = 8


def _join_quoted(toks: list[str]) -> list[str]:
    """A quoted value of a key with spaces is one token (`tag="View Lock",`), so that values of one and
    of two words keep the tokens after them aligned. Only a `key="` opens one: a quoted request line
    (`"GET /x HTTP/1.1"`) keeps its method and protocol apart. A quote left open for more than a few
    tokens is punctuation, not a value: the tokens stay as they were."""
    if not any('="' in t and t.count('"') % 2 for t in toks):
        return toks
    out: list[str] = []
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        if '="' in tok and tok.count('"') % 2:
            j = i + 1
            while j < n and j <= i + _MAX_QUOTED_TOKENS and toks[j].count('"') % 2 == 0:
                j += 1
            if j < n and j <= i + _MAX_QUOTED_TOKENS:
                out.append(" ".join(toks[i : j + 1]))
                i = j + 1
                continue
        out.append(tok)
        i += 1
    return out


def mask_tokens(message: str) -> list[str]:
    """Tokens of an already digit-folded message, variables replaced by `<*>`.

    A quantity's unit (`12 ms`, `(1.01 KB)`) is part of the variable, a run of
    variables is one variable, and a parenthesised quantity that restates the
    one before it (`1035 bytes (1.01 KB)`) is dropped: all three vary in
    length between lines of the same template.
    """
    out: list[str] = []
    toks = _join_quoted(message.split())
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        i += 1
        # A redaction placeholder is a variable whatever its hash: the hash is keyed per process, so whether
        # it holds a digit (and would be masked like any id) must not decide the template.
        if ("0" in tok and not is_code(tok) and _CLASS_PATH.match(tok) is None) or PLACEHOLDER_OPEN in tok:
            if tok[0] == "(" and out and not tok.endswith(")") and i < n and toks[i].endswith(")") and _is_unit(toks[i]):
                i += 1  # `(1.01 KB)` after a quantity restates it
                continue
            eq = tok.find("=")
            # `key=<value>`: a key holds no digit and no placeholder (`<HostId><SECRET:...:bdbd>=</HostId>`, base64's
            # padding after a redacted value, is one variable whatever the hash)
            if 0 < eq < len(tok) - 1 and "0" not in tok[:eq] and PLACEHOLDER_OPEN not in tok[:eq]:
                out.append(tok[: eq + 1] + WILDCARD)
                continue
            if not out or out[-1] != WILDCARD:
                out.append(WILDCARD)
        elif tok in MONTHS_DAYS or tok in _EMPTY_VALUES or (out and out[-1] == WILDCARD and _is_unit(tok)):
            # a date written out inside the message, an empty value (`host ()`), or the unit of a quantity
            if out[-1:] != [WILDCARD]:
                out.append(WILDCARD)
        else:
            out.append(tok)
    return out


def _same_key(a: str, b: str) -> bool:
    """Two `key=value` tokens of one key (the values differ)."""
    eq = a.find("=")
    return 0 < eq < len(a) - 1 and b.startswith(a[: eq + 1]) and len(b) > eq + 1


def _merge(a: str, b: str) -> str:
    """The template token for two differing tokens: `key=<*>` when they share a key, else `<*>`."""
    return a[: a.find("=") + 1] + WILDCARD if _same_key(a, b) else WILDCARD


@dataclass(slots=True, eq=False)
class Template:
    id: int
    tokens: list[str]
    size: int = 0
    codes: list[int] = field(default_factory=list)  # positions of kept codes, which never widen

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass(slots=True)
class Assignment:
    """The result of mining one line: its template and what its header said."""

    template: Template
    level: str | None
    logger: str | None


# Templates in a leaf from which its candidates come from its index rather than a scan of them all.
_INDEXED_FROM = 16


def _index_key(tok: str) -> str:
    """What two tokens at one position share when they can count as the same: the token, or the key of a
    `key=value` (`_same_key`)."""
    eq = tok.find("=")
    return tok[: eq + 1] if 0 < eq < len(tok) - 1 else tok


@dataclass(slots=True, eq=False)
class _Leaf:
    """The templates one route through the tree ends in, their tokens indexed by position.

    A few templates are scanned, as Drain does. A crowded leaf (a log whose lines each differ from the others in
    several words) would make every new line cost a comparison with every template before it, quadratic in the
    lines: 388 lines/s at 4,000 such lines. There the index gives only the templates that share enough positions
    with the message to reach the similarity threshold (`candidates`), and the result is the same.
    """

    ranks: dict[Template, int] = field(default_factory=dict)  # in the order they joined: the scan's order
    postings: dict[tuple[int, str], set[Template]] = field(default_factory=dict)
    joined: int = 0

    def add(self, template: Template) -> None:
        self.ranks[template] = self.joined
        self.joined += 1
        for i, tok in enumerate(template.tokens):
            self.postings.setdefault((i, _index_key(tok)), set()).add(template)

    def remove(self, template: Template) -> None:
        del self.ranks[template]
        for i, tok in enumerate(template.tokens):
            self._unpost(i, tok, template)

    def retoken(self, template: Template, tokens: list[str]) -> None:
        """Widen `template` to `tokens` (of its length), keeping the index true."""
        for i, (old, new) in enumerate(zip(template.tokens, tokens)):
            if _index_key(old) != _index_key(new):
                self._unpost(i, old, template)
                self.postings.setdefault((i, _index_key(new)), set()).add(template)
        template.tokens = tokens

    def _unpost(self, i: int, tok: str, template: Template) -> None:
        key = (i, _index_key(tok))
        posted = self.postings[key]
        posted.discard(template)
        if not posted:
            del self.postings[key]

    def candidates(self, pattern: Sequence[str | None], need: int) -> list[Template]:
        """The templates that may equal `pattern` at `need` or more of its positions (None: any token), and maybe
        others, in the order they joined: all of a small leaf; of a crowded one, those in the postings of the
        `known - need + 1` positions with the fewest templates (one that is in none of them matches fewer)."""
        if len(self.ranks) < _INDEXED_FROM:
            return list(self.ranks)
        known = [(i, _index_key(tok)) for i, tok in enumerate(pattern) if tok is not None]
        slack = len(known) - need
        if slack < 0:
            return []
        rarest = sorted((self.postings.get(key, set()) for key in known), key=len)[: slack + 1]
        return sorted(set().union(*rarest), key=self.ranks.__getitem__)


@dataclass
class TemplateMiner:
    """Streaming Drain: `add(line)` returns the line's template, creating or widening one.

    similarity: share of a template's constant tokens a message must match to join it.
    depth: tokens of a message's prefix that route it through the tree (Drain's depth - 2).
    cache_size: folded lines remembered for the fast path; beyond it, new lines are
    still mined, only not remembered (memory stays bounded on a 1M-line window).
    max_templates: templates made at most; a line unlike all of them joins one template, `overflow`,
    so that a source of free text (or a hostile one) cannot grow the miner without bound.
    """

    similarity: float = 0.75
    depth: int = 2
    max_children: int = 100
    cache_size: int = 200_000
    max_templates: int = 20_000
    templates: list[Template] = field(default_factory=list)
    overflow: Template | None = None
    # length -> token -> ... -> token -> None -> leaf; `depth` tokens deep, a level per token
    _tree: dict[int, dict[str | None, Any]] = field(default_factory=dict)
    _seen_lines: dict[str, Assignment] = field(default_factory=dict)
    _seen_masks: dict[str, Template] = field(default_factory=dict)

    def add(self, line: str) -> Assignment:
        """Mine one raw line (header and all)."""
        folded = fold_digits(line)
        hit = self._seen_lines.get(folded)
        if hit is not None:
            hit.template.size += 1
            return hit
        assignment = self.add_folded(folded)
        if len(self._seen_lines) < self.cache_size:
            self._seen_lines[folded] = assignment
        return assignment

    def add_folded(self, folded: str) -> Assignment:
        """Mine a raw line whose digits were already folded by `fold_digits`."""
        parsed = split_header(folded)
        key = parsed.message
        template = self._seen_masks.get(key)
        if template is None:
            template = self._match_or_create(mask_tokens(key))
            if len(self._seen_masks) < self.cache_size:
                self._seen_masks[key] = template
        template.size += 1
        return Assignment(template=template, level=parsed.level, logger=parsed.logger)

    def _leaf(self, tokens: list[str], *, create: bool = True) -> _Leaf:
        """The leaf `tokens` route to: a token a full node has no child for goes the wildcard's way. Without
        `create`, nothing is added to the tree, and a route that ends nowhere gives an empty leaf."""
        node: dict[str | None, Any] | None = (self._tree.setdefault(len(tokens), {}) if create
                                              else self._tree.get(len(tokens)))
        for tok in tokens[: self.depth]:
            if node is None:
                return _Leaf()
            child = node.get(tok)
            if child is None:
                if tok != WILDCARD and len(node) >= self.max_children:
                    tok = WILDCARD
                    child = node.get(tok)
                if child is None and create:
                    child = node[tok] = {}
            node = child
        if node is None:
            return _Leaf()
        leaf: _Leaf | None = node.get(None)
        if leaf is None:
            leaf = node.setdefault(None, _Leaf()) if create else _Leaf()
        return leaf

    def _match_or_create(self, tokens: list[str]) -> Template:
        leaf = self._leaf(tokens)
        best, best_sim, best_params = None, -1.0, -1
        n = len(tokens) or 1
        coded = [i for i, t in enumerate(tokens) if is_code(t)]
        for cand in leaf.candidates(tokens, self._need(n)):
            same = params = 0
            for a, b in zip(cand.tokens, tokens):
                if a == b:
                    same += 1
                elif a == WILDCARD:
                    params += 1
                elif _same_key(a, b):
                    same += 1  # `tag="View Lock",` and `tag="*launch*",`: one key, its value is data
            if cand.codes != coded or any(cand.tokens[i] != tokens[i] for i in coded):
                continue  # `GET /x 200` and `GET /x 500` stay apart however similar the rest
            sim = same / n
            if sim > best_sim or (sim == best_sim and params > best_params):
                best, best_sim, best_params = cand, sim, params
        if best is not None and best_sim >= self.similarity:
            merged = [a if a == b else _merge(a, b) for a, b in zip(best.tokens, tokens)]
            if merged != best.tokens:
                leaf.retoken(best, merged)
            return best
        joined = self._join_across_a_run(tokens, coded)
        if joined is not None:
            return joined
        if len(self.templates) >= self.max_templates:
            if self.overflow is None:
                self.overflow = Template(id=len(self.templates), tokens=OVERFLOW.split())
                self.templates.append(self.overflow)
            return self.overflow
        template = Template(id=len(self.templates), tokens=list(tokens), codes=coded)
        self.templates.append(template)
        leaf.add(template)
        return template

    def _need(self, n: int) -> int:
        """Positions of `n` a template must share with a message to reach `similarity`."""
        return math.ceil(self.similarity * n - 1e-9)

    def _join_across_a_run(self, tokens: list[str], coded: list[int]) -> Template | None:
        """A value with no digit beside a variable, where the same event elsewhere had a digit in it.

        A run of variables is one `<*>` (`mask_tokens`), so `for ns.example.com [<*>] failed` is one token
        longer than `for <*> failed` (a host with digits joins the address's run): the two never meet in the
        tree, whose first split is length. Only when everything else is equal, constants and codes alike, and
        only for a value-shaped token (a host, path, address: `_runs_into_a_variable`), not a word, which
        may be what tells two events apart. The longer template, when it came first, is widened to the shorter.
        """
        if len(tokens) <= self.depth + 1:
            return None
        # this message is the longer one: its value joins an existing template's run
        for i in range(self.depth, len(tokens)):
            if _runs_into_a_variable(tokens, i):
                shorter = tokens[:i] + tokens[i + 1 :]
                need = self._need(len(shorter))
                for cand in self._leaf(shorter, create=False).candidates(shorter, need):
                    if (cand.codes == [c - (c > i) for c in coded] and _fits(cand.tokens, shorter)
                            and _shared(cand.tokens, shorter) >= need):
                        return cand
        if WILDCARD not in tokens[self.depth :]:
            return None
        # this message is the shorter one: an existing template's value joins this message's run
        longer = self._leaf(tokens[: self.depth] + [WILDCARD] + tokens[self.depth :], create=False)
        patterns: list[list[str | None]] = []
        for j in range(self.depth, len(tokens)):
            if tokens[j] == WILDCARD:  # the value is before the run or after it, at j or at j + 1
                patterns += ([*tokens[:j], None, *tokens[j:]], [*tokens[: j + 1], None, *tokens[j + 1 :]])
        need = self._need(len(tokens))
        found = {cand for pattern in patterns for cand in longer.candidates(pattern, need)}
        for cand in sorted(found, key=longer.ranks.__getitem__):  # the order they joined, as a scan would meet them
            for k in range(self.depth, len(cand.tokens)):
                if not _runs_into_a_variable(cand.tokens, k):
                    continue
                shorter = cand.tokens[:k] + cand.tokens[k + 1 :]
                run = k if k < len(shorter) and shorter[k] == WILDCARD else k - 1  # where the value's run is now
                if tokens[run] != WILDCARD:
                    continue  # this message has a word there: not the same event with a digit in its value
                if ([c - (c > k) for c in cand.codes] == coded and _fits(shorter, tokens)
                        and _shared(shorter, tokens) >= need):
                    longer.remove(cand)
                    cand.tokens = [a if a == b else _merge(a, b) for a, b in zip(shorter, tokens)]
                    cand.codes = coded
                    self._leaf(cand.tokens).add(cand)
                    return cand
        return None


def _runs_into_a_variable(tokens: list[str], i: int) -> bool:
    """`tokens[i]` is a value with no digit (a host, a path, an address) beside exactly one variable."""
    tok = tokens[i]
    if tok == WILDCARD or "=" in tok or _CLASS_PATH.match(tok) is not None:
        return False
    inner = tok.strip("()[]{}<>,;:'\"")
    if not any(c in inner for c in "./@_-") or not any(c.isalpha() for c in inner):
        return False
    before = i > 0 and tokens[i - 1] == WILDCARD
    after = i + 1 < len(tokens) and tokens[i + 1] == WILDCARD
    return before != after


def _shared(template: list[str], tokens: list[str]) -> int:
    """Positions where `template` and `tokens` can count as the same (`_index_key`): what similarity judges."""
    return sum(_index_key(a) == _index_key(b) for a, b in zip(template, tokens))


def _fits(template: list[str], tokens: list[str]) -> bool:
    """Every constant of `template` is in `tokens` at its place (its variables take anything)."""
    return len(template) == len(tokens) and all(a == b or a == WILDCARD for a, b in zip(template, tokens))


def assign_templates(lines: list[str]) -> list[str]:
    """One template key per raw line, for benchmarks; lines sharing a key share a template."""
    miner = TemplateMiner()
    ids = [miner.add(line).template.id for line in lines]
    return [str(i) for i in ids]

