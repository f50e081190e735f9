"""Split a raw log line into its header (time, level, logger) and its message.

Lines arrive as the source stored them: syslog, Log4j, Python logging, Apache,
JSON envelopes from loki-logger-handler or Fluent Bit, logfmt. No per-system
format is configured; the header is recognised by the shape of its tokens,
so a new system's logs need no setup.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

from doctor.digest.timestamps import (
    ATS_TIME,
    CISCO_SEQUENCE,
    CMTRACE_CLOSE,
    DMESG_DECODED,
    GANESHA_EPOCH,
    GREP_FILE,
    LOG15_LEVEL_WORDS,
    MONTH_ABBRS,
    PION_HEAD,
    PY_NAME_LEVEL_HEAD,
    STERN_PREFIX,
    SYSLOG_FACILITIES,
    SYSLOG_MONTHS,
    ZONE_NAMES,
)
from doctor.models import Level

_log = logging.getLogger(__name__)
_failures = [0]  # lines whose header rules failed, this process

LEVELS: dict[str, Level] = {
    "TRACE": "DEBUG", "DEBUG": "DEBUG", "DBG": "DEBUG", "INFO": "INFO", "NOTICE": "INFO",
    "INF": "INFO", "WARN": "WARNING", "WARNING": "WARNING", "WRN": "WARNING",
    "ERROR": "ERROR", "ERR": "ERROR", "FATAL": "CRITICAL", "CRITICAL": "CRITICAL",
    "CRIT": "CRITICAL", "SEVERE": "ERROR", "PANIC": "CRITICAL", "ALERT": "CRITICAL",
    "EMERG": "CRITICAL", "LOG": "INFO", "DETAIL": "INFO", "HINT": "INFO", "STATEMENT": "INFO",
    "CONTEXT": "INFO", "EROR": "ERROR", "DBUG": "DEBUG",  # Grafana's four-letter levels
    "TRC": "DEBUG", "PNC": "CRITICAL",  # zerolog's console writer (with DBG, INF, WRN, ERR, FTL)
    "ERRO": "ERROR", "FATA": "CRITICAL", "PANI": "CRITICAL", "DEBU": "DEBUG", "TRAC": "DEBUG",  # logrus'
    "VRB": "DEBUG", "FTL": "CRITICAL", "EMERGENCY": "CRITICAL",  # Serilog's, Monolog's
    "NOTE": "INFO",  # MySQL's and MariaDB's `[Note]`
    "NTC": "INFO", "EMG": "CRITICAL", "ALR": "CRITICAL", "CRT": "CRITICAL",  # Motion's `[NTC]` (with ERR, WRN, INF, DBG)
    "NOTI": "INFO",  # freeDiameter's padded `NOTI` (with DEBUG, ERROR, FATAL)
    "EMER": "CRITICAL",  # Open vSwitch's vlog (with ERR, WARN, INFO, DBG)
    "INFORMATION": "INFO", "VERBOSE": "DEBUG",  # Windows event levels
    "FINE": "DEBUG", "FINER": "DEBUG", "FINEST": "DEBUG",  # java.util.logging's (with SEVERE, WARNING, INFO)
    "WARNI": "WARNING", "SEVER": "ERROR", "FINES": "DEBUG",  # the same cut to five letters (OrientDB's column)
}
# CLI loggers' symbols in brackets (eksctl's `[ℹ]`, `[✔]`, `[!]`, `[✖]`; the log-symbols set's `⚠`).
_SYMBOL_LEVELS: dict[str, Level] = {"ℹ": "INFO", "✔": "INFO", "✓": "INFO", "!": "WARNING", "⚠": "WARNING",
                                    "✖": "ERROR", "✗": "ERROR", "❌": "ERROR"}
# Title-case level words written after a number or a thread id, as the Windows event log (`4776 Information`)
# and macOS' `log show` (`0x1255b5 Error`) print them; a capital word after a number elsewhere is the message's.
_TITLE_LEVELS = {"Information": "INFO", "Info": "INFO", "Default": "INFO", "Debug": "DEBUG", "Verbose": "DEBUG",
                 "Warning": "WARNING", "Error": "ERROR", "Critical": "CRITICAL", "Fault": "CRITICAL"}
_THREAD_ID = re.compile(r"^(?:0x[0-9a-fA-F]{1,16}|\d{1,10})$")
# nginx's `3690#0:` (NGINX Unit's has no colon); an Erlang pid, with lager's `@module:function:line` after it
_WRITER_ID = re.compile(r"^(?:\d{1,9}#\d{1,9}:?|<\d{1,9}\.\d{1,9}\.\d{1,9}>(?:@[\w.]{1,80}:[\w'\-/]{1,80}:\d{1,6})?)$")
_PROCESS_ID = re.compile(r"^(?:0x[0-9a-f]{1,16}|\d{1,9}-\d{1,9}/[\w.?]{0,80})$")
# Android's `logcat -v brief` tag: `I/BranchSDK:`, `E/AndroidRuntime( 1234):`.
_MOZ_LOG_MODULE = re.compile(r"^([VDIWE])/([\w.:\-]{1,60})$")  # Mozilla's MOZ_LOG `I/IMAP` (logcat's has a colon)
_ANDROID_TAG = re.compile(r"^([VDIWEF])/([\w.$\-]{1,60})(?:\(\s*\d{0,9}\))?:$")
_MACOS_COLUMNS = re.compile(r"^0x[0-9a-f]{1,16} \d{1,9} \d{1,4}$")  # macOS unified log's activity, pid and TTL
_PADDED_PID = re.compile(r"^\d{1,9}\):$")  # the rest of logcat's tag when a space pads its pid: `D/Tag(` `1441):`
# Redis: `1:M` (pid and role) or `[1249]` before the time, and one character of level after it.
_REDIS_ROLE = re.compile(r"^(?:\d{1,9}(?::\d{1,9})?:[MSCX]|\[\d{1,9}\])$")  # KeyDB's `1:25:S` (pid, thread, role)
_REDIS_LEVELS = {".": "DEBUG", "-": "DEBUG", "*": "INFO", "#": "WARNING"}
# PHP's error_log: `PHP Warning:  ...`, `PHP Fatal error:  ...`.
_PHP_LEVELS = {"Warning:": "WARNING", "Notice:": "INFO", "Deprecated:": "INFO", "Strict": "INFO",
               "Fatal": "CRITICAL", "Parse": "ERROR", "Catchable": "ERROR", "Recoverable": "ERROR"}
_TELEGRAF_LEVELS = {"E": "ERROR", "W": "WARNING", "I": "INFO", "D": "DEBUG"}
# syslog's `facility.severity` as BusyBox and OpenWrt print it.
_FACILITY_LEVEL = re.compile(r"^(?:" + SYSLOG_FACILITIES + r")"
                             r"\.(emerg|alert|crit|err|error|warn|warning|notice|info|debug)$")
# ... and its time in the bracket, taken only when it is a date, not a counter since boot
_DMESG_DECODED = re.compile(DMESG_DECODED + r" {0,12}(\d[\d.:,T+\-Z]{0,39})\]:? ")
# MikroTik RouterOS's topics, comma-joined, one of them its level, where syslog's tag would be: `host firewall,info
# forward: in:ether1 ...`, `host system,error,critical login failure ...`; the most severe level word is the line's.
_ROUTEROS_TOPICS = re.compile(r"^[a-z]{2,16}(?:,[a-z]{2,16}){1,5}$")
_ROUTEROS_LEVELS = {"debug": "DEBUG", "info": "INFO", "warning": "WARNING", "error": "ERROR", "critical": "CRITICAL"}
_SYSLOG_WORDS = {"emerg": "CRITICAL", "alert": "CRITICAL", "crit": "CRITICAL", "err": "ERROR", "error": "ERROR",
                 "warn": "WARNING", "warning": "WARNING", "notice": "INFO", "info": "INFO", "debug": "DEBUG"}
_LOWER_COLON_LEVELS = {"warning:": "WARNING", "error:": "ERROR", "fatal:": "CRITICAL", "panic:": "CRITICAL",
                       "notice:": "INFO", "info:": "INFO", "debug:": "DEBUG", "critical:": "CRITICAL"}
# A line that opens with its severity and a colon, alone or after the program's name: git's, GCC's and
# the GNU tools' `error: ...`, Postfix's `warn: ...`, `psql: ERROR:  ...`, `s6-rc: info: ...`.
_OPENING_LEVELS = {**_LOWER_COLON_LEVELS, "warn:": "WARNING", "dbg:": "DEBUG",
                   **{f"{w}:": LEVELS[w] for w in ("ERROR", "WARNING", "FATAL", "PANIC")}}
# A writer's name and its level letter in parentheses: SLF4J's own reporter, `SLF4J(W): No SLF4J providers ...`.
_NAME_LETTER = re.compile(r"^([A-Z][A-Za-z0-9]{1,15})\(([DIWE])\):$")
# Julia's ConsoleLogger opens a record with a bracket (a corner when the record spans lines): `[ Info: ...`,
# `┌ Warning: ...`.
_RECORD_OPENERS = ("[", "┌")
# .NET's console logger (Microsoft.Extensions.Logging): a four-letter level, then the category and the event id,
# `fail: Microsoft.AspNetCore.Server.Kestrel[13]`, at the line's start or after a shipper's time or prefix.
_DOTNET_LEVELS = {"trce:": "DEBUG", "dbug:": "DEBUG", "info:": "INFO", "warn:": "WARNING", "fail:": "ERROR",
                  "crit:": "CRITICAL"}
_DOTNET_CATEGORY = re.compile(r"^[A-Za-z_][\w.`]{0,200}\[\d{1,9}\]$")
# A writer's tag in brackets opening the line, then its level and a colon: TensorRT's `[TensorRT] ERROR: ...`.
_TAG = re.compile(r"^\[([A-Za-z][\w.\-]{1,40})\]$")
# A month's name inside a dashed date: Boost.Date_Time's `2019-Jun-29`, Tomcat's OneLineFormatter and Oracle's
# `23-Nov-2018`, `15-MAY-2018`, `30-Jan-20`.
_MON_DATE = re.compile(rf"^(?:\d{{4}}-(?:{MONTH_ABBRS})-\d\d|(?:{MONTH_ABBRS})-\d\d"
                       rf"|\d\d?-(?:{MONTH_ABBRS}|{MONTH_ABBRS.upper()})-(?:\d{{4}}|\d\d))$")  # and Nextflow's `Oct-21`
# Android's `adb logcat` brief format, no time: `E/AndroidRuntime( 1234): FATAL EXCEPTION: main`.
_LOGCAT_BRIEF = re.compile(r"([VDIWEF])/([^\s(]{1,60}) ?\(\s{0,8}\d{1,9}\): ")
# rustc's and cargo's diagnostics with their code: `error[E0308]: mismatched types`.
_RUSTC = re.compile(r"^(error|warning)\[E\d{4}\]:$")
# WebLogic's server log: the time and the severity each in angle brackets, `<Jan 1, 2024 10:00:00 AM UTC> <Error>
# <Deployer> <BEA-149265> <...>`, and its log file's `####<...> <Error> ...`.
_WEBLOGIC = re.compile(r"(?:####)?<([A-Z][a-z]{2} {1,2}\d{1,2}, \d{4},? \d{1,2}:\d\d:\d\d(?:[,.]\d{1,9})?(?: [AP]M)?"
                       r"(?: [A-Z]{2,5}| [+-]\d\d:?\d\d)?)> <([A-Za-z]{4,9})> ")
# ... and the fields after them, each in angle brackets, the message in the last: the server log file's `<Deployer>
# <host> <server> <thread> <> <> <1700000000000> <BEA-149265> <Failure occurred …>`, WebLogic Deploy Tooling's
# `<JmsResourcesDiscoverer> <get_jms_servers> <WLSDPLY-06470> <Discovering 2 JMS Servers>`; the message keeps its own
# brackets, as the console's `<Notice> <WebLogicServer> <BEA-000360> <The server started in RUNNING mode.>` is read
_ANGLE_FIELDS = re.compile(r"(?:<[^<>]{0,200}> ?){1,16}(<.*>) ?")
# WebSphere's trace: a thread id of eight hex digits, the component, then the event type's letter
# (`[1/1/24 10:00:00:123 UTC] 0000004a WebContainer E   SRVE0068E: ...`); R and O are stderr and stdout.
_WAS_THREAD = re.compile(r"^[0-9a-f]{8}$")
_WAS_LEVELS = {"F": "CRITICAL", "E": "ERROR", "W": "WARNING", "A": "INFO", "I": "INFO", "C": "INFO", "D": "DEBUG"}
# A library's own status line, its name and level joined by a colon: log4j 1.x's `log4j:WARN No appenders ...`.
_NAME_COLON_LEVEL = re.compile(r"^log\d[a-z0-9]{0,6}:(WARN|ERROR|INFO|DEBUG|FATAL)$")  # `log0j` once digits are folded
# Cisco IOS/NX-OS/ASA messages: `%FACILITY-SEVERITY-MNEMONIC:` with a syslog severity digit, after the device's time
# (`*Mar  1 00:00:15.123: %LINK-3-UPDOWN: Interface ...`), often behind a syslog server's own header; IOS XR adds a
# sub-facility and a space before the colon (`%PKT_INFRA-LINK-3-UPDOWN : Interface ...`).
# The mnemonic itself, its severity digit the one group: the miner keeps that digit when it folds digits.
CISCO_MNEMONIC = r"%[A-Z][A-Z0-9_]{1,30}(?:-[A-Z][A-Z0-9_]{1,30})?-([0-7])-[A-Z0-9_]{1,40} ?:"
_CISCO = re.compile(r"(?:^|[\s:])" + CISCO_MNEMONIC + " ")
_CISCO_SEQUENCE = re.compile("^" + CISCO_SEQUENCE)
# `kubectl describe`'s events table: the type (Warning or Normal), the reason, the age, then the source and the
# message (`Warning  FailedMount  67s (x12 over 9m22s)  kubelet  MountVolume.SetUp failed ...`); `kubectl get
# events` puts the age first.
_EVENT_TYPES = {"Warning": "WARNING", "Normal": "INFO"}
_EVENT_REASON = re.compile(r"^[A-Z][A-Za-z]{2,60}$")
_EVENT_AGE = re.compile(r"^(?:\d{1,5}[smhd]){1,3}$|^<unknown>$|^<invalid>$|^-$")
# MSBuild's and the .NET SDK's diagnostics: `/src/app.csproj : error NU3028: ...`, `Program.cs(12,5): error CS0103: ...`.
_MSBUILD = re.compile(r"^\S{1,400}?(?:\(\d{1,6}(?:,\d{1,6}){0,3}\))? ?: (error|warning) [A-Z]{1,8}\d{2,6}: ")
# Go's time.Kitchen, zerolog's console default: `3:04PM ERR message`.
_KITCHEN = re.compile(r"^\d\d?:\d\d[AP]M$")
# A program and its pid with no colon, its level in angle brackets next: JuiceFS' `juicefs[58135] <WARNING>: ...`.
_PROGRAM_PID = re.compile(r"^[\w.\-]{1,60}\[\d{1,9}\]$")
_PROGRAM_PID_THREAD = re.compile(r"^[\w.\-]{1,60}\[\d{1,9}:\d{1,6}\]$")
# Bacula's and Bareos' job messages: day and month, a time to the minute, the daemon, perhaps the job, then the message's
# type when it is not plain information (`19-Apr 12:48 bareos-dir JobId 4: Error: …`, `Fatal error:`, `Warning:`)
_BACULA_HEAD = re.compile(rf"(\d{{1,2}}-(?:{MONTH_ABBRS}) \d\d:\d\d) ([\w.\-]{{1,80}})(?: JobId \d{{1,10}})?: "
                          r"(?:(Fatal error|Error|Warning): )?")
_BACULA_LEVELS = {"Fatal error": "CRITICAL", "Error": "ERROR", "Warning": "WARNING"}
# NFS-Ganesha's ganesha.log: the time, the server's epoch, the host, the program and its thread, the function, then
# the component and the level, each after a colon (`… display_fsinfo :FSAL :DEBUG :FileSystem info …`)
_GANESHA_HEAD = re.compile(r"(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d)" + GANESHA_EPOCH + r"[\w.\-]{1,80} : "
                           r"([\w.\-]{1,80})\[[^\]]{1,80}\] [\w.\-]{1,80} :[\w ]{1,40} :([A-Z_]{3,12}) :")
_GANESHA_LEVELS = {"FATAL": "CRITICAL", "CRIT": "CRITICAL", "MAJ": "ERROR", "WARN": "WARNING", "EVENT": "INFO",
                   "INFO": "INFO", "DEBUG": "DEBUG", "MID_DEBUG": "DEBUG", "FULL_DEBUG": "DEBUG"}
# A program's name and its pid as tags, perhaps its thread's after them, with no time or level (GoodJob's
# `[GoodJob] [13272] [GoodJob::Scheduler(queues=* max_threads=2)-worker-2] `, Rails' tagged logging)
_TAGGED_PROGRAM_PID = re.compile(r"\[([A-Za-z][\w:.\-]{0,40})\] \[\d{1,9}\] (?:\[[^\]]{1,200}\] )?")
# A worker's or an actor's output relayed by its driver, its own line after: Ray's `(RayTrainWorker pid=1584) `,
# `(pid=93, ip=10.0.0.5) `, vLLM's `(APIServer pid=90980) `
_RAY_RELAY = re.compile(r"\((?:([A-Za-z_][\w.:\-]{0,80}) )?pid=\d{1,9}(?:, ip=[\d.]{7,15})?\) ")
# pion/logging's scope and level, then Go's log time: `sctp ERROR: 2020/09/22 19:46:50 [0xc000116b60] stream 3 not found`
_PION_HEAD = re.compile(PION_HEAD + r"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d{1,9})?) ")
# The Tekton CLI's `tkn pipelinerun logs` before each step's own line: `[build-kaniko : build] INFO[0024] …`, the
# task's and the step's names (Kubernetes names: lower case, digits, dashes).
_TKN_STEP = re.compile(r"\[([a-z0-9][a-z0-9-]{0,62}) : [a-z0-9][a-z0-9-]{0,62}\] ")
# npm's CLI: `npm ERR! code ELIFECYCLE`, `npm WARN deprecated ...`
_NPM_LEVELS = {"ERR!": "ERROR", "WARN": "WARNING", "warn": "WARNING", "notice": "INFO", "info": "INFO", "verb": "DEBUG",
               "sill": "DEBUG"}
# npmlog's words that name a level for any program that writes through it (Lerna's `lerna WARN`), and Prosody's, which
# writes the same shape (`s2sout7f0a33d533e0       info\tOutgoing s2s stream ...`); its `info` and
# `warn` start ordinary sentences too (`cache info collected`), so after another program's name they count only
# before a capital (`lerna info Checking for updated packages...`).
_NPMLOG_MARKS = frozenset(("ERR!", "WARN", "verb", "sill"))
# The writer before such a word: a lowercase program, or Prosody's source, a host and its module (`nsm.chat:tls  warn`).
_WRITER_NAME = re.compile(r"^[a-z][\w.\-]{0,60}(?::[a-z][\w.\-]{0,40})?$")
# A time of day glued to the bracket that follows it: jlesage's base images behind a shipper's stamp,
# `2025-09-06 10:00:06.047886+00:00[init        ] giving control to process supervisor.`; with its zone, that stamp
# (TrueNAS' app log view writes it so) glued to whatever the line opens with, `…379709+00:00INFO  [main] 16:59:50,377 …`
_GLUED_STAMP = re.compile(r"^(\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?)(\[.{1,80})$"
                          r"|^(\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:\d\d))([A-Za-z{].{0,200})$")
# ZooKeeper's C client glues its time to the pid, thread, level, function and line:
# `21:29:46,487:76(0x7f73e1a1d700):ZOO_INFO@zookeeper_init@800:`
_ZOO_C_HEAD = re.compile(
    r"^(\d\d:\d\d:\d\d,\d{3}):\d{1,9}\(0x[0-9a-f]{1,16}\):ZOO_(ERROR|WARN|INFO|DEBUG)@[\w.]{1,80}@\d{1,6}:$")
# A shipper's date and time (`kubectl logs --timestamps`, `docker logs -t`, Docker Desktop's view) before a glog/klog
# header, which is the writer's own: `2021-01-27T06:01:02.787768466Z E0127 06:01:02.787670       1 reflector.go:156] ...`
_SHIPPER_BEFORE_GLOG = re.compile(r"^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) {1,4}"
                                  r"(?=[IWEF]\d{4} \d\d:\d\d:\d\d\.\d{1,9} )")
# A section of words joined by dots, then a colon (Tezos' `node.main:`); a version (`v1.2:`) is no section.
_DOTTED_SECTION = re.compile(r"^[A-Za-z_][\w-]{0,40}(?:\.[A-Za-z_][\w-]{0,40}){1,6}:$")
# A pid and the caller, `pid/function:line:` after the level (Neovim's log: `INFO  22788/wmain:564: message`).
_PID_CALLER = re.compile(r"^\d{1,9}/[\w.]{1,80}:\d{1,6}:$")
# GitHub Actions' workflow commands as a runner prints them: `##[error]No space left on device`
_ACTIONS_LEVELS = {"##[error]": "ERROR", "##[warning]": "WARNING", "##[notice]": "INFO", "##[debug]": "DEBUG"}
# Fly.io's log lines: `2024-10-07T11:37:16Z app[2865134a394268] cdg [info] message`, the machine and region
_FLY_MACHINE = re.compile(r"^(?:app|proxy|runner)\[[0-9a-f]{6,20}\]$")
_FLY_LEVEL = re.compile(r"^\[(info|warn|error|debug)\]")
# A caller's file and line: `ColumnFamilyStore.java:385`, `pkg/server/router/tcp/postgres.go:32`.
_BRACED_CALLER = re.compile(r"^\{[\w.$]{1,200}(?::\d{1,6})?\}$")  # `{cps.config_sql:259}`, WSO2's `{org.wso2.…}`
_ZIG_HEAD = re.compile(r"^(err|error|warning|warn|info|debug)\((\w{1,40})\):$")  # Zig's std.log: `error(gpa):`
# F5 BIG-IP's message code and syslog severity after the program (`mcpd[526]: 01020066:3: The requested ...`).
_F5_CODE = re.compile(r"^[0-9a-f]{8}:([0-7]):$")
# Tendermint's (CometBFT's) level letter glued to its time: `I[05-13|08:56:27.208]`, `E[2019-05-13|08:56:27.208]`; or
# log15's level word, which it came from (Erigon's `INFO[11-07|18:57:51.399]`, Heimdall's `ERROR[2023-04-21|…]`).
_TENDERMINT_HEAD = re.compile(
    rf"^(?:[A-Z]|{LOG15_LEVEL_WORDS})\[((?:\d{{4}}-)?\d\d-\d\d\|\d\d:\d\d:\d\d(?:\.\d{{1,9}})?)\]$")
# GoldSrc's and Source's server log: `L 02/13/2017 - 13:01:24: message`.
_SRCDS_DATE = re.compile(r"^\d\d/\d\d/\d{4}$")
_SRCDS_TIME = re.compile(r"^\d\d:\d\d:\d\d:$")
# An npm scoped package's logger, perhaps with its module (WebdriverIO's `@wdio/cli:utils:`).
_SCOPED_LOGGER = re.compile(r"^@[\w.\-]{1,60}/[\w.\-]{1,60}(?::[\w.\-]{1,60}){0,3}:$")
# A process's and its threads' numbers joined by `/` or `:` (`140567003937488/133134:0x7fd856437700`).
_THREAD_IDS = re.compile(r"^\d{1,20}(?:[/:](?:0x)?[0-9a-f]{1,20}){1,3}$")
# A program's name before its bracketed level and a colon, no time: x264's and x265's `x264 [info]: profile Main`.
_PROGRAM_NAME = re.compile(r"^[A-Za-z][\w.\-]{0,40}$")
# The level and the writer's fields in one token, colons between them and after the last: OpenSIPS' and Kamailio's
# `INFO:core:main:` (level, module, function) and LibreOffice's SAL_WARN `warn:vcl.fonts:1418:1:file.cxx:503:`, and
# NSClient++'s level and Windows source path `error:c:\source\master\include\...\protocol.hpp:83:`, and RTPproxy's
# three-letter level, function and call id `ERR:rtpp_command_ul_handle:123@abc:`.
# The trailing colon keeps OpenSSL's `error:0A000086:SSL routines::...` (a space inside) out.
_LEVEL_FIELDS = re.compile(r"^([A-Za-z]{3,8})(?::[\w.\-/\\@]{1,120}){1,6}:$")
# ... or the program first: gpsd's `gpsd:ERROR: message` after syslog's own head.
_PROGRAM_LEVEL = re.compile(r"^[a-z][\w.\-]{0,40}:([A-Z]{4,8}):$")
# Open vSwitch's vlog after syslog's head, `ovs|%05N|%c|%p|` before the message with no space:
# `ovs-vswitchd[1234]: ovs|00507|connmgr|INFO|br-ex<->unix#1028: 2 flow_mods ...`.
_OVS_VLOG = re.compile(r"^[a-z][\w-]{0,40}\|\d{1,10}\|[\w.\-]{1,60}\|([A-Z]{3,5})\|")
# GNOME's gjs inside gnome-shell and other GNOME programs: `gnome-shell[1199]: JS ERROR: TypeError: ...`.
_GJS_LEVELS: dict[str, Level] = {"ERROR:": "ERROR", "WARNING:": "WARNING", "LOG:": "INFO"}
# pytest's default log format, `%(levelname)-8s %(name)s:%(filename)s:%(lineno)d %(message)s`:
# `DEBUG    ipatests.host:transport.py:557   message`.
_PYTEST_PLACE = re.compile(r"^([\w.\-]{1,200}):[\w.\-]{1,200}\.py:\d{1,6}$")
_JAVA_THREAD = re.compile(r"^Thread\[[^\]\s]{1,80}\]:$")  # Java's `Thread.toString()`: `Thread[main,5,main]:`
_NGINX_CONNECTION = re.compile(r"^\*\d{1,12}$")  # nginx's connection number: `*2362`
_LUA_CALLER = re.compile(r"^[\w./\-]{1,200}\.lua:\d{1,6}:$")
# the function a caller names after its file and line: OpenResty's `run():`, a C daemon's `moloch_http_connect():`
_CALLER_FUNCTION = re.compile(r"^[\w.:]{0,80}\(\):$")
# Rust's log target, a module path (`tokio_postgres::connection:`), and the spans tracing opens before it
# A name qualified by its module, package or class (`hyper::client::connect`, Perl's `EBox::Samba::Provision::check`).
_QUALIFIED = r"[A-Za-z_]\w{0,60}(?:::[A-Za-z_]\w{0,60}){1,8}"
_RUST_TARGET = re.compile(rf"^{_QUALIFIED}:$")
_TRACING_SPANS = re.compile(r"^(?:[A-Za-z_]\w{0,60}\{[^{}\s]{0,200}\}:){1,8}$")
_PROGRAM_ID = re.compile(r"^[a-z][\w-]{0,40}\[[0-9A-Fa-f]{1,16}\]$")  # `hostd[CDE1B70]`: a program and its thread
_SOURCE_FILE = r"[\w./\-]{1,200}\.(?:java|go|py|rs|rb|cc|cpp|c|h|scala|kt|js|ts|cs|ex|erl|php|pm|pl)"
_SOURCE_LOCATION = re.compile(rf"^{_SOURCE_FILE}:\d{{1,6}}$")
# The caller's file, line and method (or level) in one token with a colon after each, as Fluentd prints it under
# `-vv` (`fluent/log.rb:362:info: `) and Ruby's Logger formatters that add `caller` do.
_SOURCE_LINE_WORD = re.compile(rf"^{_SOURCE_FILE}:\d{{1,6}}:\w{{1,60}}:$")
# A C function's name with a colon after its source location: snake_case (an underscore), which a message's own
# first word (`error:`, `failed:`) is not.
_C_FUNCTION = re.compile(r"^[a-z][a-z0-9]{0,40}_\w{1,80}:$")
# ... and as a function without the colon: Log4perl's `%M` before a dash.
_QUALIFIED_FUNCTION = re.compile(rf"^{_QUALIFIED}$")
# ... as a caller closed by a colon, perhaps with the function between the file and the line (Go's `storehelpers.go:769:`,
# Citra's `core/core.cpp:Init:162:`)
_SOURCE_CALLER = re.compile(rf"^{_SOURCE_FILE}(?::[A-Za-z_][\w.~]{{0,80}})?:\d{{1,6}}:$")
# A message's own id, the event itself: WildFly's `WFLYSRV0021:`, Keycloak's `KC-SERVICES0013:`, `ORA-00600:`.
_MESSAGE_CODE = re.compile(r"^[A-Z][A-Z\-]{1,20}\d{3,6}[A-Z]?:$")
# Icinga 2's `information/ApiListener:`: the severity, a slash, the facility.
_SEVERITY_FACILITY = {"information": "INFO", "notice": "INFO", "warning": "WARNING", "critical": "CRITICAL",
                      "debug": "DEBUG"}
# ESP-IDF's and Zephyr-style `I (30) boot: message`: a level letter, a tick counter, the tag.
_TICKS = re.compile(r"^\(\d{1,12}\)$")
# ESP-IDF with the system clock as its log time source (CONFIG_LOG_TIMESTAMP_SOURCE_SYSTEM, _SYSTEM_FULL): the time,
# or a two-digit-year date and the time, in the parentheses the tick counter takes otherwise:
# `I (70-01-01 00:00:08.068) MY_TIME: Initializing SNTP`
_ESP_IDF_CLOCK = re.compile(r"[EWIDV] \(((?:\d\d-\d\d-\d\d )?\d\d:\d\d:\d\d\.\d{3})\) ([\w.\-]{1,40}): ")
_HEX_CODE = re.compile(r"^\[0x[0-9a-fA-F]{1,16}\]$")  # a Windows error code in brackets: `[0x0f0043]`
_LOGGER_NAME = re.compile(r"^[A-Za-z_][\w.$]{2,120}$")
_PROGRAM_WORD = re.compile(r"^[a-z][a-z0-9_.-]{2,63}$")
# one bracketed field with a capital, a digit or a colon in it, a name rather than a word of prose (`[MediaServer]`,
# `[OvenMediaEngine:1]`; not `[sic]`)
_BRACKET_FIELD = re.compile(r"^\[(?=[^\]]*[A-Z0-9:])[^\]\s]{1,80}\]$")
_BRACKETED_WORD = re.compile(r"\[([A-Za-z]{3,11})\]")
# Level words that name a level wherever they stand in a header, even before a message's first word
# (`confd[11]: WARNING Skipping ...`); ALERT, LOG, NOTICE and the like also start ordinary sentences.
_PLAIN_LEVELS = frozenset(("TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "CRITICAL"))
# Inside the bracketed group that holds the time, abbreviations are levels too: Serilog's console
# default `[21:48:30 WRN]`, Vaultwarden's `[2023-04-27 17:43:55.862][r2d2][ERROR]`.
_GROUP_LEVELS = _PLAIN_LEVELS | frozenset(("DBG", "INF", "WRN", "ERR", "FTL", "VRB", "CRIT", "SEVERE", "VERBOSE"))
_GROUP_TITLE_LEVELS = frozenset(("Debug", "Info", "Warn", "Warning", "Error", "Critical", "Fatal"))
# A level word glued to a bracket: logrus' `ERRO[2023-04-10T15:11:14+08:00]` or `WARN[0675]`,
# Asterisk's `ERROR[45652]` and `WARNING[4154622][C-00000168]` (the thread, then the call).
_BRACKET_LEVEL = re.compile(r"^([A-Z]{4,8})\[([^\]]{0,40})\](?:\[[^\]]{0,40}\]){0,2}:?$")
# logrus' TTY head with ReportCaller on: the caller's file and line glued after the bracket, its function next
# (`INFO[2022-12-03T13:43:36Z]/go/src/…/transcoder.go:116 github.com/…/transcoder.(*Transcoder).Start() Video …`)
_BRACKET_LEVEL_CALLER = re.compile(rf"^([A-Z]{{4,8}})\[([^\]]{{0,40}})\]{_SOURCE_FILE}:\d{{1,6}}$")
_OPEN_BRACKET_LEVEL = re.compile(r"^([A-Z]{4,8})\[")  # ... whose bracket holds spaces, so it closes in a later token
# Monolog's (Symfony, Laravel) `channel.LEVEL:` after the time: `[2017-02-24 09:12:07] app.ERROR: ...`.
_MONOLOG = re.compile(r"^([\w\-]{1,60})\.(DEBUG|INFO|NOTICE|WARNING|ERROR|CRITICAL|ALERT|EMERGENCY):$")
# Ruby's Logger default: `E, [2015-01-21T08:32:16.934330 #2353] ERROR -- progname: message`.
_RUBY = re.compile(r"[DIWEFAU], \[([^\]]{1,60})\] {1,8}([A-Z]{3,7}) -- ([^:]{0,80}?): ?")
# Erlang/OTP's error_logger reports: `=ERROR REPORT==== 29-Aug-2017::14:55:31 ===`.
_REPORT_HEAD = r"=([A-Z]{4,10}) REPORT={2,8}"
_ERLANG_REPORT = re.compile(_REPORT_HEAD + " ")
# lager's crash.log writes its own time before the same head: `2019-12-11 06:53:52 =ERROR REPORT====`. The head stays
# the message, as error_logger's does: the report follows on the next lines, and an empty message is no evidence.
_LAGER_CRASH = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?) " + _REPORT_HEAD + r"(?=\s|$)")
_ERLANG_LEVELS = {"ERROR": "ERROR", "CRASH": "ERROR", "SUPERVISOR": "ERROR", "WARNING": "WARNING",
                  "INFO": "INFO", "PROGRESS": "INFO"}
# Python logging's level names, as `%(levelname)s` writes them.
_PY_LEVELS = "DEBUG|INFO|WARNING|ERROR|CRITICAL"
# Python logging's default format, `%(levelname)s:%(name)s:%(message)s`: `INFO:root:Populating ES`.
# Rust's env_logger before 0.5 wrote the same (and WARN, TRACE), its module path with `::` and `<unknown>` when it had none
# (`INFO:<unknown>: fingerprint error for ...`). Not a URL's scheme: `ERROR:http://…`.
_PY_DEFAULT = re.compile(r"(TRACE|" + _PY_LEVELS + r"|WARN):([\w.\-]{1,120}(?:::[\w\-]{1,60}){0,8}|<unknown>):(?!//)(.*)")
# Python's `%(name)s %(levelname)s %(asctime)s %(message)s`, the logger before the level and the time (Galaxy's job
# handlers: `galaxy.jobs DEBUG 2021-03-17 17:15:49,627 (203168) Persisting job destination`), and the process block
# Galaxy's newer layout adds after the time (`[pN:main.web.1,p:45053,w:1,m:0,tN:JobHandlerQueue.monitor_thread] `).
_PY_NAME_LEVEL_TIME = re.compile(PY_NAME_LEVEL_HEAD + r"(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?) "
                                 r"(?:\[pN:[^\]\s]{1,200}\] )?")
# A zone after the time: `2018-04-06 19:12:38 +0000 [error]: ...`.
_ZONE_OFFSET = re.compile(r"^[+-]\d\d:?\d\d$")
# A lower-case level before the date; not `debug`, which Ceph's containers put before every line whatever its
# severity (`debug 2019-04-15 17:26:12.093 7f10f49ff700 -1 mon.c@2(peon)…`, the `-1` its real level)
_LOWER_LEADING_LEVELS = frozenset(w.lower() for w in _PLAIN_LEVELS) - {"debug", "trace"}
# A group holds a time when it holds a clock's `h:mm`; a colon and a digit alone make a header only with more after
# them: a group that is the whole line is its message (Go's `[signal SIGSEGV: segmentation violation code=0x1 …]`,
# the AWS SDK's `(Service: BedrockRuntime, Status Code: 403)`, SQLAlchemy's `(Background on this error at: …)`).
_CLOCK_IN_GROUP = re.compile(r"\d:[0-5]\d")
_BRACKETED_PLACE = re.compile(r"^\[[\w./\-]{1,200}:\d{1,6}\]$")  # a source file and line in brackets: `[lib.rs:88]`
# A bracketed group of process and thread ids split by spaces, where a header ends after its level's colon: New Relic's
# .NET agent's `NewRelic   INFO: [pid: 2220596, tid: 2]`. Only id keys, so a bracketed phrase opening a message
# (`[note: see below]`) stays the message's.
_ID_GROUP = re.compile(r"^\[(?:(?:pid|tid|thread|process|thr|proc): ?[\w.\-]{1,40}(?:, ?(?=\w)|\]$)){1,4}$", re.I)
# A thread's name (and process id) before a call site in brackets that names a source file, perhaps with its function:
# Python's `%(threadName)s:%(process)d [%(filename)s:%(funcName)s():%(lineno)s]` (W&B's `MainThread:1035367
# [wandb_setup.py:_flush():77]`). The source file's extension is what makes the word before it a header field.
_THREAD_NAME = re.compile(r"^[A-Za-z][\w\-]{0,60}(?::\d{1,9})?$")
_BRACKETED_CALL_SITE = re.compile(rf"^\[{_SOURCE_FILE}(?::[\w.<>]{{1,80}}(?:\(\))?)?:\d{{1,6}}\]$")
_HOURS_OFFSET = re.compile(r"^[+-](?:0\d|1[0-4])$")  # ISO 8601's offset in hours alone: dump1090-fa's ctime `2022 -03`
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# The kernel's time since boot, `[ 3438.580109]`, as dmesg prints it.
_CLOCK = re.compile(r"^\d\d:\d\d:\d\d(?:[.,]\d{1,9})?$")
# the kernel's `[    1.234]`, tracing's `[  2339.39s]`, LightDM's `[+0.00s]`, the Flutter tool's elapsed `[ +204 ms]`, the Open
# Build Service's whole seconds since the build began `[    0s]`
_UPTIME = re.compile(r"^\[ *\+?\d+(?:\.\d+s?|s| ?ms)\]$")
# A request id between the time and the level, as AWS Lambda's runtimes write it: `time\tid\tERROR\tmessage`.
_REQUEST_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_WORDS = re.compile(r"[A-Za-z]+")
_ZONES = frozenset(("UTC", "GMT", "Z", "CET", "CEST", "KST", "JST", "PST", "PDT", "EST", "EDT"))
MONTHS_DAYS = frozenset(
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun".split()
)
# A token that is part of a timestamp: digits joined by date/time separators.
_TIME_TOKEN = re.compile(r"^\d[\d:\-/.,T+Z]*(?:Z|[+-]\d\d:?\d\d)?$")
# runit's svlogd with `-tt`: the date and the time joined by an underscore (GitLab Omnibus' `2024-10-31_09:09:18.59261`)
_SVLOGD = re.compile(r"^\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d(?:\.\d{1,9})?$")
# Apache Traffic Server's diagnostics, `%Y%m%d.%Hh%Mm%Ss` (`20180801.15h26m05s CONNECT: …`), as the time reader reads it
_ATS_TIME = re.compile(rf"^{ATS_TIME}$")
# A level word glued by a pipe to the next field, NLog's `Info|…`
_PIPED_LEVEL = re.compile(r"^(Trace|Debug|Info|Warn|Error|Fatal|TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\|(\S*)$")
# zap's epoch in scientific notation (timestamps' `epoch-float` judges its range), digits folded or not
_EPOCH_FLOAT = re.compile(r"^\d\.\d{1,17}e\+\d\d$")
# A logger/component name that ends the header: `dfs.DataNode$PacketResponder:`,
# `sshd(pam_unix)[19939]:`, `org.apache.hadoop.Foo:`, `kernel:`.
# Heroku's `app[web.1]:` names its dyno in the brackets.
_COMPONENT = re.compile(r"^(?:\./)?[A-Za-z_][\w.$@/\-]*(?:\([\w.\-]*\))?(?:\[[\w.\-]{1,40}\])?:$")
# MIT Kerberos' daemons after syslog's host, their level after the pid: `krb5kdc[31345](info):`.
_PROGRAM_PID_LEVEL = re.compile(r"^([\w.\-]{1,60}\[\d{1,9}\])\((\w{1,10})\):$")
# A program started by its absolute path, with its pid, after syslog's host: `/usr/local/sbin/kamailio[28429]:`
# (a path without a pid is a message's own: `/var/log/daemon.log: No such file or directory`).
_PATH_PROGRAM = re.compile(r"^/[\w.\-]{1,80}(?:/[\w.\-]{1,80}){0,12}\[\d{1,9}\]:$")
# A container's entrypoint script, as the official images log them: `10-listen-on-ipv6-by-default.sh: info: ...`.
_SCRIPT = re.compile(r"^[\w.\-]{1,80}\.sh:$")
# `sqlalchemy.exc.TimeoutError:` opens a message, it does not name a logger.
_EXCEPTION_NAME = re.compile(r"(?:Error|Exception|Warning|Exit|Timeout|Failure|Failed|Interrupt)(?:\[\d+\])?:$")
_HOST = re.compile(r"^[A-Za-z0-9][\w.\-]*$")
_STERN = re.compile(STERN_PREFIX)
# A program name before ` - `, as Proxifier and Windows tools write it: `chrome.exe - `.
_PROGRAM = re.compile(r"^[\w\-]+(?:\.[\w\-]+)+$")
# A date on its own (`2017-05-16`, `2026/11/20`) or an ISO 8601 date and time in one token.
_DATE = re.compile(r"^\d{4}[-/]\d\d[-/]\d\d(?:T\d\d:\d\d\S*)?$")
_SHORT_DATE = re.compile(r"^\d\d/\d\d/\d\d$")
# A logger named by its module path without a colon: `nova.compute.manager`, `org.apache.kafka.Fetcher`.
_DOTTED = re.compile(r"^[A-Za-z_][\w$\-]*(?:\.[A-Za-z_][\w$\-]*)+$")
# glog/klog's level-and-date token `I1120` and its `file.go:42]` that ends the header.
_GLOG_HEAD = re.compile(r"^[IWEF](?:\d{4}|\d{6}|\d{8})$")  # `I1120`, CockroachDB's `I200710`, abseil's `I20240529`
_GLOG_SOURCE = re.compile(r"^[\w./\-]{1,200}:\d{1,6}\]$")  # with or without its directories: `tensorflow/core/.../guard.cc:142]`
_GLOG_LEVELS = {"I": "INFO", "W": "WARNING", "E": "ERROR", "F": "CRITICAL"}
# CockroachDB's crdb-v2 caller, `2@gossip/gossip.go:1462` (the channel before `@`), with no `]` after it;
# its tags (`[T1,n1]`, after the redaction marker `⋮`) and an entry counter follow before the message.
_CRDB_SOURCE = re.compile(r"^(?:\d{1,3}@)?[\w./\-]{1,200}\.go:\d{1,6}$")
# Log4j's `%c{1}:%L - ` (a class's short name and line, the classic PatternLayout): `Main:40 - message`.
# A class or a function and its line before ` - `: `ColumnFamilyStore:385`, and a dotted function with its parentheses
# (TrueNAS middlewared's `middlewared.job.run():379`), or a class and its method in them, log4j's `%C{1}(%M):%L`
# (Airbyte's `DefaultReplicationWorker(lambda$getReplicationRunnable$2):223`); a dotted name without parentheses may
# be a host and its port.
_CLASS_LINE = re.compile(r"^[A-Za-z_$][\w$]{0,120}(?:(?:\.[A-Za-z_$][\w$]{0,120}){0,8}\(\)|\([A-Za-z_$][\w$]{0,120}\))?"
                         r":\d{1,6}$")
# A capitalised level and a colon right after the time: Domoticz's `Error: ...`, Suricata's `Warning: ...`.
_TITLE_COLON_LEVELS = {f"{w}:": lv for w, lv in (("Error", "ERROR"), ("Warning", "WARNING"), ("Info", "INFO"),
                                                  ("Notice", "INFO"), ("Debug", "DEBUG"), ("Critical", "CRITICAL"),
                                                  ("Fatal", "CRITICAL"))}
# Chromium's and Electron's base logging: `[4772:0204/112540.163:WARNING:gpu_process_host.cc(1274)] message`
# (pid, an optional thread id, MMDD/HHMMSS.mmm, the level, the caller); NaïveProxy's build logs no pid.
_CHROMIUM = re.compile(r"\[(?:\d{1,9}:(?:\d{1,9}:)?)?(\d{4}/\d{6}(?:\.\d{1,9})?):(INFO|WARNING|ERROR|FATAL|VERBOSE\d?):"
                       r"[^\]\s]{1,200}\] ?")
# Chromium's base logging without its pid and time, behind a tag: Android's WebView relayed as `chromium: [INFO:file.cc(50)] `
# or on its own, as the Flutter engine (FML) writes it: `[ERROR:flutter/lib/ui/ui_dart_state.cc(209)] `, `[VERBOSE-2:…]`
_TAGGED_CHROMIUM = re.compile(r"(?:[\w.\-]{1,40}: )?\[(INFO|WARNING|ERROR|FATAL|VERBOSE)-?\d?:[^\]\s]{1,200}\(\d{1,6}\)\] ?")
# OpenVMS' condition message opening a line: `%FACILITY-L-IDENT, text`, its severity letter one of success,
# information, warning, error and fatal (`%MOUNT-I-MOUNTED, DATA1 mounted on _BILBO$DUA1:`); OpenEdge's database log
# writes the last four letters for its severities too.
_VMS = re.compile(r"%[A-Z][A-Z0-9$_]{0,30}-([SIWEF])-[A-Z0-9$_]{1,31}, ")
_SEVERITY_LETTERS = {"S": "INFO", "I": "INFO", "W": "WARNING", "E": "ERROR", "F": "CRITICAL"}
# Progress OpenEdge's log entry: its time, process and thread, then a client's logging level (a verbosity, no
# severity), subsystem and entry type (`[23/02/21@11:54:10.626+0100] P-029113 T-029113 1 4GL -- `), or a database's
# severity letter, process type and number (`[2019/09/19@15:05:49.409-0400] P-12345 T-1234 I BROKER  0: `).
_OPENEDGE = re.compile(r"\[((?:\d{4}|\d\d)/\d\d/\d\d@\d\d:\d\d:\d\d\.\d{3}[+-]\d{4})\] P-\d{1,10} T-\d{1,20} "
                       r"(?:\d [A-Z0-9]{1,12} {1,4}[A-Z0-9-]{1,16} |([IWEF]) [A-Z0-9]{1,12} {1,4}\d{1,5}: )")
# The COVESA DLT daemon's own log on a console: seconds since boot, `~DLT~`, its pid and a padded syslog level name
# (`[ 2954.517369]~DLT~1044544~WARNING  ~Duplicate registration of ApplicationID: 'EXA1'; …`); the uptime is no time.
_DLT = re.compile(r"\[ *\d{1,10}\.\d{1,9}\]~DLT~ *\d{1,10}~(EMERGENCY|ALERT|CRITICAL|ERROR|WARNING|NOTICE|INFO|DEBUG) *~")
# alsa-lib's error handler: `ALSA lib pcm.c:2495:(snd_pcm_open_noupdate) Unknown PCM cards.pcm.rear` (no time, no level)
_ALSA_LIB = re.compile(r"ALSA lib [\w.\-]{1,80}:\d{1,6}:\(\w{1,80}\) ")
# socat's diagnostics: `2023/05/06 14:44:57 socat[3740] E open(...): ...`, a letter of level after the program and pid
_SOCAT = re.compile(r"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d{1,9})?) ([\w.\-]{1,60})\[\d{1,9}\] ([DINWEF]) ")
_SOCAT_LEVELS: dict[str, Level] = {"D": "DEBUG", "I": "INFO", "N": "INFO", "W": "WARNING", "E": "ERROR", "F": "CRITICAL"}
# Firefox's Console.jsm dumped to stdout: `console.warn: message`
_CONSOLE_JSM = re.compile(r"console\.(log|info|warn|error|debug|trace): ")
_CONSOLE_LEVELS: dict[str, Level] = {"log": "INFO", "info": "INFO", "warn": "WARNING", "error": "ERROR", "debug": "DEBUG",
                                     "trace": "DEBUG"}
# HTSlib's hts_log (samtools, bcftools): a letter of level and the function, `[E::hts_open_format] message`.
_HTSLIB = re.compile(r"\[([TDIWE])::\w{1,80}\] ")
_PID_BEFORE_ISO = re.compile(r"\d{1,7} (?=\d{4}-\d\d-\d\d[T ]\d\d:\d\d)")
# The message types of Intel's Quartus and its message id: `Warning (20028): message`, `Critical Warning (332012): `.
_QUARTUS = re.compile(r"(Info|Extra Info|Warning|Critical Warning|Error) \(\d{1,7}\): ")
_QUARTUS_LEVELS: dict[str, Level] = {"Info": "INFO", "Extra Info": "INFO", "Warning": "WARNING",
                                     "Critical Warning": "WARNING", "Error": "ERROR"}
# Verilator's diagnostics: `%Warning-WIDTH: test.v:150: message`, `%Error: top.v:12:5: message` (the place is header).
_VERILATOR = re.compile(r"%(Warning|Error|Info)(?:-[A-Z0-9_]{1,30})?: (?:[\w./\-]{1,200}:\d{1,6}:(?:\d{1,5}:)? )?")
# A logger's name, then its level in brackets (perhaps padded inside them), after the time: Python logging's
# `[%(asctime)s] %(name)s [%(levelname)s] %(message)s`, MultiQC's `[time] multiqc          [INFO   ]  message`.
_NAME_THEN_LEVEL = re.compile(r"([\w.\-]{1,80}) \[ ?([A-Za-z]{4,8}) ?\] ")
# Android logcat's one-letter priority before the tag: `D WindowManager:`.
_LETTER_LEVELS: dict[str, Level] = {"V": "DEBUG", "D": "DEBUG", "I": "INFO", "W": "WARNING", "E": "ERROR", "F": "CRITICAL"}
# Tarantool's letters, each before `>` (say_level: the common six and syserror, crit).
_TARANTOOL_LEVELS: dict[str, Level] = {**_LETTER_LEVELS, "S": "ERROR", "C": "CRITICAL"}
# HTSlib's letters (`_HTSLIB`): logcat's and its trace.
_HTSLIB_LEVELS: dict[str, Level] = {**_LETTER_LEVELS, "T": "DEBUG"}
# A syslog priority (RFC 3164 `<34>`, RFC 5424 `<165>1 `): severity is the priority mod 8.
_PRI = re.compile(r"<(\d{1,3})>(\d )?")  # the version digit is folded to 0 by then
_SYSLOG_SEVERITY: tuple[Level, ...] = ("CRITICAL", "CRITICAL", "CRITICAL", "ERROR", "WARNING", "INFO", "INFO", "DEBUG")
_LEVEL_KEYS = ("level=", "lvl=", "severity=", "loglevel=")
_ALPHA = re.compile(r"[A-Za-z]")
_EPOCH_GROUP = re.compile(r"^\[\d{9,10}\.\d{1,9}\]$")
# Epoch seconds in brackets opening a line: Nagios' and Icinga 1's `[1580919747] SERVICE ALERT: ...`.
_EPOCH_OPENING = re.compile(r"^\[\d{10}(?:\.\d{1,9})?\]:?$")
# A level glued into a bracketed run: Kibana's `[2022-02-28T09:43:34.142+01:00][ERROR][elasticsearch-service]`,
# Arduino-ESP32's `[  1290][D][esp32-hal-cpu.c:244]` (a letter between brackets of its own), or opening the line
# before a tag when the serial monitor adds no time (ESPHome's `[I][app:029]: `).
_GLUED_LETTER = re.compile(r"(?:^|\])\[([VDIWEF])\](?:\[|$)")  # Docker Desktop's `[time][com.docker.diagnose.exe][W]` ends on it
# MongoDB's text log before 4.4: `... D STORAGE  [initandlisten] message` (a severity letter, or D1-D5, and the
# component in capitals).
_MONGO_LETTER = re.compile(r"^(?:[FEWI]|D[1-5]?)$")
_MONGO_COMPONENT = re.compile(r"^[A-Z_]{2,20}$")
# Python logging with colons between its fields, glued to the time: `16:57:40,126:kafka.conn:ERROR:16470:Connect ...`
# (`%(asctime)s:%(name)s:%(levelname)s:%(process)d:%(message)s`).
_PY_COLONS = re.compile(r"^(\d\d:\d\d:\d\d(?:[.,]\d{1,9})?):([\w.\-]{1,120}):(DEBUG|INFO|WARNING|ERROR|CRITICAL):(?:\d{1,9}:)?")
# Wine's debug channels: `0208:err:module:import_dll message` (thread, class, channel, function).
# With WINEDEBUG's `+timestamp,+pid` the seconds since start and the process come first (`520.459:03e8:03ec:info:
# vkd3d-proton:vkd3d_instance_init:`, as vkd3d-proton writes under Proton); a counter, not a time.
_WINE = re.compile(r"^(?:\d{1,9}\.\d{3}:)?(?:[0-9a-f]{4,8}:){1,2}(err|warn|fixme|trace|info):([\w\-]{1,40}):[\w\-]{0,80}:?$")
_WINE_LEVELS = {"err": "ERROR", "warn": "WARNING", "fixme": "WARNING", "trace": "DEBUG", "info": "INFO"}
# PulseAudio's `W: [pulseaudio] pid.c: message`: a level letter and a colon, then the thread in brackets.
_LETTER_COLON = {**{f"{letter}:": _LETTER_LEVELS[letter] for letter in "DIWE"}, "N:": "INFO"}
# PostgreSQL's and Pgpool-II's `pid 19: ERROR:  ...` after the time (and Pgpool's process name before it).
_PID_COLON = re.compile(r"^\d{1,9}:$")
# Seastar's shard after the time, perhaps with its scheduling group: ScyllaDB's and Redpanda's `[shard 0]`
_SHARD = re.compile(r"^\d{1,4}(?::[\w-]{1,40})?\]$")


@dataclass(slots=True)
class Parsed:
    """What the header told us; `message` is the rest of the line."""

    message: str
    level: str | None = None
    timestamp: str | None = None
    logger: str | None = None


def _program_thread_level(tokens: list[str], i: int) -> tuple[str, str] | None:
    """Unbound's own log file: its program, pid and thread with no colon at `tokens[i]`, then the level and a colon,
    and a message after them. The level and the program, or None."""
    if i + 2 < len(tokens) and _PROGRAM_PID_THREAD.match(tokens[i]) and tokens[i + 1] in _OPENING_LEVELS:
        return _OPENING_LEVELS[tokens[i + 1]], tokens[i].partition("[")[0]
    return None


def _level_of(token: str) -> str | None:
    word = token.strip("[]():<>")
    if token[:1] == "[" and "@" in word:
        word = word.partition("@")[0]  # a level with its logger: mautrix' `[INFO@mau.mx]`
    elif token[:1] == "[" and "/" in word:
        word, _, tag = word.partition("/")  # a level with its component: lldpd's `[WARN/control]`
        if len(word) == 1:
            # or its letter with a tag, as RT-Thread's rtdbg and ulog write it (`[E/utest]`); `[I/O]` is no level
            return _LETTER_LEVELS.get(word) if len(tag) > 1 else None
    return LEVELS.get(word.upper()) or (_SYMBOL_LEVELS.get(word) if token[:1] == "[" and token[-1:] == "]" else None)


# Terminal colours a console logger left in its lines (Rust's tracing, winston, Spring Boot, uvicorn, Compose's
# service prefixes): ECMA-48 control sequences (`ESC[31m`, an OSC title or link), with the escape byte as rsyslog
# writes it (`#033[0m`, its escaping of control characters), a terminal shows it (`^[[0m`) or a JSON string or a
# program's source escapes it (Docker's json-file driver's `\u001b[31m`, `\x1b[`, `\033[`: stripped from the raw line, as
# folding its digits would turn it into another character); and the same colour codes whose escape a paste lost
# (`[31mERROR[0m`), taken only beside a reset code, which a line of words does not hold. Every repeat is bounded.
_ANSI = re.compile(r"(?:\x1b|#033|\^\[|\\u001[bB]|\\x1[bB]|\\033)\[[0-9;?]{0,32}[@-~]"
                   r"|\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?|\x1b[()#][0-9A-Za-z]|\x1b[=>78]")
_BARE_SGR = re.compile(r"\[\d{1,3}(?:;\d{1,3}){0,7}m(?!\])")  # `[5m]` is five minutes


def strip_ansi(line: str) -> str:
    """`line` without terminal colour and control sequences. Every line of every source passes here: a line without
    any costs a few substring tests in C (about 0.2 us), no regex."""
    if ("\x1b" in line or "#033[" in line or "^[[" in line
            or ("\\" in line and ("\\u001" in line or "\\x1" in line or "\\033[" in line))):
        line = _ANSI.sub("", line)
    if "[" in line and ("[0m" in line or "[39m" in line or "[22m" in line or "[49m" in line):
        line = _BARE_SGR.sub("", line)
    return line


def split_header(line: str) -> Parsed:
    """Return the message of `line` with its header set aside. A rule that fails on a shape nobody foresaw costs
    that line its header, never the digest: the whole line is then the message (the tests run the rules themselves,
    `read_header`, over the corpora and their variations, so such a failure is found there, not hidden)."""
    try:
        return read_header(line)
    except (IndexError, KeyError, ValueError, RecursionError) as exc:  # a rule reading its own output without end
        _failures[0] += 1
        if _failures[0] in (1, 10, 100) or _failures[0] % 10_000 == 0:  # a stream of such lines is one warning a decade
            # The exception's type only: its text may quote a piece of the line, and lines are not ours to log.
            _log.warning("header rules failed on %d line(s) (%s); each kept whole as its message",
                         _failures[0], type(exc).__name__)
        return Parsed(message=line.strip(), level=None)


def read_header(line: str) -> Parsed:
    """`split_header` without its safety net."""
    stripped = line.strip()
    if ".log" in stripped[:128] and (grep := GREP_FILE.match(stripped)) is not None:
        stripped = stripped[grep.end():]  # `grep` over several files names each line's file: `30-restart-03.log:2025-…`
    if stripped[:1] == "<":
        m = _PRI.match(stripped)
        if m is not None:
            return _from_syslog_priority(stripped, m)
        if stripped[:7] == "<![LOG[" and (cmtrace := _from_cmtrace(stripped)) is not None:
            return cmtrace
    if stripped[:1] == "{":
        parsed = _from_json(stripped) or _from_cut_json(stripped)
        if parsed is not None:
            return parsed
    if stripped[:1] == "%" and stripped[2:3] == "|" and stripped[1:2].isdigit():
        # librdkafka's log callback: `%7|1508344979.199|BRKMIGR|rdkafka#producer-1| ...`, a syslog severity
        inner = _from_text(stripped[3:])
        return Parsed(message=inner.message, level=_SYSLOG_SEVERITY[int(stripped[1])], timestamp=inner.timestamp,
                      logger=inner.logger)
    if "=" in stripped[:80] and (stripped.startswith(("time=", "ts=", "level=", "t=")) or " msg=" in stripped):
        parsed = _from_logfmt(stripped)
        if parsed is not None:
            return parsed
    if stripped[1:3] == ", " and (m := _RUBY.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=LEVELS.get(m.group(2)), timestamp=m.group(1),
                      logger=m.group(3).strip() or None)
    if stripped[:1] == "[" and stripped[5:6] == "." and (m := _UNREAL.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=_UNREAL_LEVELS.get(m.group(3) or ""), timestamp=m.group(1),
                      logger=m.group(2))
    if stripped[:1] == "[" and stripped[1:2].isdigit() and (m := _CHROMIUM.match(stripped)) is not None:
        word = m.group(2)
        return Parsed(message=stripped[m.end():], level="DEBUG" if word[:7] == "VERBOSE" else LEVELS[word],
                      timestamp=m.group(1))
    if stripped[4:5] == "/" and "] " in stripped[20:90] and (m := _SOCAT.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=_SOCAT_LEVELS[m.group(3)], timestamp=m.group(1), logger=m.group(2))
    if stripped[:1] == "[" and "@" in stripped[9:12] and (m := _OPENEDGE.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=_SEVERITY_LETTERS.get(m.group(2) or ""), timestamp=m.group(1))
    if stripped[:1] == "%" and (m := _VMS.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=_SEVERITY_LETTERS[m.group(1)], timestamp=None)
    if stripped[:1] == "[" and "]~DLT~" in stripped[:30] and (m := _DLT.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=LEVELS[m.group(1)], timestamp=None)
    if stripped[:9] == "ALSA lib " and (m := _ALSA_LIB.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=None, timestamp=None)
    if stripped[:1].isdigit() and (m := _PID_BEFORE_ISO.match(stripped)) is not None:
        # a process id before an ISO 8601 time (Odyssey's `1 2025-07-30T08:34:28Z info (startup) `): the rest is a
        # header of its own; a number before a date that opens no header stays the message's
        inner = read_header(stripped[m.end():])
        if inner.timestamp is not None:
            return inner
    if stripped[:1] == "[" and stripped[2:4] == "::" and (m := _HTSLIB.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=_HTSLIB_LEVELS[m.group(1)], timestamp=None)
    if stripped[:1] in "IEWC" and " (" in stripped[:20] and (m := _QUARTUS.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=_QUARTUS_LEVELS[m.group(1)], timestamp=None)
    if stripped[:1] == "%" and (m := _VERILATOR.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=LEVELS[m.group(1).upper()], timestamp=None)
    if stripped[:8] == "console." and (m := _CONSOLE_JSM.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=_CONSOLE_LEVELS[m.group(1)], timestamp=None)
    if (stripped[:1] == "[" or ": [" in stripped[:44]) and (m := _TAGGED_CHROMIUM.match(stripped)) is not None:
        tag = stripped[:stripped.index(": [")] if stripped[:1] != "[" else None
        return Parsed(message=stripped[m.end():], level=LEVELS[m.group(1)], timestamp=None, logger=tag)
    if "%" in stripped[:160] and (cisco := _from_cisco(stripped)) is not None:
        return cisco
    if "\t" in stripped and (ltsv := _from_ltsv(stripped)) is not None:
        return ltsv
    if stripped[2:3] == ":" and (m := _FAH.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=LEVELS[m.group(2)], timestamp=m.group(1))
    if stripped[:1] == "=" and (m := _ERLANG_REPORT.match(stripped)) is not None:
        parsed = _from_text(stripped)
        parsed.level = parsed.level or _ERLANG_LEVELS.get(m.group(1))
        return parsed
    if "/" in stripped[4:250] and (m := _ACCESS_HEAD.match(stripped)) is not None and _level_of(m.group(1)) is None:
        return Parsed(message=stripped[m.end():], level=None, timestamp=m.group(2))
    if stripped[6:7] == " " and stripped[19:20] == ":" and (m := _JAVA_SINGLE_LINE.match(stripped)) is not None:
        return Parsed(message=stripped[m.end():], level=_JAVA_LEVEL_INITIALS[m.group(2)], timestamp=m.group(1),
                      logger=m.group(3))
    if " =" in stripped[16:28] and (m := _LAGER_CRASH.match(stripped)) is not None:
        return Parsed(message=stripped[m.start(2) - 1:], level=_ERLANG_LEVELS.get(m.group(2)), timestamp=m.group(1))
    parsed = _from_text(stripped)
    if parsed.level is None and parsed.timestamp is not None and parsed.message[:1] in _NESTED_OPENERS:
        parsed = _with_own_header(parsed)
    if "\t" in stripped[:60] and parsed.level is not None:
        _after_tabbed_names(stripped, parsed)
    if parsed.level is not None and parsed.logger is None and "  " in stripped[:120]:
        _after_padded_name(stripped, parsed)
    if parsed.level is None and parsed.timestamp is not None and (unity := _UNITY_TYPE.search(stripped, 0, 80)):
        parsed.level, parsed.message = _UNITY_LEVELS[unity.group(1)], stripped[unity.end():]
    if parsed.level is None:
        parsed.level, word = _stray_level(stripped)
        if word is not None:
            start = _message_start(stripped, parsed.message, word[0])
            parsed.message = _after_stray_word(stripped, start, word) or parsed.message
            if start > word[0] and parsed.message[:2] == ": " and parsed.message[2:].strip():
                parsed.message = parsed.message[2:].lstrip()  # the colon after a header's level: `[ Debug ] : …`
    if (parsed.level is not None and (k := parsed.message.find(":", 0, 121)) > 0
            and parsed.message[k + 1:k + 2] in _PY_LEVEL_INITIALS and (relayed := _RELAYED_PY.match(parsed.message))):
        parsed.message = parsed.message[relayed.end():]  # a module's Python logging relayed under a name, as Anaconda does
    if (parsed.level is not None and parsed.logger is None and parsed.timestamp is not None
            and (named := _NAME_THEN_LEVEL.match(parsed.message))
            and LEVELS.get(named.group(2).upper()) == parsed.level):
        parsed.logger, parsed.message = named.group(1), parsed.message[named.end():]
    if "> " in parsed.message[:60] and (osmo := _OSMO_HEAD.match(parsed.message)) is not None:
        parsed.logger, parsed.message = parsed.logger or osmo.group(1), parsed.message[osmo.end():]
    if (parsed.level is not None and parsed.logger is None and parsed.timestamp is None and " > " in parsed.message[:130]
            and (target := _PRETTY_ENV_TARGET.match(parsed.message)) is not None and parsed.message[target.end():].strip()
            and ("_" in target.group(1) or "::" in target.group(1))):
        parsed.logger, parsed.message = target.group(1), parsed.message[target.end():]
    if parsed.level is not None and parsed.logger is None and " | " in parsed.message[:210] \
            and (caller := _CALLER_PIPE.match(parsed.message)) is not None:
        parsed.logger, parsed.message = caller.group(1), parsed.message[caller.end():]
    return parsed


# An access log's head: the client (perhaps its ident and user, or S3's owner and bucket) and the common log format's
# bracketed time; the request and its status are the message (`10.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET …`,
# nginx-rtmp's `75.158.197.136 [03/Apr/2021:19:06:38 -0600] PUBLISH …`, Werkzeug's `… [29/May/2018 13:42:00] "POST …`
# with a space and no zone). A level word is no client: CUPS writes `D [22/Jul/2017:21:19:27 -0500] …`, which the text
# rules read. The tokens hold no space, so where each ends is fixed: one pass, however long the line.
_ACCESS_HEAD = re.compile(r"([^\s\[\]\"]{2,80})(?: [^\s\[\]\"]{1,80}){0,2} \[(\d\d/(?:" + MONTH_ABBRS
                          + r")/\d{4}[: ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?: [+-]\d{4}| UTC| GMT)?)\] (?=\S)")


# Bazel's server log (`java.log`, its own java.util.logging formatter): a compact date and the time with milliseconds,
# the level's initial glued to it by a colon (SEVERE, WARNING, INFO, CONFIG, FINE…), the thread's number and the
# calling class and method in brackets (`180708 23:17:08.360:W 1 [com.google….BlazeWorkspace.writeDoNotBuildHereFile] `).
_JAVA_SINGLE_LINE = re.compile(r"(\d{6} \d\d:\d\d:\d\d\.\d{3}):([SWICF]) \d{1,10} \[([^\s\]]{1,300})\] (?=\S)")
_JAVA_LEVEL_INITIALS = {"S": "ERROR", "W": "WARNING", "I": "INFO", "C": "INFO", "F": "DEBUG"}


# The caller's file (or class) and line closed by a pipe after the level, as the Pulsar C++ client logs for its
# Python, Node and Go wrappers (`INFO  [49156] HandlerBase:147 | [persistent://…] Schedule reconnection`).
_CALLER_PIPE = re.compile(r"([^\s|]{1,200}:\d{1,6}) \| (?=\S)")


# pretty_env_logger's target after the level, a Rust module path and `>` (Revolt's ` INFO  revolt_config > …`,
# Rocket's `rocket::launch > `), on a line with no time as it writes them: a name with an underscore or a path, so
# that a message's `load > 90%` stays whole.
_PRETTY_ENV_TARGET = re.compile(r"([a-z][a-z0-9_]{0,60}(?:::[a-z0-9_]{1,60}){0,8}) > ")


# libosmocore's logging, which the Osmocom cellular stack writes (OsmoMSC, OsmoBSC, OsmoTRX, OpenBSC…): perhaps its
# extended time (`yyyymmddhhmmssmmm`), a category, the category's number in angle brackets and the caller's file and
# line before the message (`DLINP <0019> stream_cli.c:1044 `; `<0004> abis_rsl.c:1852 ` without the category).
_OSMO_HEAD = re.compile(r"(?:\d{17} )?(?:(D[A-Z0-9]{1,15}) )?<[0-9a-f]{4}> [\w.-]{1,120}\.(?:c|cc|cpp):\d{1,6} (?=\S)")


# Unreal Engine's log: the time, the frame counter, the category and, unless it is the default, the verbosity
# (`[2019.12.31-00.32.16:808][  0]LogCarla: Added 0 sensors.`, `…]LogOnline: Warning: STEAM: …`).
_UNREAL = re.compile(r"(\[\d{4}\.\d\d\.\d\d-\d\d\.\d\d\.\d\d:\d{3}\])\[ {0,8}\d{1,9}\]([A-Za-z]\w{0,80}): "
                     r"(?:(Fatal|Error|Warning|Display|Verbose|VeryVerbose): )?")
_UNREAL_LEVELS = {"Fatal": "CRITICAL", "Error": "ERROR", "Warning": "WARNING", "Display": "INFO", "Verbose": "DEBUG",
                  "VeryVerbose": "DEBUG"}
# Anaconda relays each D-Bus module's stderr under the module's name, the module's own `LEVEL:logger:` after it
# (`WARNING org.fedoraproject.Anaconda.Modules.Storage:INFO:anaconda.modules.storage.bootloader.factory:Created ...`).
_RELAYED_PY = re.compile(r"[A-Za-z][\w.\-]{0,119}:(?:" + _PY_LEVELS + r"):[\w.\-]{1,120}:")
_PY_LEVEL_INITIALS = frozenset(word[0] for word in _PY_LEVELS.split("|"))


# A shipper's header (syslog's or journald's time and `program[pid]:`) before the writer's own, which has a time and
# a level of its own: espanso's `21:27:44 [daemon(1735)] [WARN] …`, AvalancheGo's `[02-10|07:30:47.177] INFO …`
# behind journald. The writer's header goes too, and its level is the line's; the shipper's time stays the line's.
_NESTED_OPENERS = frozenset("0123456789[")


# The writer's time may come without a level when it is a whole date and time: Go's standard `log` behind syslog
# (Yggdrasil's `May 17 02:29:05 tasty yggdrasil[5205]: 2022/05/17 02:29:05 TCP handler upgrade failed: EOF`).
_WHOLE_DATE = re.compile(r"\d{4}[-/.]\d\d[-/.]\d\d[ T]\d\d:\d\d")


def _writer_prefix(line: str) -> re.Match[str] | None:
    """A writer's name before its own line, as tags (`[GoodJob] [13272] `), as a driver's relay (`(APIServer
    pid=90980) `) or as a Tekton task and step (`[build-kaniko : build] `): group 1 is the name. `[ERROR] [1234] …`
    is a level and a pid, which the walk reads."""
    if line[0] == "(":
        return _RAY_RELAY.match(line)
    if (step := _TKN_STEP.match(line)) is not None:
        return step
    tagged = _TAGGED_PROGRAM_PID.match(line)
    return tagged if tagged is not None and _level_of(tagged.group(1)) is None else None


def _with_own_header(parsed: Parsed) -> Parsed:
    own = _from_text(parsed.message, nested=True)
    if own.timestamp is None or own.message == parsed.message or not own.message:
        return parsed
    if own.level is None and not _WHOLE_DATE.match(own.timestamp.lstrip("[")):
        return parsed
    return Parsed(message=own.message, level=own.level, timestamp=parsed.timestamp, logger=parsed.logger or own.logger)


# A name column after a padded level, padded itself: Python logging's `%(levelname)-8s %(name)-20s %(message)s`
# (AppDaemon's `INFO     AppDaemon            AppDaemon Version 4.0.6 starting`), perhaps with a dash after it
# (`WARN  mongo  - Stop listening …`), or a class and its line (Strawberry's `INFO  main:161                 …`).
# Both paddings must be there: one
# word and two spaces after a level that one space ends are a message's own (`INFO Starting  server`).
_PADDED_NAME = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(_PLAIN_LEVELS)) + r") {2,}"
                          r"([A-Za-z_][\w.\-]{0,60}(?::\d{1,6})?) {2,}(?:- )?(?=\S)")


def _after_padded_name(line: str, parsed: Parsed) -> None:
    m = _PADDED_NAME.search(line, 0, 120)
    if m is not None and parsed.message.startswith(m.group(1) + " "):
        parsed.message = line[m.end():]
        parsed.logger = m.group(1)


# LTSV (ltsv.org): tab-separated `label:value` fields, the message under its own label (TERASOLUNA's logback layout:
# `date:2016-12-01 13:25:42<TAB>thread:main<TAB>level:INFO <TAB>logger:…<TAB>message:Begin cleanupAll.`). Three
# labelled fields at least, one of them the message's.
_LTSV_LABEL = re.compile(r"^[\w.\-]{1,40}$")
_LTSV_TIME = ("time", "date", "timestamp", "ts", "datetime")
_LTSV_LEVEL = ("level", "severity", "lvl", "loglevel")
_LTSV_MESSAGE = ("message", "msg")


# ConfigMgr's log format (CMTrace's; Intune's agents and PSAppDeployToolkit write it too): the message first, inside
# `<![LOG[…]LOG]!>`, then the header as attributes, `<time="…" date="…" component="AppDiscovery" context="" type="1"
# thread="5412" file="…">`; its type 1, 2 and 3 are information, warning and error (timestamps.py reads the time).
_CMTRACE_HEAD = re.compile(r'<time="([^"]{1,40})" date="([^"]{1,20})" component="([^"]{0,200})"(?: context="[^"]{0,300}")?'
                           r' type="(\d)"')
_CMTRACE_TYPES = {"1": "INFO", "2": "WARNING", "3": "ERROR"}


def _from_cmtrace(line: str) -> Parsed | None:
    end = line.find(CMTRACE_CLOSE, 7)
    m = _CMTRACE_HEAD.match(line, end + len(CMTRACE_CLOSE)) if end >= 0 else None
    if m is None:
        return None  # a message over several lines: its first line has no header of its own
    return Parsed(message=line[7:end], level=_CMTRACE_TYPES.get(m.group(4)), timestamp=f"{m.group(2)} {m.group(1)}",
                  logger=m.group(3) or None)


def _from_ltsv(line: str) -> Parsed | None:
    fields = line.split("\t", 40)
    if len(fields) < 3:
        return None
    values: dict[str, str] = {}
    offset = 0
    message_at = None
    for field in fields:
        label, colon, value = field.partition(":")
        if not colon or _LTSV_LABEL.match(label) is None:
            return None
        if label in _LTSV_MESSAGE and message_at is None:
            message_at = offset + len(label) + 1
        values.setdefault(label, value)
        offset += len(field) + 1
    if message_at is None:
        return None
    level = next((values[k].strip().upper() for k in _LTSV_LEVEL if k in values), None)
    return Parsed(message=line[message_at:], level=LEVELS.get(level) if level else None,
                  timestamp=next((values[k] for k in _LTSV_TIME if values.get(k)), None),
                  logger=values.get("logger") or None)


# Folding@home's client: its time glued to the level and its work-unit and slot tags by colons
# (`09:15:37:WARNING:WU02:FS00:Failed to get assignment …`).
_FAH = re.compile(r"(\d\d:\d\d:\d\d):(DEBUG|INFO|WARNING|ERROR|CRITICAL|FATAL):(?:[A-Z]{2}\d{2}:){0,3}")

# Unity's player log: its log type padded before ` -  ` after the time (VRChat's `2024.03.06 21:26:11 Log        -  …`).
_UNITY_TYPE = re.compile(r"(?<= )(Log|Warning|Error|Exception|Assert) {1,12}- {1,2}(?=\S)")
_UNITY_LEVELS = {"Log": "INFO", "Warning": "WARNING", "Error": "ERROR", "Exception": "ERROR", "Assert": "ERROR"}


# A level word in capitals near the line's start that no header rule placed: a layout nobody wrote a rule for
# (`***  INFO   | 2024-01-05 ...`, `2021-12-02 00:31:17,826 main WARN Advanced ...`, `109938 MainThread agent   ERROR
# Heartbeating ...`, `[ERROR   ]`, `:DEBUG :`). A field ends it (a delimiter, padding, or a capital, digit or bracket
# after one space); before a lower-case word it is prose (`Got ERROR from upstream`, `ERROR handling changed`). It
# gives the level, and the message starts after it only where header fields alone stand before it (`_after_stray_word`).
_STRAY_SPAN = 120
_STRAY_LEVEL = re.compile(r"(?<![A-Za-z0-9_])(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|SEVERE|FATAL|CRITICAL|PANIC)"
                          r"(?=[:|\],;)]|\s\s|\s[A-Z0-9(\[{<]|\s:\s|\s-->?\s|$)")
# ... or in lower or title case with a colon and a space, as a program or module writes it before its message (VLC's
# `main libvlc debug:`, libva's `libva info:`, Spack's `==> Error:`); a message's own `syntax error:` reads the same
# and gives ERROR, which such a line is; or just inside a bracket (Apache 2.2's `[error]` behind a shipper's head,
# Netatalk's `(debug:AFPDaemon)`, the Nextcloud client's `[ info nextcloud.sync… ]`, ExtremeXOS' `<Info:dm.Info>`);
# or as a line's first column, padded before a pipe (Warzone 2100's `info    |14:10:49: …`).
_WORD_LEVELS = ("error", "warning", "warn", "info", "debug", "fatal", "critical", "notice")
_LOWER_OR_TITLE = "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in _WORD_LEVELS)  # `error` or `Error`, not `ERROR`
_STRAY_LOWER = re.compile(rf"(?<![\w-])({_LOWER_OR_TITLE}):\s|^\s*({_LOWER_OR_TITLE}|[Ii]nformation|[Tt]race) *\|")
_STRAY_BRACKETED = re.compile(rf"[\[(<] {{0,4}}({_LOWER_OR_TITLE}|[Ii]nformation|[Tt]race)(?=[\s\]):>-])")


# What closes the level word before its message (`: `, ` | `, `] `, padding), and a word of prose: a lower-case word
# before the level word makes the line's head a sentence, which stays the message whole (`1 job WARN: …`).
_AFTER_STRAY = re.compile(r"^[\s:|\])>-]{0,12}")
_PROSE_WORD = re.compile(r"(?<![A-Za-z0-9_.])[a-z]{3,}(?![A-Za-z0-9_])")
_CLOSES = {"[": "]", "(": ")", "<": ">"}
_TAG_IN_BRACKETS = re.compile(r"\[[^\[\]\s]{1,80}\]")


def _message_start(line: str, message: str, limit: int) -> int:
    """Where `message` starts in `line`, whose tail it is but for runs of whitespace (the rules rejoin its tokens with
    one space, so its length says nothing); `limit + 1` when it starts after `limit`."""
    header = len("".join(line.split())) - len("".join(message.split()))  # the header's characters, blanks aside
    seen = 0
    for k, c in enumerate(line[:limit + 1]):
        if not c.isspace():
            if seen == header:
                return k
            seen += 1
    return limit + 1


def _after_stray_word(line: str, start: int, word: tuple[int, int]) -> str | None:
    """The message after a stray level word that stands in what the rules left as the message (from `start`), with
    only header-like fields before it; None when a lower-case word before it makes the head a sentence. A bracket the
    word stands in is closed first (`[Info   : Unity Log]`, `[INFO Client 10032]`), and a time right after it is
    header too (`***  INFO   | 2024-01-05 22:05:22 | message`)."""
    if word[0] < start:
        return None
    # Words in brackets are a writer's tags, not prose: `[collector] info: ` (AnythingLLM), InvokeAI's
    # `[time]::[uvicorn.error]::ERROR --> `.
    if _PROSE_WORD.search(_TAG_IN_BRACKETS.sub(" ", line[start:word[0]])):
        return None
    end = word[1]
    if line[end:end + 1] == ":" and (py := _PY_DEFAULT.match(line, word[0])) is not None and py.group(3).strip():
        return py.group(3).strip()  # Python's default format behind a syslog head: `app[12]: ERROR:root:Connection …`
    k = max(line.rfind(c, start, word[0]) for c in "[(<")
    if k >= 0 and not any(c in line[k + 1:word[0]] for c in "])>"):
        close = line.find(_CLOSES[line[k]], end, end + 80)
        end = close + 1 if close >= 0 else end
    rest = _AFTER_STRAY.sub("", line[end:], count=1)
    first, _, after = rest.partition(" ")
    if after.strip() and _SOURCE_CALLER.match(first):
        rest = after.lstrip()  # the writer's file and line after its level: Citra's `<Warning> core/core.cpp:Init:162:`
    elif after[:2] == "- " and after[2:].strip() and _SOURCE_LOCATION.match(first):
        rest = after[2:].lstrip()  # ... or its file, line and a dash: LiteLLM's `LiteLLM Router:INFO: router.py:720 - `
    if not rest:
        return None
    own = _from_text(rest, nested=True)
    return own.message if own.timestamp and own.message else rest


def _stray_level(line: str) -> tuple[Level | None, tuple[int, int] | None]:
    """The level a word of the line's head gives when no header rule placed one, and where that word stands."""
    head = line[:_STRAY_SPAN + 12]  # a little past the span, so that a word at its end is read whole
    for pattern in (_STRAY_LEVEL, _STRAY_LOWER, _STRAY_BRACKETED):
        if (m := pattern.search(head)) is not None and m.start() < _STRAY_SPAN:
            g = m.lastindex or 1  # the pattern's one group that took part
            return LEVELS[m.group(g).upper()], m.span(g)
    return None, None


