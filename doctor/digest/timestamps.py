"""Turn the timestamp text of a log header into an aware UTC datetime, fast.

A stream (one file, one log group, one Loki stream) writes its timestamps one
way. `TimeReader` finds that way once, from the first line that carries a time
(`detect`), and reads every later line with that format's compiled pattern and
a per-second cache, so a million lines cost a million regex matches and a few
thousand `datetime` constructions, never `strptime`. When a line stops
matching (a second format interleaved, a rotated file), it detects again.

The formats are those of Logstash's grok date patterns and Fluent Bit's bundled
parsers (`FORMATS` below, one test each in tests/test_timestamps.py). A format
without a year takes it from the reference time (the window's end, else now),
one year earlier when that would put the line in the future; one without a zone
is read as UTC. `TimeReader.assumed` says which was done, for the digest notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

UTC = UTC
_ZERO = timedelta(0)
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
# The months' abbreviations as an alternation, in title case (`Jan|Feb|...`); the header splitter reads them too.
MONTH_ABBRS = "|".join(_MONTHS)
# Title case, or capitals as Oracle writes them (`15-MAY-2018 10:34:44`).
_MON = f"(?P<mon>{MONTH_ABBRS}|{MONTH_ABBRS.upper()})"
# Month names in full, as Kibana's default date format writes them (`December 21st 2019, 15:26:51.796`).
_MONTH = (r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November"
          r"|December)")
# syslog's and journald's `%b` in other locales (glibc's abbreviations: German, French, Spanish, Italian,
# Portuguese, Dutch, Swedish, Czech, Polish, Russian, Estonian; Chinese, Japanese and Korean below):
# `zář 15 09:22:48`, `nov. 19 05:21:27`, `veebr 12 22:33:52`.
# No two locales give one abbreviation different months. Only the syslog head reads them: the words alone
# (`set`, `out`, `mag`) are too common to mean a month anywhere else.
_LOCALE_MONTHS = {name: number for number, names in enumerate((
    "jän janv. ene gen led sty янв jaan", "févr. fév. fev úno lut фев veebr", "mär mars mrt bře мар märts",
    "avr. avril abr dub kwi апр", "mai mag mei maj kvě мая", "juin giu juni čen čvn cze июн juuni",
    "juil. lug juli čec čvc lip июл juuli", "août ago srp sie авг", "sept. set zář wrz сен sept",
    "okt ott out říj paź окт", "lis ноя", "déc. dic dez pro gru дек dets"), 1) for name in names.split()}
# Chinese, Japanese and Korean write the month's number and a character: `5月 29 22:10:43`, `5월 29 ...`.
_LOCALE_MONTHS.update({f"{number}{mark}": number for number in range(1, 13) for mark in "月월"})
# With the English abbreviations in lower case, with or without a dot (Spanish `nov`, French `nov.`): every
# month name syslog's head may carry in any locale, lower-cased.
SYSLOG_MONTHS = {**_LOCALE_MONTHS, **{f"{m.lower()}{dot}": n for m, n in _MONTHS.items() for dot in ("", ".")}}
_MON_LOCALE = "(?P<mon>" + "|".join(sorted((re.escape(m) for m in SYSLOG_MONTHS), key=len, reverse=True)) + ")"
_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_HMS = r"(?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d)"
_FRAC = r"(?:[.,](?P<f>\d{1,9}))?"
# log15's level words, four letters (`EROR`, `DBUG`) or, in its forks, whole, glued to its bracketed time
LOG15_LEVEL_WORDS = "TRCE|DBUG|DEBUG|INFO|WARN|EROR|ERROR|CRIT"
# A level before log15's and Tendermint's bracketed time: a letter, or one of log15's words (geth puts a space after).
_LOG15_LEVEL = rf"(?:[IEDW]|(?:{LOG15_LEVEL_WORDS}) ?)"
# A 12-hour clock's hour has one digit or two, and `AM`/`PM` after the time says which half.
_HMS12 = r"(?P<H>\d\d?):(?P<M>\d\d):(?P<S>\d\d)"
_AMPM = r"(?: ?(?P<p>[AP]M)\b)?"
# Zone abbreviations that mean one offset wherever they are written (date(1), Java's `z` and Python's `%Z` print them),
# in minutes east of UTC. CST, IST, BST, AST and GST each name several zones and are left out: a time written with
# one of them is read as UTC, and the digest says the zone was assumed.
_ZONE_OFFSETS = {"WET": 0, "WEST": 60, "CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "EET": 120, "EEST": 180,
                "MSK": 180, "PST": -480, "PDT": -420, "MST": -420, "MDT": -360, "CDT": -300, "EST": -300, "EDT": -240,
                "AKST": -540, "AKDT": -480, "HST": -600, "JST": 540, "KST": 540, "AEST": 600, "AEDT": 660,
                "ACST": 570, "ACDT": 630, "AWST": 480, "NZST": 720, "NZDT": 780, "SGT": 480, "HKT": 480, "WIB": 420,
                "SAST": 120, "BRT": -180}
# Every zone abbreviation in use (the tz database's, for the zones of the world's larger cities): those above and the
# ones with no single offset, which a header may still carry after its time. A list, not a shape: any two to five
# capitals after the time also took WAL-G's `FILE` of `FILE PATH: ...` and OrientDB's level `WARNI` for a zone.
ZONE_NAMES = frozenset(_ZONE_OFFSETS) | frozenset("""UT UTC GMT BST IST TRT GST PKT NPT BDT ICT WITA WIT PHT MYT CST CHST
    SST HDT AST ADT NST NDT ART CLT CLST COT PET UYT VET BOT PYT CAT EAT WAT IDT IRST AFT UZT SAMT YEKT OMST KRAT IRKT
    YAKT VLAT MAGT PETT""".split())
_ZONE_NAME = "|".join(sorted(_ZONE_OFFSETS, key=len, reverse=True))
# A zone that is part of the timestamp: `Z`, `+01:00`, ` +0100`, ` UTC`, ` CEST`, or ISO 8601's hours alone glued to
# the time (macOS' install.log: `2020-12-22 12:02:09+01`).
_ZONE = r"(?P<z>Z|[+-]\d\d:?\d\d|[+-]\d\d(?![\d:])| [+-]\d\d:?\d\d(?!\d)| UTC\b| GMT\b| (?:" + _ZONE_NAME + r")\b)?"
# Epoch times from 1990 to 2100: anything else is an id, not a time.
_EPOCH_MIN, _EPOCH_MAX = 631_152_000, 4_102_444_800


@dataclass(frozen=True, slots=True)
class TimeFormat:
    """One way of writing a timestamp. `regex` matches at the timestamp's first character."""

    name: str
    regex: re.Pattern[str]
    has_year: bool = True
    has_zone: bool = False
    frac_is_ms: bool = False  # `22:15:29:606` counts milliseconds, `:6` is 6 ms, not 600
    epoch: bool = False
    has_frac: bool = False
    # A time of day alone (`11:22:02.864 [main] INFO ...`, logback's and Serilog's console default): the
    # date comes from the reference, and a stream that writes dates never switches to such a format.
    dateless: bool = False
    iso: bool = False  # the matched text is valid for `datetime.fromisoformat` (C code) as it stands


