import gzip
import json
from datetime import UTC, datetime

import pytest

from doctor.errors import InputError
from doctor.sources.file import read_file, read_files


def test_plain_json_and_gzip_are_read(tmp_path):
    plain = tmp_path / "executor.log"
    plain.write_text("2026-11-20T09:00:00.250Z INFO executor.orders: order ord-1 filled\n"
                     "2026-11-20T09:00:01Z ERROR executor.orders: order ord-2 rejected\n")
    recs = list(read_file(plain))
    assert [r.labels["service"] for r in recs] == ["executor", "executor"]
    assert recs[0].timestamp.isoformat() == "2026-11-20T09:00:00.250000+00:00"

    js = tmp_path / "bot.jsonl.gz"
    with gzip.open(js, "wt") as fh:
        fh.write(json.dumps({"timestamp": "2026-11-20T09:00:02Z", "level": "ERROR", "service": "strategy",
                             "message": "signal failed"}) + "\n")
    (r,) = read_file(js)
    assert r.labels["service"] == "strategy"
    assert r.timestamp.minute == 0 and r.timestamp.second == 2


@pytest.mark.parametrize("name,line,iso", [
    # MongoDB 4.4+ writes `{"t":{"$date":...}}` (github.com/docker-library/official-images/pull/16324)
    ("mongodb.log", '{"t":{"$date":"2024-02-28T23:00:30.923+00:00"},"s":"E",  "c":"NETWORK",  "id":23255,   '
                    '"ctx":"conn5","msg":"No SSL certificate provided by peer; connection rejected"}',
     "2024-02-28T23:00:30.923000+00:00"),
    # Serilog's compact JSON, `@t` (github.com/serilog/serilog-formatting-compact/issues/14)
    ("api.clef", '{"@t":"2017-05-08T21:32:05.7713278Z","@m":"Oh noes!","@l":"Warning",'
                 '"@i":"bc5016e7-198c-4345-9735-b0c4003b5178","Properties":{"NodeId":"a1882552"}}',
     "2017-05-08T21:32:05.771327+00:00"),
    # behind Docker Compose's service prefix (github.com/hasura/graphql-engine/issues/3814)
    ("compose.log", 'graphql-engine_1  | {"type":"pg-client","timestamp":"2020-02-01T00:24:08.069+0000","level":"warn",'
                    '"detail":{"message":"postgres connection failed, retrying(0)."}}',
     "2020-02-01T00:24:08.069000+00:00"),
])
def test_a_structured_log_s_own_time_key_is_read(tmp_path, name, line, iso):
    f = tmp_path / name
    f.write_text(line + "\n")
    (r,) = read_file(f)
    assert r.timestamp.isoformat() == iso


# ConfigMgr's log format, its time after the message with the zone's bias in minutes (UTC = local + bias)
# (github.com/log2timeline/plaso/issues/3068)
SCCM = ('<![LOG[+++ Application not discovered. [AppDT Id: ScopeId_6214EFE6-FA28-48B4-A7A4-090176983A13/DeploymentType_'
        '8739cb54-daf3-4bb0-9f7c-bc6df52a2cb5, Revision: 4]]LOG]!><time="16:51:46.388-120" date="05-17-2018" '
        'component="AppDiscovery" context="" type="1" thread="5412" file="localapphandler.cpp:171">')


def test_configmgr_s_time_after_the_message_is_read_with_its_bias(tmp_path):
    f = tmp_path / "AppDiscovery.log"
    f.write_text(SCCM + "\n" + SCCM.replace("-120", "+300").replace("16:51:46.388", "09:51:47") + "\n"
                 # the first line of a message over several lines has no time of its own: it takes the last line's
                 + SCCM.split("]LOG]!>")[0] + "\n")
    recs = list(read_file(f))
    assert [r.timestamp.isoformat() for r in recs] == ["2018-05-17T14:51:46.388000+00:00",
                                                       "2018-05-17T14:51:47+00:00", "2018-05-17T14:51:47+00:00"]