# A name a tab-separated header holds after its level: a thread, a logger, a zap caller (`main`, `admin`,
# `internal/retry_sender.go:126`); no space, no closing colon.
_TAB_NAME = re.compile(r"[\w.$#@/\[\]()-]{1,200}(?::\d{1,6})?")
_TAB_TIME = re.compile(r"\d\d:\d\d:\d\d")


def _after_tabbed_names(line: str, parsed: Parsed) -> None:
    """zap's console encoder (`time\tLEVEL\tlogger\tcaller\tmessage\t{fields}`: Caddy, controller-runtime,
    Istio), airlift's (a thread and a logger) and htsjdk's (the level before the time) put up to three names between
    the level and the message, each its own tab-separated field. They are header: the message starts at the first
    field that is not a bare name, or at the last name when only the structured fields follow it
    (`started\t{"addr": …}`); the last field always stays."""
    fields = line.split("\t", 6)
    if len(fields) < 4:
        return
    if LEVELS.get(fields[0].strip().upper()) == parsed.level:
        fields[0], fields[1] = fields[1], fields[0]  # htsjdk's Log (Picard, GATK 3): `LEVEL\tdate time\tTool\tmessage`
    if len(fields[0]) > 40 or not _TAB_TIME.search(fields[0]) or LEVELS.get(fields[1].strip().upper()) != parsed.level:
        return
    rest = fields[2:]
    i = 0
    while (i < 3 and i < len(rest) - 1 and _TAB_NAME.fullmatch(rest[i].strip())
           and not rest[i + 1].lstrip().startswith(("{", "["))):
        i += 1
    if i == 0:
        return
    message = "\t".join(rest[i:]).strip()
    if " ".join(parsed.message.split()).endswith(" ".join(message.split())):
        parsed.message = message
        parsed.logger = parsed.logger or rest[i - 1].strip()