def _month(name: str) -> int:
    """A month's number from its English name or abbreviation, or another locale's abbreviation."""
    return _MONTHS.get(name[:3].title()) or SYSLOG_MONTHS[name.lower()]


def _fmt(name: str, pattern: str, **kw: bool) -> TimeFormat:
    regex = re.compile(pattern)
    return TimeFormat(name, regex, has_frac="f" in regex.groupindex, **kw)


# pion/logging's default logger (Pion WebRTC's libraries and the SFUs built on them): its scope and its level before
# Go's log time, `sctp ERROR: 2020/09/22 19:46:50 …` (the header splitter reads it as the line's head too).
PION_HEAD = r"([a-z][\w-]{0,30}) (TRACE|DEBUG|INFO|WARNING|ERROR): "
# Python's `%(name)s %(levelname)s ` before its `%(asctime)s` (Galaxy's job handlers: `galaxy.jobs DEBUG 2021-03-17 …`;
# the header splitter reads it as the line's head too).
PY_NAME_LEVEL_HEAD = r"([A-Za-z_][\w.]{0,79}) (DEBUG|INFO|WARNING|ERROR|CRITICAL) "
# Apache Traffic Server's diagnostics time, `%Y%m%d.%Hh%Mm%Ss` (the header splitter takes it as a time token too).
ATS_TIME = r"(?P<Y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)\.(?P<H>[0-2]\d)h(?P<M>[0-5]\d)m(?P<S>[0-5]\d)s"
# Docker Compose's `service_1  | ` before each line of a service (the file source reads a JSON record behind it too).
COMPOSE_PREFIX = r"\S{1,80} {1,40}\| {1,4}"
# stern's (and kubetail's) pod and container before each line: `web-7d9f8c6b5-x2x9z app 2024-…`. A pod's name ends in
# the suffix its controller generated (five characters) or a StatefulSet's ordinal.
STERN_PREFIX = r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?-(?:[a-z0-9]{5}|\d{1,5}) [a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])? "
# The server's epoch NFS-Ganesha writes after its time (the header splitter reads past it too).
GANESHA_EPOCH = r" : epoch [0-9a-f]{8} : "
# Order matters only where two could match the same text; the most specific comes first.
FORMATS: tuple[TimeFormat, ...] = (
    # ISO 8601 and its log4j/logback (`,SSS`), Python logging, PostgreSQL (` UTC`) and Windows CBS (`, Info`) kin.
    # CloudFront and W3C extended logs put a tab between date and time.
    _fmt("iso8601", r"(?P<Y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)[T \t]" + _HMS + _FRAC + _ZONE, has_zone=True, iso=True),
    # The same with a one-digit or space-padded hour (MariaDB's `2021-01-05  8:08:53`), a comma
    # (Airflow's `[2025-04-01, 08:07:05 UTC]`), a run of spaces (SIPp's `2014-09-30      11:13:40.833735`, its tab
    # as an issue shows it) or an underscore before the time.
    _fmt("iso8601-lax", r"(?P<Y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?:,? {1,8}|_|T)(?P<H>\d\d?):(?P<M>\d\d):(?P<S>\d\d)"
         + _FRAC + _ZONE, has_zone=True),
    # The same with dashes in the time (Nethermind's `2024-12-02 08-13-56.3437|`, Snapcast's `12-09-21.217`).
    _fmt("iso8601-dashed-time", r"(?P<Y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d) (?P<H>\d\d)-(?P<M>\d\d)-(?P<S>\d\d)" + _FRAC),
    # The same to the minute, no seconds (pacman's `[2018-08-15 11:28] [ALPM] ...`).
    _fmt("iso8601-minutes", r"(?P<Y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)[ T](?P<H>\d\d):(?P<M>\d\d)(?![:\d.,])"),
    # Gin's and gologging's `2024/05/30 - 19:08:07.637` (a dash between date and time), and Perl's Net::Server
    # (munin-node and other Perl daemons) with the dash alone: `2024/07/02-17:05:02`.
    _fmt("ymd-slash-dash", r"(?P<Y>\d{4})/(?P<m>\d\d)/(?P<d>\d\d)(?: - |-)" + _HMS + _FRAC),
    # Go's log package, nginx error log: `2026/11/20 09:00:00`.
    _fmt("ymd-slash", r"(?P<Y>\d{4})/(?P<m>\d\d)/(?P<d>\d\d)[ T]" + _HMS + _FRAC + _ZONE, has_zone=True),
    # The same date with Go's time.Kitchen, no seconds (zerolog's console writer as Portainer sets it:
    # `2024/03/19 10:56AM WRN ...`).
    _fmt("ymd-slash-kitchen", r"(?P<Y>\d{4})/(?P<m>\d\d)/(?P<d>\d\d) (?P<H>\d\d?):(?P<M>\d\d)(?P<p>[AP]M)(?=\s|$)"),
    # Apache/nginx common and combined log format: `[20/Nov/2026:09:00:00 +0000]` after `host ident user `.
    _fmt("clf", r"\[?(?P<d>\d\d)/" + _MON + r"/(?P<Y>\d{4}):" + _HMS + _FRAC + r" (?P<z>[+-]\d{4})\]?",
         has_zone=True),
    # Werkzeug's and other access logs without a zone: `[29/May/2018 13:42:00]`.
    _fmt("clf-nozone", r"\[?(?P<d>\d\d)/" + _MON + r"/(?P<Y>\d{4})[: ]" + _HMS + _FRAC + r"(?![\d +-])\]?"),
    # Erlang's error_logger, RabbitMQ before 3.7: `=ERROR REPORT==== 2-Jul-2016::06:01:43 ===`.
    _fmt("erlang", r"(?P<d>\d{1,2})-" + _MON + r"-(?P<Y>\d{4})::" + _HMS + _FRAC),
    # Redis 3 and later: `1:M 07 Mar 2024 16:20:46.078` (after `pid:role`).
    _fmt("dmy-mon", r"(?P<d>\d{1,2}) " + _MON + r" (?P<Y>\d{4}) " + _HMS + _FRAC),
    # The same with the year after the time, its milliseconds after the year (FIWARE Orion's
    # `time=Thursday 01 Oct 15:10:00 2020.399Z`): before Redis 2's, which would stop at the time.
    _fmt("dm-mon-time-year", r"(?P<d>\d{1,2}) " + _MON + r" " + _HMS + r" (?P<Y>(?:19|20)\d\d)(?:\.(?P<f>\d{1,9}))?"
         + r"(?P<z>Z)?(?![\d:])", has_zone=True),
    # Redis 2: `[1249] 05 May 14:40:16.963`, no year.
    _fmt("dm-mon", r"(?P<d>\d{1,2}) " + _MON + r" " + _HMS + _FRAC + r"(?![\d:])", has_year=False),
    # NFS-Ganesha's ganesha.log, day first (its default `%d/%m/%Y`), told by the server's epoch after it:
    # `07/03/2020 23:39:28 : epoch 5e63c030 : host : …` (0x5e63c030 is 2020-03-07).
    _fmt("ganesha", r"(?P<d>\d\d)/(?P<m>\d\d)/(?P<Y>\d{4}) " + _HMS + r"(?=" + GANESHA_EPOCH + ")"),
    # US-style dates, month first, as many tools print them: `05/11/2024 12:18:07`, and .NET's and
    # Application Insights' 12-hour kin `1/19/2021, 2:26:39.692 AM`.
    _fmt("mdy-slash", r"(?P<m>\d\d?)/(?P<d>\d\d?)/(?P<Y>\d{4}),?[ T]" + _HMS12 + _FRAC + _AMPM),
    # The same written day first, which a day above 12 gives away: `15/10/2022 1:25:23`.
    _fmt("dmy-slash", r"(?P<d>\d\d?)/(?P<m>\d\d?)/(?P<Y>\d{4}),?[ T]" + _HMS12 + _FRAC + _AMPM),
    # Two-digit years, month first, as the Azure Functions host and WebSphere Liberty write them:
    # `[7/31/19 5:02:04 AM]`, `[11/20/19, 15:39:46:477 GMT]` (milliseconds after a colon).
    _fmt("mdy-slash-yy", r"(?P<m>\d\d?)/(?P<d>\d\d?)/(?P<y>\d\d),? " + _HMS12 + r"(?:[.,:](?P<f>\d{1,9}))?" + _AMPM
         + _ZONE, has_zone=True),
    # Dashes, month first, as Splunk's splunkd.log writes them: `01-12-2016 02:14:19.130 +0000`.
    _fmt("mdy-dash", r"(?P<m>\d\d)-(?P<d>\d\d)-(?P<Y>\d{4}) " + _HMS + _FRAC + _ZONE, has_zone=True),
    # The same written day first, which a day above 12 gives away (OpenPrinting's ipp-usb: `31-10-2023 09:50:10: `).
    _fmt("dmy-dash", r"(?P<d>\d\d)-(?P<m>\d\d)-(?P<Y>\d{4}) " + _HMS + _FRAC + _ZONE, has_zone=True),
    # Log4j's `%d{ddMMMyyyy HH:mm:ss.SSS}` (Minecraft Forge): `[28Aug2022 01:41:37.140]`.
    _fmt("dmony", r"(?P<d>\d\d)" + _MON + r"(?P<Y>\d{4}) " + _HMS + _FRAC),
    # Year first with dots (SonarQube, ClickHouse, stunnel): `2019.12.16 15:41:37`.
    _fmt("ymd-dot", r"(?P<Y>\d{4})\.(?P<m>\d\d)\.(?P<d>\d\d)[ T]" + _HMS + _FRAC + _ZONE, has_zone=True),
    # Kibana's export: `December 21st 2019, 15:26:51.796`.
    _fmt("kibana", _MONTH + r" (?P<d>\d{1,2})(?:st|nd|rd|th) (?P<Y>\d{4}),? " + _HMS + _FRAC),
    # Day first with dots (German, Russian and other locales' default): `01.12.2026 10:00:00`, unpadded
    # in .NET's de-DE culture (Vintage Story's `26.8.2022 22:57:09`).
    _fmt("dmy-dot", r"(?P<d>\d\d?)\.(?P<m>\d\d?)\.(?P<Y>\d{4}),?[ T]" + _HMS + _FRAC),
    # java.util.logging's SimpleFormatter (Tomcat's catalina.out before 8, Jenkins):
    # `Feb 21, 2020 1:03:16 PM org.apache.catalina.startup.ClassLoaderFactory validateFile`.
    _fmt("jul", _MON + r" (?P<d>\d\d?), (?P<Y>\d{4}),? " + _HMS12 + _FRAC + _AMPM + _ZONE, has_zone=True),
    # JavaScript's Date.toString(), as Node apps print `new Date()`:
    # `Tue Dec 01 2026 10:00:00 GMT+0000 (Coordinated Universal Time)`.
    _fmt("js-date", _DAY + " " + _MON + r" (?P<d>\d\d) (?P<Y>\d{4}) " + _HMS + r" GMT(?P<z>[+-]\d{4})(?: \([^()]{1,60}\))?",
         has_zone=True),
    # A syslog-style date with its year after the time, ctime without the weekday (GNU Mailman 3's
    # `Feb 15 09:47:30 2018 (30)`): before RFC 3164, which would stop at the time and leave the year to the message.
    _fmt("mon-dd-time-year", _MON + r" {1,2}(?P<d>\d{1,2}) " + _HMS + _FRAC + r" (?P<Y>(?:19|20)\d\d)(?![\d:])"),
    # RFC 3164 syslog (and macOS, Linux rsyslog defaults): `Nov 20 09:00:00`, `Jul  1 09:00:55`.
    # A colon may follow before a space (Cisco IOS's `Dec 28 22:35:12: %LINK-3-UPDOWN: ...`).
    _fmt("rfc3164", _MON + r" {1,2}(?P<d>\d{1,2}) " + _HMS + _FRAC + r"(?!\d|:\S)", has_year=False),
    # The same in another locale, as journald and rsyslog write it there (any case: `Mär`, `zář`, `NOV.`).
    _fmt("rfc3164-locale", "(?i:" + _MON_LOCALE + r") {1,2}(?P<d>\d{1,2}) " + _HMS + _FRAC + r"(?![\d:])",
         has_year=False),
    # ctime with its numeric offset after the year, in hours alone or with minutes (dump1090-fa's
    # `Fri Oct 14 23:13:15 2022 -03`): before ctime, which would stop at the year and leave the offset to the message.
    _fmt("ctime-offset", _DAY + " " + _MON + r" {1,2}(?P<d>\d{1,2}) " + _HMS + _FRAC
         + r" (?P<Y>\d{4}) (?P<z>[+-](?:0\d|1[0-4])(?::?\d\d)?)(?![\d:])", has_zone=True),
    # ctime / Apache error log: `[Sun Dec 04 04:47:44 2005]`, `Tue Nov 20 09:00:00.123456 UTC 2026`, and SSSD's
    # before 2.6, microseconds after a colon: `(Tue Oct 27 10:55:06:550002 2020)`.
    _fmt("ctime", r"\[?" + _DAY + " " + _MON + r" {1,2}(?P<d>\d{1,2}) " + _HMS + r"(?:[.,:](?P<f>\d{1,9}))?"
         + r"(?: (?P<z>UTC|GMT|" + _ZONE_NAME + r"))? (?P<Y>\d{4})\]?", has_zone=False),
    # date(1) in a 12-hour locale (en_US), as shell scripts stamp their logs: `Mon Aug 22 12:07:36 PM +03 2022`, the
    # zone a name or, where the zone has none, its numeric offset.
    _fmt("ctime-12h", _DAY + " " + _MON + r" {1,2}(?P<d>\d{1,2}) " + _HMS12 + r" (?P<p>[AP]M)"
         + r"(?: (?P<z>UTC|GMT|" + _ZONE_NAME + r"|[+-]\d\d(?::?\d\d)?))? (?P<Y>\d{4})(?![\d:])", has_zone=True),
    # JavaScript's Date.prototype.toString, the year before the time (React Native's Metro relaying an app's console:
    # `[Sun Aug 16 2020 10:56:36.245]`; in full `Sun Aug 16 2020 10:56:36 GMT+0200 (Central European Summer Time)`).
    _fmt("js-date", r"\[?" + _DAY + " " + _MON + r" (?P<d>\d\d) (?P<Y>\d{4}) " + _HMS + _FRAC
         + r"(?: GMT(?P<z>[+-]\d{4})(?: \([^()\n]{1,60}\))?)?\]?", has_zone=True),
    # RFC 1123 / HTTP date: `Tue, 20 Nov 2026 09:00:00 GMT`, and without the zone (ExaBGP's
    # `Tue, 29 Mar 2016 12:31:02 | INFO | ...`).
    _fmt("rfc1123", _DAY + r", (?P<d>\d\d) " + _MON + r" (?P<Y>\d{4}) " + _HMS + r"(?: (?P<z>GMT|UTC|[+-]\d{4}))?",
         has_zone=True),
    # Nextflow's `.nextflow.log` (logback's `MMM-dd HH:mm:ss.SSS`): `Oct-21 15:39:37.015`.
    _fmt("mon-dd", _MON + r"-(?P<d>\d\d) " + _HMS + _FRAC, has_year=False),
    # Boost.Date_Time's simple string (C++ services' loggers): `2019-Jun-29 17:24:11.564972`.
    _fmt("ymd-mon", r"(?P<Y>\d{4})-" + _MON + r"-(?P<d>\d\d) " + _HMS + _FRAC),
    # Tomcat/Catalina: `20-Nov-2026 09:00:00.123`, and with a two-digit year, `30-Jan-20 21:46:39`.
    _fmt("catalina", r"(?P<d>\d\d)-" + _MON + r"-(?:(?P<Y>\d{4})|(?P<y>\d\d)) " + _HMS + _FRAC),
    # Bacula's and Bareos' job messages, to the minute with no year: `19-Apr 12:48 bareos-dir JobId 4: Error: …`.
    _fmt("dm-mon-minutes", r"(?P<d>\d{1,2})-" + _MON + r" (?P<H>\d\d):(?P<M>\d\d)(?= )", has_year=False),
    # Go glog / Kubernetes klog: `I1120 09:00:00.000000`.
    _fmt("glog", r"[IWEF](?P<m>\d\d)(?P<d>\d\d) " + _HMS + _FRAC + r"(?=[ \]])", has_year=False),
    # glog with the year (abseil's and newer glog's `I20240529 10:33:47.010416`) and CockroachDB's
    # `I200710 09:39:45.747824` (`yyMMdd`).
    _fmt("glog-year", r"[IWEF](?P<Y>\d{4})(?P<m>\d\d)(?P<d>\d\d) " + _HMS + _FRAC + r"(?= )"),
    _fmt("glog-yy", r"[IWEF](?P<y>\d\d)(?P<m>\d\d)(?P<d>\d\d) " + _HMS + _FRAC + r"(?= )"),
    # Android logcat (threadtime): `03-17 16:13:38.811`.
    _fmt("logcat", r"(?P<m>\d\d)-(?P<d>\d\d) " + _HMS + _FRAC, has_year=False),
    # HDFS, MySQL 5: `yyMMdd HHmmss`.
    _fmt("yymmdd-hhmmss", r"(?P<y>\d\d)(?P<m>\d\d)(?P<d>\d\d) (?P<H>\d\d)(?P<M>\d\d)(?P<S>\d\d)(?!\d)"),
    # MySQL 5.5 and older: `130529 18:41:01`, the hour padded with a space (`130529  8:41:01`).
    _fmt("yymmdd-hms", r"(?P<y>\d\d)(?P<m>\d\d)(?P<d>\d\d) {1,2}(?P<H>\d\d?):(?P<M>\d\d):(?P<S>\d\d)" + _FRAC),
    # The same with dashes, Python's `%y-%m-%d` (Home Assistant's Supervisor `21-05-04 12:00:00`, Netdata's, the
    # Logitech Media Server's `[19-05-06 20:50:47.8044]`). A day first with dashes is rare in logs; nothing in a line
    # tells the two apart, so the year comes first as in every two-digit-year dash date the corpus has.
    _fmt("yy-dash", r"(?P<y>\d\d)-(?P<m>\d\d)-(?P<d>\d\d) " + _HMS + _FRAC),
    # Spark / log4j `yy/MM/dd HH:mm:ss`.
    _fmt("yy-slash", r"(?P<y>\d\d)/(?P<m>\d\d)/(?P<d>\d\d) " + _HMS + _FRAC),
    # Progress OpenEdge's logs, the date and the time joined by `@`, the offset without a colon: a client's
    # `[23/02/21@11:54:10.626+0100]` (year first, two digits), a database's `[2019/09/19@15:05:49.409-0400]`.
    _fmt("openedge", r"(?:(?P<Y>\d{4})|(?P<y>\d\d))/(?P<m>\d\d)/(?P<d>\d\d)@" + _HMS + _FRAC + _ZONE, has_zone=True),
    # Proxifier and other Windows tools: `[10.30 16:49:06]`, `MM.dd HH:mm:ss`.
    _fmt("md-dot", r"\[?(?P<m>\d\d)\.(?P<d>\d\d) " + _HMS + _FRAC + r"\]?", has_year=False),
    # Tendermint's (CometBFT's, Cosmos SDK nodes') text logger: a level letter, then `[MM-DD|HH:mm:ss.SSS]` before
    # 0.20 and `[yyyy-MM-dd|HH:mm:ss.SSS]` after; log15's terminal format, which it came from, writes the level as a
    # word of four letters glued to the bracket (Erigon's `INFO[11-07|18:57:51.399]`, `EROR`, `DBUG`, `TRCE`, `CRIT`),
    # forks of it the whole word (Heimdall's `ERROR[2023-04-21|…]`), and geth a space between (`INFO [11-07|…]`).
    _fmt("tendermint", _LOG15_LEVEL + r"\[(?P<m>\d\d)-(?P<d>\d\d)\|" + _HMS + _FRAC + r"\]", has_year=False),
    _fmt("tendermint-year", _LOG15_LEVEL + r"\[(?P<Y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\|" + _HMS + _FRAC + r"\]"),
    # GoldSrc and Source dedicated servers (Half-Life, Counter-Strike): `L 02/13/2017 - 13:01:24: Loading map ...`.
    _fmt("srcds", r"L (?P<m>\d\d)/(?P<d>\d\d)/(?P<Y>\d{4}) - " + _HMS),
    # SatDump's console and log file: the time, a dash, then the day before the month: `[19:13:18 - 17/10/2024] (W)`.
    _fmt("hms-dash-dmy", r"\[" + _HMS + r" - (?P<d>\d\d)/(?P<m>\d\d)/(?P<Y>\d{4})\]"),
    # Chromium's and Electron's base logging: `[4772:0204/112540.163:WARNING:...]`, pid (and thread) then MMDD/HHMMSS;
    # a build that logs no pid (NaïveProxy's `[1125/145732.547:ERROR:...]`) starts at the date.
    _fmt("chromium", r"\[(?:\d{1,9}:(?:\d{1,9}:)?)?(?P<m>\d\d)(?P<d>\d\d)/(?P<H>\d\d)(?P<M>\d\d)(?P<S>\d\d)"
         r"(?:\.(?P<f>\d{1,9}))?:", has_year=False),
    # Compact Java/Android apps: `20171223-22:15:29:606`.
    _fmt("ymd-compact", r"(?P<Y>\d{4})(?P<m>\d\d)(?P<d>\d\d)-(?P<H>\d\d?):(?P<M>\d\d?):(?P<S>\d\d?)(?::(?P<f>\d{1,3}))?",
         frac_is_ms=True),
    # Unreal Engine's log (game servers, the CARLA simulator): `[2019.12.31-00.32.16:808][  0]LogCarla: `, the
    # milliseconds after a colon and the frame counter in a bracket of its own.
    _fmt("unreal", r"\[(?P<Y>\d{4})\.(?P<m>\d\d)\.(?P<d>\d\d)-(?P<H>\d\d)\.(?P<M>\d\d)\.(?P<S>\d\d):(?P<f>\d{3})\]",
         frac_is_ms=True),
    # Snort's and Suricata's alert files (`fast.log`, full alerts): the packet's time `03/07-11:10:40.910903`, month
    # first, with Suricata's year, two digits or four (`10/05/10-10:08:59.667372`, `02/01/2019-07:49:35.688758`), or
    # Snort's `-y`.
    _fmt("ids-alert", r"(?P<m>\d\d)/(?P<d>\d\d)/(?:(?P<Y>\d{4})|(?P<y>\d\d))-" + _HMS + _FRAC),
    _fmt("ids-alert-noyear", r"(?P<m>\d\d)/(?P<d>\d\d)-" + _HMS + _FRAC, has_year=False),
    # IBM Blue Gene/L RAS: `2005-06-03-15.42.50.675872`.
    _fmt("ymd-dotted", r"(?P<Y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)-(?P<H>\d\d)\.(?P<M>\d\d)\.(?P<S>\d\d)" + _FRAC),
    # All digits, `yyyyMMddHHmmss` and milliseconds (libosmocore's `20241014195956000`); epochs have 10, 13, 16 or 19.
    _fmt("ymd-digits", r"(?P<Y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?P<H>[0-2]\d)(?P<M>[0-5]\d)(?P<S>[0-5]\d)"
         r"(?P<f>\d{3})?(?![\d.])", frac_is_ms=True),
    # ISO 8601's basic format, no separators in the date or the time (Electrum's `20210423T144245.915780Z`).
    _fmt("iso8601-basic", r"(?P<Y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)T(?P<H>[0-2]\d)(?P<M>[0-5]\d)(?P<S>[0-5]\d)"
         + _FRAC + _ZONE, has_zone=True),
    # A compact date, a space and the time (qt-openzwave's `[20200612 20:30:33.885 CEST]`).
    _fmt("ymd-compact-space", r"(?P<Y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d) " + _HMS + _FRAC + _ZONE, has_zone=True),
    # Apache Traffic Server's diagnostics (its error.log and diags.log), `%Y%m%d.%Hh%Mm%Ss`: `20180801.15h26m05s CONNECT: …`.
    _fmt("ats", ATS_TIME + r"(?!\w)"),
    # Epoch seconds (optionally with a fraction), milliseconds, microseconds, nanoseconds.
    _fmt("epoch", r"(?P<e>\d{10}(?:\.\d{1,9}|\d{9}|\d{6}|\d{3})?)(?![\d.])", has_zone=True, epoch=True),
    # The same as a float printed in scientific notation: zap's production encoder (`EpochTimeEncoder`) written by its
    # console encoder, `1.5889649713235855e+09  info  cmd/root.go:84  ...` (2001 to 2033).
    _fmt("epoch-float", r"(?P<e>1\.\d{1,17}e\+09)(?!\d)", has_zone=True, epoch=True),
    # A time of day alone, last because every format above is more specific: logback's and
    # Log4j's console default `%d{HH:mm:ss.SSS}`, Quarkus' and WildFly's `HH:mm:ss,SSS`, Serilog's
    # `[21:48:30 WRN]`, Jenkins' timestamper, `3:05:26 PM`, OBS Studio's `06:17:03.568: `, a UTC `21:01:03.344Z`,
    # libpurple's (Pidgin's) `(10:43:58) account: ...`.
    # It must end where a token ends (or at a colon and a space, or a colon and a level word).
    # Go's time.Kitchen, zerolog's console writer's default: `3:04PM ERR message` (no seconds).
    _fmt("kitchen", r"(?P<H>\d\d?):(?P<M>\d\d)(?P<p>[AP]M)(?=\s)", has_year=False, dateless=True),
    # A time of day to the minute before a bracket: irssi's default `10:44 [network] ...`, Oxide's `14:45 [Error] ...`.
    _fmt("time-of-day-minutes", r"(?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d)(?= \[)", has_year=False, dateless=True),
    # Folding@home's client glues its level to the time with a colon: `09:15:37:WARNING:WU02:FS00:…`; Claymore's
    # miners write milliseconds after a colon (`09:24:35:192\t3360\t…`).
    _fmt("time-of-day", _HMS12 + r"(?:[.,:](?P<f>\d{1,9}))?" + _AMPM
         + r"Z?(?=[\s\])|]|: |$|:(?:DEBUG|INFO|WARNING|ERROR|CRITICAL|FATAL):)", has_year=False, dateless=True),
)
# All formats in one pattern, to tell in one C call which format a line starts with when a
# stream interleaves several (a shipper's file of many services). The outer group's name is
# the format's index; inner names are dropped (a pattern may not repeat them).
_DISPATCH = re.compile("|".join(f"(?P<f{i}>{re.sub(r'[(][?]P<[A-Za-z]+>', '(?:', f.regex.pattern)})"
                                for i, f in enumerate(FORMATS)))
