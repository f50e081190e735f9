"""Split a raw log line into its header (time, level, logger) and its message.

Lines arrive as the source stored them: syslog, Log4j, Python logging, Apache,
JSON envelopes from loki-logger-handler or Fluent Bit, logfmt. No per-system
format is configured; the header is recognised by the shape of its tokens,
so a new system's logs need no setup.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

LEVELS = {
    "TRACE": "DEBUG", "DEBUG": "DEBUG", "DBG": "DEBUG", "INFO": "INFO", "NOTICE": "INFO",
    "INF": "INFO", "WARN": "WARNING", "WARNING": "WARNING", "WRN": "WARNING",
    "ERROR": "ERROR", "ERR": "ERROR", "FATAL": "CRITICAL", "CRITICAL": "CRITICAL",
    "CRIT": "CRITICAL", "SEVERE": "ERROR", "PANIC": "CRITICAL", "ALERT": "CRITICAL",
    "EMERG": "CRITICAL", "LOG": "INFO", "DETAIL": "INFO", "HINT": "INFO", "STATEMENT": "INFO",
    "CONTEXT": "INFO",
}
_ZONES = frozenset(("UTC", "GMT", "Z", "CET", "CEST", "KST", "JST", "PST", "PDT", "EST", "EDT"))
MONTHS_DAYS = frozenset(
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun".split()
)
# A token that is part of a timestamp: digits joined by date/time separators.
_TIME_TOKEN = re.compile(r"^\d[\d:\-/.,T+Z]*(?:Z|[+-]\d\d:?\d\d)?$")
# A logger/component name that ends the header: `dfs.DataNode$PacketResponder:`,
# `sshd(pam_unix)[19939]:`, `org.apache.hadoop.Foo:`, `kernel:`.
_COMPONENT = re.compile(r"^[A-Za-z_][\w.$@/\-]*(?:\([\w.\-]*\))?(?:\[\d+\])?:$")
# `sqlalchemy.exc.TimeoutError:` opens a message, it does not name a logger.
_EXCEPTION_NAME = re.compile(r"(?:Error|Exception|Warning|Exit|Timeout|Failure|Interrupt)(?:\[\d+\])?:$")
_HOST = re.compile(r"^[A-Za-z0-9][\w.\-]*$")
# A program name before ` - `, as Proxifier and Windows tools write it: `chrome.exe - `.
_PROGRAM = re.compile(r"^[\w\-]+(?:\.[\w\-]+)+$")


@dataclass(slots=True)
class Parsed:
    """What the header told us; `message` is the rest of the line."""

    message: str
    level: str | None = None
    timestamp: str | None = None
    logger: str | None = None


def _level_of(token: str) -> str | None:
    return LEVELS.get(token.strip("[]():<>").upper())


def split_header(line: str) -> Parsed:
    """Return the message of `line` with its header set aside."""
    stripped = line.strip()
    if stripped[:1] == "{":
        parsed = _from_json(stripped)
        if parsed is not None:
            return parsed
    if "=" in stripped[:80] and (stripped.startswith(("time=", "ts=", "level=", "t=")) or " msg=" in stripped):
        parsed = _from_logfmt(stripped)
        if parsed is not None:
            return parsed
    return _from_text(stripped)


def _from_text(line: str) -> Parsed:
    tokens = line.split()
    n = len(tokens)
    i = 0
    saw_time = False
    level: str | None = None
    time_tokens: list[str] = []
    # Walk the leading tokens while they look like header parts; stop at the
    # first token that belongs to the message.
    after_separator = False
    while i < n and i < 10:
        tok = tokens[i]
        if tok[0] in "[(" and not (tok.endswith("]") or tok.endswith(")")):
            # A bracketed group with spaces: `[Sun Dec 04 04:47:44 2005]`, `[RMCommunicator Allocator]`.
            j = i + 1
            while j < n and j < i + 8 and not tokens[j].endswith(("]", ")")):
                j += 1
            if j >= n or j >= i + 8:
                break
            group = " ".join(tokens[i : j + 1])
            if ":" in group and any(c.isdigit() for c in group) and not saw_time and i == 0:
                saw_time = True
                time_tokens.append(group)
            elif saw_time or level:
                pass
            else:
                break
            i = j + 1
            continue
        if _TIME_TOKEN.match(tok) and tok.count(".") < 3 and (
            not tok.isdigit() or (i == 0 and len(tok) in (6, 8, 10, 13)) or (saw_time and len(time_tokens) < 2 and i < 3)
        ):
            if tok.isdigit() and saw_time and len(time_tokens) >= 2:
                i += 1  # a pid after the timestamp
                continue
            saw_time = True
            time_tokens.append(tok)
            i += 1
            continue
        if saw_time and tok in _ZONES:
            time_tokens.append(tok)
            i += 1
            continue
        if tok in MONTHS_DAYS and i < 3:
            saw_time = True
            time_tokens.append(tok)
            i += 1
            continue
        if tok[0] in "[(" and (saw_time or level or i == 0):
            inner_level = _level_of(tok)
            if inner_level and level is None:
                level = inner_level
            elif i == 0 and ":" in tok and any(c.isdigit() for c in tok):
                saw_time = True
                time_tokens.append(tok)
            elif not (saw_time or level):
                break
            i += 1
            continue
        lv = _level_of(tok) if level is None else None
        if lv and (tok.isupper() or tok[0] in "[<"):
            level = lv
            i += 1
            continue
        if (saw_time or level) and (tok == "-" or tok == "|" or tok.isdigit()):
            after_separator = not tok.isdigit()
            i += 1
            continue
        break
    logger = None
    # After ` - ` the header has ended (`... [Thread] - Message: detail`).
    if (saw_time or level) and not after_separator:
        if i < n and _COMPONENT.match(tokens[i]) and not _EXCEPTION_NAME.search(tokens[i]):
            logger = tokens[i][:-1]
            i += 1
        elif (i + 1 < n and _HOST.match(tokens[i]) and _COMPONENT.match(tokens[i + 1])
              and not _EXCEPTION_NAME.search(tokens[i + 1])):
            logger = tokens[i + 1][:-1]
            i += 2
        elif level is None and i + 1 < n and tokens[i + 1] == "-" and _PROGRAM.match(tokens[i]):
            logger = tokens[i]
            i += 2
        elif level is None and i + 2 < n and tokens[i + 2] == "-" and _PROGRAM.match(tokens[i]) and tokens[i + 1][0] == "*":
            logger = tokens[i]
            i += 3
        # `logger - ERROR - message` or `prog: ERROR: message`; a bare capital
        # word followed by text (`ALERT exited abnormally`) is the message's own.
        if level is None and i + 1 < n:
            tok = tokens[i]
            lv = _level_of(tok)
            if lv and tok.rstrip(":").isupper() and (tok.endswith(":") or tokens[i + 1] in ("-", "|")):
                level = lv
                i += 1 if tok.endswith(":") else 2
    if i == 0:
        return Parsed(message=line)
    return Parsed(
        message=" ".join(tokens[i:]),
        level=level,
        timestamp=" ".join(time_tokens) or None,
        logger=logger,
    )


_JSON_MESSAGE_KEYS = ("message", "msg", "log", "event", "text")
_JSON_LEVEL_KEYS = ("level", "levelname", "severity", "lvl", "log.level")
_JSON_TIME_KEYS = ("timestamp", "time", "ts", "@timestamp", "asctime")
_JSON_LOGGER_KEYS = ("logger", "name", "logger_name", "module", "component")


def _from_json(line: str) -> Parsed | None:
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    message = next((obj[k] for k in _JSON_MESSAGE_KEYS if isinstance(obj.get(k), str)), None)
    if message is None:
        return None
    inner = split_header(message) if obj.get("log") == message else None
    level = next((str(obj[k]) for k in _JSON_LEVEL_KEYS if obj.get(k)), None)
    stamp = next((str(obj[k]) for k in _JSON_TIME_KEYS if obj.get(k) is not None), None)
    logger = next((str(obj[k]) for k in _JSON_LOGGER_KEYS if isinstance(obj.get(k), str)), None)
    if isinstance(obj.get("exc_info"), str) and obj["exc_info"]:
        message = f"{message} | {obj['exc_info'].strip().splitlines()[-1]}"
    if inner is not None:
        return Parsed(message=inner.message, level=inner.level or _norm_level(level),
                      timestamp=inner.timestamp or stamp, logger=inner.logger or logger)
    return Parsed(message=message, level=_norm_level(level), timestamp=stamp, logger=logger)


_LOGFMT_PAIR = re.compile(r'(\w[\w.]*)=("(?:[^"\\]|\\.)*"|\S*)')


def _from_logfmt(line: str) -> Parsed | None:
    fields = {k: v[1:-1].replace('\\"', '"') if v.startswith('"') else v for k, v in _LOGFMT_PAIR.findall(line)}
    message = fields.get("msg") or fields.get("message")
    if message is None:
        return None
    return Parsed(
        message=message,
        level=_norm_level(fields.get("level") or fields.get("lvl")),
        timestamp=fields.get("time") or fields.get("ts") or fields.get("t"),
        logger=fields.get("logger") or fields.get("caller") or fields.get("component"),
    )


def _norm_level(value: str | None) -> str | None:
    if value is None:
        return None
    return LEVELS.get(value.strip().upper())