def _from_cisco(text: str) -> Parsed | None:
    """A Cisco message (`%LINK-3-UPDOWN: ...`) that opens `text` or follows a header with a time in it, else None.
    The device's time may follow its sequence numbers (`000123: *Mar  1 00:00:15.123: %...`)."""
    m = _CISCO.search(text, 0, 160)
    if m is None:
        return None
    head = text[:m.start()]
    if head and not any(c.isdigit() for c in head):
        return None
    facility = text[m.start():m.end()].lstrip(" :%").partition("-")[0]
    device = _CISCO_SEQUENCE.sub("", head).lstrip("*.").rstrip(": ")
    return Parsed(message=text[m.end():], level=_SYSLOG_SEVERITY[int(m.group(1))], logger=facility,
                  timestamp=_from_text(device).timestamp if device else None)


def _from_syslog_priority(line: str, m: re.Match[str]) -> Parsed:
    """`<34>Oct 11 22:14:15 host su: msg` or RFC 5424's `<165>1 TIME HOST APP PROCID MSGID SD msg`."""
    pri = int(m.group(1))
    level = _SYSLOG_SEVERITY[pri % 8] if pri < 192 else None
    rest = line[m.end():]
    if m.group(2):
        fields = rest.split(None, 5)
        if len(fields) == 6:
            stamp, _host, app, _proc, _msgid, tail = fields
            if tail.startswith("- "):
                tail = tail[2:]
            elif tail.startswith("["):
                end = tail.find("] ")
                tail = tail[end + 2:] if end > 0 else tail
            return Parsed(message=tail or rest, level=level, timestamp=stamp, logger=None if app == "-" else app)
    inner = (_from_cisco(rest) if "%" in rest[:160] else None) or _from_text(rest)
    return Parsed(message=inner.message, level=level or inner.level, timestamp=inner.timestamp, logger=inner.logger)