# Cisco IOS's `service sequence-numbers` (one or two counters) and its clock's marker before the device's time:
# `000123: *Mar  1 00:00:15.123: %LINK-3-UPDOWN: ...` (the header splitter reads them too).
CISCO_SEQUENCE = r"(?:\d{1,10}: ){1,2}[*.]?"
# syslog's facilities, and the kernel ring buffer with its facility and level decoded before the bracketed time:
# util-linux's `dmesg -x` (`kern  :warn  : [   14.215730] `, a counter since boot) and `talosctl dmesg`, which puts
# the node first and the time of day in the bracket (`10.1.1.2: kern: warning: [2022-01-25T10:19:41.228768566Z]: `)
SYSLOG_FACILITIES = r"kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7]"
DMESG_DECODED = (r"(?:[\w.:\-]{1,80}: )?(?:" + SYSLOG_FACILITIES
                 + r") {0,6}: ?(emerg|alert|crit|err|warn|warning|notice|info|debug) {0,6}: \[")
# The file name `grep` puts before each matching line when it searched several files (with `-n`, the line number
# too), glued to a line that opens with a date, a time or a bracket: `30-restart-03.log:2025-04-20T07:09:22Z INFO - `.
GREP_FILE = re.compile(r"[\w./\-]{1,120}\.log(?:\.\d{1,3})?:(?:\d{1,9}:)?(?=\d{1,4}[-/.:]\d|\[|[A-Z][a-z]{2} {1,2}\d)")
# Where a timestamp may start when not at the line's first character: after a
# syslog priority (`<34>`, RFC 5424's `<165>1 `), an access log's `host ident user `,
# an opening bracket (log4j's `[%d]`, Celery, gunicorn), docker compose's `service_1  | ` (and
# the Redis `[pid] ` or `pid:role ` after it, KeyDB's `pid:thread:role `), a pipe-separated field (librdkafka's `3|`), a logfmt
# or YAML key among the first tokens (`time="`, `t=`, `timestamp: "`), Erlang's report banner, Redis's `pid:role `,
# or one leading token (a shipper's file name, a flag, a level: `- 1117838570 ...`,
# `ERROR - `, `[ERROR]\t`), indentation before an ISO date (HashiCorp's hclog),
# a level and a bracketed thread (Cassandra's `INFO  [main] 2017-11-03 08:29:12,321`), logrus' level
# (`ERRO[2023-04-10T15:11:14+08:00]`), a parenthesised process (Ray's `(raylet, ip=10.0.0.1) [`,
# vLLM's `(APIServer pid=90980) ERROR `), a bracketed tag (NestJS' `[Nest] 55063   - `, `[main  ] FATAL `)
# two pipe-separated fields (the Java Service Wrapper's `INFO   | jvm 4    | `), or auditd's
# `type=SERVICE_STOP msg=audit(` before its epoch. A syslog priority may have a space after it (Azure IoT
# Edge's `<6> 2022-11-25 ...`) and a bracketed tag a bracketed level (ROS 2's `[node-2] [DEBUG] [1686740260.68]`);
# the kernel ring buffer's decoded facility and level (`talosctl dmesg`'s node first);
# wget writes its time between dashes (`--2015-10-20 08:17:21--  http://...`), and Cisco IOS its sequence numbers and a clock
# marker before it (`000123: *Mar  1 00:00:15.123: `), perhaps the marker alone (`*Mar 1 18:48:50.483 UTC: `);
# Python's logging may glue its level to the time in one bracket.
# Every repetition is bounded: the detection of one line is a bounded amount of work however
# long the line.
_PREFIXES = (re.compile(r"<\d{1,3}>(?:1 | )?"), re.compile(r"(?:\S{1,80} ){1,3}(?=\[\d\d/)"),
             re.compile(r"[\[(]"), re.compile(COMPOSE_PREFIX + r"(?:\[\d{1,9}\] |\d{1,9}(?::\d{1,9})?:[A-Z] )?\[?"),
             re.compile(r"[^\s|]{1,40}\|"),
             # a key before the time, perhaps behind Docker Compose's prefix (ZITADEL's `zitadel-1  | time="…"`)
             re.compile("(?:" + COMPOSE_PREFIX + r")?(?:\S{1,80} ){0,3}?(?:time|ts|t|timestamp|date|datetime)(?:=|: ?)\"?"),
             re.compile(r"=[A-Z]{1,20} REPORT={1,8} "), re.compile(r"\d{1,9}(?::\d{1,9})?:[A-Z] "),
             re.compile(r"[^\s\d<]\S{0,79}[ \t]{1,40}(?:- |\[)?"), re.compile(STERN_PREFIX),
             # indentation before an ISO date, perhaps with a right-aligned level (AnyDesk's `   info 2024-…`)
             re.compile(r"[ \t]{1,40}(?:[a-z]{3,8}[ \t]{1,8})?(?=\d{4}-)"),
             re.compile(r"[A-Za-z]{3,8} {1,4}\[[^\]\n]{1,80}\] {1,4}"),
             re.compile(r"[A-Za-z]{3,8}\["), re.compile(r"\([^()\n]{1,80}\) {1,4}(?:[A-Z]{3,8} {1,4})?\[?"),
             re.compile(r"\[[^\]\n]{1,80}\] {1,6}(?:\d{1,9} {1,6}- {1,3}|\[?[A-Z]{3,8}\]? {1,4}|\[[a-z]{3,8}\] {1,4})?\[?"),
             re.compile(r"(?:[^|\n]{1,40}\| {0,8}){2}"),
             re.compile(r"type=[A-Z_]{1,40} msg=audit\("), re.compile(r"--(?=\d{4}-)"),
             re.compile(PION_HEAD + r"(?=\d{4}/\d\d/\d\d )"),
             re.compile(r"(?:####)?<(?=[A-Z][a-z]{2} {1,2}\d)"),  # WebLogic's `<Jan 1, 2024 10:00:00 AM UTC>`
             re.compile(r"\[[A-Z]{3,8}:(?=\d)"),  # Python's `[%(levelname)s:%(asctime)s]`: `[DEBUG:2020-12-03 21:48:05,573]`
             re.compile(PY_NAME_LEVEL_HEAD + r"(?=\d{4}-\d\d-\d\d[ T]\d)"),
             re.compile(CISCO_SEQUENCE), GREP_FILE, re.compile(DMESG_DECODED),
             re.compile(r"[*.](?=[A-Z][a-z]{2} {1,2}\d)"),  # ... or Cisco's clock marker alone (`*Mar 1 `)
             # last: up to 40 characters with no lower-case letter before an ISO 8601 date and time, a head nobody
             # wrote a prefix for (`***  INFO   | 2024-01-05 22:05:22 |`, `TID: [-1234] [] [2017-07-12 …`); prose
             # has lower-case words, so a date inside a message is not taken for the line's time
             re.compile(r"[^a-z\n]{1,40}?(?<![\d.:/-])(?=(?:19|20)\d\d-[01]\d-[0-3]\d[T ][0-2]\d:[0-5]\d)"))