def test_traceback_becomes_one_record_naming_its_exception(tmp_path):
    f = tmp_path / "strategy.log"
    f.write_text(
        "2026-11-20 09:00:00,001 ERROR strategy.loop: unhandled error in signal loop\n"
        "Traceback (most recent call last):\n"
        '  File "/app/strategy/loop.py", line 42, in run\n'
        "    rows = session.execute(stmt)\n"
        "sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00\n"
        "2026-11-20 09:00:01,000 INFO strategy.loop: retrying\n"
    )
    recs = list(read_file(f))
    assert len(recs) == 2
    assert recs[0].message.endswith("| sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, "
                                    "connection timed out, timeout 30.00")


def test_a_traceback_after_an_info_line_is_a_record_of_its_own(tmp_path):
    # servicecatalog-puppet logged at INFO, then crashed (github.com/awslabs/aws-service-catalog-puppet/issues/166):
    # the interpreter's report is no continuation of that line, and the crash reads as an error, not as an INFO.
    from doctor.digest import build_digest

    f = tmp_path / "puppet.log"
    f.write_text("INFO MainThread Sending 11 events to eventbridge \n"
                 "Traceback (most recent call last): \n"
                 '  File "/usr/local/bin/servicecatalog-puppet", line 11, in <module> \n'
                 "    sys.exit(cli()) \n")
    recs = list(read_file(f))
    assert [r.message.strip() for r in recs] == ["INFO MainThread Sending 11 events to eventbridge",
                                                 "Traceback (most recent call last):"]
    assert [t.level for t in build_digest(recs).templates] == ["INFO", "ERROR"]


def test_a_traceback_nobody_logged_is_its_exception_and_a_failing_head_keeps_it(tmp_path):
    # broadlink-mqtt at DEBUG, then Python 2's uncaught `socket.error` (github.com/eschava/broadlink-mqtt/issues/27):
    # the record is the exception, whose lower-case module error closes the trace. After a head whose own words say it
    # failed (freqtrade's `Fatal exception!`, github.com/freqtrade/freqtrade/issues/1396) the traceback stays its own.
    f = tmp_path / "mqtt.log"
    f.write_text("[2018-05-20 10:54:14,535] DEBUG Connected to RM2 Broadlink device at '192.168.0.56'\n"
                 "Traceback (most recent call last):\n"
                 '  File "/usr/lib/python2.7/socket.py", line 575, in create_connection\n'
                 "    raise err\n"
                 "socket.error: [Errno 111] Connection refused\n"
                 "2018-12-08 20:10:12,096 - freqtrade - ERROR - Fatal exception!\n"
                 "Traceback (most recent call last):\n"
                 '  File "/usr/local/lib/python3.7/site-packages/sqlalchemy/engine/default.py", line 509, in do_execute\n'
                 "sqlite3.OperationalError: index ix_trades_pair already exists\n")
    assert [r.message for r in read_file(f)] == [
        "[2018-05-20 10:54:14,535] DEBUG Connected to RM2 Broadlink device at '192.168.0.56'",
        "socket.error: [Errno 111] Connection refused",
        "2018-12-08 20:10:12,096 - freqtrade - ERROR - Fatal exception! | sqlite3.OperationalError: index ix_trades_pair "
        "already exists"]


def test_a_byte_order_mark_hides_nothing_of_the_first_line(tmp_path):
    # PowerShell's `Out-File -Encoding utf8` and Notepad write one before the first line.
    from doctor.digest.header import split_header

    f = tmp_path / "app.log"
    f.write_bytes(b"\xef\xbb\xbf2024-01-01 10:00:00,123 ERROR app: boom\n")
    (r,) = read_file(f)
    assert r.message == "2024-01-01 10:00:00,123 ERROR app: boom" and split_header(r.message).level == "ERROR"


@pytest.mark.parametrize("case_id", ["casdoor-panic-pq-too-many-clients-under-load",
                                     "anycable-go-send-on-closed-channel-panic"])