# A level before an RFC 1123 date, a semicolon closing it (CERN FTS3's url-copy log:
# `INFO    Tue, 19 Dec 2023 10:03:47 +0100; Gfal2: Event triggered: …`).
_LEVEL_THEN_RFC1123 = re.compile(r"(" + "|".join(sorted(_PLAIN_LEVELS)) + r") +((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), "
                                 r"\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d(?: [+-]\d{4}| GMT| UTC)?);? +(?=\S)")


def _id_group_end(tokens: list[str], i: int) -> int:
    """The index after a bracketed group of ids split by spaces that opens at tokens[i] (0 if none, or if nothing follows)."""
    if i >= len(tokens) or tokens[i][:1] != "[" or tokens[i][-1] == "]":
        return 0
    j = next((k for k in range(i + 1, min(i + 8, len(tokens))) if tokens[k][-1] == "]"), 0)
    return j + 1 if j and j + 1 < len(tokens) and _ID_GROUP.match(" ".join(tokens[i:j + 1])) else 0


# SSSD's debug log: the time in parentheses (ISO, its hour padded by a space, or ctime with microseconds), the
# process, the function and the message's debug level as a bit (`(2023-01-29 18:23:50): [be[example.com]]
# [sdap_id_op_connect_done] (0x0040): Failed to connect, going offline`), perhaps behind the `   *  ` SSSD 2.6 puts
# before the lines of the backtrace it dumps after a failure. The bit is a verbosity the administrator chose to log
# (sss_debuglevel(8)), which the corpus' collectors marked as no level; the message's words judge it.
_SSSD_HEAD = re.compile(r"(?:\*\s{1,4})?\((\d{4}-\d\d-\d\d [ \d]\d:\d\d:\d\d(?::\d{1,6})?|[A-Z][a-z]{2} [A-Z][a-z]{2} "
                        r"[ \d]\d \d\d:\d\d:\d\d(?::\d{1,6})? \d{4})\):? \[(\S{1,120}?)\] \[(\w{1,120})\] \(0x[0-9a-fA-F]{4,5}\): ")
# The time, the level and the writer's name in one bracket, whose close ends the header: the Azure Pipelines agent's
# `[2021-02-15 09:56:37Z INFO ConfigurationStore] SetupInfoFilePath: …`, where a `Key:` after the bracket is the
# message's own and no logger's.
_BRACKETED_HEAD = re.compile(r"\[(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) {1,4}"
                             r"(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL) {1,4}([\w.$\-]{1,80})\] ")