_FOUR_DIGITS = re.compile(r"\d{4}")
_MISSES_BEFORE_BACKOFF = 64
_RECENT_FORMATS = 4  # formats after a prefix, remembered for a stream that interleaves


def detect(line: str) -> tuple[TimeFormat, re.Pattern[str] | None, re.Match[str]] | None:
    """The format of the timestamp at the start of `line` (after a priority or one token at most)."""
    found = _first_format(line, 0)
    if found is not None:
        return found[0], None, found[1]
    for prefix in _PREFIXES:
        p = prefix.match(line)
        if p is None:
            continue
        found = _first_format(line, p.end())
        # A bare time after a token that holds a date in a format we do not know is no time at all: taking it
        # with the reference's date would put the line on the wrong day.
        if found is not None and not (found[0].dateless and _FOUR_DIGITS.search(p.group(0))):
            return found[0], prefix, found[1]
    return None


def _first_format(line: str, pos: int) -> tuple[TimeFormat, re.Match[str]] | None:
    """The first format (in `FORMATS` order) whose pattern matches at `pos` with plausible fields. One C call
    (`_DISPATCH`) finds the first that matches at all; only an implausible one (month 15) sends the search on."""
    d = _DISPATCH.match(line, pos)
    if d is None:
        return None
    start = int(d.lastgroup[1:])  # type: ignore[index]
    for fmt in FORMATS[start:]:
        m = fmt.regex.match(line, pos)
        if m is not None and _plausible(fmt, m):
            return fmt, m
    return None