def test_a_go_panic_and_its_goroutine_dump_are_one_event(case_id, tmp_path):
    # Go prints its frames' calls unindented: each read as a record of its own, a dump of many goroutines filled the
    # digest with templates of `main.main()`. casdoor's (github.com/casdoor/casdoor/issues/3168) ends with `go run`'s
    # `exit status 2`, an event of its own; anycable's (github.com/anycable/anycable-go/issues/34) lost its tabs and
    # kept trailing spaces.
    from bench.corpus_data import case_by_id

    case = case_by_id(case_id)
    assert case.half == "readable"
    f = tmp_path / "go.log"
    f.write_text(case.log)
    messages = [r.message.strip() for r in read_file(f)]
    assert messages[0].startswith("panic: ") and all("goroutine" not in m and ".go:" not in m for m in messages)
    assert messages[1:] in ([], ["exit status 2"])


def test_a_chained_exception_names_its_innermost_cause(tmp_path):
    # Node's `[cause]:` (https://github.com/ServerlessLife/lambda-live-debugger/issues/178): the outer
    # error says what failed, only the cause says it was throttling.
    node = tmp_path / "debugger.log"
    node.write_text(
        "Error: Failed to update add layer to lambda [REDACTED].\n"
        "    at addLayerToLambda (file:///path/to/repo/node_modules/lambda-live-debugger/dist/infraDeploy.mjs:576:15)\n"
        "    at process.processTicksAndRejections (node:internal/process/task_queues:104:5)\n"
        "    at async Promise.all (index 50)\n"
        "  [cause]: TooManyRequestsException: Rate exceeded\n"
        "      at AwsRestJsonProtocol.handleError (/path/to/repo/node_modules/@aws-sdk/core/dist-cjs/submodules/"
        "protocols/index.js:934:27)\n"
    )
    (r,) = read_file(node)
    assert r.message == ("Error: Failed to update add layer to lambda [REDACTED]. | "
                         "TooManyRequestsException: Rate exceeded")
    # A Python chain (https://github.com/psf/requests/issues/4964, its frames as urllib3 prints them in
    # https://github.com/alexandra-chron/siatl/issues/3): its first exception is the cause.
    py = tmp_path / "client.log"
    py.write_text(
        "2019-02-06 10:00:00,000 ERROR client: request failed\n"
        "Traceback (most recent call last):\n"
        '  File "/usr/lib/python3.6/site-packages/urllib3/connection.py", line 169, in _new_conn\n'
        "ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine "
        "actively refused it\n"
        "\n"
        "During handling of the above exception, another exception occurred:\n"
        "\n"
        '  self, "Failed to establish a new connection: %s" % e)\n'
        "urllib3.exceptions.NewConnectionError: <urllib3.connection.HTTPConnection object at 0x02D87DB0>: "
        "Failed to establish a new connection: [WinError 10061] No connection could be made because the "
        "target machine actively refused it\n"
    )
    (r,) = read_file(py)
    outer, innermost = r.message.split(" | ")[1:]
    assert outer.startswith("urllib3.exceptions.NewConnectionError:")
    assert innermost.startswith("ConnectionRefusedError: [WinError 10061]")
    # One exception, no chain: named once, as before.
    single = tmp_path / "single.log"
    single.write_text("2026-11-20 09:00:00,001 ERROR worker: boom\nTraceback (most recent call last):\n"
                      '  File "/app/w.py", line 1, in run\nKeyError: \'x\'\n')
    (r,) = read_file(single)
    assert r.message == "2026-11-20 09:00:00,001 ERROR worker: boom | KeyError: 'x'"