def _from_text(line: str, nested: bool = False) -> Parsed:
    if line[:1] in "(*" and (sssd := _SSSD_HEAD.match(line)) is not None:
        return Parsed(message=line[sssd.end():], level=None, timestamp=sssd.group(1), logger=sssd.group(2))
    if line[:1] == "[" and (boxed := _BRACKETED_HEAD.match(line)) is not None:
        return Parsed(message=line[boxed.end():], level=LEVELS[boxed.group(2)], timestamp=boxed.group(1),
                      logger=boxed.group(3))
    if line[:1] in "DIWEFCT" and (dated := _LEVEL_THEN_RFC1123.match(line)) is not None:
        return Parsed(message=line[dated.end():], level=LEVELS[dated.group(1)], timestamp=dated.group(2))
    py = _PY_DEFAULT.match(line) if line[:1] in "DIWECT" else None
    if py is not None:
        return Parsed(message=py.group(3).strip(), level=LEVELS[py.group(1)], logger=py.group(2))
    if line[:1].isalpha() and " 20" in line[:100] and (named := _PY_NAME_LEVEL_TIME.match(line)) is not None:
        return Parsed(message=line[named.end():].strip(), level=LEVELS[named.group(2)], timestamp=named.group(3),
                      logger=named.group(1))
    if not nested and (shipped := _SHIPPER_BEFORE_GLOG.match(line)) is not None:
        own = _from_text(line[shipped.end():], nested=True)
        return Parsed(message=own.message, level=own.level, timestamp=shipped.group(1), logger=own.logger)
    tokens = line.split()
    if (not nested and len(tokens) > 2 and tokens[0][-1:] == ":" and tokens[0][:1].islower()
            and _HOST.match(tokens[0][:-1]) and (tokens[1][:1].isdigit() or tokens[1].lower() in SYSLOG_MONTHS)):
        # a parallel shell's node name before each of that node's lines (pdsh's and clush's `node01: `, xCAT's
        # `reventlog`), in lower case as host names are printed: the node's own header follows, with a time of day in
        # it and a message after it. A label's `Time: …`, `status: 529`, `sh: 1: …` stay as they were; a level word
        # opening the line (`error: 2024-01-01 10:00:00 disk full`) is found again as a stray level below.
        own = _from_text(line.lstrip()[len(tokens[0]):].lstrip(), nested=True)
        if own.timestamp is not None and own.message and _CLOCK_IN_GROUP.search(own.timestamp):
            return Parsed(message=own.message, level=own.level, timestamp=own.timestamp, logger=own.logger)
    if line[:1].isalnum() and ": [" in line[:120] and (dmesg := _DMESG_DECODED.match(line)) is not None:
        stamp = dmesg.group(2)
        return Parsed(message=line[dmesg.end():], level=_SYSLOG_WORDS[dmesg.group(1)],
                      timestamp=stamp if _DATE.match(stamp) else None)
    if line[:1].isdigit() and " : epoch " in line[:40] and (ganesha := _GANESHA_HEAD.match(line)) is not None:
        return Parsed(message=line[ganesha.end():].lstrip(), level=_GANESHA_LEVELS.get(ganesha.group(3)),
                      timestamp=ganesha.group(1), logger=ganesha.group(2))
    if line[:1].islower() and (pion := _PION_HEAD.match(line)) is not None:
        return Parsed(message=line[pion.end():], level=LEVELS[pion.group(2)], timestamp=pion.group(3),
                      logger=pion.group(1))
    if line[:1].isdigit() and (bacula := _BACULA_HEAD.match(line)) is not None:
        kind = bacula.group(3)
        return Parsed(message=line[bacula.end():], level=_BACULA_LEVELS[kind] if kind else None,
                      timestamp=bacula.group(1), logger=bacula.group(2))
    if not nested and line[:1] in ("[", "(") and (writer := _writer_prefix(line)) is not None:
        own = _from_text(line[writer.end():], nested=True)
        return Parsed(message=own.message, level=own.level, timestamp=own.timestamp,
                      logger=own.logger or writer.group(1))
    if len(tokens) > 2 and (stuck := _GLUED_STAMP.match(tokens[1])):
        tokens[1:2] = [g for g in stuck.groups() if g]  # a shipper's time glued to the writer's line
    if len(tokens) > 2 and _DATE.match(tokens[0]) and (zoo := _ZOO_C_HEAD.match(tokens[1])):
        return Parsed(message=line.split(tokens[1], 1)[1].strip(), level=LEVELS[zoo.group(2)],
                      timestamp=f"{tokens[0]} {zoo.group(1)}")
    if tokens:
        opening = _opening_level(tokens)
        if opening is not None:
            return opening
        if line[:1] in "tdiwec" and (padded := _PADDED_LOWER_LEVEL.match(line)) is not None:
            return Parsed(message=line[padded.end():].strip(), level=LEVELS[padded.group(1).upper()])
    if tokens and "|" in tokens[0] and tokens[0][0].isdigit():
        piped = _from_pipes(line)
        if piped is not None:
            return piped
    if len(tokens) > 1 and "|" in tokens[1] and tokens[1][:1].isdigit() and _DATE.match(tokens[0]):
        # NLog's default layout, the date before the time and its fields: `2016-10-18 09:29:54.9964|WARN|87|Logger|...`
        piped = _from_pipes(line[line.index(tokens[1]):])
        if piped is not None:
            piped.timestamp = f"{tokens[0]} {piped.timestamp}"
            return piped
        head, _, rest = line.partition(" ")
        tokens = head.replace("|", " | ").split() + rest.split()
    n = len(tokens)
    i = 0
    saw_time = False
    level: str | None = None
    time_tokens: list[str] = []
    # Walk the leading tokens while they look like header parts; stop at the
    # first token that belongs to the message.
    after_separator = False
    dotted_logger = None
    redis = False
    open_bracket = False  # the line's first bracket is open: its close ends the header (Jupyter's `... ServerApp]`)
    if n > 3 and _DATE.match(tokens[1]) and (":" in tokens[1] or _TIME_TOKEN.match(tokens[2])) \
            and not _TIME_TOKEN.match(tokens[0]):
        # `nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 ...`: the file or host a shipper
        # put before the line's own timestamp (or its level: the Lambda Python runtime's `[ERROR]\t`)
        i = 1
        if tokens[0][0] in "[<" or tokens[0].isupper() or tokens[0] in _LOWER_LEADING_LEVELS:
            # Daphne's `ERROR 2024-06-20 19:41:09,956 daphne.server ...`, AnyDesk's right-aligned `   info 2024-…`
            level = _level_of(tokens[0])
        if len(tokens[0]) == 2 and tokens[0][0] == "[" and tokens[0][1] in _LETTER_LEVELS:
            level, open_bracket = _LETTER_LEVELS[tokens[0][1]], True  # Jupyter Server's `[I 2024-01-01 10:00:00.123 ServerApp]`
    elif (n > 6 and tokens[1] == "|" == tokens[4] and tokens[0] in _PLAIN_LEVELS and tokens[2] == "jvm"
          and tokens[3].isdigit() and not nested):
        # The Java Service Wrapper's `INFO   | jvm 4    | 2016/03/30 14:53:31 |  WARN | message`: the wrapper's
        # level, then the JVM's own line (its time, and its level when it printed one)
        own = _from_text(line.split("|", 2)[2], nested=True)
        return Parsed(message=own.message, level=own.level or LEVELS[tokens[0]], timestamp=own.timestamp,
                      logger=own.logger)
    elif n > 3 and (tokens[2][:1] == "{" or _DATE.match(tokens[2])) and _STERN.match(line):
        i = 2  # stern's pod and container: the container's own line follows (`web-7d9f8c6b5-x2x9z app 2024-…`)
    elif n > 2 and tokens[1] == "|" and _HOST.match(tokens[0]):
        i = 2  # docker compose's `service_1  | `: the service's own line follows
        if n > 5 and tokens[3] in ("stdout", "stderr") and tokens[4] == "|" and _HOST.match(tokens[2]):
            i = 5  # and supervisord's relay of a program's stream inside it: `awx-dispatcher stdout | `
    elif (n > 2 and tokens[0].istitle() and tokens[0].upper() in _PLAIN_LEVELS and tokens[1][:1] == "["
          and tokens[1][-1:] == "]" and _CLOCK.match(tokens[1][1:-1])):
        level, i = LEVELS[tokens[0].upper()], 1  # Cuberite's `Warn [11:48:30] message`: a level before its time
    elif (n > 3 and tokens[2] in _PLAIN_LEVELS and _CLOCK.match(tokens[1]) and tokens[0].islower()
          and _HOST.match(tokens[0].removesuffix(":"))):
        # Bitnami's scripts: `zookeeper 17:18:20.17 INFO  ==> message`, the writer's name before its time, or with a
        # colon (Juju's debug-log: `unit-prometheus-k8s-0: 09:42:14 ERROR juju.worker.uniter.operation message`)
        i = 1
    elif n > 3 and tokens[0].isdigit() and len(tokens[0]) <= 2 and tokens[1] in MONTHS_DAYS and _CLOCK.match(tokens[2]):
        saw_time, i = True, 3  # Node-RED's `25 Oct 12:25:06 - [warn] message`: day, month, time
        time_tokens.extend(tokens[:3])
    elif (n > 1 and not nested and tokens[0][-1:] == ":" and _PROGRAM_PID.match(tokens[0][:-1])
          and tokens[0][-4:-3].isdigit() and _opening_head(tokens, 0) is None):
        # a syslog tag alone opening the line, a journal line quoted without its date and host (`fwupd[268]: message`;
        # a pid of two digits or more, so that `items[3]: null` stays a message)
        own = _from_text(line.split(None, 1)[1], nested=True)
        return Parsed(message=own.message, level=own.level, timestamp=own.timestamp, logger=tokens[0][:-1])
    elif n > 4 and tokens[1] == "-" == tokens[3] and tokens[2] in _PLAIN_LEVELS and _DOTTED.match(tokens[0]):
        # Python logging's `%(name)s - %(levelname)s - %(message)s` with no time (Dask's default)
        return Parsed(message=" ".join(tokens[4:]), level=LEVELS[tokens[2]], logger=tokens[0])
    if n > 3 and len(tokens[0]) == 1 and tokens[0] in _LETTER_LEVELS and _TICKS.match(tokens[1]) \
            and _COMPONENT.match(tokens[2]):
        # ESP-IDF's `I (30) boot: message`: the counter is ticks since boot, not a time
        return Parsed(message=" ".join(tokens[3:]), level=_LETTER_LEVELS[tokens[0]], logger=tokens[2][:-1])
    if n > 3 and len(tokens[0]) == 1 and tokens[1][:1] == "(" and (esp := _ESP_IDF_CLOCK.match(line)) is not None:
        return Parsed(message=line[esp.end():], level=_LETTER_LEVELS[tokens[0]], timestamp=esp.group(1),
                      logger=esp.group(2))
    if n > 2 and len(tokens[0]) == 1 and tokens[0] in _LETTER_LEVELS and tokens[1][:1] == "[" \
            and tokens[1][1:2].isdigit():
        level, i = _LETTER_LEVELS[tokens[0]], 1  # CUPS' `D [22/Jul/2017:21:19:27 -0500] message`
    elif (n > 3 and len(tokens[0]) == 1 and tokens[0] in _LETTER_LEVELS and _SHORT_DATE.match(tokens[1])
          and _CLOCK.match(tokens[2])):
        # HP ProCurve's event log: a severity letter, `mm/dd/yy` and the time (`I 08/05/98 10:52:32 ports: ...`)
        level, saw_time, i = _LETTER_LEVELS[tokens[0]], True, 3
        time_tokens.extend(tokens[1:3])
    while i < n and i < 12:
        tok = tokens[i]
        if saw_time and level and dotted_logger is None and i + 1 < n and _DOTTED.match(tok) \
                and not _EXCEPTION_NAME.search(tok + ":"):
            # `... INFO nova.compute.manager [req-...] message`: Python's and Java's logger name, no colon
            dotted_logger = tok
            i += 1
            if i + 1 < n and tokens[i] in (":", "::"):
                i += 1  # Spring Boot's `o.s.b.w.e.j.JettyServletWebServer        : message`, Metabase's `util.encryption ::`
                break
            continue
        if (i == 0 or (i == 2 and tokens[1] == "|")) and _REDIS_ROLE.match(tok) and n > i + 3:
            redis = True  # Redis' `1:M` or `[1249]`: its time (`14 May [2019] 13:19:52.866`) and level symbol follow
            i += 1
            if tokens[i].isdigit() and tokens[i + 1] in MONTHS_DAYS:
                saw_time = True
                k = i + 3 if tokens[i + 2].isdigit() else i + 2
                time_tokens.extend(tokens[i:k + 1])
                i = k + 1
            continue
        if i == 0 and tok[0] == "[" and n > 3 and tokens[1].isdigit() and tokens[2] == "-":
            i = 3  # NestJS' `[Nest] 64686  - ` before its time
            continue
        if (i == 0 and tok[0] == "[" and tok[-1] == "]" and n > 2 and tok[1:-1].isalpha()
                and _DATE.match(tokens[1].removeprefix("[")) and _level_of(tok) is None):
            # a writer's tag before the time: Gin's and KrakenD's `[GIN] 2024/05/30 - 19:08:07`, or before the
            # time's own bracket (Kavita's Serilog template `[Kavita] [2025-09-29 17:15:25.511 +03:00  66] [Debug]`)
            i = 1
            continue
        if saw_time and level is None and (nlog := _PIPED_LEVEL.match(tok)) is not None:
            # NLog's level glued by a pipe to what follows (`${level}|${callsite} ${message}`, Shoko Server's
            # `Info|Startup.Start => ShokoServer.StartUpServer => Loader.InitPlugins Loaded: …`): its callsite chain
            # of `=>`-joined names is header too
            level, tokens[i] = LEVELS[nlog.group(1).upper()], nlog.group(2)
            i += 0 if tokens[i] else 1
            while i + 2 < n and tokens[i + 1] == "=>" and _DOTTED.match(tokens[i]):
                i += 2
            if i + 1 < n and tokens[i - 1:i] == ["=>"] and _DOTTED.match(tokens[i]):
                i += 1
            after_separator = True
            break
        if saw_time and level is None and len(tok) == 2 and tok[1] == "!" and tok[0] in _TELEGRAF_LEVELS:
            level = _TELEGRAF_LEVELS[tok[0]]  # Telegraf's and the CloudWatch agent's `E! `, `W! `, `I! `, `D! `
            i += 1
            break
        if (i == 0 or (tokens[i - 1] == "|" and level is None)) and _GLOG_HEAD.match(tok):
            # glog/klog: `I1120 09:00:00.000000 1234 file.go:42] message`
            level, saw_time = _GLOG_LEVELS[tok[0]], True
            time_tokens.append(tok)
            i += 1
            continue
        if (saw_time and len(time_tokens) == 1 and _GLOG_HEAD.match(time_tokens[0]) and tok[-1:] == "]"
                and _CLOCK.match(tok[:-1])):
            time_tokens.append(tok[:-1])  # Kubernetes test-infra's bootstrap: `W1215 22:29:00.731] `, nothing between
            i += 1
            after_separator = True
            break
        if (saw_time and level is None and len(tok) == 1 and tok in _GLOG_LEVELS and i + 1 < n
                and _GLOG_SOURCE.match(tokens[i + 1])):
            level = _GLOG_LEVELS[tok]  # glog's letter after a full timestamp (TensorFlow's C++ runtime)
            i += 2
            after_separator = True
            break
        if level is None and (action := _actions_level(tok)) is not None:
            level, tokens[i] = action  # `2020-07-21T17:49:04.2082882Z ##[error]NetworkingError: ...`
            i += 0 if tokens[i] else 1
            after_separator = True
            break
        if saw_time and level is None and i + 2 < n and _FLY_MACHINE.match(tok) and tokens[i + 1].isalpha() \
                and len(tokens[i + 1]) == 3 and (fly := _FLY_LEVEL.match(tokens[i + 2])):
            level = LEVELS[fly.group(1).upper()]
            rest = tokens[i + 2][fly.end():]
            i += 2
            tokens[i] = rest
            i += 0 if rest else 1
            after_separator = True
            break
        if saw_time and level is None and i == 1 and tokens[0][-1] == ":" and tok in _TITLE_PRIORITIES and n > 2:
            level = _TITLE_PRIORITIES[tok]  # Falco's `%time: %priority %output`: `16:33:28.675482344: Warning Sensitive ...`
            i += 1
            after_separator = True
            break
        if saw_time and level is None and (fielded := _level_fields(tok)) is not None:
            level = fielded  # OpenSIPS' `Mar 30 21:28:40 [26115] INFO:core:main: message`
            i += 1
            after_separator = True
            break
        if saw_time and level is None and ":" in tok and tok.partition(":")[0] in _PLAIN_LEVELS and tok[-1] != ":":
            level = LEVELS[tok.partition(":")[0]]  # `%(levelname)s:%(message)s` after a time: `CRITICAL:Failed to ...`
            tokens[i] = tok.partition(":")[2]
            if (py := _PY_DEFAULT.match(tok)) is not None and py.group(3):
                # Python's default `%(levelname)s:%(name)s:%(message)s` after a time or a syslog head (a service
                # under systemd that kept basicConfig's format): `app[12]: ERROR:root:Connection failed`
                dotted_logger, tokens[i] = py.group(2), py.group(3)
            after_separator = True
            break
        if saw_time and tok in ("stdout", "stderr") and i + 1 < n and tokens[i + 1] in ("F", "P"):
            i += 2  # a container runtime's (CRI) prefix; the application's own header follows
            continue
        if saw_time and level is None and tok in ("stdout", "stderr") and i + 1 < n \
                and tokens[i + 1].rstrip(":") in _PLAIN_LEVELS:
            i += 1  # a shipper's stream field before the level: `2024/07/10 14:02:22\tstdout\tWARN: ...`
            continue
        if level is None and (i == 0 or saw_time) and (bracket_level := _glued_bracket_level(tokens, i)) is not None:
            level, bracketed, taken = bracket_level
            if ":" in bracketed and any(c.isdigit() for c in bracketed):
                saw_time = True  # logrus' full timestamp
                time_tokens.append(bracketed)
            i += taken
            continue
        if tok.startswith(_LEVEL_KEYS) and (saw_time or level or i == 0):
            lv = _norm_level(tok[tok.find("=") + 1:].strip('"'))
            if lv:
                level = level or lv
                i += 1
                continue
        if tok[0] in "[(" and not tok.rstrip(":").endswith(("]", ")")):
            # A bracketed group with spaces: `[Sun Dec 04 04:47:44 2005]`, `[RMCommunicator Allocator]`.
            j = i + 1
            while j < n and j < i + 8 and not tokens[j].rstrip(":").endswith(("]", ")")):
                j += 1
            if j >= n or j >= i + 8:
                break
            group = " ".join(tokens[i : j + 1])
            if i == 0 and j + 1 < n and _DATE.match(tokens[j + 1]) and _level_of(group) is None:
                i = j + 1  # the writer's pid and thread before the time: Suricata's `[9440 - Suricata-Main] 2023-...`
                continue
            if (_CLOCK_IN_GROUP.search(group) or _UPTIME.match(group)
                    or (j + 1 < n and ":" in group and any(c.isdigit() for c in group))) and not saw_time and i <= 2:
                saw_time = True
                time_tokens.append(group)
                # The level inside the group: Celery's `[2021-09-03 12:36:46,914: ERROR/MainProcess]`,
                # Elasticsearch's `[2021-03-28T20:14:13,433][INFO ][o.e.b.BootstrapChecks]`
                for word in _WORDS.findall(group):
                    if level is None and (word in _GROUP_LEVELS or word in _GROUP_TITLE_LEVELS):
                        level = LEVELS[word.upper()]  # MAVSDK's `[09:07:36|Info ]` too
                if level is None and group[1] in _LETTER_LEVELS and group[2] == " ":
                    level = _LETTER_LEVELS[group[1]]  # Tornado's (Jupyter's) `[D 09:10:36.284 NotebookApp]`
            elif saw_time or level:
                words = _WORDS.findall(group)
                if j + 1 >= n and not any(w in _GROUP_LEVELS or w.upper() in _GROUP_LEVELS for w in words):
                    break  # a group that ends the line without a level is the message: QuickFIX's `(Received logon)`
                # A group after the time may still hold the level: `[2023-04-27 17:43:55.862][r2d2][ERROR]`
                for word in words if level is None else ():
                    if word in _GROUP_LEVELS:
                        level = LEVELS[word]
                        break
                if level is None and len(words) == 1 and words[0].islower() and words[0].upper() in _GROUP_LEVELS:
                    level = LEVELS[words[0].upper()]  # Fluent Bit's `[ info]`, `[ warn]`
            elif i == 0 and group[0] == "(" and "=" in group and j + 1 < n and tokens[j + 1] in _PLAIN_LEVELS:
                pass  # the process's tag before the level: vLLM's `(APIServer pid=90980) ERROR 12-11 00:53:45 ...`
            elif i == 0 and (word := group[1:-1].strip()) in LEVELS:
                level = LEVELS[word]  # rosconsole's `[ INFO] [1633029022.380012271]: message`, the level padded
            else:
                break
            if level is None and "][" in group:
                # Envoy's `[2020-02-27 02:37:32.965][1][warning][config]`: a level in brackets of its own
                level = _glued_level(group)
            if dotted_logger is None and "][" in group and _DOTTED.match(last := group.rpartition("[")[2].rstrip("] ")):
                # Elasticsearch's and OpenSearch's `[time][WARN ][o.o.g.DanglingIndicesState]` name the logger, so a
                # dotted word after the node's name is the message's (`gateway.auto_import_dangling_indices is …`)
                dotted_logger = last
            i = j + 1
            continue
        if (i == 0 and n > 3 and tok.isdigit() and len(tok) <= 9 and tokens[1][:1] == "[" and tokens[1][-1:] == "]"
                and tokens[2] in _PLAIN_LEVELS):
            saw_time = True  # log4j's TTCCLayout opens with milliseconds since start: `1    [XML-RPC-0] ERROR logger - `
            i = 1
            continue
        if (_TIME_TOKEN.match(tok) and tok.count(".") < 3 and (
            not tok.isdigit() or (i == 0 and _bare_time(tokens))
            or (saw_time and len(time_tokens) < 2 and i < 3 and len(tok) >= 4)  # `081109 203615`, not a count
        )) or (i == 0 and (_EPOCH_FLOAT.match(tok) or _SVLOGD.match(tok) or _ATS_TIME.match(tok))):
            if tok.isdigit() and saw_time and len(time_tokens) >= 2:
                i += 1  # a pid after the timestamp
                continue
            saw_time = True
            time_tokens.append(tok)
            i += 1
            continue
        if saw_time and level is None and tok.islower() and (tok.upper() in _PLAIN_LEVELS or tok == "notice"):
            level = LEVELS[tok.upper()]  # Envoy's and Istio's `2021-03-11T08:38:24.776131Z debug envoy pool ...`
            i += 1
            continue
        if saw_time and len(tok) == 36 and i + 1 < n and _REQUEST_ID.match(tok) \
                and tokens[i + 1].rstrip(":") in _PLAIN_LEVELS:
            i += 1  # Lambda's request id; its level follows
            continue
        if (saw_time and tok[:3] in ("AM:", "PM:") and tok[3:] and time_tokens and tokens[i - 1] == time_tokens[-1]
                and _CLOCK_IN_GROUP.search(time_tokens[-1])):
            # the half of the day glued to the message by a colon (Authorize.Net's reader SDK: `11/18/2021 2:35:46
            # PM:Reader SDK version3.2.3`)
            time_tokens.append(tok[:2])
            tokens[i] = tok[3:]
            after_separator = True
            break
        if saw_time and (tok in _ZONES or tok in ("AM", "PM") or _ZONE_OFFSET.match(tok)
                         or (_zone_name(tok) and time_tokens and tokens[i - 1] == time_tokens[-1])
                         or (_HOURS_OFFSET.match(tok) and time_tokens and i + 1 < n and (
                             tokens[i - 1] == time_tokens[-1]
                             or (_YEAR.match(tokens[i - 1]) and i > 1 and tokens[i - 2] == time_tokens[-1])))):
            time_tokens.append(tok)
            i += 1
            continue
        if (saw_time and tok[-1:] == ":" and i + 1 < n and time_tokens and tokens[i - 1] == time_tokens[-1]
                and (tok[:-1] in _ZONES or _ZONE_OFFSET.match(tok[:-1]))):
            # the zone, then the colon that ends the header: Ruby's `Time#to_s` interpolated before a message
            # (Puma's `2015-07-21 21:02:10 +1000: HTTP parse error`)
            time_tokens.append(tok[:-1])
            i += 1
            after_separator = True
            break
        if (i < 3 and i + 2 < n and tokens[i + 1].isdigit() and _CLOCK.match(tokens[i + 2])
                and (tok.lower() in SYSLOG_MONTHS or (len(tok) <= 3 and tok[-1] in "月월" and tok[:-1].isdigit()))):
            # journald in another locale: `zář 15 09:22:48`, `nov. 19 05:21:27`, `Mär 12 07:01:06`; a CJK month is
            # a number, so the miner's digit-folded `0月` must read as one too
            saw_time = True
            time_tokens.extend(tokens[i:i + 3])
            i += 3
            continue
        if (i == 0 and n > 2 and _KITCHEN.match(tok) and tokens[1] in _GROUP_LEVELS) or (
                saw_time and time_tokens and tokens[i - 1] == time_tokens[-1] and _KITCHEN.match(tok)):
            # zerolog's console default `3:04PM ERR`, and after a date (Portainer's `2024/03/19 10:56AM WRN`)
            saw_time = True
            time_tokens.append(tok)
            i += 1
            continue
        if (saw_time and level is None and tok[0] == "{" and tok[-1] == "}" and i + 1 < n
                and tokens[i + 1][:1] == "<" and _level_of(tokens[i + 1])):
            i += 1  # ClickHouse's query id (`{}` outside a query) before its `<Error>`
            continue
        if (saw_time and level is None and i + 1 < n and tokens[i + 1][:1] == "<" and _THREAD_IDS.match(tok)
                and _level_of(tokens[i + 1])):
            i += 1  # vertica-python's `pid/tid:0xthread` before its `<INFO>`
            continue
        close = next((j for j in range(i, min(i + 3, n - 1)) if tokens[j][-1] == "]"), None) if open_bracket else None
        if saw_time and close is not None:
            dotted_logger = tokens[i].rstrip("]") or None  # `ServerApp]`, JupyterHub's `JupyterHub app:1234]`
            i = close + 1
            after_separator = True
            break
        if (i == 0 or (i == 2 and tokens[1] == "|")) and i + 2 < n and (no_time_head := _opening_head(tokens, i)) is not None:
            # a head with no time at all, perhaps behind docker compose: guacd's `guacd[246]: ERROR:`, Go's
            # `log.Lshortfile` before a bracketed level (Helm's `helm.go:81: [debug]`), Zig's std.log `error(gpa):`
            level, dotted_logger, taken = no_time_head
            i += taken
            after_separator = True
            break
        if (i == 0 and n > 3 and tok.isdigit() and tokens[1].startswith("TID-") and tokens[2][-1:] == ":"
                and tokens[2][:-1] in _PLAIN_LEVELS):
            # Sidekiq's (and Faktory's Ruby worker's) format without a timestamp, as under systemd or Heroku:
            # `pid TID-xxx LEVEL: message`
            level, i = LEVELS[tokens[2][:-1]], 3
            after_separator = True
            break
        if (saw_time and level is None and i + 2 < n and len(tokens[i + 1]) == 2 and tokens[i + 1][1] == ">"
                and tokens[i + 1][0] in _TARANTOOL_LEVELS):
            # Tarantool's `[pid] cord/fiber-id/fiber-name I> message`: the fiber, then a letter and `>`
            level, dotted_logger, i = _TARANTOOL_LEVELS[tokens[i + 1][0]], tok, i + 2
            after_separator = True
            break
        if (saw_time and level is None and i + 2 < n and tokens[i + 1] == "|" and tokens[i - 1] != "|"
                and (tok.isupper() or tok.istitle()) and tok.upper() in _PLAIN_LEVELS):
            # a level column, then a pipe: Octopus' `16:05:51   Error    |   ...` (a pipe before it too is a table of
            # columns, read below: Prefect's `12:25:49.851 | INFO    | prefect.engine - ...`)
            level, i = LEVELS[tok.upper()], i + 2
            after_separator = True
            break
        if (saw_time and level is None and tok[:1] == "|" == tok[-1:] and (tok[1:-1] in _PLAIN_LEVELS
                                                                            or tok[1:-1] in _LETTER_LEVELS) and i + 1 < n):
            # ArangoDB's starter: `2019-05-13T18:44:03+08:00 |INFO| message`; Vita3K's letter and the function in
            # a bracket after it: `[00:40:47.052] |E| [debug_callback]: message`
            level = LEVELS[tok[1:-1]] if tok[1:-1] in _PLAIN_LEVELS else _LETTER_LEVELS[tok[1:-1]]
            i += 1
            if i + 1 < n and tokens[i][-1:] == ":" and _TAG.match(tokens[i][:-1]):
                i += 1
            after_separator = True
            break
        if (saw_time and level is None and tok.startswith("|-") and tok[2:] in _PLAIN_LEVELS and i + 1 < n):
            level, i = LEVELS[tok[2:]], i + 1  # logback's status messages: `10:00:00,123 |-ERROR in ch.qos.logback...`
            after_separator = True
            break
        if (saw_time and level is None and i + 3 < n and _WAS_THREAD.match(tok) and tokens[i + 2] in _WAS_LEVELS
                and tokens[i + 1][:1].isalpha()):
            level, dotted_logger, i = _WAS_LEVELS[tokens[i + 2]], tokens[i + 1], i + 3
            after_separator = True
            break
        if i < 2 and i + 1 < n and _MON_DATE.match(tok) and _CLOCK.match(tokens[i + 1].removesuffix(":")):
            saw_time = True  # a colon may close the time, as ISO dates' may: nanominer's `2021-Mar-17 00:17:19: …`
            time_tokens.extend(tokens[i:i + 2])
            i += 2
            continue
        if (saw_time and level is None and i + 2 < n and tok[-1] == "]" and tokens[i + 1][:1] == "<"
                and tokens[i + 1][-2:] == ">:" and _PROGRAM_PID.match(tok)
                and (lv := _level_of(tokens[i + 1][:-1])) is not None):
            level, dotted_logger, i = lv, tok.partition("[")[0], i + 2
            after_separator = True
            break
        if saw_time and level is None and (unbound := _program_thread_level(tokens, i)) is not None:
            (level, dotted_logger), i = unbound, i + 2  # Unbound's `Aug 21 10:37:11 unbound[7:0] info: `
            after_separator = True
            break
        if (level is None and tok in _DOTNET_LEVELS and i + 1 < n and _DOTNET_CATEGORY.match(tokens[i + 1])
                and (saw_time or after_separator or (i == 2 and tokens[1] == "|"))):
            level, dotted_logger = _DOTNET_LEVELS[tok], tokens[i + 1].partition("[")[0]
            i += 2 if i + 2 < n else 1
            after_separator = True
            break
        if i < 3 and (tok in MONTHS_DAYS or (tok[-1:] == "," and tok[:-1] in MONTHS_DAYS and i + 1 < n
                                             and tokens[i + 1].isdigit())):  # RFC 1123's `Tue, 29 Mar 2016`
            saw_time = True
            time_tokens.append(tok)
            i += 1
            continue
        if tok[0] in "[(" and (saw_time or level or i == 0):
            inner_level = _level_of(tok)
            if inner_level is None and level is None and saw_time and ":" in tok and tok[-1] == "]":
                word = tok[1:-1].rpartition(":")[2]  # Apache 2.4's `[suexec:notice]`, `[core:trace3]`
                inner_level = _SYSLOG_WORDS.get(word) or ("DEBUG" if word[:5] == "trace" else None)
                if inner_level is None:  # or any field in capitals: Firecracker's `[instance:thread:INFO:file.rs:163]`
                    inner_level = next((LEVELS[f] for f in tok[1:-1].split(":") if f in _PLAIN_LEVELS), None)
            if inner_level is None and level is None and saw_time and len(tok) == 3 \
                    and tok[0] + tok[2] in ("[]", "()") and tok[1] in _LETTER_LEVELS and i + 1 < n:
                # beego's (frp's) `[I] [service.go:225]`, Gitea's `[I]`, SatDump's `(W)`
                inner_level = _LETTER_LEVELS[tok[1]]
            if inner_level is None and level is None and saw_time and "][" in tok:
                inner_level = _glued_level(tok)  # Yii2's `[ip][user][session][warning][category]` after the time
            if inner_level and level is None:
                level = inner_level
            elif i == 0 and _UPTIME.match(tok):
                saw_time = True  # a counter since start (LightDM's `[+0.00s]`): where a time would be, but no time
            elif i == 0 and ":" in tok and any(c.isdigit() for c in tok):
                saw_time = True
                time_tokens.append(tok)
                if level is None and "][" in tok:
                    level = _glued_level(tok)  # Kibana's `[2022-02-28T09:43:34.142+01:00][ERROR][elasticsearch-service]`
            elif i == 0 and _EPOCH_OPENING.match(tok) and n > 1:
                saw_time = True  # Nagios' `[1580919747] SERVICE ALERT: ...`: the message follows the epoch
                time_tokens.append(tok)
                i, after_separator = 1, True
                if level is None and n > 2 and tokens[1][:1] == "[" and tokens[1][-1:] == "]" and _level_of(tokens[1]):
                    level, i = _level_of(tokens[1]), 2  # or a bracketed level: Vapor's `[1464768679] [WARNING] ...`
                elif level is None and (unbound := _program_thread_level(tokens, 1)) is not None:
                    (level, dotted_logger), i = unbound, 3  # or Unbound's: `[1603043664] unbound[1:0] info: `
                break
            elif i == 0 and tok[-1] == "]" and n > 2 and tokens[1][:1] == "[" and _level_of(tokens[1]):
                pass  # a launcher's tag before the level: ROS 2's `[component_container-2] [DEBUG] ...`
            elif i == 0 and tok[-1] == "]" and n > 2 and tokens[1] in _PLAIN_LEVELS and (
                    _THREAD_ID.match(tok[1:-1]) or (n > 4 and tokens[3] == "-" and _LOGGER_NAME.match(tokens[2]))):
                # a thread before a bare level: Cxbx-Reloaded's `[0x73D8] INFO : ...`, or any thread's name when a
                # logger and a dash follow (SLF4J SimpleLogger's `[main] INFO org.example.Server - ...`)
                pass
            elif not (saw_time or level) or (i + 1 >= n and not inner_level
                                              and not any(_BRACKETED_PLACE.match(t) for t in tokens[:i])):
                # nor is a group after the time that ends the line without a level header: `(Received)` (the unified
                # log format's groups after its `[source:line]` are its message and fields: read below)
                break
            i += 1
            continue
        if saw_time and level and i + 2 < n and _THREAD_NAME.match(tok) and _BRACKETED_CALL_SITE.match(tokens[i + 1]):
            i += 1  # the thread; its call site is read as a bracketed field next
            continue
        lv = _level_of(tok) if level is None else None
        if lv and (tok.isupper() or tok[0] in "[<"):
            level = lv
            i += 1
            if i < n and tokens[i] == ":":
                i += 1  # `CRITICAL : message`
            continue
        if lv and saw_time and tok.istitle() and i + 1 < n and (_cbs_tag(tokens[i + 1]) or (
                i + 2 < n and _HEX_CODE.match(tokens[i + 1]) and tokens[i + 2][:1].isupper())):
            # `Info  CBS  message` (Windows CBS): a capitalised level word right before an upper-case tag, or
            # before the error code that Sysprep's and DISM's logs put first (`Error [0x0f0043] SYSPRP ...`), with or
            # without a tag after it when a capital opens what follows (USMT's `Info  [0x000000] Entering MigShutdown`)
            level = lv
            i += 1
            continue
        if (saw_time and level is None and i + 3 < n and _MONGO_LETTER.match(tok) and _MONGO_COMPONENT.match(tokens[i + 1])
                and tokens[i + 2][:1] == "[" and tokens[i + 2][-1:] == "]"):
            level = _LETTER_LEVELS[tok[0]]  # MongoDB's `D STORAGE  [initandlisten] message`
            i += 3
            after_separator = True
            break
        if saw_time and level is None and (k := _pid_before_level(tokens, i)):
            level = LEVELS[tokens[k].rstrip(":")]  # Pgpool-II's `health_check0 pid 194: WARNING:  message`
            i = k + 1
            after_separator = True
            break
        if (saw_time and level is None and i + 2 < n and time_tokens and tokens[i - 1] == time_tokens[-1]
                and sum(map(len, time_tokens)) >= 12 and tok.islower() and _PROGRAM_WORD.match(tok)
                and tokens[i + 1] in _PLAIN_LEVELS and tokens[i + 1].isupper()):
            # the program's name, then its level in capitals, right after a date and time: SimpleSAMLphp's
            # `Oct 10 06:10:54 simplesamlphp ERROR [8e9f2cf829] message` (after a bare time of day the word may be
            # prose's: `10:00:00 got ERROR from upstream`)
            dotted_logger, level = tok, LEVELS[tokens[i + 1]]
            i += 2
            continue
        if (saw_time and level is None and len(tok) == 1 and tok in _LETTER_LEVELS and i + 1 < n
                and (_COMPONENT.match(tokens[i + 1]) or tokens[i + 1] == "|"
                     or (time_tokens and time_tokens[-1].endswith(tokens[i - 1])
                         and _BRACKET_FIELD.match(tokens[i + 1])))):
            # logcat's `D Tag:`, etcd's capnslog `W | etcdserver: ...`, and a letter right after the time before a
            # bracketed field (ZLMediaKit's and OvenMediaEngine's `… 01:51:02.720 I [MediaServer] …`)
            level = _LETTER_LEVELS[tok]
            i += 2 if tokens[i + 1] == "|" else 1
            continue
        if (saw_time and level is None and i > 0 and tokens[i - 1][-2:] == "]:" and i + 1 < n
                and (moz := _MOZ_LOG_MODULE.match(tok))):
            level, dotted_logger = _LETTER_LEVELS[moz.group(1)], moz.group(2)  # Mozilla's MOZ_LOG: `[Parent 1: Main
            i += 1  # Thread]: I/IMAP message`, the level letter glued to the module
            after_separator = True
            break
        if saw_time and level is None and tok[-1] == ":" and (tag := _ANDROID_TAG.match(tok)):
            level, dotted_logger = _LETTER_LEVELS[tag.group(1)], tag.group(2)
            i += 1
            after_separator = True  # the message follows the tag
            break
        if (saw_time and level is None and tok[-1] == "(" and i + 1 < n and _PADDED_PID.match(tokens[i + 1])
                and (tag := _ANDROID_TAG.match(tok[:-1] + ":"))):
            # logcat's `-v time` pads the pid inside its parentheses: `05-31 23:30:06.503 D/ActivityThread( 1441): `
            level, dotted_logger = _LETTER_LEVELS[tag.group(1)], tag.group(2)
            i += 2
            after_separator = True
            break
        if (saw_time and level is None and i + 1 < n and i > 0
                and (tok in _TITLE_LEVELS and _THREAD_ID.match(tokens[i - 1])
                     # or among fields joined by commas: the Sysdig agent's `time, pid.tid, Information, `
                     or tok[-1:] == "," and tok[:-1] in _TITLE_LEVELS and tokens[i - 1][-1:] == ",")):
            level = _TITLE_LEVELS[tok.removesuffix(",")]
            i += 1
            if (i + 3 < n and _MACOS_COLUMNS.match(" ".join(tokens[i:i + 3])) and tokens[i + 3][-1:] == ":"
                    and tokens[i + 3][:-1].replace("-", "").replace(".", "").isalnum()):
                # macOS' `log show` and `log stream` in their default style: after the thread and the type, the
                # activity, the pid and the TTL columns, then the process, perhaps the sending library in
                # parentheses and the subsystem and category in brackets (`0x0  1732  0  sshd:
                # (libsystem_info.dylib) [com.apple.network.libinfo:si_destination_compare] `)
                dotted_logger, i = tokens[i + 3][:-1], i + 4
                if i < n and tokens[i][:1] == "(" and tokens[i][-1:] == ")":
                    i += 1
                if i < n and tokens[i][:1] == "[" and tokens[i][-1:] == "]" and ":" in tokens[i]:
                    i += 1
                after_separator = True
                break
            continue
        if redis and saw_time and level is None and tok in _REDIS_LEVELS:
            level = _REDIS_LEVELS[tok]
            i += 1
            break
        if saw_time and level is None and tok == "PHP" and i + 1 < n and tokens[i + 1] in _PHP_LEVELS:
            level = _PHP_LEVELS[tokens[i + 1]]
            # the kind ends at its colon: `Warning:`, `Fatal error:`, `Catchable fatal error:`
            i = next((k + 1 for k in range(i + 1, min(i + 4, n)) if tokens[k].endswith(":")), i + 2)
            after_separator = True
            break
        if saw_time and _GLOG_SOURCE.match(tok) and time_tokens[0][:1] in _GLOG_LEVELS:
            i += 1  # glog's `file.go:42]` closes its header
            break
        if saw_time and level and _CRDB_SOURCE.match(tok) and time_tokens[0][:1] in _GLOG_LEVELS:
            i += 1  # CockroachDB's `2@gossip/gossip.go:1462 ⋮ [T1,n8] 25  message`
            if i + 1 < n and tokens[i] == "⋮":
                i += 1
            if i + 1 < n and tokens[i][:1] == "[" and tokens[i][-1:] == "]":
                i += 1
                if i + 1 < n and tokens[i].isdigit():
                    i += 1
            after_separator = True
            break
        if saw_time and level is None and tok[:1].isdigit() and (py := _PY_COLONS.match(tok)):
            time_tokens.append(py.group(1))
            level, dotted_logger, tokens[i] = LEVELS[py.group(3)], py.group(2), tok[py.end():]
            i += 0 if tokens[i] else 1
            after_separator = True
            break
        if saw_time and tok[-1] == ":" and i + 1 < n and _SOURCE_LOCATION.match(tok[:-1]):
            i += 1  # Go's log with Lshortfile or Llongfile: `2018/10/23 12:01:49 oauthproxy.go:359: message`
            after_separator = True
            break
        if saw_time and level is None and tok in _TITLE_COLON_LEVELS and i + 1 < n:
            level = _TITLE_COLON_LEVELS[tok]  # Domoticz's `Error: ...`, Suricata's `Warning: detect: ...`
            i += 1
            after_separator = True  # what follows is the message's (`Error: ENOENT: ...` names no logger)
            break
        if (saw_time and level is None and i + 3 < n and tokens[i + 1] == "->" and tokens[i + 2] in _PLAIN_LEVELS
                and tokens[i + 3].isdigit()):
            # Hyperledger Fabric's flogging: `[ledgermgmt] initialize -> INFO 007 message` (function, level, sequence)
            level, i = LEVELS[tokens[i + 2]], i + 4
            after_separator = True
            break
        if (saw_time and level is None and "." in tok
                and (fl := _FACILITY_LEVEL.match(tok[1:-1] if tok[:1] + tok[-1:] == "<>" else tok))):
            # BusyBox's and OpenWrt's syslog: `daemon.info charon: ...`; NetScaler's in angle brackets: `<local0.info>`
            level = _SYSLOG_WORDS[fl.group(1)]
            i += 1
            continue
        if (saw_time and level is None and tok in _TITLE_LEVELS and i + 1 < n and tokens[i + 1][-1] == ":"
                and _COMPONENT.match(tokens[i + 1])):
            level = _TITLE_LEVELS[tok]  # Emby's `Info Server: ...`
            i += 1
            continue
        if (saw_time and level is None and tok[0] == "#" and tok[1:].isdigit() and i + 1 < n
                and tokens[i + 1][:1] == "[" and _level_of(tokens[i + 1])):
            i += 1  # NLog's thread before its bracketed level: `#4072 [Debug] logger: ...` (an issue's `#123` stays)
            continue
        if saw_time and level is None and _SQUID_KID.match(tok) and i + 1 < n:
            i += 1  # Squid's worker (`kid1|`) before its message: `2021/04/21 04:43:48 kid1| ipcacheParse ...`
            after_separator = True
            break
        if saw_time and level is None and _PROCESS_ID.match(tok) and i + 1 < n:
            i += 1  # a thread id (`0x289580`, macOS) or Android Studio's `23648-23648/com.example`
            continue
        if level and _WRITER_ID.match(tok) and i + 1 < n:
            i += 1  # nginx's `3690#0:` (pid#thread) or an Erlang pid `<0.32.0>` after the level
            continue
        if (saw_time and level is None and tok == "-" and i + 2 < n and tokens[i + 1] in _OPENING_LEVELS
                and tokens[i + 1][0].islower()):
            # a lower-case level and a colon after the time and a dash: ioBroker's `2018-02-13 20:23:29.405  - warn: ...`
            level, i = _OPENING_LEVELS[tokens[i + 1]], i + 2
            after_separator = True
            break
        if (saw_time or level) and (tok in ("-", "|", "---", "-->") or (tok.isdigit() and (
                level is None or _header_follows(tokens, i)))):  # CodeIgniter's `-->`; a pid or a thread number
            # (after the level only when more header follows: Spring Boot's `INFO 95 --- [main]`, klog's `1 file.go:79]`;
            # tg2sip's `[debug] 1 SIP worker threads created` begins with its count)
            after_separator = not tok.isdigit()
            i += 1
            continue
        if saw_time and level is None:
            if tok[-1] == ":" and (mono := _MONOLOG.match(tok)):
                level, dotted_logger = LEVELS.get(mono.group(2)), mono.group(1)
                i += 1
                after_separator = True  # the message follows the level
                break
            skip = _tokens_before_level(tokens, i)
            if skip:
                # One or two fields of the writer's own between the time and the level: Airflow's
                # `{models.py:1428} INFO -`, PostgreSQL's `user@db FATAL:`, Sidekiq's `TID-ovgd2eqgs WARN:`,
                # `P3138 [INFO]`, a Lambda runtime's `NO-REQUEST-ID INFO`.
                word = tokens[i + skip].strip("[]:")
                level = _LETTER_LEVELS[word] if len(word) == 1 else LEVELS[word.upper()]
                i += skip + 1
                if i < n and tokens[i] in ("-", "|"):
                    i += 1
                elif i + 1 < n and _DATE.match(tokens[i]) and "T" in tokens[i]:
                    i += 1  # the writer's own ISO 8601 time after it: InfluxDB 1's `influxd[49]: [I] 2017-…Z `
                after_separator = True  # the message follows the level
                break
        break
    logger = dotted_logger
    if ((after_separator or saw_time) and level is None and i + 2 < n and tokens[i + 1] in ("-", "|")
            and (tokens[i + 2] in _PLAIN_LEVELS
                 or (tokens[i + 1] == "|" and i + 3 < n and tokens[i + 3] == "|" and tokens[i + 2].istitle()
                     and tokens[i + 2].upper() in _PLAIN_LEVELS))
            and (_DOTTED.match(tokens[i]) or _HOST.match(tokens[i]))):
        # Python logging's `%(asctime)s - %(name)s - %(levelname)s - %(message)s`, and the same with
        # pipes (the Datadog agent's `2023-05-03 19:24:03 UTC | DD_EXTENSION | ERROR | message`, a capitalised level
        # between pipes in Antistasi's `| Antistasi | Info | …`), or with no dash after the time (singer-python's
        # `2023-05-11 10:14:56,025Z    tap - CRITICAL message`)
        logger, level = tokens[i], LEVELS[tokens[i + 2].upper()]
        i += 4 if i + 3 < n and tokens[i + 3] == tokens[i + 1] else 3
    elif ((after_separator or saw_time) and level is None and i + 5 < n and tokens[i + 1] in ("-", "|")
            and tokens[i + 3] == tokens[i + 1] == tokens[i + 5] and tokens[i + 4] in _PLAIN_LEVELS
            and _HOST.match(tokens[i]) and (_DOTTED.match(tokens[i + 2]) or _HOST.match(tokens[i + 2]))):
        # the same with the thread first: botocore's and the AWS CLI's debug log,
        # `2019-12-12 20:36:31,302 - MainThread - awscli.clidriver - DEBUG - message`
        logger, level = tokens[i + 2], LEVELS[tokens[i + 4]]
        i += 6
    elif (saw_time and level is None and 0 < i < n - 1 and tokens[i - 1] == "-" and _DOTTED_SECTION.match(tokens[i])
          and not _EXCEPTION_NAME.search(tokens[i])):
        # a dotted section after the time and a dash, no level: Tezos' (Octez') `Dec  4 19:50:02.922 - node.main: …`
        logger, i = tokens[i][:-1], i + 1
    if level and not after_separator and i + 2 < n:
        tok = tokens[i]
        if (_SOURCE_LOCATION.match(tok) and tokens[i + 1] in ("-", ">", "|")) or (
                tokens[i + 1] == "-" and _CLASS_LINE.match(tok)):
            i += 2  # the caller: Cassandra's `ColumnFamilyStore.java:385 - `, zerolog's `postgres.go:32 > `
            after_separator = True
        elif (tok[:1] == "(" and tok[-1:] == ")" and i + 3 < n and tokens[i + 2] == "-"
              and "(" in tokens[i + 1] and _CLASS_LINE.match(tokens[i + 1])):
            i += 3  # a context in parentheses, perhaps empty, before `%C{1}(%M):%L - `: Airbyte's `INFO () Class(run):223 - `
            after_separator = True
        elif tokens[i + 1] == "-" and _LOGGER_NAME.match(tok) and (
                not tok.islower() or (i > 1 and tokens[i - 2] == "[shard" and _SHARD.match(tokens[i - 1]))):
            # `%-5p %c - %m`: Splunk's `WARN  DistributedPeerManager - ...`; a lower-case name only after Seastar's
            # shard (ScyllaDB's and Redpanda's `[shard 0] init - `), where prose would not stand, and the caller
            # after it (Redpanda's `[shard 0:main] main - application.cc:420 - `)
            logger, i = tok, i + 2
            if i + 2 < n and tokens[i + 1] == "-" and _SOURCE_LOCATION.match(tokens[i]):
                i += 2
            after_separator = True
        elif _PID_CALLER.match(tok):
            i += 1  # Neovim's `INFO  22788/wmain:564: message`
            after_separator = True
        elif tok == "--" and tokens[i + 1][-1:] == ":" and len(tokens[i + 1]) <= 81:
            i += 2  # Ruby Logger's `-- progname: ` after the level, the name perhaps empty (Postal's `ERROR -- : `)
            after_separator = True
        elif tok[0] == "(" and tok[-1] == ")" and i > 0 and tokens[i - 1][0] == "[" and tokens[i - 1][-1] == "]":
            i += 1  # WildFly's, Quarkus' and Keycloak's `[logger] (executor-thread-12) message`
        elif _SOURCE_LOCATION.match(tok) and saw_time:
            i += 1  # the caller right after the level: Transmission's `ERR torrent-metainfo.cc:650 no files found`
            if i + 1 < n and _C_FUNCTION.match(tokens[i]):
                i += 1  # ... and its function after it, NanoMQ's `broker_tcp.c:605 tcptran_pipe_recv_cb: ...`
            elif i + 2 < n and tokens[i + 1] == "|" and _LOGGER_NAME.match(tokens[i]):
                i += 2  # ... or its function and a pipe that ends the columns, ZLMediaKit's `File.cpp:476 emitEvent | `
            elif i + 2 < n and tokens[i + 1] == "-" and _QUALIFIED_FUNCTION.match(tokens[i]):
                i += 2  # ... or its package-qualified function and a dash, Log4perl's `%F:%L %M - ` (Zentyal's)
            after_separator = True
        elif (_PROGRAM_ID.match(tok) and tokens[i + 1][:1] == "[" and "]" not in tokens[i + 1][:-1]
              and (end := _bracket_end(tokens, i + 1, min(n - 1, i + 9))) is not None):
            # VMware's hostd, vpxa and vpxd: `info hostd[CDE1B70] [Originator@6876 sub=… opID=… user=root] message`,
            # the program and its thread, then the request's context in one bracket (which may hold brackets of its
            # own: vpxd's `sub=vmomi.soapStub[33]`)
            logger, i = tok.partition("[")[0], end + 1
            after_separator = True
        elif (i + 4 < n and tokens[i + 1] == "|" == tokens[i + 3] and _SOURCE_LOCATION.match(tokens[i + 2])
              and _LOGGER_NAME.match(tok)):
            # the logger and the caller in columns: OvenMediaEngine's `Config | config_manager.cpp:330  | message`
            logger, i = tok, i + 4
            after_separator = True
        elif _BRACED_CALLER.match(tok):
            i += 2 if tokens[i + 1] == "-" else 1  # the logger or caller in braces: calibre-web's `{cps.config_sql:259}`
            after_separator = True
        elif _JAVA_THREAD.match(tok) and i > 0 and dotted_logger is not None:
            i += 1  # java.util.logging's thread after the logger: Helidon's `… server.Main Thread[main,5,main]: message`
            after_separator = True
    elif saw_time and level is None and not after_separator and i + 1 < n and _SOURCE_LOCATION.match(tokens[i]):
        i += 1  # the caller right after the time, with no level: twemproxy's `[2015-08-12 14:08:19.538] nc_proxy.c:377 …`
        if i + 1 < n and _CALLER_FUNCTION.match(tokens[i]):
            i += 1  # and its function: Arkime's `Sep  1 22:29:39 http.c:240 moloch_http_connect(): Connecting …`
        after_separator = True
    if level and 0 < i and i + 2 < n and (tokens[i] == "[lua]" or tokens[i - 1] == "[lua]" or (
            tokens[i + 1] == "[lua]" and _NGINX_CONNECTION.match(tokens[i]))):
        # OpenResty's `ngx.log` after nginx's head (Kong, APISIX, ingress-nginx): the connection, then
        # `[lua] broker.lua:235: run(): message`, the script's place and function
        k = i if tokens[i - 1] == "[lua]" else i + (tokens[i] != "[lua]") + 1
        if k < n and _LUA_CALLER.match(tokens[k]):
            i = k + 1 + (k + 2 < n and _CALLER_FUNCTION.match(tokens[k + 1]) is not None)
            after_separator = True
    if level and not after_separator and i + 2 < n and (_RUST_TARGET.match(tokens[i]) or (
            _TRACING_SPANS.match(tokens[i]) and _RUST_TARGET.match(tokens[i + 1]))):
        # Rust's env_logger and tracing: the target, a module path (`tokio_postgres::connection:`), after the
        # spans tracing opens (`shaving_yaks{yaks=3}:shave{yak=1}: fmt::yak_shave: message`)
        k = i + (not _RUST_TARGET.match(tokens[i]))
        logger, i = tokens[k][:-1], k + 1
        after_separator = True
    header_end = i
    # After ` - ` the header has ended (`... [Thread] - Message: detail`).
    if (saw_time or level) and not after_separator:
        if (i < n and (_COMPONENT.match(tokens[i]) or _SCRIPT.match(tokens[i]) or _SCOPED_LOGGER.match(tokens[i]))
                and not _EXCEPTION_NAME.search(tokens[i])
                and not _MESSAGE_CODE.match(tokens[i])):
            logger = tokens[i][:-1]
            i += 1
            if logger.upper() in LEVELS:  # `ERROR:` is a level said twice, not a logger
                level, logger = level or LEVELS[logger.upper()], None
        elif (i + 1 < n and _HOST.match(tokens[i]) and (_COMPONENT.match(tokens[i + 1]) or _PATH_PROGRAM.match(tokens[i + 1]))
              and not _EXCEPTION_NAME.search(tokens[i + 1])
              and not (_sentence_start(tokens[i], tokens[i + 1]) and not _syslog_time(time_tokens))):
            logger = tokens[i + 1][:-1]
            i += 2
        elif (i + 2 < n and _HOST.match(tokens[i]) and _PROGRAM_PID.match(tokens[i + 1]) and tokens[i + 2][:1] == "("
              and tokens[i + 2][-2:] == "):" and _syslog_time(time_tokens)):
            # macOS' system.log, launchd naming the job it speaks of: `host com.apple.xpc.launchd[1]
            # (com.example.Helper[8302]): Service exited with abnormal code: 78`
            logger = tokens[i + 1].partition("[")[0]
            i += 3
        elif i + 1 < n and _HOST.match(tokens[i]) and (kdc := _PROGRAM_PID_LEVEL.match(tokens[i + 1])):
            # MIT Kerberos' daemons: `host krb5kdc[31345](info): ...`, the level after the pid
            logger, level = kdc.group(1), level or _SYSLOG_WORDS.get(kdc.group(2).lower())
            i += 2
        elif (level is None and i + 2 < n and _HOST.match(tokens[i]) and (fl := _FACILITY_LEVEL.match(tokens[i + 1]))
              and _COMPONENT.match(tokens[i + 2])):
            # BusyBox's and OpenWrt's syslog: `host daemon.info charon: ...`
            level, logger = _SYSLOG_WORDS[fl.group(1)], tokens[i + 2][:-1]
            i += 3
        elif (level is None and i + 2 < n and _HOST.match(tokens[i]) and _ROUTEROS_TOPICS.match(tokens[i + 1])
              and _syslog_time(time_tokens)
              and (words := [w for w in _ROUTEROS_LEVELS if w in tokens[i + 1].split(",")])):
            # RouterOS' topics after syslog's host; the most severe of its level words is the line's
            level, logger = _ROUTEROS_LEVELS[words[-1]], tokens[i + 1].partition(",")[0]
            i += 2
        elif level is None and i + 1 < n and tokens[i + 1] == "-" and _PROGRAM.match(tokens[i]):
            logger = tokens[i]
            i += 2
        elif level is None and i + 2 < n and tokens[i + 2] == "-" and _PROGRAM.match(tokens[i]) and tokens[i + 1][0] == "*":
            logger = tokens[i]
            i += 3
        if level is None and logger is not None and "/" in logger and logger.partition("/")[0] in _SEVERITY_FACILITY:
            level = _SEVERITY_FACILITY[logger.partition("/")[0]]  # Icinga 2's `information/ApiListener:`
            logger = logger.partition("/")[2]
        if (logger is not None and i + 1 < n and "." in tokens[i] and _COMPONENT.match(tokens[i])
                and not _EXCEPTION_NAME.search(tokens[i])):
            i += 1  # `com.apple.cts[258]: com.apple.icloud.fmfd.heartbeat: ...`: the logger's own subsystem
        # `logger - ERROR - message` or `prog: ERROR: message`; a bare capital
        # word followed by text (`ALERT exited abnormally`) is the message's own.
        if level is None and i + 1 < n:
            tok = tokens[i]
            lv = _level_of(tok)
            if lv and tok.rstrip(":").isupper() and (tok.endswith(":") or tokens[i + 1] in ("-", "|")):
                level = lv
                i += 1 if tok.endswith(":") else 2
            elif (logger is not None and tok[0] in "([" and tok[-1] == "]" and ("][" in tok or ")[" in tok)
                  and (glued := _glued_level(f"]{tok}"))):
                level = glued  # xrdp's `xrdp[1423]: (1423)(140643874998016)[ERROR] message`
                i += 1
            elif logger is not None and tok[:3] == "at=" and (heroku := _norm_level(tok[3:])):
                level = heroku  # Heroku's router and runtime: `heroku[router]: at=error code=H12 desc=...`
            elif lv and logger is not None and tok in _PLAIN_LEVELS:
                level = lv  # `host prog[11]: WARNING Skipping ...`
                i += 1
                if i + 2 < n and _CLOCK.match(tokens[i]):
                    # the writer's own time after its level (logback's `%-5level %d{HH:mm:ss.SSS} [%thread]` behind
                    # journald: `java[1643]: WARN  16:53:41.293 [main] message`): the rest is read as a header
                    own = _from_text(" ".join(tokens[i:]), nested=True)
                    if own.timestamp and own.message:
                        return Parsed(message=own.message, level=level, timestamp=" ".join(time_tokens) or own.timestamp,
                                      logger=logger)
            elif lv and logger is not None and tok[0] + tok[-1] in ("[]", "<>") and (
                    tok.isupper() or tok.islower() or tok[1:-1] in _GROUP_TITLE_LEVELS):
                # HAProxy's `haproxy[30088]: [WARNING] 049/161822 (30088) : Server ... is DOWN`, NetworkManager's
                # `NetworkManager[1075]: <info>  [1665129461.1626] message` (its own epoch follows), LibreNMS'
                # `librenms[233]: [Critical] message`
                level = lv
                i += 1
                if i + 1 < n and (_EPOCH_GROUP.match(tokens[i]) or _WRITER_ID.match(tokens[i])):
                    i += 1  # or lager's `<0.4795.92>@module:function:line` (MongooseIM's `[error] <0.47.0>@…`)
            elif logger is not None and tok == "JS" and tokens[i + 1] in _GJS_LEVELS:
                level = _GJS_LEVELS[tokens[i + 1]]
                i += 2
            elif logger is not None and (vlog := _OVS_VLOG.match(tok)) and vlog.group(1) in LEVELS:
                level = LEVELS[vlog.group(1)]
                tokens[i] = tok[vlog.end():]  # the message starts inside the token
                i += not tokens[i]
            elif logger is not None and tok[:-1] == logger and tok[-1:] == ":":
                i += 1  # the program's own tag again after journald's: `gssproxy[6275]: gssproxy[6275]: message`
            elif logger is not None and (named := _PROGRAM_LEVEL.match(tok)) and named.group(1) in LEVELS:
                level = LEVELS[named.group(1)]  # gpsd's `gpsd[657]: gpsd:ERROR: message`: its name and level again
                i += 1
            elif logger is not None and (fielded := _level_fields(tok)) is not None:
                level = fielded  # RTPproxy's `rtpproxy[29387]: ERR:rtpp_command_ul_handle:123@abc: message`
                i += 1
            elif logger is not None and tok[-1:] == ":" and _SOURCE_LOCATION.match(tok[:-1]) and i + 1 < n:
                i += 1  # Go's log caller after the program (`snapd[1195]: storehelpers.go:769: cannot refresh: ...`)
            elif logger is not None and i + 1 < n and _SOURCE_LOCATION.match(tok):
                i += 1  # ... or a C daemon's, with no colon (Synology's `synostgd-disk[29430]: disk_monitor.c:289 ...`)
            elif logger is not None:
                # Postfix's `postfix/smtpd[641333]: warning: ...`, Proxmox's `pmxcfs[323]: [main] notice: ...`
                k = i + 1 if tok[0] == "[" and tok[-1] == "]" and i + 2 < n else i
                if tokens[k] in _LOWER_COLON_LEVELS:
                    level = _LOWER_COLON_LEVELS[tokens[k]]
                    i = k + 1
    if (not nested and logger is not None and level is None and i + 2 < n
            and (_DATE.match(tokens[i].removeprefix("[")) or (_GLOG_HEAD.match(tokens[i]) and _CLOCK.match(tokens[i + 1]))
                 or _TENDERMINT_HEAD.match(tokens[i]) or _glued_bracket_level(tokens, i) is not None)):
        # syslog or journald before the program's own header: `lnd[16349]: 2023-06-12 15:16:30.957 [INF] LTND: ...`,
        # kubelet's klog `kubelet[111106]: E0812 16:26:52.166955  111106 server_linux.go:27] ...`, NSD's bracketed
        # `nsd[852]: [2019-09-03 20:46:30.543] nsd[852]: error: ...`; log15's and Tendermint's glued head, Heimdall's
        # `heimdalld[6607]: ERROR[2023-04-21|10:22:29.755] Stopping peer for error`; logrus' TTY head, with its
        # seconds since start or a full timestamp (`kerberos-agent[156462]: ERRO[2025-06-05T13:22:56+03:00] …`)
        own = _from_text(" ".join(tokens[i:]), nested=True)
        if own.level is not None:
            return Parsed(message=own.message, level=own.level, timestamp=" ".join(time_tokens) or own.timestamp,
                          logger=logger)
    if logger is not None and i + 1 < n and _CHARON_THREAD.match(tokens[i]):
        i += 1  # strongSwan's charon: its thread and subsystem after the program, `charon: 00[DMN] Starting IKE ...`
    if level is not None and i + 1 < n and (fields := _writer_fields(tokens, i)):
        i, logger = i + fields[0], fields[1] or logger
    names = 0  # the writer after the level, between pipes: Electrum's `| INFO | interface.[…] |`, and up to two more
    while (level is not None and names < 3 and 0 < i and tokens[i - 1] == "|" and i + 2 < n and tokens[i + 1] == "|"
           and " " not in tokens[i]):  # names (MuseScore's `| WARN  | main_thread | IpcSocket::connect | …`)
        logger, i, names = logger if names else tokens[i], i + 2, names + 1
    if level is None and logger and logger[1:2] == "(" and logger[-1:] == ")" and logger[0] in _LETTER_LEVELS:
        level = _LETTER_LEVELS[logger[0]]  # a level letter and the function: DuckStation's `W(FindBIOSImage):`
    if i > header_end and not _ALPHA.search(" ".join(tokens[i:])) and _ALPHA.search(" ".join(tokens[header_end:])):
        # What looked like `host logger:` was the message (`Exit code: 137`): never take all of its words.
        i, logger = header_end, None
    if i >= n and level is not None:
        # every token was read as header: in the unified log format of TiKV, TiDB, PD and Milvus (`[time] [LEVEL]
        # [source:line] [message] [field=value]…`) the groups after the source are the message and its fields
        i = next((m for m in range(1, n) if _BRACKETED_PLACE.match(tokens[m - 1])), i)
    if level is not None and 0 < i < n - 1 and tokens[i] == ":":
        i += 1  # a colon standing alone after the level: rAthena's `[ Debug ] : message`, HAProxy's `(1) : message`
    if (level is not None and 0 < i and i + 6 < n and tokens[i - 1] == "|" == tokens[i + 5] and tokens[i].isdigit()
            and tokens[i + 1] == "-" == tokens[i + 3] and _DOTTED.match(tokens[i + 2])):
        i += 6  # Karaf's OSGi bundle after the logger: `| 166 - ca.islandora.alpaca.indexing - 0.3.1.SNAPSHOT | `
    if saw_time and 0 < i and (j := _id_group_end(tokens, i)):
        i = j  # after the level's colon too: New Relic's `NewRelic   INFO: [pid: 2220596, tid: 2] message`
    if i == 0:
        return Parsed(message=line)
    message = " ".join(tokens[i:])
    if message[:1] == "{":
        # A JSON record behind a text header (syslog or journald before a JSON logger, a compose
        # prefix): its own message and level are the line's; the outer header only said who wrote it. Read as a line
        # opening with it is read, a message under a nested key too (Hasura's `"detail":{"message":…}`).
        inner = _from_json(message) or _from_cut_json(message)
        if inner is not None:
            return Parsed(message=inner.message, level=inner.level or level,
                          timestamp=" ".join(time_tokens) or inner.timestamp, logger=logger or inner.logger)
    return Parsed(message=message, level=level, timestamp=" ".join(time_tokens) or None, logger=logger)


