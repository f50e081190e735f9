from datetime import timedelta

import pytest

from doctor.digest import DigestBuilder, build_digest, estimate_tokens, infer_level

from .conftest import T0, rec
from .regex_bounds import MAX_ATTEMPT, attempt_cost

POOL = ("2026-11-20T09:{m:02d}:10Z ERROR strategy.db: sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 "
        "overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)")
WARN = "2026-11-20T09:{m:02d}:20Z WARNING collector.feed: websocket ping took 1200 ms (slow)"
TICK = "2026-11-20T09:{m:02d}:{s:02d}Z INFO collector.feed: tick BTC-USDT price=67000.{s:02d} volume=0.{s:04d}"


def _window():
    records = []
    for m in range(40):
        records += [rec(TICK.format(m=m, s=s), minute=m + s / 60, service="collector") for s in range(0, 60, 6)]
        records.append(rec(WARN.format(m=m), minute=m + 0.3, service="collector"))  # steady, old
        if m >= 25:
            records += [rec(POOL.format(m=m), minute=m + 0.2, service="strategy") for _ in range(6)]
    return records


def test_incident_window_is_found_and_new_bursts_are_flagged():
    d = build_digest(_window())
    assert d.incident_start == T0 + timedelta(minutes=25)
    pool = next(t for t in d.templates if "QueuePool" in t.text)
    warn = next(t for t in d.templates if "ping took" in t.text)
    assert pool.new and pool.bursting and pool.level == "ERROR"
    assert pool.count == 90 and pool.count_baseline == 0
    assert not warn.new and not warn.bursting
    assert d.ranked()[0] is pool
    assert pool.services == {"strategy"}


def test_given_incident_start_is_used():
    start = T0 + timedelta(minutes=30)
    d = build_digest(_window(), incident_start=start)
    assert d.incident_start == start


def test_totals_and_drops_are_counted():
    records = _window() + [rec("   ", minute=15), rec("", minute=16)]
    d = build_digest(records, since=T0 + timedelta(minutes=10))
    assert d.lines_in == len(records)
    assert d.dropped["empty"] == 2
    assert d.dropped["outside the requested window"] == 10 * 11
    assert d.templates_out == 3