def test_indented_content_that_is_no_stack_trace_stays_in_the_message(tmp_path):
    # A Lambda error as its log shows it (https://github.com/amaabca/cloudwatch_loggly/pull/7), and a
    # `kubectl describe` events table: the words that name the cause are on the indented lines.
    f = tmp_path / "lambda.log"
    f.write_text(
        "{\n"
        '  "errorMessage": "Rate exceeded",\n'
        '  "errorType": "Function<Aws::CloudWatchLogs::Errors::ThrottlingException>",\n'
        "}\n"
        "Events:\n"
        "  Type     Reason                Age    From               Message\n"
        "  Warning  EvictionThresholdMet  4m32s  kubelet, minikube  Attempting to reclaim ephemeral-storage\n"
    )
    recs = list(read_file(f))
    assert [r.message.split()[0] for r in recs] == ["{", "}", "Events:"]
    assert '"errorMessage": "Rate exceeded", "errorType": "Function<Aws::CloudWatchLogs::Errors::Throttling' \
        in recs[0].message
    assert recs[2].message.endswith("Attempting to reclaim ephemeral-storage")



def test_a_log_whose_every_line_is_indented_is_one_record_a_line(tmp_path):
    # sssd's debug log pasted under a column of `   *  ` (the incident corpus's readable half,
    # github.com/SSSD/sssd/issues/6403 in its wording), discord.js's sharding manager behind a space: no line is
    # indented under another, so each is an event, where every line after the first had been glued into one.
    f = tmp_path / "sssd.log"
    f.write_text(
        "   *  (2022-10-10 10:10:42): [be[default]] [sdap_id_op_connect_step] (0x4000): beginning to connect\n"
        "   *  (2022-10-10 10:10:42): [be[default]] [get_server_status] (0x1000): Status of server 'ldap1' is "
        "'name not resolved'\n"
        " S0 | 20/3/3 22:9:34  DEBUG  429 hit on route /gateway/bot\n"
        " S0 | 20/3/3 22:9:34  DEBUG  429 hit on route /gateway/bot\n"
    )
    recs = list(read_file(f))
    assert len(recs) == 4
    assert recs[1].message.endswith("is 'name not resolved'")


def test_an_indented_line_that_opens_with_its_heads_first_word_is_a_sibling(tmp_path):
    # node's `debug` module, its first line's indentation lost in a paste (the incident corpus's readable half,
    # github.com/node-apn/node-apn): a namespace that opens the head and a deeper line alike starts a record each.
    f = tmp_path / "apn.log"
    f.write_text("apn Initialising connection +7s\n"
                 "  apn Socket error occurred +2s undefined { [Error: read ECONNRESET] code: 'ECONNRESET' }\n"
                 "  apn Destroying connection +0ms undefined\n")
    recs = list(read_file(f))
    assert [r.message.split()[1] for r in recs] == ["Initialising", "Socket", "Destroying"]


def test_a_records_head_is_read_once_and_within_bounds():
    # The first word a sibling is compared with is read when the record opens, at most 80 characters: a hostile first
    # line (one token of a megabyte) costs its continuations nothing, however many follow.
    from doctor.sources.file import _head_of

    assert _head_of("  apn Initialising connection +7s") == (2, "apn")
    assert _head_of("x" * 1_000_000 + " tail") == (0, "")
    assert _head_of("ok done") == (0, "")  # a word of two letters names no namespace


def test_an_indented_traceback_stays_one_event_at_any_depth(tmp_path):
    # A traceback indented as a whole (a quoted block), and one pasted from inside its frames, its first line the
    # deepest: frames, the chain's words and the closing exception continue the record they belong to.
    f = tmp_path / "worker.log"
    f.write_text("    ERROR worker: job 7 failed\n"
                 "    Traceback (most recent call last):\n"
                 '      File "/app/worker.py", line 12, in run\n'
                 "        step()\n"
                 "    KeyError: 'rsi_14'\n")
    (rec,) = read_file(f)
    assert "KeyError: 'rsi_14'" in rec.message
    g = tmp_path / "sqs.log"
    g.write_text("    self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=self.receipt)\n"
                 '  File "/usr/lib/python3.8/site-packages/botocore/client.py", line 357, in _api_call\n'
                 "    return self._make_api_call(operation_name, kwargs)\n"
                 "botocore.exceptions.ClientError: An error occurred (InvalidParameterValue) when calling the "
                 "DeleteMessage operation: The receipt handle has expired.\n")
    (rec,) = read_file(g)
    assert "The receipt handle has expired." in rec.message