def _plausible(fmt: TimeFormat, m: re.Match[str]) -> bool:
    if fmt.epoch:
        e = m.group("e")
        return _EPOCH_MIN <= (float(e) if "e" in e else int(e[:10])) <= _EPOCH_MAX
    hour = int(m.group("H"))
    if fmt.dateless:
        # Nothing but the clock to judge by: `25:10:00` or `12:99:00` is no time of day (seconds and the
        # half of the day are optional groups).
        g = m.groupdict()
        return hour < 24 and int(g["M"]) < 60 and int(g.get("S") or 0) < 61 and (g.get("p") is None or 1 <= hour <= 12)
    groups = fmt.regex.groupindex
    month = int(m.group("m")) if "m" in groups else 1
    if "p" in groups and m.group("p") is not None and not 1 <= hour <= 12:
        return False
    return 1 <= month <= 12 and 1 <= int(m.group("d")) <= 31 and hour < 24


class TimeReader:
    """Reads the timestamp at the head of each line of one stream, with the format found once.

    reference: the time a year-less timestamp is placed near (the window's end); now if None.
    `assumed` collects what the lines did not say ("year", "zone"), for the digest's notes.
    """

    def __init__(self, reference: datetime | None = None) -> None:
        self.reference = reference or datetime.now(UTC)
        self.format: TimeFormat | None = None
        self._prefix: re.Pattern[str] | None = None
        self._cache: dict[str, datetime | None] = {}
        self._misses = 0
        self._recent: list[tuple[TimeFormat, re.Pattern[str] | None]] = []
        self.assumed: set[str] = set()

    def match(self, line: str) -> re.Match[str] | None:
        """The timestamp's match in `line`, by the stream's format, detecting it if needed."""
        fmt = self.format
        if fmt is not None:
            m = self._match(fmt, self._prefix, line)
            if m is not None:
                self._misses = 0
                return m
            # A stream that interleaves formats switches to the one this line starts with,
            # or to one seen before after a prefix (`host - - [`), before detecting anew.
            first = _first_format(line, 0)
            if first is not None and (fmt.dateless or not first[0].dateless):
                if self._prefix is not None and (fmt, self._prefix) not in self._recent:
                    self._recent = [(fmt, self._prefix), *self._recent][:_RECENT_FORMATS]
                self.format, self._prefix, self._misses = first[0], None, 0
                return first[1]
            for i, (other, prefix) in enumerate(self._recent):
                m = self._match(other, prefix, line)
                if m is not None:
                    if self._prefix is not None:
                        self._recent[i] = (fmt, self._prefix)
                    else:
                        del self._recent[i]
                    self.format, self._prefix, self._misses = other, prefix, 0
                    return m
        # A stream whose lines carry no time at all pays for detection only now and then.
        self._misses += 1
        if self._misses > _MISSES_BEFORE_BACKOFF and self._misses % _MISSES_BEFORE_BACKOFF:
            return None
        found = detect(line)
        if found is None or (found[0].dateless and fmt is not None and not fmt.dateless):
            # A bare time in a stream that writes dates is a duration or a clock in the message
            # (`Uptime 01:02:03`), not this line's time.
            return None
        self._misses = 0
        if fmt is not None and self._prefix is not None and (fmt, self._prefix) not in self._recent:
            self._recent = [(fmt, self._prefix), *self._recent][:_RECENT_FORMATS]
        self.format, self._prefix, m = found
        return m

    @staticmethod
    def _match(fmt: TimeFormat, prefix: re.Pattern[str] | None, line: str) -> re.Match[str] | None:
        pos = 0
        if prefix is not None:
            p = prefix.match(line)
            if p is None:
                return None
            pos = p.end()
        return fmt.regex.match(line, pos)

    def read(self, line: str) -> datetime | None:
        """The line's timestamp as aware UTC, or None when it has none we know."""
        fmt = self.format
        if fmt is not None:
            # The per-line path inlined: the stream's format, then the per-second cache.
            prefix = self._prefix
            if prefix is None:
                m = fmt.regex.match(line)
            else:
                p = prefix.match(line)
                m = fmt.regex.match(line, p.end()) if p is not None else None
            if m is not None:
                self._misses = 0
                if fmt.iso:
                    try:
                        dt = datetime.fromisoformat(m.group(0))  # C code
                    except ValueError:
                        return self.convert(m)
                    if dt.tzinfo is None:
                        self.assumed.add("zone")
                        return dt.replace(tzinfo=UTC)
                    return dt if dt.utcoffset() == _ZERO else dt.astimezone(UTC)
                if not fmt.has_frac or m.group("f") is None:
                    base = self._cache.get(m.group(0))
                    if base is not None:
                        return base
                return self.convert(m)
        m = self.match(line)
        return None if m is None else self.convert(m)

    def convert(self, m: re.Match[str]) -> datetime | None:
        fmt = self.format
        assert fmt is not None
        if fmt.iso:
            try:
                dt = datetime.fromisoformat(m.group(0))
            except ValueError:
                pass  # ` UTC`, ` +0100`: the general path below reads them
            else:
                if dt.tzinfo is None:
                    self.assumed.add("zone")
                    return dt.replace(tzinfo=UTC)
                return dt if dt.utcoffset() == _ZERO else dt.astimezone(UTC)
        if fmt.epoch:
            e = m.group("e")
            seconds = float(e) if "." in e or len(e) == 10 else int(e) / 10 ** (len(e) - 10)
            return datetime.fromtimestamp(seconds, UTC)
        f = m.group("f") if fmt.has_frac else None
        if f is None:
            key = m.group(0)
        else:
            fs, fe = m.span("f")
            key = m.string[m.start():fs - 1] + m.string[fe:m.end()]
        base = self._cache.get(key, _MISSING)
        if base is _MISSING:
            if len(self._cache) > 50_000:
                self._cache.clear()
            base = self._cache[key] = self._base(fmt, m)
        if not isinstance(base, datetime) or f is None:
            return base if isinstance(base, datetime) else None
        micro = int(f) * 1000 if fmt.frac_is_ms else int((f + "00000")[:6])
        return base.replace(microsecond=micro)

    def _base(self, fmt: TimeFormat, m: re.Match[str]) -> datetime | None:
        groups = m.groupdict()
        hour = int(groups["H"])
        if groups.get("p"):
            hour = hour % 12 + (12 if groups["p"] == "PM" else 0)
        if fmt.dateless:
            # The reference's day, or the day before for a time later than the reference (an hour of
            # slack for clocks): a console log pasted or read the morning after still reads as last night.
            ref = self.reference
            try:
                dt = datetime(ref.year, ref.month, ref.day, hour, int(groups["M"]), int(groups.get("S") or 0), tzinfo=UTC)
            except ValueError:
                return None
            if dt > ref + timedelta(hours=1):
                dt -= timedelta(days=1)
            self.assumed.update(("date", "zone"))
            return dt
        month = int(groups["m"]) if groups.get("m") else _month(groups["mon"])
        if groups.get("Y"):
            year = int(groups["Y"])
        elif groups.get("y"):
            year = _two_digit_year(int(groups["y"]))
        else:
            year = self.reference.year
            self.assumed.add("year")
        try:
            dt = datetime(year, month, int(groups["d"]), hour, int(groups["M"]), int(groups.get("S") or 0), tzinfo=UTC)
            if not fmt.has_year and dt > self.reference + timedelta(days=1):
                dt = dt.replace(year=year - 1)  # December's lines read in January
        except ValueError:
            return None
        zone = groups.get("z")
        if not zone:
            self.assumed.add("zone")
            return dt
        return dt - _offset(zone.strip())


