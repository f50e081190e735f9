"""One test per timestamp format a stream may use, on real lines (source next to each).

The formats follow the date patterns of Logstash's grok library and Fluent Bit's bundled
parsers. Loghub lines: https://github.com/logpai/loghub (the 2k samples).
"""

from datetime import UTC, datetime

import pytest

from doctor.digest.timestamps import FORMATS, TimeReader, assumed_note, parse_timestamp

REF = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

# (format, line, expected UTC time, what the reader had to assume)
CASES = [
    # ISO 8601 with zone, as the cloud sources and the patient write it
    ("iso8601", "2026-11-20T09:00:00.250Z INFO executor.orders: order ord-1 filled",
     datetime(2026, 11, 20, 9, 0, 0, 250000, tzinfo=UTC), set()),
    # ISO 8601 with an offset (RFC 3339)
    ("iso8601", "2026-11-20T10:00:00.5+01:00 app started",
     datetime(2026, 11, 20, 9, 0, 0, 500000, tzinfo=UTC), set()),
    # log4j/logback `yyyy-MM-dd HH:mm:ss,SSS` (Loghub Hadoop)
    ("iso8601", "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created "
                "MRAppMaster for application appattempt_1445144423722_0020_000001",
     datetime(2015, 10, 18, 18, 1, 47, 978000, tzinfo=UTC), {"zone"}),
    # Python logging's default asctime (docs.python.org/3/howto/logging.html)
    ("iso8601", "2010-12-12 11:41:42,612 is when this event was logged.",
     datetime(2010, 12, 12, 11, 41, 42, 612000, tzinfo=UTC), {"zone"}),
    # PostgreSQL's log_line_prefix `%m [%p]`: milliseconds and a zone word
    ("iso8601", "2026-11-20 09:00:00.008 UTC [4242] FATAL:  sorry, too many clients already",
     datetime(2026, 11, 20, 9, 0, 0, 8000, tzinfo=UTC), set()),
    # Windows CBS: seconds then a comma (Loghub Windows)
    ("iso8601", "2016-09-28 04:30:31, Info                  CBS    Ending TrustedInstaller initialization.",
     datetime(2016, 9, 28, 4, 30, 31, tzinfo=UTC), {"zone"}),
    # Go's log package (go.dev/play default output)
    ("ymd-slash", "2009/11/10 23:00:00 Hello, log",
     datetime(2009, 11, 10, 23, 0, 0, tzinfo=UTC), {"zone"}),
    # Apache common log format (httpd.apache.org/docs/current/logs.html)
    ("clf", '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
     datetime(2000, 10, 10, 20, 55, 36, tzinfo=UTC), set()),
    # RFC 3164 syslog with priority (RFC 3164 section 5.4, example 1)
    ("rfc3164", "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
     datetime(2026, 10, 11, 22, 14, 15, tzinfo=UTC), {"year", "zone"}),
    # RFC 3164 without priority, as rsyslog writes files (Loghub OpenSSH)
    ("rfc3164", "Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for "
                "ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!",
     datetime(2025, 12, 10, 6, 55, 46, tzinfo=UTC), {"year", "zone"}),  # December read in November: last year
    # journald and rsyslog in another locale (lines of the incident corpus's readable half): Czech, French
    ("rfc3164-locale", "zář 15 09:22:48 ip-10-178-2-146.us-east-2.compute.internal systemd[1]: haproxy.service failed.",
     datetime(2026, 9, 15, 9, 22, 48, tzinfo=UTC), {"year", "zone"}),
    ("rfc3164-locale", "août 14 10:46:50 ns3129457 varnishd[48824]: Child (49949) Panic at: Thu, 14 Aug 2025 08:46:50 GMT",
     datetime(2026, 8, 14, 10, 46, 50, tzinfo=UTC), {"year", "zone"}),
    ("rfc3164-locale", "nov. 19 05:21:27 mini kernel: ata4.00: configured for UDMA/133",
     datetime(2026, 11, 19, 5, 21, 27, tzinfo=UTC), {"year", "zone"}),
    # Chinese (github.com/canonical/microk8s/issues/2300)
    ("rfc3164-locale", "5月 29 22:10:43 cdqpc microk8s.daemon-kubelite[4233]: E0529 22:10:43.070511    4233 x.go:68] y",
     datetime(2026, 5, 29, 22, 10, 43, tzinfo=UTC), {"year", "zone"}),
    # Estonian (github.com/dotnet/aspnetcore/issues/60365)
    ("rfc3164-locale", "veebr 12 22:33:52 myhost MyService[268922]: Eeva.Service.ContextLessLogger[0] Line 1",
     datetime(2026, 2, 12, 22, 33, 52, tzinfo=UTC), {"year", "zone"}),
    # RFC 5424 (RFC 5424 section 6.5, example 1)
    ("iso8601", "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed for lonvick",
     datetime(2003, 10, 11, 22, 14, 15, 3000, tzinfo=UTC), set()),
    # Apache error log / ctime (Loghub Apache)
    ("ctime", "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
     datetime(2005, 12, 4, 4, 47, 44, tzinfo=UTC), {"zone"}),
    # HTTP date, RFC 9110 section 5.6.7
    ("rfc1123", "Sun, 06 Nov 1994 08:49:37 GMT GET /index.html",
     datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC), set()),
    # Nextflow's `.nextflow.log`, logback's `MMM-dd HH:mm:ss.SSS` (github.com/nextflow-io/nextflow issues)
    ("mon-dd", "Oct-21 15:39:37.015 [main] DEBUG nextflow.cli.Launcher - $> nextflow run epi2me-labs/wf-flu",
     datetime(2026, 10, 21, 15, 39, 37, 15000, tzinfo=UTC), {"year", "zone"}),
    # without the zone (ExaBGP 3.4, github.com/Exa-Networks/exabgp issues)
    ("rfc1123", "Tue, 29 Mar 2016 12:31:02 | INFO     | 87912  | reactor       | Performing reload of exabgp 3.4.12",
     datetime(2016, 3, 29, 12, 31, 2, tzinfo=UTC), {"zone"}),
    # Go glog / Kubernetes klog (kubernetes.io/docs/concepts/cluster-administration/system-logs/)
    ("glog", "I1025 00:15:15.525108       1 httplog.go:79] GET /api/v1/namespaces/kube-system/pods/"
             "metrics-server-v0.3.1-57c75779f-9p8wg: (1.512ms) 200 [pod_nanny/v0.0.0 (linux/amd64)]",
     datetime(2026, 10, 25, 0, 15, 15, 525108, tzinfo=UTC), {"year", "zone"}),
    # Unreal Engine's log (github.com/carla-simulator/carla/issues/2322)
    ("unreal", "[2019.12.31-00.32.16:808][  0]LogCarla: Added 0 sensors.",
     datetime(2019, 12, 31, 0, 32, 16, 808000, tzinfo=UTC), {"zone"}),
    # NFS-Ganesha's day-first date, told by its epoch (github.com/nfs-ganesha/nfs-ganesha/issues/552)
    ("ganesha", "07/03/2020 23:39:28 : epoch 5e63c030 : ceph-node-1 : nfs-ganesha-3384[main] display_fsinfo :FSAL :DEBUG "
     ":FileSystem info", datetime(2020, 3, 7, 23, 39, 28, tzinfo=UTC), {"zone"}),
    # Bareos' job messages, to the minute with no year (github.com/bareos/bareos/issues/1774)
    ("dm-mon-minutes", "19-Apr 12:48 bareos-dir JobId 4: Error: Error running program when updating bootstrap file",
     datetime(2026, 4, 19, 12, 48, tzinfo=UTC), {"year", "zone"}),
    # Snort's alert file, no year (linuxjournal.com's Snort article, nnc3.com/mags/LM18/LJ/000/4668l2.html), and
    # Suricata's fast.log with its two-digit year (docs.suricata.io, output formats)
    ("ids-alert-noyear", "03/07-11:10:40.910903 192.168.0.1:3607 -> 192.168.1.2:80",
     datetime(2026, 3, 7, 11, 10, 40, 910903, tzinfo=UTC), {"year", "zone"}),
    ("ids-alert", "10/05/10-10:08:59.667372  [**] [1:2009187:4] ET WEB_CLIENT ACTIVEX iDefense",
     datetime(2010, 10, 5, 10, 8, 59, 667372, tzinfo=UTC), {"zone"}),
    # ... and with four digits (github.com/clong/DetectionLab/issues/190)
    ("ids-alert", "02/01/2019-07:49:35.688758  [**] [1:2100498:7] GPL ATTACK_RESPONSE id check returned root [**]",
     datetime(2019, 2, 1, 7, 49, 35, 688758, tzinfo=UTC), {"zone"}),
    # Progress OpenEdge's client log, its date and time joined by `@` (github.com/chriscamicas/vscode-abl/issues/83)
    ("openedge", "[23/02/21@11:54:10.626+0100] P-029113 T-029113 1 4GL -- Call to Progress.Json.ObjectModel.JsonObject:"
                 "GetJsonArray( ) failed.",
     datetime(2023, 2, 21, 10, 54, 10, 626000, tzinfo=UTC), set()),
    # behind the file name grep puts before a line found in one of several files (github.com/cylc/cylc-flow/issues/6735)
    ("iso8601", "30-restart-03.log:2025-04-20T07:09:22Z INFO - [20250420T0000Z/glu_check_output:waiting(runahead)] => waiting",
     datetime(2025, 4, 20, 7, 9, 22, tzinfo=UTC), set()),
    # ... and Kubernetes test-infra's bootstrap, whose `]` follows the time at once
    # (github.com/bazelbuild/bazel/issues/4311)
    ("glog", "W1215 22:29:00.731] Run: ('bazel', 'version')",
     datetime(2025, 12, 15, 22, 29, 0, 731000, tzinfo=UTC), {"year", "zone"}),
    # Android logcat threadtime (Loghub Android)
    ("logcat", "03-17 16:13:38.859  2227  2227 D TextView: visible is system.time.showampm",
     datetime(2026, 3, 17, 16, 13, 38, 859000, tzinfo=UTC), {"year", "zone"}),
    # Tomcat's OneLineFormatter `dd-MMM-yyyy HH:mm:ss.SSS` (catalina.out's layout)
    ("catalina", "05-Dec-2019 10:56:04.479 INFO [main] org.apache.catalina.startup.Catalina.start Server startup "
                 "in [1012] milliseconds",
     datetime(2019, 12, 5, 10, 56, 4, 479000, tzinfo=UTC), {"zone"}),
    # yyMMdd HHmmss (Loghub HDFS)
    ("yymmdd-hhmmss", "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block "
                      "blk_38865049064139660 terminating",
     datetime(2008, 11, 9, 20, 36, 15, tzinfo=UTC), {"zone"}),
    # Spark's log4j `yy/MM/dd HH:mm:ss` (Loghub Spark)
    ("yy-slash", "17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers for "
                 "[TERM, HUP, INT]",
     datetime(2017, 6, 9, 20, 10, 40, tzinfo=UTC), {"zone"}),
    # `[MM.dd HH:mm:ss]` (Loghub Proxifier)
    ("md-dot", "[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy "
               "proxy.cse.cuhk.edu.hk:5070 HTTPS",
     datetime(2026, 10, 30, 16, 49, 6, tzinfo=UTC), {"year", "zone"}),
    # Chromium's and Electron's base logging, `[pid:MMDD/HHMMSS.mmm:LEVEL:file(line)]`
    # (github.com/electron/electron/issues/32317)
    ("chromium", "[4772:0204/112540.163:WARNING:gpu_process_host.cc(1274)] The GPU process has crashed 1 time(s)",
     datetime(2026, 2, 4, 11, 25, 40, 163000, tzinfo=UTC), {"year", "zone"}),
    # ... and a build that logs no pid (NaïveProxy, the fifty-first headers round)
    ("chromium", "[1125/145732.547:ERROR:ssl_client_socket_impl.cc(975)] handshake failed; returned -1",
     datetime(2025, 11, 25, 14, 57, 32, 547000, tzinfo=UTC), {"year", "zone"}),  # after the reference: last year
    # ISO 8601 with its offset in hours alone, glued to the time (macOS' install.log, the fifty-first round)
    ("iso8601", "2020-12-22 12:02:09+01 macbook-pro installd[465]: ./postinstall: Agent Successfully Installed",
     datetime(2020, 12, 22, 11, 2, 9, tzinfo=UTC), set()),
    # `yyyyMMdd-HH:mm:ss:SSS`, milliseconds not zero-padded (Loghub HealthApp)
    ("ymd-compact", "20171223-22:15:35:11|Step_SPUtils|30002312| getTodayTotalDetailSteps = 0##7015",
     datetime(2017, 12, 23, 22, 15, 35, 11000, tzinfo=UTC), {"zone"}),
    # Blue Gene/L RAS `yyyy-MM-dd-HH.mm.ss.SSSSSS` (Loghub BGL, its own field)
    ("ymd-dotted", "2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity "
                   "error corrected",
     datetime(2005, 6, 3, 15, 42, 50, 675872, tzinfo=UTC), {"zone"}),
    # Werkzeug's development server, no zone (github.com/aws/amazon-ecs-agent/issues/1397)
    ("clf-nozone", '10.10.51.108 - - [29/May/2018 13:42:00] "POST /divido HTTP/1.1" 500 -',
     datetime(2018, 5, 29, 13, 42, tzinfo=UTC), {"zone"}),
    # nginx-rtmp's access log: the client alone before the time, no ident or user (github.com/WWBN/AVideo/issues/4864)
    ("clf", '75.158.197.136 [03/Apr/2021:19:06:38 -0600] PUBLISH "live" "6068fbcce7807" - 548 292 "" "FMLE/3.0" (0s)',
     datetime(2021, 4, 4, 1, 6, 38, tzinfo=UTC), set()),
    # Erlang's error_logger banner, RabbitMQ before 3.7 (github.com/helm/charts/pull/2325)
    ("erlang", "=INFO REPORT==== 20-Nov-2017::10:30:04 ===",
     datetime(2017, 11, 20, 10, 30, 4, tzinfo=UTC), {"zone"}),
    # Redis 3+ after `pid:role` (github.com/jeremylvln/Shulker/issues/446)
    ("dmy-mon", "1:M 07 Mar 2024 16:20:46.078 * Background saving started by pid 60",
     datetime(2024, 3, 7, 16, 20, 46, 78000, tzinfo=UTC), {"zone"}),
    # Redis 2 after `[pid]`, no year (github.com/azavea/nyc-trees/issues/1555)
    ("dm-mon", "[1249] 05 May 14:40:16.963 # Server started, Redis version 2.8.4",
     datetime(2026, 5, 5, 14, 40, 16, 963000, tzinfo=UTC), {"year", "zone"}),
    # Month first (github.com/brchri/tesla-geogdo/issues/22)
    ("mdy-slash", "05/11/2024 12:18:07 [  ] Config file /app/config/config.yml doesn't exist!",
     datetime(2024, 5, 11, 12, 18, 7, tzinfo=UTC), {"zone"}),
    # Application Insights' export: month first, no leading zeros, a 12-hour clock
    # (github.com/ministryofjustice/cloud-platform/issues/2664)
    ("mdy-slash", "1/19/2021, 2:26:39.692 AM\tcom.amazonaws.services.dynamodbv2.model."
                  "ProvisionedThroughputExceededException at com.amazonaws.http.AmazonHttpClient",
     datetime(2021, 1, 19, 2, 26, 39, 692000, tzinfo=UTC), {"zone"}),
    # Day first, which a day above 12 gives away (github.com/goauthentik/authentik/issues/3791)
    ("dmy-slash", "15/10/2022 1:25:23", datetime(2022, 10, 15, 1, 25, 23, tzinfo=UTC), {"zone"}),
    # Day first with dots, a German client's log (github.com/rconroy293/mtga-log-client/pull/96)
    ("dmy-dot", "12.05.2021 19:35:36", datetime(2021, 5, 12, 19, 35, 36, tzinfo=UTC), {"zone"}),
    # ... and unpadded, .NET's de-DE culture (github.com/anegostudios/VintageStory-Issues/issues/2133)
    ("dmy-dot", "26.8.2022 22:57:09 [Fatal] System.Exception: Disk space is below 400 megabytes (356 mb left).",
     datetime(2022, 8, 26, 22, 57, 9, tzinfo=UTC), {"zone"}),
    # Go's time.Kitchen, zerolog's console writer's default (pkg.go.dev/github.com/karmi/consolelog)
    ("kitchen", "3:50PM INF Hello world foo=bar", datetime(2026, 11, 19, 15, 50, tzinfo=UTC), {"date", "zone"}),
    # A syslog-style date with its year after the time: GNU Mailman 3 (github.com/maxking/docker-mailman/issues/214)
    ("mon-dd-time-year", "Feb 15 09:47:30 2018 (30) [BounceRunner] starting oneloop",
     datetime(2018, 2, 15, 9, 47, 30, tzinfo=UTC), {"zone"}),
    # A time of day to the minute before a bracket: Oxide's log (github.com/OxideMod/Oxide/issues/728), irssi's
    ("time-of-day-minutes", "14:45 [Error] BetterChat plugin failed to compile!",
     datetime(2026, 11, 19, 14, 45, tzinfo=UTC), {"date", "zone"}),
    # Tomcat's date with a two-digit year (github.com/StackExchange/StackExchange.Redis/issues/1341)
    ("catalina", "30-Jan-20 21:46:39 [7] ERROR DebugLogger: RedisTimeoutException",
     datetime(2020, 1, 30, 21, 46, 39, tzinfo=UTC), {"zone"}),
    # Boost.Date_Time's simple string, the month's name between the year and the day (ASNeG OpcUaStack)
    ("ymd-mon", "2019-Jun-29 17:24:11.564972 DBG [7fd73fb1a740] HttpServer is waiting for new connection",
     datetime(2019, 6, 29, 17, 24, 11, 564972, tzinfo=UTC), {"zone"}),
    # ctime with microseconds after a colon, in parentheses: SSSD before 2.6 (github.com/SSSD/sssd/issues/5377)
    ("ctime", "(Tue Oct 27 10:55:06:550002 2020) [[sssd[krb5_child[9196]]]] [main] (0x0400): krb5_child started.",
     datetime(2020, 10, 27, 10, 55, 6, 550002, tzinfo=UTC), {"zone"}),
    # date(1) in a 12-hour locale, a numeric zone without minutes (SteamTinkerLaunch, github.com/sonic2kk/
    # steamtinkerlaunch/issues/547)
    ("ctime-12h", "Mon Aug 22 12:07:36 PM +03 2022 INFO - initAID - Set AID from STEAM_COMPAT_APP_ID to '377160'",
     datetime(2022, 8, 22, 9, 7, 36, tzinfo=UTC), set()),
    # ctime with a numeric offset in hours after the year (dump1090-fa, github.com/flightaware/dump1090/issues/207)
    ("ctime-offset", "Fri Oct 14 23:13:15 2022 -03  dump1090-fa unknown starting up.",
     datetime(2022, 10, 15, 2, 13, 15, tzinfo=UTC), set()),
    # day, month, time and then the year, milliseconds after it (FIWARE Orion, github.com/telefonicaid/fiware-orion/
    # issues/3694)
    ("dm-mon-time-year", "01 Oct 15:10:00 2020.399Z | lvl=INFO | comp=Orion | msg=Orion Context Broker is running",
     datetime(2020, 10, 1, 15, 10, 0, 399000, tzinfo=UTC), set()),
    # a run of spaces between date and time, SIPp's tab as its issue shows it (github.com/SIPp/sipp/issues/101)
    ("iso8601-lax", "2014-09-30      11:13:40.833735 1412075620.833735: SIP message without Call-ID discarded.",
     datetime(2014, 9, 30, 11, 13, 40, 833735, tzinfo=UTC), {"zone"}),
    # milliseconds after a colon, a time of day alone (Claymore's miner, github.com/Snipa22/nodejs-pool/issues/105)
    ("time-of-day", "09:24:35:192\t3360\tStratum - connecting to 'pool.supportxmr.com' <94.130.12.30> port 5555",
     datetime(2026, 11, 20, 9, 24, 35, 192000, tzinfo=UTC), {"date", "zone"}),
    # java.util.logging's SimpleFormatter, Tomcat 8 on Ubuntu (github.com/protegeproject/webprotege/issues/634)
    ("jul", "Feb 21, 2020 1:03:16 PM org.apache.catalina.startup.ClassLoaderFactory validateFile",
     datetime(2020, 2, 21, 13, 3, 16, tzinfo=UTC), {"zone"}),
    # JavaScript's Date.prototype.toString() (MDN's example:
    # developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Date/toString)
    ("js-date", "Tue Aug 19 1975 23:15:30 GMT+0200 (CEST)", datetime(1975, 8, 19, 21, 15, 30, tzinfo=UTC), set()),
    # MariaDB's one-digit hour (github.com/bitnami/charts/issues/4929), padded with a space
    # (github.com/colinmollenhour/mariadb-galera-swarm/issues/80), Airflow's comma
    # (github.com/openego/eGon-data/issues/1225) and runit's underscore (github.com/Graylog2/graylog2-server/issues/2613)
    ("iso8601-lax", "2021-01-05 8:08:53 0 [Note] WSREP: New COMPONENT: primary = no, bootstrap = no, my_idx = 0",
     datetime(2021, 1, 5, 8, 8, 53, tzinfo=UTC), {"zone"}),
    ("iso8601-lax", "2019-07-04  3:45:42 0 [ERROR] WSREP: Process completed with error: wsrep_sst_mariabackup",
     datetime(2019, 7, 4, 3, 45, 42, tzinfo=UTC), {"zone"}),
    ("iso8601-lax", "[2025-04-01, 08:07:05 UTC] {local_task_job_runner.py:266} INFO - Task exited with return code -9.",
     datetime(2025, 4, 1, 8, 7, 5, tzinfo=UTC), set()),
    ("iso8601-lax", "2016-08-04_14:20:54.49828 2016-08-04 10:20:54,494 ERROR: com.google.common.util.concurrent."
                    "ServiceManager - Service JournalReader [FAILED] has failed in the RUNNING state.",
     datetime(2016, 8, 4, 14, 20, 54, 498280, tzinfo=UTC), {"zone"}),
    # The Azure Functions host (github.com/Azure/azure-webjobs-sdk/issues/2396) and WebSphere Liberty
    # (github.com/OpenLiberty/open-liberty/issues/9881): two-digit years, month first
    ("mdy-slash-yy", "[7/31/19 5:02:04 AM] The following 1 functions are in error:",
     datetime(2019, 7, 31, 5, 2, 4, tzinfo=UTC), {"zone"}),
    ("mdy-slash-yy", "[11/20/19, 15:39:46:477 GMT] 00000037 com.ibm.ws.logging.internal.impl.IncidentImpl   I FFDC1015I",
     datetime(2019, 11, 20, 15, 39, 46, 477000, tzinfo=UTC), set()),
    # SonarQube (github.com/bitnami/bitnami-docker-sonarqube/issues/4), ClickHouse
    # (github.com/ClickHouse/ClickHouse/issues/41465): year first with dots
    ("ymd-dot", "2019.12.16 15:41:36 INFO  app[][o.s.a.SchedulerImpl] Waiting for Elasticsearch to be up and running",
     datetime(2019, 12, 16, 15, 41, 36, tzinfo=UTC), {"zone"}),
    ("ymd-dot", "2022.09.18 19:12:45.017107 [ 10933200 ] {} <Error> void DB::MergeTreeBackgroundExecutor",
     datetime(2022, 9, 18, 19, 12, 45, 17107, tzinfo=UTC), {"zone"}),
    # A Kibana export (github.com/helm/charts/pull/19737)
    ("kibana", "December 21st 2019, 15:26:51.796 | [WARNING] 354/122650 (6) : Server check_if_redis_is_master_1/R0 "
               "is DOWN, reason: Layer7 timeout",
     datetime(2019, 12, 21, 15, 26, 51, 796000, tzinfo=UTC), {"zone"}),
    # glog with its year (Dragonfly, github.com/dragonflydb/dragonfly/issues/3097) and CockroachDB's
    # `yyMMdd` (github.com/cockroachdb/cockroach/issues/51301)
    ("glog-year", "I20240529 10:33:47.010191     1 dfly_main.cc:646] Starting dragonfly df-dev-0000000",
     datetime(2024, 5, 29, 10, 33, 47, 10191, tzinfo=UTC), {"zone"}),
    ("glog-yy", "I200710 09:39:45.747824 51427 vendor/github.com/cockroachdb/pebble/compaction.go:1302  [n3] "
                "[JOB 1771] compaction to L3 error: write /mnt/data1/cockroach/007479.sst: no space left on device",
     datetime(2020, 7, 10, 9, 39, 45, 747824, tzinfo=UTC), {"zone"}),
    # MySQL 5.5 (github.com/humanmade/Salty-WordPress/pull/53)
    ("yymmdd-hms", "130529 18:41:01 InnoDB: Initializing buffer pool, size = 128.0M",
     datetime(2013, 5, 29, 18, 41, 1, tzinfo=UTC), {"zone"}),
    # From the headers corpus' second round (tests/corpus/formats/lines.yaml): gologging's and Gin's dash
    # (github.com/krakend/krakend-ce/issues/885), Splunk's splunkd.log (github.com/splunk/docker-splunk-legacy/issues/1),
    # Log4j's ddMMMyyyy (github.com/itzg/docker-minecraft-server/issues/1695), java.util.logging with a zone
    # (github.com/splitio/java-client/pull/103), Oracle's capitals
    # (normandunbar.github.io/RantsAndRaves/posts/2018/06/snorkelling-in-the-oracle-listener-logs)
    ("ymd-slash-dash", "[KRAKEND] 2024/05/30 - 19:08:07.637 ▶ ERROR [ENDPOINT: /v2/user/profile] Error #0: context canceled",
     datetime(2024, 5, 30, 19, 8, 7, 637000, tzinfo=UTC), {"zone"}),
    # Python's `%(name)s %(levelname)s %(asctime)s`, as Galaxy's job handlers log (github.com/galaxyproject/galaxy/issues/11657)
    ("iso8601", "galaxy.jobs DEBUG 2021-03-17 17:15:49,627 (203168) Persisting job destination (destination id: None)",
     datetime(2021, 3, 17, 17, 15, 49, 627000, tzinfo=UTC), {"zone"}),
    # Perl's Net::Server as munin-node logs (github.com/munin-monitoring/munin/issues/1625)
    ("ymd-slash-dash", "2024/07/02-17:05:02 Munin::Node::Server (type Net::Server::Fork) starting! pid(739273)",
     datetime(2024, 7, 2, 17, 5, 2, tzinfo=UTC), {"zone"}),
    ("mdy-dash", "01-12-2016 02:14:19.130 +0000 WARN  DistributedPeerManager - feature=DistSearch not enabled",
     datetime(2016, 1, 12, 2, 14, 19, 130000, tzinfo=UTC), set()),
    ("dmony", "[28Aug2022 01:41:37.140] [Server thread/WARN] [net.minecraft.server.MinecraftServer/]: Can't keep up!",
     datetime(2022, 8, 28, 1, 41, 37, 140000, tzinfo=UTC), {"zone"}),
    ("jul", "Sep 11, 2019 18:36:56 -0400 [87843 1] com.newrelic INFO: Using default collector host: collector.newrelic.com",
     datetime(2019, 9, 11, 22, 36, 56, tzinfo=UTC), set()),
    ("catalina", "15-MAY-2018 10:34:44 * (CONNECT_DATA=(CID=(PROGRAM=)(HOST=__jdbc__)(USER=))(SERVICE_NAME=ORCL_RW)) * establish",
     datetime(2018, 5, 15, 10, 34, 44, tzinfo=UTC), {"zone"}),
    # A time of day alone: logback's console default (github.com/micronaut-projects/micronaut-core/issues/758),
    # Quarkus (github.com/quarkusio/quarkus/issues/6431), Serilog's console default
    # (github.com/dotnet/orleans/issues/4664), a 12-hour clock (github.com/aerokube/moon/issues/43).
    # REF is 12:00, so a later time is the day before.
    ("time-of-day", "09:22:38.424 [main] INFO  io.micronaut.runtime.Micronaut - Startup completed in 1590ms.",
     datetime(2026, 11, 20, 9, 22, 38, 424000, tzinfo=UTC), {"date", "zone"}),
    ("time-of-day", "16:01:45,392 ERROR [io.qua.dev.DevModeMain] Failed to start Quarkus: "
                    "java.lang.ExceptionInInitializerError",
     datetime(2026, 11, 19, 16, 1, 45, 392000, tzinfo=UTC), {"date", "zone"}),
    ("time-of-day", "[21:48:30 WRN] Exception getting a sending socket to endpoint S<old silo>:265814527",
     datetime(2026, 11, 19, 21, 48, 30, tzinfo=UTC), {"date", "zone"}),
    # OBS Studio's log: a colon and a space after the time (github.com/obsproject/obs-studio/issues/5142)
    ("time-of-day", "06:17:03.568: Loading up OpenGL on adapter NVIDIA Corporation NVIDIA GeForce GT 710/PCIe/SSE2",
     datetime(2026, 11, 20, 6, 17, 3, 568000, tzinfo=UTC), {"date", "zone"}),
    # Go's time.Kitchen after a slashed date (Portainer's zerolog, github.com/portainer/portainer/issues/8806)
    ("ymd-slash-kitchen", "2024/03/19 10:56AM WRN github.com/portainer/portainer/api/platform/platform.go:70 > failed",
     datetime(2024, 3, 19, 10, 56, tzinfo=UTC), {"zone"}),
    # ISO 8601's basic format (Electrum, github.com/spesmilo/electrum/issues/7239) and JavaScript's Date.toString with
    # the year before the time (React Native's Metro, github.com/ArnaudRinquin/react-native-radio-buttons/issues/107)
    ("iso8601-basic", "20210423T144245.915780Z |     INFO | interface.[192.168.100.4:50002] | skipping header 680244",
     datetime(2021, 4, 23, 14, 42, 45, 915780, tzinfo=UTC), set()),
    ("js-date", "[Sun Aug 16 2020 10:56:36.245]  WARN     Require cycle: node_modules/a.js -> node_modules/b.js",
     datetime(2020, 8, 16, 10, 56, 36, 245000, tzinfo=UTC), {"zone"}),
    # libpurple's (Pidgin's) debug log: the time in parentheses (github.com/majn/telegram-purple/issues/223)
    ("time-of-day", "(10:43:58) account: Connecting to account +1XXXXXXX.",
     datetime(2026, 11, 20, 10, 43, 58, tzinfo=UTC), {"date", "zone"}),
    ("time-of-day", '3:05:26 PM  Normal  Pulling   pulling image "aerokube/defender:cad1da0af14ee43856ce3ca635da"',
     datetime(2026, 11, 19, 15, 5, 26, tzinfo=UTC), {"date", "zone"}),
    # Folding@home's client, its level glued to the time by a colon (github.com/FoldingAtHome/fah-issues/issues/1384)
    ("time-of-day", "09:15:37:WARNING:WU02:FS00:Failed to get assignment from '18.218.241.186:80': No WUs available",
     datetime(2026, 11, 20, 9, 15, 37, tzinfo=UTC), {"date", "zone"}),
    # Epoch seconds after an alert flag (Loghub BGL)
    ("epoch", "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS "
              "KERNEL INFO instruction cache parity error corrected",
     datetime(2005, 6, 3, 22, 42, 50, tzinfo=UTC), set()),
    # Epoch seconds with milliseconds (Squid native access log, wiki.squid-cache.org/Features/LogFormat)
    ("epoch", "1286536308.779    180 192.168.0.224 TCP_MISS/200 411 GET "
              "http://liveupdate.symantecliveupdate.com/minitri.flg - DIRECT/125.23.216.203 text/plain",
     datetime(2010, 10, 8, 11, 11, 48, 779000, tzinfo=UTC), set()),
    # Epoch seconds as a float in scientific notation: zap's production encoder through its console encoder
    # (Pterodactyl Wings 1.0 beta, github.com/pterodactyl/wings issues)
    ("epoch-float", "1.5889649713235855e+09  info    cmd/root.go:84  using configuration from path: /var/lib/pterodactyl",
     datetime(2020, 5, 8, 19, 9, 31, 323586, tzinfo=UTC), set()),
    # All digits with milliseconds, libosmocore's timestamp behind docker compose
    # (github.com/herlesupreeth/docker_open5gs/issues/380)
    ("ymd-digits", "20241014195956000 DLINP <0019> stream_cli.c:1044 CLICONN(asp-clnt-OsmoMSC-A-Iu,) reconnecting",
     datetime(2024, 10, 14, 19, 59, 56, tzinfo=UTC), {"zone"}),
    # A compact date, a space and the time, with a zone abbreviation that has one offset (qt-openzwave's ozwdaemon in
    # Home Assistant's add-on, github.com/home-assistant/addons/issues/1403)
    ("ymd-compact-space", "[20200612 20:30:33.885 CEST] [ozw.library] [info]: Info - Node: 7 Request RTT 29",
     datetime(2020, 6, 12, 18, 30, 33, 885000, tzinfo=UTC), set()),
    # Go's log time behind pion/logging's scope and level (Pion WebRTC's sctp, https://github.com/pion/sctp/issues/150)
    ("ymd-slash", "sctp ERROR: 2020/09/22 19:46:50 [0xc000116b60] stream 3 not found)",
     datetime(2020, 9, 22, 19, 46, 50, tzinfo=UTC), {"zone"}),
    # Apache Traffic Server's diagnostics in its error.log, `%Y%m%d.%Hh%Mm%Ss`, no zone
    # (github.com/apache/trafficserver/pull/4047)
    ("ats", "20180801.15h26m05s CONNECT: could not connect to 127.0.0.1:1234 for 'http://localhost:1234/' (setting last "
            "failure time) connect_result=EIO: Input/output error",
     datetime(2018, 8, 1, 15, 26, 5, tzinfo=UTC), {"zone"}),
    # A two-digit year first with dashes, Python's `%y-%m-%d` (Home Assistant's Supervisor,
    # github.com/blakeblackshear/frigate-hass-integration/issues/51)
    ("yy-dash", "21-05-04 08:03:29 ERROR (MainThread) [supervisor.api.ingress] Ingress error: Cannot connect to host",
     datetime(2021, 5, 4, 8, 3, 29, tzinfo=UTC), {"zone"}),
    # Dashes in the time (Nethermind's console, github.com/NethermindEth/nethermind/issues/7801)
    ("iso8601-dashed-time", "2024-12-02 08-13-56.3437|Loading embedded plugins",
     datetime(2024, 12, 2, 8, 13, 56, 343700, tzinfo=UTC), {"zone"}),
    # To the minute (pacman's log, github.com/Antergos/Cnchi/issues/952)
    ("iso8601-minutes", "[2018-08-15 11:28] [ALPM] error: problem occurred while installing mesa",
     datetime(2018, 8, 15, 11, 28, tzinfo=UTC), {"zone"}),
    # Tendermint's level letter and time, before 0.20 (github.com/tendermint/tendermint/pull/491) and after
    # (a Cosmos SDK chain's node, github.com/babylonchain/babylon/pull/368)
    ("tendermint", "I[05-13|08:56:27.208] Starting multiAppConn                        module=proxy impl=multiAppConn",
     datetime(2026, 5, 13, 8, 56, 27, 208000, tzinfo=UTC), {"year", "zone"}),
    ("tendermint-year", "I[2023-05-16|06:53:41.528] executed block                               module=state height=7",
     datetime(2023, 5, 16, 6, 53, 41, 528000, tzinfo=UTC), {"zone"}),
    # log15's terminal format, which Tendermint's came from: a four-letter level word glued to the bracket (Erigon's,
    # github.com/erigontech/erigon/issues/2927), a fork's whole word with a year (Polygon Heimdall's,
    # github.com/0xPolygon/heimdall/issues/972), and geth's layout with a space between
    ("tendermint", "INFO[11-07|18:57:51.399] Write to db                              progress=0.3M/7.8M current",
     datetime(2026, 11, 7, 18, 57, 51, 399000, tzinfo=UTC), {"year", "zone"}),
    ("tendermint-year", "ERROR[2023-04-21|10:22:29.755] Stopping peer for error                      module=p2p",
     datetime(2023, 4, 21, 10, 22, 29, 755000, tzinfo=UTC), {"zone"}),
    ("tendermint", "WARN [11-07|18:57:51.399] Snapshot extension registration failed",
     datetime(2026, 11, 7, 18, 57, 51, 399000, tzinfo=UTC), {"year", "zone"}),
    # A GoldSrc server's log (ReHLDS, github.com/rehlds/ReGameDLL_CS/issues/108)
    ("srcds", 'L 02/13/2017 - 13:01:24: Loading map "fy_snow_dew"', datetime(2017, 2, 13, 13, 1, 24, tzinfo=UTC),
     {"zone"}),
    ("dmy-dash", "31-10-2023 09:50:10:   USB[1]: connection released, 1 in use: a-- ---",
     datetime(2023, 10, 31, 9, 50, 10, tzinfo=UTC), {"zone"}),
    ("hms-dash-dmy", "[19:13:18 - 17/10/2024] (W) Module off2pro is not loaded. Skipping pipeline!",
     datetime(2024, 10, 17, 19, 13, 18, tzinfo=UTC), {"zone"}),
    # Epoch milliseconds, as Java's System.currentTimeMillis() is logged (the Squid instant above)
    ("epoch", "1286536308779 TCP_MISS/200 411 GET http://liveupdate.symantecliveupdate.com/minitri.flg",
     datetime(2010, 10, 8, 11, 11, 48, 779000, tzinfo=UTC), set()),
]