# A runtime's own warning, its class and a colon before the message: Python's warnings module
# (`path:line: DeprecationWarning: …`, warnings.formatwarning), Node's process warnings (`(node:4708)
# [DEP0005] DeprecationWarning: …`) and HotSpot's (`OpenJDK 64-Bit Server VM warning: …`).
_RUNTIME_WARNING = re.compile(r"(?:\(node:\d{1,9}\) (?:\[[A-Z]{1,10}\d{1,6}\] )?|\S{1,300}:\d{1,7}: "
                              r"|(?:OpenJDK|Java HotSpot\(TM\)|Eclipse OpenJ9) (?:64-Bit )?(?:Server |Client )?VM )"
                              r"(?:[A-Z]\w{0,40})?[Ww]arning: ")


# spdlog's level in lower case, padded to its column, opening a line with no time (micromamba's `%-9!l`:
# `warning  libmamba 'root_prefix' set with default value`); one space after it is prose's (`error opening file`).
_PADDED_LOWER_LEVEL = re.compile(r"(trace|debug|info|warning|error|critical) {2,}(?=[^\s|])")
# APT's letters for its own messages (apt, apt-get, in a Dockerfile's RUN step): error, warning, notice.
_APT_LEVELS: dict[str, Level] = {"E:": "ERROR", "W:": "WARNING", "N:": "INFO"}