def test_an_exception_in_a_json_field_with_its_frames_is_the_message(tmp_path):
    # Kafka Connect's task status (https://github.com/confluentinc/demo-scene/pull/58): the exception sits
    # in a `"trace"` field and its frames follow; it is the record's message, as a plain traceback's is.
    f = tmp_path / "connect.log"
    f.write_text(
        "        {\n"
        '            "id": 0,\n'
        '            "state": "FAILED",\n'
        '            "trace": "org.apache.kafka.connect.errors.ConnectException: Cannot read the binlog filename '
        "and position via 'SHOW MASTER STATUS'. Make sure your server is correctly configured\n"
        "            at io.debezium.connector.mysql.AbstractReader.wrap(AbstractReader.java: 230)\n"
        "            at io.debezium.connector.mysql.SnapshotReader.execute(SnapshotReader.java: 678)\n"
    )
    (r,) = read_file(f)
    assert r.message.strip() == ("{ | org.apache.kafka.connect.errors.ConnectException: Cannot read the binlog filename and "
                                 "position via 'SHOW MASTER STATUS'. Make sure your server is correctly configured")
    # Without frames, the object's words stay whole: a Step Functions error's "cause" says what its
    # "error" does not (https://github.com/awslabs/aws-deployment-framework/issues/460).
    g = tmp_path / "states.log"
    g.write_text(
        "{\n"
        '  "error": "Lambda.AWSLambdaException",\n'
        '  "cause": "User: arn:aws:sts::xxxx:assumed-role/serverlessrepo-aws-deploy-StateMachineExecutionRol '
        'is not authorized to perform: lambda:InvokeFunction"\n'
        "}\n"
    )
    assert "is not authorized to perform: lambda:InvokeFunction" in next(iter(read_file(g))).message


def test_a_traceback_closed_by_a_module_qualified_exception_names_it(tmp_path):
    # psycopg names its errors after SQLSTATE conditions, no `Error` in them; the corpus' procrastinate case
    # (https://github.com/procrastinate-org/procrastinate/issues/1358) pasted its traceback indented, so the
    # exception line is a continuation too. A frame (`main.run()`) or a plain word is no exception.
    f = tmp_path / "worker.log"
    f.write_text(
        "Traceback (most recent call last):\n"
        '   File "/app/venv/lib/python3.11/site-packages/psycopg/cursor_async.py", line 97, in execute\n'
        "     raise ex.with_traceback(None)\n"
        "     psycopg.errors.UndefinedFunction: function procrastinate_prune_stalled_workers_v1(double precision) "
        "does not exist\n"
        "     LINE 1: SELECT * FROM procrastinate_prune_stalled_workers_v1($1)\n"
    )
    (r,) = read_file(f)
    assert r.message == ("psycopg.errors.UndefinedFunction: function procrastinate_prune_stalled_workers_v1(double "
                         "precision) does not exist")
    g = tmp_path / "plain.log"
    g.write_text('Traceback (most recent call last):\n  File "/app/x.py", line 1, in <module>\n    main.run()\n')
    (r,) = read_file(g)
    assert r.message == "Traceback (most recent call last):"


@pytest.mark.parametrize("content,reason", [
    (b"", "file is empty"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)), "looks binary"),
    (b"\n\n   \n", "only blank lines"),
])
def test_bad_files_get_a_clear_reason(tmp_path, content, reason):
    f = tmp_path / "x.log"
    f.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        list(read_file(f))


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(read_file(tmp_path / "nope.log"))
    with pytest.raises(InputError, match="is a directory"):
        list(read_file(tmp_path))


def test_invalid_utf8_is_replaced_not_fatal(tmp_path):
    f = tmp_path / "x.log"
    f.write_bytes(b"2026-11-20T09:00:00Z ERROR caf\xe9 latin-1 bytes\n")
    (r,) = read_file(f)
    assert "caf\ufffd latin-1" in r.message