# ConfigMgr's (SCCM's) log format, which CMTrace reads and Intune's agents, PSAppDeployToolkit and many PowerShell
# scripts write too, puts its time after the message, as attributes: `…]LOG]!><time="16:51:46.388-120"
# date="05-17-2018" …`. The date is month first; the number after the time is the zone's bias in minutes as Windows
# keeps it (UTC = local time + bias: `-120` in central European summer time). header.py reads the rest.
CMTRACE_CLOSE = "]LOG]!>"
_CMTRACE_TIME = re.compile(r'<time="(\d\d):(\d\d):(\d\d)(?:\.(\d{1,7}))?([+-]\d{1,4})?" date="(\d\d?)-(\d\d?)-(\d{4})"')


def cmtrace_time(line: str) -> datetime | None:
    """The time of a line in ConfigMgr's log format, in UTC; None when it has none (or a message over several lines)."""
    end = line.find(CMTRACE_CLOSE)
    m = _CMTRACE_TIME.match(line, end + len(CMTRACE_CLOSE)) if end >= 0 else None
    if m is None:
        return None
    hour, minute, second, frac, bias, month, day, year = m.groups()
    try:
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                         int((frac or "0").ljust(6, "0")[:6]), tzinfo=UTC)
    except ValueError:
        return None
    return local + timedelta(minutes=int(bias or 0))