@pytest.mark.parametrize("name,line,expected,assumed", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_format_is_detected_and_read(name, line, expected, assumed):
    reader = TimeReader(REF)
    assert reader.read(line) == expected
    assert reader.format.name == name
    assert reader.assumed == assumed


# A timestamp after a prefix: the first format's time, wherever the stream's writer put it.
PREFIXED = [
    # FIWARE Orion's weekday and `time=` key before it (github.com/telefonicaid/fiware-orion/issues/3694)
    ("time=Thursday 01 Oct 15:10:00 2020.399Z | lvl=INFO | corr=N/A | comp=Orion | msg=Orion Context Broker is running",
     datetime(2020, 10, 1, 15, 10, 0, 399000, tzinfo=UTC)),
    # a right-aligned level before the date (AnyDesk for Linux, github.com/NixOS/nixpkgs/issues/351891)
    ("   info 2024-10-29 12:05:09.698   frontend   main  99024  99024      gui.gui_app - Using std-resolution bitmaps.",
     datetime(2024, 10, 29, 12, 5, 9, 698000, tzinfo=UTC)),
    # Celery's `[%(asctime)s: %(levelname)s/%(processName)s]` (github.com/conda-incubator/conda-store/issues/120)
    ("[2021-09-03 12:36:46,914: ERROR/MainProcess] Process 'ForkPoolWorker-31' pid:90 exited with 'signal 9 (SIGKILL)'",
     datetime(2021, 9, 3, 12, 36, 46, 914000, tzinfo=UTC)),
    # gunicorn's bracketed time with its zone (github.com/tiangolo/full-stack-fastapi-couchbase/issues/11)
    ("[2019-03-31 18:56:46 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:211)", datetime(2019, 3, 31, 18, 56, 46, tzinfo=UTC)),
    # logrus's logfmt, quoted (github.com/prometheus/alertmanager/issues/693)
    ('time="2017-04-05T10:18:29Z" level=error msg="Error on notify: dial tcp: missing port in address smtp.163.com"',
     datetime(2017, 4, 5, 10, 18, 29, tzinfo=UTC)),
    # Grafana's `t=` with a compact offset (github.com/grafana/grafana/issues/8784)
    ('t=2017-07-05T07:33:15+0300 lvl=info msg="Initializing DB" logger=sqlstore dbtype=sqlite3',
     datetime(2017, 7, 5, 4, 33, 15, tzinfo=UTC)),
    # the time key after other keys (a logfmt writer that puts the level first)
    ('level="FATAL" time="2015-05-12T13:13:53-04:00" file="clock_offset.go" line="171"',
     datetime(2015, 5, 12, 17, 13, 53, tzinfo=UTC)),
    # a YAML-ish `timestamp: "..."` field (github.com/GoogleCloudPlatform/jit-groups/issues/270)
    ('timestamp: "2024-02-08T10:48:28.268077304Z"', datetime(2024, 2, 8, 10, 48, 28, 268077, tzinfo=UTC)),
    # docker compose's service column, then Elasticsearch's bracketed ISO (github.com/spujadas/elk-docker/issues/347)
    ("elk_1  | [2021-03-28T20:14:13,433][INFO ][o.e.b.BootstrapChecks    ] [elk] bound or publishing",
     datetime(2021, 3, 28, 20, 14, 13, 433000, tzinfo=UTC)),
    # docker compose's service column, then logfmt's quoted `time=` (github.com/zitadel/zitadel/issues/7582)
    ('zitadel-1  | time="2024-03-13T07:29:48Z" level=info msg="initialization started"',
     datetime(2024, 3, 13, 7, 29, 48, tzinfo=UTC)),
    # librdkafka's pipe-separated log callback (github.com/confluentinc/librdkafka/issues/785)
    ("3|2016-10-21 10:26:33.546|rdkafka#producer-37|FAIL| usiadansetl04:9092/2: 3 request(s) timed out: disconnect",
     datetime(2016, 10, 21, 10, 26, 33, 546000, tzinfo=UTC)),
    # the Lambda Python runtime: level, a tab, the time (github.com/domain-protect/domain-protect/issues/14)
    ("[ERROR]\t2021-07-08T19:33:01.162Z\taa4701c8-0aa1-4a89-9fa7-feae380c7590\tERROR: Failed to assume role",
     datetime(2021, 7, 8, 19, 33, 1, 162000, tzinfo=UTC)),
    # CodeIgniter's `LEVEL - time -->` (github.com/cdevroe/unmark/issues/83)
    ("ERROR - 2015-01-14 17:27:25 --> Query error: Unknown column 'users_to_marks.mark_title' in 'field list'",
     datetime(2015, 1, 14, 17, 27, 25, tzinfo=UTC)),
    # Cassandra's `%-5level [%thread] %date` (github.com/Metaswitch/clearwater-docker/issues/81,
    # github.com/wlloyd/eiger/issues/4)
    ("INFO  [main] 2017-11-03 08:29:12,321 ColumnFamilyStore.java:905 - Enqueuing flush of local: 578 (0%) on-heap",
     datetime(2017, 11, 3, 8, 29, 12, 321000, tzinfo=UTC)),
    ("ERROR [main] 2015-08-19 17:22:03,198 AbstractCassandraDaemon.java (line 384) Exception encountered during startup",
     datetime(2015, 8, 19, 17, 22, 3, 198000, tzinfo=UTC)),
    # indented, as pasted or as hclog writes it (github.com/ccxt/binance-trade-bot/issues/105)
    ("  2021-02-20 13:38:56,900 - crypto_trader_logger - INFO - Error while scouting...",
     datetime(2021, 2, 20, 13, 38, 56, 900000, tzinfo=UTC)),
    # CoreDNS's log plugin: two fields before the bracketed CLF time (github.com/coredns/coredns/issues/1994)
    ('127.0.0.1:59495 - [23/Jul/2018:08:06:15 -0400] 4077 "HINFO IN 6887250949866278685.7203916092142180550. udp 57 '
     'false 512"', datetime(2018, 7, 23, 12, 6, 15, tzinfo=UTC)),
    # logrus' level glued to its time (github.com/go-gitea/gitea/issues/24029)
    ('ERRO[2023-04-10T15:11:14+08:00] failed to fetch task              error="unknown: rpc error"',
     datetime(2023, 4, 10, 7, 11, 14, tzinfo=UTC)),
    # vLLM's process tag and level before logcat-style `MM-dd` (github.com/pytorch/pytorch/issues/170150)
    ("(APIServer pid=90980) ERROR 12-11 00:53:43 [repo_utils.py:65] We had to rate limit you",
     datetime(2025, 12, 11, 0, 53, 43, tzinfo=UTC)),  # no year, and December after REF's November: last year
    # `talosctl dmesg`: the node, the kernel's facility and level decoded, then its time (github.com/siderolabs/talos/issues/4857)
    ("10.1.1.2: kern: warning: [2022-01-25T10:19:41.228768566Z]: platform regulatory.0: Direct firmware load for "
     "regulatory.db failed with error -2", datetime(2022, 1, 25, 10, 19, 41, 228768, tzinfo=UTC)),
    # NestJS' default logger (github.com/testcontainers/testcontainers-node/issues/115)
    ("[Nest] 55063   - 09/08/2020, 2:14:30 PM   [ExceptionHandler] Unable to connect to the database. Retrying (1)...",
     datetime(2020, 9, 8, 14, 14, 30, tzinfo=UTC)),
    # the Java Service Wrapper's two fields (github.com/noodlefrenzy/node-amqp10/issues/229)
    ("INFO   | jvm 4    | 2016/03/30 14:53:31 |  WARN | Transport Connection to: tcp://127.0.0.1:49561 failed",
     datetime(2016, 3, 30, 14, 53, 31, tzinfo=UTC)),
    # auditd's record before its epoch (github.com/linux-audit/audit-kernel/issues/138)
    ("type=SERVICE_STOP msg=audit(1660140094.799:510): pid=1 uid=0 auid=4294967295 ses=4294967295",
     datetime(2022, 8, 10, 14, 1, 34, 799000, tzinfo=UTC)),
    # a bracketed tag before a time of day (github.com/patchwork-toolkit/patchwork/issues/30)
    ("[device-gateway] 10:26:24 MQTTPulbisher: lost connection to the broker:  EOF",
     datetime(2026, 11, 20, 10, 26, 24, tzinfo=UTC)),
    # Ray's component tag, then its bracketed time (github.com/jchengai/planTF/issues/28)
    ("(raylet) [2024-08-25 19:21:02,241 E 1111013 1111013] (raylet) node_manager.cc:3064: 12 Workers killed",
     datetime(2024, 8, 25, 19, 21, 2, 241000, tzinfo=UTC)),
    # wget's time between dashes (github.com/kubernetes/kubernetes/issues/15917)
    ("--2015-10-20 08:17:21--  http://metadata/computeMetadata/v1/project-id",
     datetime(2015, 10, 20, 8, 17, 21, tzinfo=UTC)),
    # Cisco IOS's sequence numbers and a colon after its time (forums.cabling-design.com/cisco/
    # intepreting-cisco-switch-and-router-logs-please-help-54735-.htm)
    ("2464: 006077: Dec 28 22:35:12: %LINK-3-UPDOWN: Interface FastEthernet0/33, changed state to up",
     datetime(2025, 12, 28, 22, 35, 12, tzinfo=UTC)),
    # a syslog priority and a space before the time (Azure IoT Edge; github.com/Azure/iotedge/issues/6799)
    ("<6> 2022-11-25 16:32:23.827 +05:30 [INF] - Experimental features configuration: {}",
     datetime(2022, 11, 25, 11, 2, 23, 827000, tzinfo=UTC)),
    # Python logging's level glued to the time in one bracket (Rhasspy; github.com/rhasspy/larynx_old/issues/2)
    ("[DEBUG:2020-12-03 21:48:05,573] rhasspyserver_hermes: Restarting Rhasspy",
     datetime(2020, 12, 3, 21, 48, 5, 573000, tzinfo=UTC)),
    # an ISO 8601 time after a head nobody wrote a prefix for, with no lower-case word before it: osixia's log-helper
    # (github.com/osixia/container-openldap/issues/673), WSO2's tenant (github.com/wso2/product-iots/issues/1159),
    # CLUES' semicolons (github.com/grycap/clues/issues/115), Route 53's format version (github.com/elastic/
    # integrations/pull/2316)
    ("***  INFO   | 2024-01-05 22:05:22 | Add bootstrap schemas...", datetime(2024, 1, 5, 22, 5, 22, tzinfo=UTC)),
    ("TID: [-1234] [] [2017-07-12 16:21:32,890]  INFO {org.wso2.carbon.core.multitenancy.eager.TenantLoadingConfig} -  "
     "Using tenant lazy loading policy...", datetime(2017, 7, 12, 16, 21, 32, 890000, tzinfo=UTC)),
    ("   [CLUES]; INFO;2021-12-20 15:04:05,299;1640009045.300;not monitoring jobs due to configuration",
     datetime(2021, 12, 20, 15, 4, 5, 299000, tzinfo=UTC)),
    ("1.0 2017-12-13T08:16:03.983Z Z123412341234 example.com ANY NOERROR UDP FRA6 2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6",
     datetime(2017, 12, 13, 8, 16, 3, 983000, tzinfo=UTC)),
]


@pytest.mark.parametrize("line", [
    # a date inside prose is the message's, not the line's time: a lower-case word comes before it
    "Certificate for api.example.com expires on 2027-01-01 00:00:00 UTC",
    "INFO backup of 2024-01-05 10:00:00 restored",
    "ERROR: Certificate expires 2027-01-01 00:00:00",
    "12024-01-05 10:00:00 is no date",
])
def test_a_date_after_prose_is_not_the_lines_time(line):
    assert TimeReader(REF).read(line) is None


@pytest.mark.parametrize("line,expected", PREFIXED, ids=[str(i) for i in range(len(PREFIXED))])
def test_a_timestamp_after_a_prefix_is_found(line, expected):
    assert TimeReader(REF).read(line) == expected


def test_hostile_lines_give_no_time_and_detection_ends():
    # Every prefix repetition is bounded, so a megabyte without a time ends quickly (a ReDoS would hang here).
    for line in ("x" * 1_000_000, "time=" * 200_000, "| " * 500_000, "[" * 1_000_000, "a " * 500_000,
                 "[ERROR:" * 150_000):
        assert TimeReader(REF).read(line) is None


def test_every_format_has_a_test():
    assert {f.name for f in FORMATS} == {c[0] for c in CASES}


def test_a_stream_is_read_with_its_format_and_switches_when_it_changes():
    reader = TimeReader(REF)
    hdfs = ["081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating",
            "081109 203807 222 INFO dfs.DataNode$PacketResponder: PacketResponder 0 terminating"]
    assert [reader.read(x).minute for x in hdfs] == [36, 38]
    assert reader.format.name == "yymmdd-hhmmss"
    assert reader.read("    at org.apache.Foo.bar(Foo.java:42)") is None  # a line without a time
    assert reader.read("2026-11-20T09:00:00Z INFO back to ISO") == datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert reader.format.name == "iso8601"
    # the earlier format is remembered, not detected again
    assert reader.read(hdfs[0]) == datetime(2008, 11, 9, 20, 36, 15, tzinfo=UTC)


@pytest.mark.parametrize("text", ["hello world", "user 12345 logged in", "9999999999 is not a time",
                                  "13-45 25:99:99.000 nonsense", "2026-13-45 10:00:00 bad month"])
def test_text_that_is_no_time_gives_none(text):
    assert TimeReader(REF).read(text) is None


def test_dates_without_a_year_near_new_year_go_to_the_previous_year():
    january = datetime(2027, 1, 2, tzinfo=UTC)
    assert TimeReader(january).read("Dec 31 23:59:59 host cron[1]: job").year == 2026
    assert TimeReader(january).read("Jan  1 00:00:01 host cron[1]: job").year == 2027


def test_a_time_of_day_takes_the_reference_day_or_the_day_before():
    # Read the morning after, last night's console log is last night's; an hour of slack for clocks.
    morning = datetime(2026, 11, 21, 8, 30, tzinfo=UTC)
    reader = TimeReader(morning)
    assert reader.read("23:59:58.100 [main] INFO  c.e.App - heartbeat") == datetime(2026, 11, 20, 23, 59, 58, 100000, tzinfo=UTC)
    assert reader.read("00:00:01.200 [main] INFO  c.e.App - heartbeat") == datetime(2026, 11, 21, 0, 0, 1, 200000, tzinfo=UTC)
    assert reader.read("09:15:00.000 [main] INFO  c.e.App - within the hour of slack") == \
        datetime(2026, 11, 21, 9, 15, tzinfo=UTC)
    note = assumed_note(reader.assumed, morning)
    assert note is not None and "no date (took 2026-11-21, or the day before for times later than 09:30)" in note
    assert TimeReader(REF).read("25:10:00.000 [main] INFO not a time") is None


def test_a_stream_that_writes_dates_never_takes_a_bare_time_for_its_own():
    reader = TimeReader(REF)
    assert reader.read("2026-11-20 10:00:00,001 INFO [main] started") == datetime(2026, 11, 20, 10, 0, 0, 1000, tzinfo=UTC)
    assert reader.read("12:34:56 elapsed since the last checkpoint") is None
    assert reader.read("Uptime 01:02:03 reported by the agent") is None
    assert reader.format.name == "iso8601"
    # and a bare time is no timestamp on its own, without a stream to say which day it is
    assert parse_timestamp("12:34:56") is None


def test_a_bare_time_after_a_token_that_holds_a_date_is_no_time():
    # `[28Aug2022 ...` was a date the reader could not read: taking the time of day with today's date would put
    # the line on the wrong day, so without a format for the date there is no time at all.
    assert TimeReader(REF).read("[2022Aug28 01:41:37.140] [Server thread/WARN] Can't keep up!") is None
    assert TimeReader(REF).read("WARN  11:58:05 Seed provider couldn't lookup host") == datetime(2026, 11, 20, 11, 58, 5,
                                                                                                 tzinfo=UTC)


def test_the_note_says_what_was_assumed():
    reader = TimeReader(REF)
    reader.read("Nov 20 09:00:00 host sshd[1]: session opened")
    note = assumed_note(reader.assumed, REF)
    assert note is not None and "no year (took 2026" in note and "read as UTC" in note
    assert assumed_note(set(), REF) is None


def test_parse_timestamp_takes_any_known_format():
    assert parse_timestamp("20/Nov/2026:09:00:00 +0000") == datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert parse_timestamp("[20/Nov/2026:10:00:00 +0100]") == datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert parse_timestamp("Nov 20 09:00:00", year=2025) == datetime(2025, 11, 20, 9, tzinfo=UTC)
    assert parse_timestamp("1131566461") == datetime(2005, 11, 9, 20, 1, 1, tzinfo=UTC)


def test_a_twelve_hour_clock_reads_midnight_and_noon_and_rejects_hour_13_pm():
    reader = TimeReader(REF)
    assert reader.read("Mar 18, 2011 12:16:11 AM org.apache.catalina.startup.Catalina start") == \
        datetime(2011, 3, 18, 0, 16, 11, tzinfo=UTC)
    assert reader.read("Mar 18, 2011 12:16:11 PM org.apache.catalina.startup.Catalina start") == \
        datetime(2011, 3, 18, 12, 16, 11, tzinfo=UTC)
    assert TimeReader(REF).read("Mar 18, 2011 13:16:11 PM nonsense") is None


def test_a_stream_that_switches_takes_a_format_only_where_it_is_plausible():
    # A day-first line after a month-first stream: the month-first pattern matches its shape, but a
    # month of 15 is not a month, so the reader detects the day-first format instead.
    reader = TimeReader(REF)
    assert reader.read("05/11/2024 12:18:07 [  ] Config file /app/config/config.yml doesn't exist!") == \
        datetime(2024, 5, 11, 12, 18, 7, tzinfo=UTC)
    assert reader.read("2026-11-20T09:00:00Z INFO other writer") == datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert reader.read("15/10/2022 1:25:23") == datetime(2022, 10, 15, 1, 25, 23, tzinfo=UTC)
    assert reader.format.name == "dmy-slash"


def test_a_zone_abbreviation_with_one_offset_is_read_and_an_ambiguous_one_is_assumed():
    # date(1)'s `CEST` (github.com/mailcow/mailcow-dockerized/issues/1796) and a Pacific time; CST names US Central,
    # China and Cuba time alike, so it stays UTC and the reader says it assumed the zone
    reader = TimeReader(REF)
    assert reader.read("watchdog-mailcow_1   | Tue Sep 25 20:00:22 CEST 2018 SOGo health level: 90%") == datetime(
        2018, 9, 25, 18, 0, 22, tzinfo=UTC)
    assert TimeReader(REF).read("2024-01-01 10:00:00 PDT GET /health") == datetime(2024, 1, 1, 17, 0, tzinfo=UTC)
    ambiguous = TimeReader(REF)
    assert ambiguous.read("2024-01-01 10:00:00 CST GET /health") == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)
    assert "zone" in ambiguous.assumed