@pytest.mark.parametrize("budget", [200, 400, 1000, 6000])
def test_render_never_exceeds_the_budget_and_says_what_it_left_out(budget):
    records = []
    for i in range(300):  # 300 templates that share no word
        name = "".join(chr(97 + (i // 26**k) % 26) for k in range(3))
        words = " ".join(f"{name}{suffix}" for suffix in ("alpha", "beta", "gamma", "delta"))
        records.append(rec(f"2026-11-20T09:00:00Z ERROR svc: {words}", minute=i / 10))
    d = build_digest(records)
    text = d.render(budget)
    assert estimate_tokens(text) <= budget
    assert "more templates" in text and "omitted for the token budget" in text


def test_exemplars_are_real_lines_and_bounded():
    d = build_digest(_window())
    pool = next(t for t in d.templates if "QueuePool" in t.text)
    assert 1 <= len(pool.exemplars) <= 3
    assert all("QueuePool limit of size 5 overflow 10" in ex for ex in pool.exemplars)


def test_long_lines_are_cut_and_counted():
    b = DigestBuilder(max_line_chars=300)
    b.add(rec("2026-11-20T09:00:00Z ERROR x: " + "A" * 10_000))
    d = b.build()
    assert d.dropped["cut to max_line_chars (kept)"] == 1
    assert all(len(ex) <= 300 for t in d.templates for ex in t.exemplars)


def _heartbeat_then_two_errors():
    """executor beats every minute and logs two errors at 09:20, then nothing; collector goes on ticking."""
    records = []
    for m in range(40):
        records.append(rec(TICK.format(m=m, s=5), minute=m + 0.1, service="collector"))
        if m < 20:
            records.append(rec(f"2026-11-20T09:{m:02d}:30Z INFO executor.loop: heartbeat ok", minute=m + 0.5))
    records += [rec("2026-11-20T09:20:40Z ERROR executor.loop: order book stream failed", minute=20.7)] * 2
    return sorted(records, key=lambda r: r.timestamp)


def test_two_errors_then_silence_open_the_incident_window_and_the_silence_is_reported():
    d = build_digest(_heartbeat_then_two_errors())
    assert d.incident_start == T0 + timedelta(minutes=20)
    err = next(t for t in d.templates if "stream failed" in t.text)
    beat = next(t for t in d.templates if "heartbeat" in t.text)
    assert err.count_in_window == 2 and err.new
    assert beat.stopped == T0 + timedelta(minutes=20) and beat.changed
    assert any("went quiet" in n and "executor" in n and "09:20" in n for n in d.notes)
    assert "STOPPED 09:20:00" in d.render()
    tick = next(t for t in d.templates if "tick" in t.text)
    assert tick.stopped is None and not tick.changed


def test_a_new_info_line_that_repeats_opens_the_window_without_any_error():
    records = [rec(TICK.format(m=m, s=5), minute=m + 0.1, service="collector") for m in range(40)]
    records += [rec(f"2026-11-20T09:{m:02d}:40Z INFO agent: Task stopped: container bot exited", minute=m + 0.7)
                for m in range(31, 40)]
    d = build_digest(sorted(records, key=lambda r: r.timestamp))
    assert d.incident_start == T0 + timedelta(minutes=31)
    stopped = next(t for t in d.templates if "Task stopped" in t.text)
    assert stopped.level == "INFO" and stopped.new and stopped.bursting
    assert d.evidence()[0] is stopped and not d.errors()


def test_quiet_steady_logs_have_no_incident_window():
    d = build_digest([rec(TICK.format(m=m, s=5), minute=m + 0.1) for m in range(40)])
    assert d.incident_start is None and not d.evidence()


def test_the_report_and_the_report_page_show_a_stream_that_stopped():
    from doctor.deliver.report import render_markdown
    from doctor.diagnose import OfflineAnalyzer
    from doctor.pipeline import Result, incident_digest

    d = build_digest(_heartbeat_then_two_errors())
    md = render_markdown(Result(digest=d, diagnosis=OfflineAnalyzer().analyze(d), fix=None))
    assert "| stopped 09:20 |" in md and "went quiet" in md
    page = incident_digest(d)
    assert any(t["stopped"] == "09:20" for t in page["top_templates"])


def test_the_miner_stops_making_templates_at_its_cap_and_the_digest_says_so():
    # A source of free text (or a hostile one) makes a template of nearly every line: past the cap, the lines unlike
    # all the templates made are counted together, and the digest notes it, so memory stays bounded.
    from doctor.digest import TemplateMiner
    from doctor.digest.templates import OVERFLOW

    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
    lines = [f"worker pool {words[i % 10]}x{words[i // 10 % 10]} {words[i // 100 % 10]}y {words[(i * 7) % 10]}z "
             f"done {words[(i * 3) % 10]}w" for i in range(300)]
    b = DigestBuilder(miner=TemplateMiner(max_templates=20))
    for i, line in enumerate(lines):
        b.add(rec(line, minute=i / 60))
    d = b.build()
    assert len(d.templates) == 21
    overflow = [t for t in d.templates if t.text == OVERFLOW]
    assert len(overflow) == 1 and overflow[0].count == 300 - sum(t.count for t in d.templates if t.text != OVERFLOW)
    assert any("more than 20 templates" in n and f"T{overflow[0].id}" in n for n in d.notes)
    # under the cap nothing is said
    small = DigestBuilder()
    for line in lines[:10]:
        small.add(rec(line))
    assert not any("templates:" in n for n in small.build().notes)


# Lines that carry no level of their own, verbatim from public threads and the shared Loghub samples: their
# words say whether they failed. An exception's class name, a process that exited non-zero or the plain
# English of failure is an error; a line that doubts (invalid, not supported, unknown) a warning.
@pytest.mark.parametrize("line, level", [
    ("Adyen\\AdyenException: Not allowed", "ERROR"),  # https://github.com/Adyen/adyen-php-api-library/issues/95
    ("redis.exceptions.ResponseError: max number of clients reached", "ERROR"),  # https://github.com/rq/django-rq/issues/76
    ("Caused by: java.lang.UnsupportedOperationException", "ERROR"),  # https://github.com/grpc/grpc-java/pull/10663
    ("Could not launch service: bokeh-8788", "ERROR"),  # https://github.com/dask/distributed/issues/806
    ("exited: unicorn (exit status 1; not expected)", "ERROR"),  # https://github.com/sameersbn/docker-gitlab/issues/492
    ('- Start service "temporal-server" (service start attempt: exited quickly with code 1, will restart)',
     "ERROR"),  # https://github.com/canonical/temporal-k8s-operator/issues/55
    ("billiard.exceptions.WorkerLostError: Worker exited prematurely: signal 9 (SIGKILL) Job: 348.", "ERROR"),  # celery
    ("Envoy version 1.25.1 is not supported. If there is a reason you need to use this version of envoy use the "
     "ignore-envoy-compatibility flag.", "WARNING"),  # https://github.com/hashicorp/consul/issues/16493
    ("Message: \"Incorrect syntax near '$'.\"", "WARNING"),  # https://github.com/dotnet/efcore/issues/31362
    ("pam_unix(sshd:auth): check pass; user unknown", "WARNING"),  # Loghub OpenSSH
    ("psycopg2.errors.DeadlockDetected: deadlock detected", "ERROR"),  # https://github.com/akrherz/pyWWA/issues/98
    ('Potential deadlock detected: workflow goroutine "root" didn\'t yield for over a second',
     "ERROR"),  # https://github.com/temporalio/sdk-go/issues/435
    ("Thread Thread[X-threadpool-19,5,main]=Thread[X-threadpool-19,5,main] has been blocked for 12 ms, time limit is 0 ms",
     "WARNING"),  # https://github.com/eclipse-vertx/vert.x/issues/3451
    ('at: 2016-05-31 11:00:00 CEST)" was missed by 0:00:01.51075',
     "WARNING"),  # https://github.com/agronholm/apscheduler/issues/146
    ("thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', /usr/src/app/server/src/lib.rs:73:47",
     "ERROR"),  # https://github.com/serlo/database-layer/issues/455
    ("flag provided but not defined: -feature-gate", "ERROR"),  # https://github.com/rook/rook/issues/15195
    ('PermissionDenied: Requires write access to "./static/voice/pl/0.wav", run again with the --allow-write flag',
     "ERROR"),  # https://github.com/denoland/deno/issues/26830
    ("CURLE_COULDNT_RESOLVE_HOST", "ERROR"),  # https://github.com/s3fs-fuse/s3fs-fuse/issues/629
    ("      Reason:       OOMKilled", "ERROR"),  # kubectl describe, https://github.com/eraser-dev/eraser/issues/487
    ("hello-go-69c8fd4b66-khd89   0/1     CrashLoopBackOff   1          7s",
     "ERROR"),  # https://github.com/geerlingguy/kubernetes-101/issues/31
    ("[ 3223.539141] nfs: server ease not responding, still trying", "ERROR"),  # github.com/raspberrypi/linux/issues/2482
    ("Device: /dev/sg2 [areca_disk#08_enc#01], 22 Currently unreadable (pending) sectors", "ERROR"),  # github.com/openstreetmap/operations/issues/464
    ('"errorMessage": "User: arn:aws:sts::***:assumed-role/***-TranscriptionEventsIamRo-***-TranscriptionEventsLambd-*** '
     'is not authorized to perform: secretsmanager:GetSecretValue on resource: '
     'arn:aws:secretsmanager:eu-west-2:***:secret:VoicemailSecret-***"',
     "ERROR"),  # https://github.com/amazon-connect/voicemail-for-amazon-connect/issues/61
    # a Python traceback's last line whose exception names no Error: the raised class opens the line
    ("smtplib.SMTPServerDisconnected: please run connect() first", "ERROR"),  # https://github.com/caronc/apprise/issues/1113
    ("2017-01-05 16:46:52: (server.c.1759) [note] sockets disabled, out-of-fds",
     "ERROR"),  # https://github.com/OpenCCU/OpenCCU/issues/39
    ("'Inaccessible host: `dynamodb.undefined.amazonaws.com'. This service may not be available in the `us-east-1' "
     "region.'", "WARNING"),  # https://github.com/serg-io/backbone-dynamodb/issues/7
    # a limit met and a peer a health check gave up on doubt (a warning), and the peer coming back does not
    ("bgpd[1279935]: [ZV01X-9DV0P][EC 33554478] BGP flowspec nlri length maximum reached (8020)",
     "WARNING"),  # https://github.com/FRRouting/frr/issues/18557
    ("dnsdist[24734]: Marking downstream 10.63.49.12:53 as 'down'", "WARNING"),  # github.com/PowerDNS/pdns/pull/4198
    ("dnsdist[24734]: Marking downstream 10.63.49.12:53 as 'up'", "INFO"),
    ("Received SIGTERM, shutting down", "INFO"),
    # healthy lines stay INFO (Loghub OpenSSH and Linux), and so do words that only contain "error"
    ("Accepted password for fztu from 119.137.62.142 port 49116 ssh2", "INFO"),
    ("session opened for user cyrus by (uid=0)", "INFO"),
    ("Reached target Multi-User System.", "INFO"),  # systemd at every boot, through journald with no level
    ("exited: worker (exit status 0; expected)", "INFO"),
    ("worker exited quickly with code 0", "INFO"),
    ("registered ErrorHandler for /api; errorCount=0", "INFO"),
    ("CURLE_OK", "INFO"),
    # ... and a logger's dotted name before its message, or Go's file and line, is no raised class
    ("urllib3.connectionpool: Starting new HTTPS connection (1): example.com:443", "INFO"),
    ("main.go:12: listening on :8080", "INFO"),
    ("com.example.orders.OrderService: order 42 placed", "INFO"),  # a Java class logger with no level
])
def test_a_line_without_a_level_is_judged_by_its_words(line, level):
    assert infer_level(line) == level


def test_compact_json_lines_keep_their_own_level_and_message():
    """zap, pino and bunyan write a record as one token with no space in it: its shape is cut run by run, not to one
    `0` that every such line shares (which gave the stream the first line's level and template). A mattermost bot's
    lines (github.com/yGuy/chatgpt-mattermost-bot/issues/12) and pino's numeric levels."""
    lines = ['{"level":"DEBUG","name":"mattermost","msg":{"event":"thread_updated","diff":25080}',
             '{"level":"INFO","name":"bot-ws","msg":"websocket closed","diff":180288}',
             '{"level":"ERROR","name":"bot","msg":"undefined","diff":0}',
             '{"level":30,"time":1690000000000,"pid":7,"hostname":"h","msg":"request completed"}',
             '{"level":50,"time":1690000001000,"pid":7,"hostname":"h","msg":"request failed"}',
             '{"level":"error","ts":1690000001.1,"msg":"dial failed","error":"connection refused"}']
    d = build_digest([rec(line) for line in lines])
    by_text = {t.text: t.level for t in d.templates}
    assert by_text["undefined"] == "ERROR" and by_text["websocket closed"] == "INFO"
    assert by_text["request completed"] == "INFO" and by_text["request failed"] == "ERROR"
    assert by_text["dial failed | connection refused"] == "ERROR"


def test_a_pasted_exception_without_a_level_is_evidence_not_an_all_clear():
    # https://github.com/rq/django-rq/issues/76: the whole excerpt is one line with no header at all.
    d = build_digest([rec("redis.exceptions.ResponseError: max number of clients reached", minute=0)])
    assert [t.level for t in d.templates] == ["ERROR"]
    assert d.evidence() == d.templates


@pytest.mark.parametrize("name", ["_ERROR_WORDS", "_WARN_WORDS", "_FAILED_CLASS", "_FAILED_WORDS", "_DOUBT_WORDS",
                                  "_RAISED_CLASS"])
def test_the_level_words_cost_a_bounded_attempt_whatever_the_line(name):
    # infer_level reads every template of untrusted lines: the redactor's bound (a failed attempt costs a constant)
    # holds for its patterns too.
    from re import _parser

    import doctor.digest.digest as digest_module

    assert attempt_cost(_parser.parse(getattr(digest_module, name).pattern)) <= MAX_ATTEMPT


@pytest.mark.parametrize("module,name", [("doctor.digest.tally", "_WORD_RUN"),
                                         ("doctor.digest.header", "_FOLDED_NUMBER")])
def test_the_compact_json_patterns_cost_a_bounded_attempt_whatever_the_line(module, name):
    # Every compact JSON line's shape runs `_WORD_RUN`, and a folded one that JSON refuses `_FOLDED_NUMBER`.
    import importlib
    from re import _parser

    assert attempt_cost(_parser.parse(getattr(importlib.import_module(module), name).pattern)) <= MAX_ATTEMPT


@pytest.mark.parametrize("line,clean", [
    # rsyslog's escaping of the escape byte (github.com/Mailtrain-org/mailtrain/issues/662)
    ("Aug  9 08:58:56 mailsub_aquacdn_com node[5758]: info HTTP #033[0mPOST /rest/campaign-test-send #033[32m200 "
     "#033[0m34.507 ms - -#033[0m",
     "Aug  9 08:58:56 mailsub_aquacdn_com node[5758]: info HTTP POST /rest/campaign-test-send 200 34.507 ms - -"),
    # a terminal's caret notation (github.com/fatedier/frp/issues/2985)
    ("[service.go:128] login to server failed: EOF^[[0m", "[service.go:128] login to server failed: EOF"),
    # the escape byte itself, and the codes a paste lost it from, beside a reset
    ("\x1b[2m2024-01-01T00:00:00.000Z\x1b[0m \x1b[31mERROR\x1b[0m db: connection refused",
     "2024-01-01T00:00:00.000Z ERROR db: connection refused"),
    ("[2m2024-01-01T00:00:00.000Z[0m [31mERROR[0m db: connection refused",
     "2024-01-01T00:00:00.000Z ERROR db: connection refused"),
    # words stay: no reset code beside them, or a bracket closing what reads as a duration
    ("matrix[1m] too large", "matrix[1m] too large"),
    ("retry in [5m] after [0m", "retry in [5m] after "),
])
def test_terminal_colours_leave_the_line_before_anything_reads_it(line, clean):
    from doctor.digest.header import strip_ansi

    assert strip_ansi(line) == clean


def test_a_coloured_line_gives_its_time_and_level(tmp_path):
    # A console logger's colours around the time and the level (Rust's tracing with ANSI on) hid both.
    from doctor.sources.file import read_file

    f = tmp_path / "api.log"
    f.write_text("\x1b[2m2026-11-20T09:59:00.000Z\x1b[0m \x1b[31mERROR\x1b[0m db: connection lost\n")
    (r,) = read_file(f)
    assert r.timestamp.isoformat() == "2026-11-20T09:59:00+00:00"
    d = build_digest([rec("\x1b[2m2026-11-20T09:59:00.000Z\x1b[0m \x1b[31mERROR\x1b[0m db: connection lost", minute=59)])
    assert [(t.level, t.text) for t in d.templates] == [("ERROR", "connection lost")]  # `db:` read as its logger


def test_colours_a_json_envelope_escaped_are_stripped_before_the_digits_fold():
    # Docker's json-file driver keeps a console's colours inside the string (docs.docker.com, JSON File logging
    # driver): folded, `\u001b` would turn into another character before anyone saw it.
    line = ('{"log":"\\u001b[31mERROR\\u001b[0m [main] db: connection refused\\n","stream":"stderr",'
            '"time":"2026-11-20T09:59:00.000000001Z"}')
    d = build_digest([rec(line, minute=59)])
    assert [(t.level, t.text) for t in d.templates] == [("ERROR", "connection refused")]


@pytest.mark.parametrize("name", ["_ANSI", "_BARE_SGR"])
def test_the_colour_patterns_cost_a_bounded_attempt_whatever_the_line(name):
    from re import _parser

    import doctor.digest.header as header

    assert attempt_cost(_parser.parse(getattr(header, name).pattern)) <= MAX_ATTEMPT


def test_the_go_dump_pattern_costs_a_bounded_attempt_whatever_the_line():
    # Tried on every line after a Go panic's head.
    from re import _parser

    from doctor.sources.file import _GO_DUMP

    assert attempt_cost(_parser.parse(_GO_DUMP.pattern)) <= MAX_ATTEMPT