def _two_digit_year(yy: int) -> int:
    """POSIX's pivot for `%y`, as strptime reads it: 69-99 are 1969-1999, 00-68 are 2000-2068 (a switch's `08/05/98`
    is 1998, not 2098)."""
    return 1900 + yy if yy >= 69 else 2000 + yy


def _offset(zone: str) -> timedelta:
    if zone in ("Z", "UTC", "GMT"):
        return _ZERO
    if zone in _ZONE_OFFSETS:
        return timedelta(minutes=_ZONE_OFFSETS[zone])
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))  # date(1)'s `+03` has no minutes


_MISSING = object()


def assumed_note(assumed: set[str], reference: datetime) -> str | None:
    """The digest note for what a reader had to assume, or None."""
    parts = []
    if "date" in assumed:
        parts.append(f"had no date (took {reference:%Y-%m-%d}, or the day before for times later than "
                     f"{reference + timedelta(hours=1):%H:%M})")
    if "year" in assumed:
        parts.append(f"had no year (took {reference.year}, or {reference.year - 1} for dates later than "
                     f"{reference + timedelta(days=1):%b %d})")
    if "zone" in assumed:
        parts.append("had no time zone (read as UTC)")
    return ("some log timestamps " + " and ".join(parts)) if parts else None


def parse_iso_prefix(text: str) -> datetime | None:
    """Fast path for `YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|+hh:mm]`, the cloud sources' format."""
    try:
        dt = datetime.fromisoformat(text)  # C code; 3.11 reads Z, commas and nanoseconds
    except ValueError:
        return parse_timestamp(text)
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt if dt.utcoffset() == _ZERO else dt.astimezone(UTC)