def test_a_two_digit_year_takes_posix_s_pivot():
    # strptime's `%y`: 69-99 are the 1900s, 00-68 the 2000s (HP ProCurve's `08/05/98`, a manual's example)
    assert TimeReader(REF).read("I 08/05/98 10:52:32 ports: port 1 enabled") == datetime(1998, 8, 5, 10, 52, 32,
                                                                                        tzinfo=UTC)
    assert TimeReader(REF).read("[7/31/19 5:02:04 AM] Host started") == datetime(2019, 7, 31, 5, 2, 4, tzinfo=UTC)


def test_configmgr_s_time_is_read_and_a_broken_one_is_none():
    from doctor.digest.timestamps import cmtrace_time

    head = '<![LOG[[Initialization] :: OS Type is [Workstation].]LOG]!>'  # PSAppDeployToolkit's (its issue 1154)
    assert cmtrace_time(head + '<time="09:06:14.218" date="12-11-2024" component="Open-ADTSession">') == \
        datetime(2024, 12, 11, 9, 6, 14, 218000, tzinfo=UTC)  # no bias: read as UTC
    assert cmtrace_time(head + '<time="09:06:14.218-60" date="12-11-2024">') == datetime(2024, 12, 11, 8, 6, 14, 218000,
                                                                                         tzinfo=UTC)
    for broken in (head + '<time="25:06:14" date="12-11-2024">', head + '<time="09:06:14" date="13-40-2024">',
                   head, "<![LOG[" + "]LOG]!>" * 100_000, 'text <time="09:06:14" date="12-11-2024">'):
        assert cmtrace_time(broken) is None