def test_a_10mb_single_line_is_cut_not_held(tmp_path):
    f = tmp_path / "huge.log"
    f.write_text("2026-11-20T09:00:00Z ERROR x: " + "A" * 10_000_000 + "\n2026-11-20T09:00:01Z INFO after\n")
    recs = list(read_file(f, max_line_chars=16_384))
    assert len(recs) == 2
    assert len(recs[0].message) == 16_384
    assert recs[1].message.endswith("INFO after")


def test_files_are_merged_by_time(tmp_path):
    a, b = tmp_path / "a.log", tmp_path / "b.log"
    a.write_text("2026-11-20T09:00:00Z INFO one\n2026-11-20T09:00:02Z INFO three\n")
    b.write_text("2026-11-20T09:00:01Z INFO two\n2026-11-20T09:00:03Z INFO four\n")
    assert [r.message.split()[-1] for r in read_files([a, b])] == ["one", "two", "three", "four"]


def test_a_syslog_file_gets_its_year_from_the_window_and_says_so(tmp_path):
    from datetime import UTC, datetime

    from doctor.digest import Redactor
    from doctor.sources.parallel import digest_files

    f = tmp_path / "auth.log"  # OpenSSH lines in rsyslog's RFC 3164 layout (Loghub OpenSSH)
    f.write_text("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n"
                 "Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from "
                 "173.234.31.186 port 38926 ssh2\n"
                 "Dec 10 07:02:47 LabSZ sshd[24203]: Connection closed by 212.47.254.145 [preauth]\n")
    end = datetime(2026, 12, 11, tzinfo=UTC)
    notes: list[str] = []
    recs = list(read_file(f, reference=end, notes=notes))
    assert [r.timestamp for r in recs] == [datetime(2026, 12, 10, 6, 55, 46, tzinfo=UTC),
                                           datetime(2026, 12, 10, 6, 55, 48, tzinfo=UTC),
                                           datetime(2026, 12, 10, 7, 2, 47, tzinfo=UTC)]
    assert len(notes) == 1 and "no year (took 2026" in notes[0] and "read as UTC" in notes[0]
    digest = digest_files([f], redactor=Redactor(), workers=1, until=end)
    assert notes[0] in digest.notes


def test_a_console_log_with_only_a_time_of_day_gets_its_date_from_the_window_and_says_so(tmp_path):
    from datetime import UTC, datetime

    from doctor.digest import Redactor
    from doctor.sources.parallel import digest_files

    # logback's console default, as Spring Boot's and Micronaut's starters print it
    # (github.com/micronaut-projects/micronaut-core/issues/758); before, such lines read as the epoch
    f = tmp_path / "api.log"
    lines = [f"09:{20 + i // 30:02d}:{(i * 2) % 60:02d}.424 [main] INFO  io.micronaut.runtime.Micronaut - heartbeat"
             for i in range(60)]
    lines += ["09:22:02.864 [kafka-1] ERROR o.a.k.c.n.Selector - Connection with broker/10.0.0.1 disconnected",
              "09:22:03.100 [kafka-1] ERROR o.a.k.c.n.Selector - Connection with broker/10.0.0.1 disconnected"]
    f.write_text("\n".join(lines) + "\n")
    end = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    notes: list[str] = []
    recs = list(read_file(f, reference=end, notes=notes))
    assert recs[0].timestamp == datetime(2026, 12, 3, 9, 20, 0, 424000, tzinfo=UTC)
    assert recs[-1].timestamp == datetime(2026, 12, 3, 9, 22, 3, 100000, tzinfo=UTC)
    assert len(notes) == 1 and "no date (took 2026-12-03" in notes[0]
    digest = digest_files([f], redactor=Redactor(), workers=1, until=end)
    assert notes[0] in digest.notes
    errors = [t for t in digest.ranked() if t.level == "ERROR"]
    assert len(errors) == 1 and errors[0].count == 2 and errors[0].first_seen.year == 2026