def _opening_level(tokens: list[str]) -> Parsed | None:
    """A line with no time that opens with its severity: `error: ...`, `prog: warning: ...`, `npm ERR! ...`,
    `##[error]...`."""
    first = tokens[0]
    if (first[:6] == "(node:" or first in ("OpenJDK", "Java", "Eclipse") or first[-2:-1].isdigit() and first[-1:] == ":") \
            and (warned := _RUNTIME_WARNING.match(" ".join(tokens[:40]))) is not None:
        return Parsed(message=" ".join(tokens)[warned.end():], level="WARNING")
    if (action := _actions_level(first)) is not None:
        message = " ".join([action[1], *tokens[1:]]).strip()
        return Parsed(message=message or first, level=action[0])
    if len(tokens) < 2:
        return None
    if first in _PLAIN_LEVELS and tokens[1] == "|" and len(tokens) > 2 and tokens[2] != "jvm" \
            and tokens[2] not in _PLAIN_LEVELS:
        # log4j's `%5p | %m` with no time, ActiveMQ Classic's console layout: ` WARN | Store limit is …`, or a level
        # before the rest of a header (Meshtastic's `DEBUG | 12:34:56 123 [Router] …`). The Java Service Wrapper's
        # `INFO   | jvm 1    | …` is read below, with the JVM's own line after it. The rest is read once: a level
        # after the pipe is message, so `WARN | WARN | …` never reads itself again and again.
        own = _from_text(" ".join(tokens[2:]), nested=True)
        return Parsed(message=own.message, level=LEVELS[first], timestamp=own.timestamp, logger=own.logger)
    if first[:1] in "<#" and (wl := _WEBLOGIC.match(" ".join(tokens[:9]) + " ")) is not None \
            and (severity := _level_of(wl.group(2))) is not None:
        rest = " ".join(tokens)[wl.end():]
        if (fields := _ANGLE_FIELDS.fullmatch(rest)) is not None:
            rest = fields.group(1)  # the server log file's subsystem, ids and message id before it, each in its <>
        return Parsed(message=rest, level=severity, timestamp=wl.group(1))
    if (lib := _NAME_COLON_LEVEL.match(first)) is not None:
        return Parsed(message=" ".join(tokens[1:]), level=LEVELS[lib.group(1)], logger=first.partition(":")[0])
    if (first in _EVENT_TYPES and len(tokens) > 3 and _EVENT_REASON.match(tokens[1])
            and _EVENT_AGE.match(tokens[2])):
        return Parsed(message=" ".join([tokens[1], *tokens[3:]]), level=_EVENT_TYPES[first])  # the reason is the event's
    if (len(tokens) > 3 and tokens[1] in _EVENT_TYPES and _EVENT_AGE.match(first) and _EVENT_REASON.match(tokens[2])):
        # `kubectl get events`: LAST SEEN first (`2m23s  Warning  Unhealthy  pod/web-0  Readiness probe failed: ...`)
        return Parsed(message=" ".join(tokens[2:]), level=_EVENT_TYPES[tokens[1]])
    if (ms := _MSBUILD.match(" ".join(tokens[:4]) + " ")) is not None:
        text = " ".join(tokens)  # the code stays with its message: `NU3028: Package ...`
        return Parsed(message=text[text.index(ms.group(1), ms.start(1)) + len(ms.group(1)) + 1:],
                      level=LEVELS[ms.group(1).upper()])
    if (rust := _RUSTC.match(first)) is not None:
        return Parsed(message=" ".join(tokens[1:]), level=LEVELS[rust.group(1).upper()])
    if first in _APT_LEVELS and tokens[1][:1].isupper():
        # APT's own lines: `E: Unable to locate package vtf2png`, `W: Failed to fetch …`, `N: Updating from …`
        return Parsed(message=" ".join(tokens[1:]), level=_APT_LEVELS[first])
    if first in ("error", "warning") and tokens[1][:1].isupper() and tokens[1].isalpha():
        # yarn's `error Command failed with exit code 1.`, `warning Resolution field ...`
        return Parsed(message=" ".join(tokens[1:]), level=LEVELS[first.upper()])
    if first[1:2] == "/" and (brief := _LOGCAT_BRIEF.match(" ".join(tokens[:3]) + " ")) is not None:
        rest = " ".join(tokens).partition("): ")[2]
        return Parsed(message=rest, level=_LETTER_LEVELS[brief.group(1)], logger=brief.group(2))
    if first in _DOTNET_LEVELS and _DOTNET_CATEGORY.match(tokens[1]):
        return Parsed(message=" ".join(tokens[2:]) or tokens[1], level=_DOTNET_LEVELS[first],
                      logger=tokens[1].partition("[")[0])
    if first[1:2] == "[" and first[:1] in _LETTER_LEVELS and (tm := _TENDERMINT_HEAD.match(first)) is not None:
        return Parsed(message=" ".join(tokens[1:]), level=_LETTER_LEVELS[first[0]], timestamp=tm.group(1))
    if first == "L" and len(tokens) > 4 and tokens[2] == "-" and _SRCDS_DATE.match(tokens[1]) and _SRCDS_TIME.match(tokens[3]):
        return Parsed(message=" ".join(tokens[4:]), timestamp=f"{tokens[1]} - {tokens[3][:-1]}")  # Source engine's `L`
    if first[:1] == "[" and tokens[1] == "]" and len(tokens) > 2 and first[1:].upper() in _PLAIN_LEVELS:
        return Parsed(message=" ".join(tokens[2:]), level=LEVELS[first[1:].upper()])  # SuperTuxKart's `[error  ] `
    if first in _PLAIN_LEVELS and len(tokens) > 2 and (place := _PYTEST_PLACE.match(tokens[1])) is not None:
        return Parsed(message=" ".join(tokens[2:]), level=LEVELS[first], logger=place.group(1))
    if first in _OPENING_LEVELS and first[0].islower():
        return Parsed(message=" ".join(tokens[1:]), level=_OPENING_LEVELS[first])
    if (len(tokens) > 2 and tokens[1] in _OPENING_LEVELS and _COMPONENT.match(first)
            and not _EXCEPTION_NAME.search(first) and first[:-1].upper() not in LEVELS):
        return Parsed(message=" ".join(tokens[2:]), level=_OPENING_LEVELS[tokens[1]], logger=first[:-1])
    if first in _RECORD_OPENERS and tokens[1] in _TITLE_COLON_LEVELS and len(tokens) > 2:
        return Parsed(message=" ".join(tokens[2:]), level=_TITLE_COLON_LEVELS[tokens[1]])
    if (len(tokens) > 2 and first[0] == "[" and tokens[1][-1:] == ":" and tokens[1][:-1] in _PLAIN_LEVELS
            and (tag := _TAG.match(first))):
        return Parsed(message=" ".join(tokens[2:]), level=LEVELS[tokens[1][:-1]], logger=tag.group(1))
    if first[-2:] == "):" and (named := _NAME_LETTER.match(first)):
        return Parsed(message=" ".join(tokens[1:]), level=_LETTER_LEVELS[named.group(2)], logger=named.group(1))
    if tokens[1] in _NPM_LEVELS and (first == "npm" or (
            len(tokens) > 2 and _WRITER_NAME.match(first)
            and (tokens[1] in _NPMLOG_MARKS or tokens[2][:1].isupper()))):
        return Parsed(message=" ".join(tokens[2:]), level=_NPM_LEVELS[tokens[1]], logger=first)
    if 3 <= first.count(":") <= 6 and (wine := _WINE.match(first)):
        return Parsed(message=" ".join(tokens[1:]), level=_WINE_LEVELS[wine.group(1)], logger=wine.group(2))
    if first in _LETTER_COLON and len(tokens) > 2 and tokens[1][0] == "[" and tokens[1][-1] == "]":
        k = 3 if len(tokens) > 3 and "." in tokens[2] and _COMPONENT.match(tokens[2]) else 2  # the source file
        return Parsed(message=" ".join(tokens[k:]), level=_LETTER_COLON[first], logger=tokens[1][1:-1])
    return None


# The writer's own fields after the level, before the message, in shapes common enough to know by sight:
# loguru's default `name:function:line - ` (`__main__:<module>:3 - hello`), Jenkins' `logger#method:`,
# libvirt's ` : function:line : `, Kamailio's and OpenSIPS' `module [file.c:812]: function():`, easylogging++'s
# `category file.cpp:287` (Monero), the Datadog agent's `(pkg/util/log/log.go:642 in func1) |`, and the arrow
# of Bitnami's container scripts (`INFO  ==> ** Starting ZooKeeper **`); bunyan's long format `name/pid on host:`
# (`WARN: myapp/40208 on banana.local: au revoir`) and SonarQube's `process[][logger]` (`INFO  web[][o.s.s.Foo]`).
_LOGURU_PLACE = re.compile(r"^([\w.<>\-]{1,200}):[\w.<>\-]{1,100}:\d{1,6}$")
_JAVA_METHOD = re.compile(r"^([\w.$]{1,200})#[\w$<>]{1,100}:$")
_FUNCTION_LINE = re.compile(r"^\w{1,100}:\d{1,6}$")
_PY_CALLER = re.compile(r"^([\w.]{1,200}):\w{1,100}\(\d{1,6}\):$")  # `%(name)s:%(funcName)s(%(lineno)d):`
_FIELD_WORD = re.compile(r"^[\w\-]{1,40}$")
_CALL = re.compile(r"^[\w.]{1,80}\(\):$")
_SQUID_KID = re.compile(r"^kid\d{1,4}\|$")  # Squid's worker after the time, no level: `kid1|`
_CHARON_THREAD = re.compile(r"^\d\d\[[A-Z]{2,5}\]$")  # strongSwan's thread and subsystem after `charon:`: `00[DMN]`
_NAME_PID = re.compile(r"^([\w.\-]{1,60})/\d{1,9}$")
_SONAR_WRITER = re.compile(r"^\w{1,20}\[[^\]\s]{0,80}\]\[([\w.$]{1,200})\]$")