def parse_timestamp(text: str, *, year: int | None = None) -> datetime | None:
    """One timestamp in any format of `FORMATS`; None when the text is not a time we know.

    Naive times are taken as UTC; a year-less one gets `year` (default: this year's
    reading of `TimeReader`).
    """
    text = " ".join(text.split()).strip("[]")
    if not text:
        return None
    return _parse_one(text, year)


@lru_cache(maxsize=8192)
def _parse_one(text: str, year: int | None) -> datetime | None:
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        reader = TimeReader(None if year is None else datetime(year, 12, 31, tzinfo=UTC))
        found = reader.read(text)
        # A time of day alone is a time only within a stream that says which day it is.
        return None if reader.format is not None and reader.format.dateless else found
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


_RELATIVE = re.compile(r"^(\d+)\s*(s|sec|m|min|h|hr|d|day)s?$")
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400, "day": 86400}


def parse_time_arg(text: str, *, now: datetime | None = None) -> datetime:
    """`30m`, `2h`, `1d` (that long before now) or an ISO 8601 time; naive means UTC."""
    m = _RELATIVE.match(text.strip().lower())
    if m:
        return (now or datetime.now(UTC)) - timedelta(seconds=int(m.group(1)) * _UNIT_SECONDS[m.group(2)])
    dt = parse_timestamp(text)
    if dt is None:
        raise ValueError(f"not a time: {text!r} (use 30m, 2h, 1d or ISO 8601 like 2026-11-20T09:25:00Z)")
    return dt