def test_lines_before_the_first_timestamp_take_it_and_the_digest_says_so(tmp_path):
    from datetime import UTC, datetime

    from doctor.digest import Redactor
    from doctor.sources.file import UNDATED_NOTE
    from doctor.sources.parallel import digest_files

    # Celery's structlog line without a time, then its own timed line (github.com/apache/airflow/pull/58869). Dated
    # by the epoch, the first line stretched the window from 1970 and its minute held no incident.
    f = tmp_path / "worker.log"
    f.write_text("[error] Timed out waiting for UP message from <ForkProcess(ForkPoolWorker-2, started daemon)> "
                 "[celery.concurrency.asynpool] loc=asynpool.py:631\n"
                 "[2026-01-29 15:56:58,818: ERROR/MainProcess] Process 'ForkPoolWorker-2' pid:18 exited with "
                 "'signal 9 (SIGKILL)'\n")
    notes: list[str] = []
    recs = list(read_file(f, notes=notes))
    when = datetime(2026, 1, 29, 15, 56, 58, 818000, tzinfo=UTC)
    assert [r.timestamp for r in recs] == [when, when]
    assert UNDATED_NOTE in notes
    digest = digest_files([f], redactor=Redactor(), workers=1)
    assert digest.window_start == when and UNDATED_NOTE in digest.notes

    # A file with no time at all keeps the epoch and says nothing of a timestamp it never had.
    g = tmp_path / "events.txt"
    g.write_text("Warning  BackOff  pod/web  Back-off restarting failed container\n")
    notes = []
    assert [r.timestamp.year for r in read_file(g, notes=notes)] == [1970] and notes == []


def test_journald_json_export_gives_time_level_and_the_program_s_own_line(tmp_path):
    from doctor.digest import Redactor
    from doctor.sources.parallel import digest_files

    # A GKE node's kubelet record as journald holds it (its fields and MESSAGE verbatim as Cloud Logging showed them,
    # github.com/googleforgames/global-multiplayer-demo/issues/161), on one line as `journalctl -o json` prints it;
    # `__REALTIME_TIMESTAMP` (microseconds, systemd.journal-fields(7)) set to the time klog's own header names.
    # The paste's MESSAGE ends in an escaped quote with no closing one: closed here, its text unchanged.
    message = json.loads('"E0325 18:59:44.857798    1790 pod_workers.go:951] \\"Error syncing pod, skipping\\" err=\\"failed to \\\\\\"StartContainer\\\\\\" for \\\\\\"droidshooter\\\\\\" with ImagePullBackOff: \\\\\\"Back-off pulling image \\\\\\\\\\\\\\"us-docker.pkg.dev/alexbu-gke-dev/global-game-images/droidshooter-server:b40b146a-8390-4569-abd7-abd5c509b1ec\\\\\\\\\\\\\\"\\\\\\"\\" pod=\\"default/droidshooter-bzlbw-qpjqv\\" podUID=8d5da6d4-68d1-4c84-85d2-8407a9581739\\"' + '"')
    kubelet = json.dumps({"__REALTIME_TIMESTAMP": "1711393184857798", "_GID": "0", "PRIORITY": "6", "_PID": "1790",
                          "SYSLOG_IDENTIFIER": "kubelet", "_SYSTEMD_UNIT": "kubelet.service", "_TRANSPORT": "stdout",
                          "_COMM": "kubelet", "MESSAGE": message})
    stopped = json.dumps({**json.loads(kubelet), "PRIORITY": "3", "MESSAGE": "Stopped kubelet: The Kubernetes Node Agent."})
    f = tmp_path / "journal.json"
    f.write_text(kubelet + "\n" + stopped + "\n")
    first, _ = read_file(f)
    assert first.timestamp == datetime(2024, 3, 25, 18, 59, 44, 857798, tzinfo=UTC)
    digest = digest_files([f], redactor=Redactor(), workers=1)
    texts = {t.text: t.level for t in digest.templates}
    # klog's own `E` outranks the stdout stream's priority 6, and its header is set aside; a line with no level of its
    # own takes its priority's (3, an error)
    (synced,) = [t for t in texts if "Error syncing pod" in t]
    assert texts[synced] == "ERROR" and synced.startswith('"Error syncing pod, skipping"')
    assert texts["Stopped kubelet: The Kubernetes Node Agent."] == "ERROR"