def _writer_fields(tokens: list[str], i: int) -> tuple[int, str | None] | None:
    """How many tokens at `i`, right after the level, are the writer's fields (and the logger they name), if any."""
    tok, nxt = tokens[i], tokens[i + 1]
    if tok == "==>":
        return 1, None
    if nxt == "on" and i + 2 < len(tokens) and tokens[i + 2][-1:] == ":" and (named := _NAME_PID.match(tok)):
        return 3, named.group(1)
    if (sonar := _SONAR_WRITER.match(tok)):
        return 1, sonar.group(1)
    if nxt == "-" and (place := _LOGURU_PLACE.match(tok)):
        return 2, place.group(1)
    if (method := _JAVA_METHOD.match(tok)):
        return 1, method.group(1)
    if (caller := _PY_CALLER.match(tok)):
        return 1, caller.group(1)  # conda's `DEBUG conda.gateways.logging:set_log_level(223): message`
    if _SOURCE_LINE_WORD.match(tok):
        return 1, None
    if tok == ":" and i + 2 < len(tokens) and _FUNCTION_LINE.match(nxt) and tokens[i + 2] == ":":
        return 3, None
    if _FIELD_WORD.match(tok) and nxt[-1:] == ":" and _BRACKETED_PLACE.match(nxt[:-1]):
        return (3 if i + 2 < len(tokens) and _CALL.match(tokens[i + 2]) else 2), tok
    if _FIELD_WORD.match(tok) and _SOURCE_LOCATION.match(nxt):
        return 2, tok
    if (tok[:1] == "(" and _SOURCE_LOCATION.match(tok[1:]) and nxt == "in" and i + 3 < len(tokens)
            and tokens[i + 2][-1:] == ")" and tokens[i + 3] == "|"):
        return 4, None
    return None


def _bracket_end(tokens: list[str], start: int, stop: int) -> int | None:
    """The index of the token that closes the bracket `tokens[start]` opens, counting brackets inside it; None
    when it does not close before `stop`."""
    depth = 0
    for k in range(start, stop):
        depth += tokens[k].count("[") - tokens[k].count("]")
        if depth <= 0:
            return k
    return None


def _actions_level(tok: str) -> tuple[str, str] | None:
    """GitHub Actions' `##[error]...`: the level and what follows the command in the token."""
    if tok[:3] != "##[":
        return None
    action = tok.partition("]")[0] + "]"
    level = _ACTIONS_LEVELS.get(action)
    return None if level is None else (level, tok[len(action):])


# Syslog's priorities in title case, as Falco writes them after its time and a colon (`Alert` and `Emergency` left
# out: after a time they start sentences, `10:00:00: Alert sent to ops`).
_TITLE_PRIORITIES: dict[str, Level] = {"Critical": "CRITICAL", "Error": "ERROR", "Warning": "WARNING",
                                       "Notice": "INFO", "Informational": "INFO", "Debug": "DEBUG"}
# Level words in capitals that a bracket run may hold besides the plain ones (ChromeDriver's `[epoch][SEVERE]:`).
_GLUED_CAPITALS = frozenset(("SEVERE", "NOTICE", "CRIT", "ERR", "EMERG", "ALERT", "PANIC", "INF", "WRN", "DBG"))


def _glued_level(text: str) -> str | None:
    """A level in brackets of its own inside a run of brackets: a word (`][warning][`, `][SEVERE]`) or one letter
    (`][D][`)."""
    word = next((LEVELS[w.upper()] for w in _BRACKETED_WORD.findall(text)
                 if w.upper() in _PLAIN_LEVELS or w in _GLUED_CAPITALS), None)
    if word is None and (letter := _GLUED_LETTER.search(text)):
        return _LETTER_LEVELS[letter.group(1)]
    return word


def _pid_before_level(tokens: list[str], i: int) -> int:
    """The index of the level in `[name] pid 194: LEVEL:` at `i` (a process's name, `pid`, its number), else 0."""
    for k in (i, i + 1):
        if k + 2 < len(tokens) and tokens[k] == "pid" and _PID_COLON.match(tokens[k + 1]):
            word = tokens[k + 2]
            if word.endswith(":") and word[:-1] in LEVELS and word[:-1].isupper():
                return k + 2
    return 0


def _cbs_tag(tok: str) -> bool:
    """A Windows servicing log's component tag: `CBS`, `CSI`, `DISM`, `SYSPRP`."""
    return tok.isalpha() and tok.isupper()


def _glued_bracket_level(tokens: list[str], i: int) -> tuple[Level, str, int] | None:
    """A level word glued to a bracket at `i` (logrus' `WARN[0675]`, Asterisk's `ERROR[45652]`): its level, what its
    bracket holds and how many tokens it takes; the bracket may hold spaces and close in one of the next three tokens
    (logrus' TTY head with a time of spaces: CrowdSec's `INFO[14-12-2021 01:30:53 PM] ...`). None for anything else."""
    tok = tokens[i]
    if tok[-1] in "]:" and (bl := _BRACKET_LEVEL.match(tok)):
        return (LEVELS[bl.group(1)], bl.group(2), 1) if bl.group(1) in LEVELS else None
    if (caller := _BRACKET_LEVEL_CALLER.match(tok)) and caller.group(1) in LEVELS:
        function = i + 2 < len(tokens) and tokens[i + 1].endswith("()")
        return LEVELS[caller.group(1)], caller.group(2), 2 if function else 1
    if "]" not in tok and (opened := _OPEN_BRACKET_LEVEL.match(tok)) and opened.group(1) in LEVELS:
        close = next((j for j in range(i + 1, min(i + 4, len(tokens) - 1)) if tokens[j].endswith("]")), None)
        if close is not None:
            return LEVELS[opened.group(1)], " ".join([tok[opened.end():], *tokens[i + 1:close + 1]])[:-1], close + 1 - i
    return None


def _opening_head(tokens: list[str], i: int) -> tuple[Level, str | None, int] | None:
    """(level, logger, tokens taken) of a head at `i` that opens a line with no time, or None: a program and its pid
    before a level and a colon (`guacd[246]: ERROR:`), a Go caller before a bracketed level (`helm.go:81: [debug]`),
    Zig's `error(gpa):`, a program before its bracketed level (`x264 [info]:`), a level with the writer's fields
    (`warn:vcl.fonts:1418:1:file.cxx:503:`), a category before its level letter (`RESOURCES (E):`), F5's message
    code and severity after the program (`mcpd[526]: 01020066:3:`), a program and its function before the level
    (`distcc[22629] (dcc_readx) ERROR:`), a program before its level and a dash (`FutureSDR: ERROR - `), a level
    before the caller's file and line (`INFO: edge-core/src/service.rs:288:`, `Error: bsockcore.c:341 `)."""
    first, second = tokens[i], tokens[i + 1]
    if first[-1:] == ":" and _PROGRAM_PID.match(first[:-1]) and second[-1:] == ":" and second[:-1] in _PLAIN_LEVELS:
        return LEVELS[second[:-1]], first[:-2].partition("[")[0], 2
    if (first[-1:] == ":" and _PROGRAM_NAME.match(first[:-1]) and second in _PLAIN_LEVELS and len(tokens) > i + 3
            and tokens[i + 2] == "-"):
        return LEVELS[second], first[:-1], 3  # a program, its level and a dash: FutureSDR's `FutureSDR: ERROR - `
    if (first[-1:] == ":" and _SOURCE_LOCATION.match(first[:-1]) and second[:1] == "[" and second[-1:] == "]"
            and second[1:-1].upper() in _PLAIN_LEVELS):
        return LEVELS[second[1:-1].upper()], None, 2
    word = first[:-1] if first[-1:] == ":" and first[:-1] in _PLAIN_LEVELS else _TITLE_COLON_LEVELS.get(first)
    if (word is not None
            and (_SOURCE_CALLER.match(second) or (len(tokens) > i + 2 and _SOURCE_LOCATION.match(second)))):
        # a level and the caller's file and line, with its colon or without (Omnio Edge's `INFO: src/x.rs:288:`,
        # Bacula's `Error: bsockcore.c:341 `), as they are after a time
        return LEVELS[word], None, 2
    if (zig := _ZIG_HEAD.match(first)) is not None:
        return LEVELS[zig.group(1).upper()], zig.group(2), 1
    if first[-1:] == ":" and _PROGRAM_PID.match(first[:-1]) and (f5 := _F5_CODE.match(second)) is not None:
        return _SYSLOG_SEVERITY[int(f5.group(1))], first[:-2].partition("[")[0], 2  # F5's `mcpd[526]: 01020066:3:`
    if (_PROGRAM_PID.match(first) and second[:1] == "(" and second[-1:] == ")" and len(tokens) > i + 2
            and tokens[i + 2][-1:] == ":" and tokens[i + 2][:-1] in _PLAIN_LEVELS):
        return LEVELS[tokens[i + 2][:-1]], first.partition("[")[0], 3  # distcc's `distcc[22629] (dcc_readx) ERROR:`
    if (second[:1] == "[" and second[-2:] == "]:" and second[1:-2].upper() in _PLAIN_LEVELS
            and _PROGRAM_NAME.match(first)):
        return LEVELS[second[1:-2].upper()], first, 2
    if (fields := _level_fields(first)) is not None:
        return fields, None, 1
    if (second[:1] == "(" and second[-2:] == "):" and len(second) == 4 and second[1] in "DIWE"
            and first.isalpha() and first.isupper()):
        return _LETTER_LEVELS[second[1]], first, 2  # the Enfusion engine's (Arma Reforger's) `RESOURCES (E):`
    return None


def _level_fields(tok: str) -> Level | None:
    """The level of a token that is a level and the writer's fields (`INFO:core:main:`), else None."""
    if tok[-1:] != ":" or (m := _LEVEL_FIELDS.match(tok)) is None:
        return None
    word = m.group(1)
    return LEVELS.get(word.upper()) if word.isupper() or word.islower() else None


def _header_follows(tokens: list[str], i: int) -> bool:
    """The token after `i` is header, not prose: a separator, a bracket or parenthesis, a name ending in `:` or `]`."""
    if i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    return (nxt in ("-", "|", "---", "-->", ":") or nxt[:1] in "[(" or nxt[-1:] in ":]"
            or _SOURCE_LOCATION.match(nxt) is not None or _CRDB_SOURCE.match(nxt) is not None)


def _syslog_time(time_tokens: list[str]) -> bool:
    """The header's time is RFC 3164's `Mmm dd hh:mm:ss`, after which `host program:` is what syslog writes."""
    return bool(time_tokens) and time_tokens[0] in MONTHS_DAYS


def _sentence_start(word: str, colon_word: str) -> bool:
    """`Bad response:`, `Failed request:`, `FILE PATH:`, `Build Failed:`: a capitalised word and a plain or capitalised
    one before a colon open a sentence, not `host program:` (host names are written in lower case, or hold a digit or a
    dash)."""
    name = colon_word[:-1]
    return (word.isalpha() and (word.istitle() or word.isupper()) and name.isalpha()
            and (name.islower() or name.isupper() or (word.istitle() and name.istitle())))


def _zone_name(tok: str) -> bool:
    """A time zone's abbreviation right after the time (PostgreSQL's `2016-12-20 11:14:09 CST [25669-1]`,
    `IST`, `AEST`, `MSK`)."""
    return tok in ZONE_NAMES


def _tokens_before_level(tokens: list[str], i: int) -> int:
    """How many tokens (1 or 2) at `i` stand between the time and an upper-case level word (`INFO`,
    `FATAL:`, `[ERROR]`), or 0. Each must hold a character that is not a letter (`{models.py:1428}`,
    `user@db`, `TID-ovgd2eqgs`, `P3138`): a plain word before a level is the message's own."""
    for k in (1, 2):
        if i + k >= len(tokens):
            return 0
        word = tokens[i + k]
        if len(word) == 3 and word[0] == "[" and word[2] == "]" and word[1] in _LETTER_LEVELS:
            return k  # Gitea's `HTTPRequest [I] router: ...`: a bracketed letter is a level after any field
        if tokens[i + k - 1].isalpha() and not (k == 1 and _PROGRAM_PID.match(word)):
            return 0  # but a host before `program[pid]` is header: coloredlogs' `host name[pid] LEVEL`
        core = word.strip("[]:")
        if (core in _PLAIN_LEVELS or (word.endswith(":") and core in LEVELS and core.isupper())) \
                and word.strip(":") in (core, f"[{core}]"):
            return k  # `traffic_server NOTE: ...` too
        if word in _TITLE_COLON_LEVELS:
            return k  # Privoxy's thread before a capitalised level: `7f522c1150c0 Info: ...`
    return 0


def _bare_time(tokens: list[str]) -> bool:
    """A first token of bare digits is a time when it is an epoch (10 or 13 digits) or a date whose time
    of day follows (`081109 203615`); a 6- or 8-digit id before words is not (`134681 node-246 ...`)."""
    tok = tokens[0]
    if len(tok) in (10, 13):
        return True
    if len(tok) not in (6, 8) or len(tokens) < 2:
        return False
    nxt = tokens[1]
    return (nxt.isdigit() and len(nxt) == 6) or (":" in nxt and _TIME_TOKEN.match(nxt) is not None)


_PIPE_FIELD = re.compile(r"^[\w.$\-]{1,64}$")


def _from_pipes(line: str) -> Parsed | None:
    """`20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579`: time, then header fields
    (a level, a logger, a pid) up to the last pipe of the first token; the message starts after it."""
    head, _, rest = line.partition(" ")
    fields = head.split("|")
    if not _TIME_TOKEN.match(fields[0]) or not all(_PIPE_FIELD.match(f) for f in fields[1:-1]):
        return None
    level = logger = None
    for f in fields[1:-1]:
        lv = _level_of(f)
        if lv and f.isupper():
            level = level or lv
        elif logger is None and not f.isdigit() and _ALPHA.search(f):
            logger = f
    message = (fields[-1] + " " + rest).strip() if rest else fields[-1]
    if not message:
        return None
    return Parsed(message=message, level=level, timestamp=fields[0], logger=logger)


# Selenium Grid's structured logs name theirs `log-message`, `log-level`, `log-time-utc`, `log-name`.
# Serilog's compact JSON (`@t`, `@l`, `@m`/`@mt`) and its JSON formatter's capitalised keys are .NET's. Google Cloud
# Logging's exported entry holds a plain line as `textPayload`, OpenTelemetry's log record as `body`, GELF (Graylog)
# as `short_message`. journald's export (`journalctl -o json`) holds `MESSAGE`, its syslog severity as the string
# `PRIORITY`, the program as `SYSLOG_IDENTIFIER` and the time as `__REALTIME_TIMESTAMP`, microseconds in a string;
# Splunk's a whole line as `_raw` and its time as `_time`.
_JSON_MESSAGE_KEYS = ("message", "msg", "log", "event", "text", "log-message", "@m", "RenderedMessage", "Message",
                      "@mt", "MessageTemplate", "textPayload", "body", "short_message", "MESSAGE", "_raw")
_JSON_LEVEL_KEYS = ("level", "levelname", "severity", "lvl", "log.level", "log-level", "@l", "Level", "severity_text",
                    "SeverityText")
JSON_TIME_KEYS = ("timestamp", "time", "ts", "@timestamp", "asctime", "log-time-utc", "@t", "Timestamp",
                  "__REALTIME_TIMESTAMP", "_time")
_JSON_LOGGER_KEYS = ("logger", "name", "logger_name", "module", "component", "log-name", "SYSLOG_IDENTIFIER")


_PINO_LEVELS = {10: "DEBUG", 20: "DEBUG", 30: "INFO", 40: "WARNING", 50: "ERROR", 60: "CRITICAL"}
# code.cloudfoundry.org/lager numbers its levels from zero: debug, info, error, fatal (no warning).
_LAGER_LEVELS = {0: "DEBUG", 1: "INFO", 2: "ERROR", 3: "CRITICAL"}
# A JSON record cut short (a line-length limit, a paste): its level and message by their keys.
_CUT_LEVEL = re.compile(r'"(?:level|severity|lvl|levelname)"\s{0,4}:\s{0,4}"([A-Za-z]{1,12})"')
_CUT_MESSAGE = re.compile(r'"(?:msg|message)"\s{0,4}:\s{0,4}"((?:[^"\\]|\\.){0,2000})"')


def _from_cut_json(line: str) -> Parsed | None:
    level = _CUT_LEVEL.search(line)
    message = _CUT_MESSAGE.search(line)
    if level is None and message is None:
        return None
    return Parsed(message=message.group(1) if message else line, level=_norm_level(level.group(1)) if level else None)


_MONGO_SEVERITY = {"F": "CRITICAL", "E": "ERROR", "W": "WARNING", "I": "INFO", "D": "DEBUG"}


# A number whose digits the digest folded to zeros (`"time":0000000000000`): JSON forbids the leading zeros, and the
# template miner reads folded lines, so the record would otherwise lose its level, logger and error to the cut reader.
_FOLDED_NUMBER = re.compile(r"([:\[,]\s{0,4}-?)0{2,}")


def _from_json(line: str) -> Parsed | None:
    try:
        obj = json.loads(line)
    except RecursionError:
        return None  # nested deeper than the parser's stack: no record of ours
    except ValueError:
        if "00" not in line:
            return None
        try:
            obj = json.loads(_FOLDED_NUMBER.sub(r"\g<1>0", line))
        except (ValueError, RecursionError):
            return None
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("result"), dict) and "_raw" in obj["result"]:
        obj = obj["result"]  # Splunk's JSON export: `{"preview":false,"result":{"_raw":…,"_time":…}}` a line
    message = next((obj[k] for k in _JSON_MESSAGE_KEYS if isinstance(obj.get(k), str)), None)
    if message is None:
        return None
    # A shipper's envelope around a whole line (Docker's json-file, Fluent Bit; journald's around a program's output)
    logged = obj.get("log") == message or obj.get("MESSAGE") == message or obj.get("_raw") == message
    if "\x1b" in message:
        message = strip_ansi(message)  # Docker's json-file driver keeps a console's colours as `\u001b[31m`
    inner = split_header(message) if logged else None
    level = next((str(obj[k]) for k in _JSON_LEVEL_KEYS if obj.get(k)), None)
    if isinstance(obj.get("level"), int) and obj["level"] in _PINO_LEVELS:
        level = _PINO_LEVELS[obj["level"]]  # pino's and bunyan's numbers: `"level":30`
    elif isinstance(obj.get("level"), int) and 0 <= obj["level"] < 8 and "short_message" in obj:
        level = _SYSLOG_SEVERITY[obj["level"]]  # GELF's level is syslog's severity: `"level":3`
    if level is None and isinstance(obj.get("log_level"), int) and obj["log_level"] in _LAGER_LEVELS and "source" in obj:
        level = _LAGER_LEVELS[obj["log_level"]]  # Cloud Foundry's lager (Concourse, Diego, Garden): `"log_level":2`
    if level is None and isinstance(priority := obj.get("PRIORITY"), str) and priority in "01234567" and priority:
        level = _SYSLOG_SEVERITY[int(priority)]  # journald's export: the syslog severity, a digit in a string
    if level is None and isinstance(obj.get("s"), str) and isinstance(obj.get("t"), dict):
        level = _MONGO_SEVERITY.get(obj["s"][:1])  # MongoDB 4.4+: `"t":{"$date":...},"s":"I"`
    if level is None and "@t" in obj and ("@mt" in obj or "@m" in obj):
        level = "INFO"  # Serilog's compact JSON leaves `@l` out for Information
    stamp = next((str(obj[k]) for k in JSON_TIME_KEYS if obj.get(k) is not None), None)
    logger = next((str(obj[k]) for k in _JSON_LOGGER_KEYS if isinstance(obj.get(k), str)), None)
    if isinstance(obj.get("exc_info"), str) and obj["exc_info"]:
        message = f"{message} | {obj['exc_info'].strip().splitlines()[-1]}"
    else:
        message = _with_error(message, next((obj[k] for k in _ERROR_FIELDS if obj.get(k)), None))
    if inner is not None:
        return Parsed(message=inner.message, level=inner.level or _norm_level(level),
                      timestamp=inner.timestamp or stamp, logger=inner.logger or logger)
    return Parsed(message=message, level=_norm_level(level), timestamp=stamp, logger=logger)


# The error a structured line carries is part of its event, as a Python `exc_info` is:
# `msg="Error on notify" err="context canceled"` and `… err="connection refused"` are two events,
# and a new error under an old message must show as a new template, not hide in the old one's count.
_ERROR_FIELDS = ("error", "err", "exception", "error.message", "exc")
_NO_ERROR = frozenset(("nil", "<nil>", "null", "none", "false", "0", "-"))


def _with_error(message: str, error: object) -> str:
    """`message | error` for a structured line's error field: a string (zap, logrus, slog, logfmt) or an
    object with a message (pino's and bunyan's `err`, ECS's `error`), its type or name before it."""
    if isinstance(error, dict):
        text = error.get("message") or error.get("msg")
        kind = error.get("type") or error.get("name") or error.get("kind")
        if not isinstance(text, str) or not text:
            return message
        error = f"{kind}: {text}" if isinstance(kind, str) and kind and kind not in text else text
    if not isinstance(error, str):
        return message
    error = error.strip()
    if not error or error.lower() in _NO_ERROR or error in message:
        return message
    return f"{message} | {error.splitlines()[0]}"


_LOGFMT_PAIR = re.compile(r'(\w[\w.]*)=("(?:[^"\\]|\\.)*"|\S*)')
# The words after an unquoted message that are no `key=value`; each word is looked at twice, so linear.
_BARE_WORDS = re.compile(r"(?: {1,8}(?!\w[\w.]*=)\S+)*")


# FIWARE's components (Orion, the IoT agents) separate `key=value` fields with ` | ` and leave them unquoted, the
# message last: `time=Thursday 01 Oct 15:10:00 2020.399Z | lvl=INFO | corr=N/A | … | comp=Orion | msg=Orion is running`.
_PIPED_FIELD = re.compile(r"\w[\w.]{0,40}=[^|]*")


def _from_piped_fields(line: str) -> Parsed | None:
    head, _, message = line.partition(" | msg=")
    fields = head.split(" | ", 40)
    if not message or len(fields) < 2 or not all(_PIPED_FIELD.fullmatch(f) for f in fields):
        return None
    values = dict(f.split("=", 1) for f in fields)
    return Parsed(message=message, level=_norm_level(values.get("lvl") or values.get("level")),
                  timestamp=values.get("time") or None, logger=values.get("comp") or None)


def _from_logfmt(line: str) -> Parsed | None:
    if " | msg=" in line and (piped := _from_piped_fields(line)) is not None:
        return piped
    pairs = list(_LOGFMT_PAIR.finditer(line))
    fields = {m[1]: m[2][1:-1].replace('\\"', '"') if m[2].startswith('"') else m[2] for m in pairs}
    message = fields.get("msg") or fields.get("message")
    if message is None:
        return None
    pair = next((m for m in pairs if m.group(1) == "msg"), None)
    bare = _BARE_WORDS.match(line, pair.end()) if pair is not None and pair.group(2)[:1] not in ('"', "") else None
    if pair is not None and bare is not None and bare.end() > pair.end():
        # a logger that does not quote (Ory's: `msg=started handling request method=GET`, the kernel audit's
        # `msg=audit(…): avc:  denied  { name_connect } for pid=…`): the bare words up to the next key are the message's
        message = pair.group(2) + bare.group(0)
    return Parsed(
        message=_with_error(message, next((fields[k] for k in _ERROR_FIELDS if fields.get(k)), None)),
        level=_norm_level(fields.get("level") or fields.get("lvl")),
        timestamp=fields.get("time") or fields.get("ts") or fields.get("t"),
        logger=fields.get("logger") or fields.get("caller") or fields.get("component"),
    )


def _norm_level(value: str | None) -> str | None:
    if value is None:
        return None
    return LEVELS.get(value.strip().upper())