def test_a_time_of_digits_in_a_string_is_an_epoch_only_with_an_epoch_s_length(tmp_path):
    # journald's "__REALTIME_TIMESTAMP" is sixteen digits in a string; fourteen are a compact date and time
    f = tmp_path / "app.json"
    f.write_text('{"time":"20240115102345","level":"error","msg":"x failed"}\n'
                 '{"time":"1705314225","level":"error","msg":"y failed"}\n')
    first, second = read_file(f)
    assert first.timestamp == second.timestamp == datetime(2024, 1, 15, 10, 23, 45, tzinfo=UTC)


def test_stern_s_pod_and_container_before_a_json_record_are_header(tmp_path):
    from doctor.digest import Redactor
    from doctor.sources.parallel import digest_files

    # stern's output, verbatim (github.com/keikoproj/upgrade-manager/issues/142, github.com/apache/camel-k/issues/6787)
    f = tmp_path / "stern.log"
    f.write_text(
        'upgrade-manager-6d766d9cf-6fwbh rolling-upgrade-controller {"level":"info","msg":"retryable: Throttling: '
        'Rate exceeded\\n\\tstatus code: 400, request id: d9579df0-b008-4113-83ce-bfa01da170dd -- '
        'autoscaling/DescribeAutoScalingGroups, will retry after 6.731775866s","time":"2020-11-14T18:49:09Z"}\n'
        'camel-k-operator-6c9d9ddf9c-p8pqj camel-k-operator {"level":"info","ts":"2026-08-27T06:59:12Z",'
        '"logger":"camel-k.controller.integration","msg":"Integration error","request-namespace":"default"}\n')
    first, second = read_file(f)
    assert first.timestamp == datetime(2020, 11, 14, 18, 49, 9, tzinfo=UTC)
    assert second.timestamp == datetime(2026, 8, 27, 6, 59, 12, tzinfo=UTC)
    texts = sorted(t.text for t in digest_files([f], redactor=Redactor(), workers=1).templates)
    assert texts[0] == "Integration error" and texts[1].startswith("retryable: Throttling: Rate exceeded")


@pytest.mark.parametrize("value,expected", [
    (1705314225123456, datetime(2024, 1, 15, 10, 23, 45, 123456, tzinfo=UTC)),  # microseconds
    (1705314225123456789, datetime(2024, 1, 15, 10, 23, 45, 123457, tzinfo=UTC)),  # zerolog's UnixNano
    (1705314225123, datetime(2024, 1, 15, 10, 23, 45, 123000, tzinfo=UTC)),  # milliseconds
])
def test_an_epoch_in_any_unit_is_read_and_an_impossible_one_fails_nothing(tmp_path, value, expected):
    f = tmp_path / "app.json"
    f.write_text(f'{{"ts":{value},"level":"error","msg":"x failed"}}\n{{"ts":123456789012345678901234,"level":"error","msg":"y"}}\n')
    first, second = read_file(f)
    assert first.timestamp == expected
    assert second.timestamp == expected  # no clock gives 1e23: the line keeps the time before it


def test_mixed_formats_in_one_file_each_keep_their_time(tmp_path):
    f = tmp_path / "mixed.log"
    f.write_text('10.40.1.2 - - [20/Nov/2026:09:00:01 +0000] "GET /positions HTTP/1.1" 200 512 "-" "curl/8.5.0"\n'
                 "2026-11-20 09:00:02.123 UTC [4242] LOG:  checkpoint complete\n"
                 '10.40.1.3 - - [20/Nov/2026:09:00:03 +0000] "GET /orders HTTP/1.1" 500 17 "-" "curl/8.5.0"\n'
                 "I1120 09:00:04.000000       1 main.go:42] leader elected\n")
    assert [r.timestamp.second for r in read_file(f)] == [1, 2, 3, 4]
