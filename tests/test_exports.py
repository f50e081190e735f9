"""Logs exported as one JSON document (a cloud CLI's or API's output) are read event by event, through the same
reading as a JSON line; anything else stays a file of lines."""

import json
from datetime import UTC, datetime

import pytest

from doctor.digest import Redactor
from doctor.errors import InputError
from doctor.sources import exports
from doctor.sources.file import read_file, record_boundaries, time_range_offsets
from doctor.sources.parallel import digest_files

# Lines from the public corpus, put in the shapes the exporters document: a Lambda's timeout
# (github.com/praetorian-inc/chariot-ui/issues/166) and PostgreSQL's refusal to start
# (github.com/FusionAuth/fusionauth-containers/issues/82).
TIMEOUT = "2024-06-25T19:22:58.186Z  Task timed out after 30.27 seconds"
FATAL = "2022-07-18 08:30:07.657 UTC [1] FATAL:  database files are incompatible with server"


def _templates(path):
    return {t.text: t.level for t in digest_files([path], redactor=Redactor(), workers=1).templates}


def test_aws_cli_filter_log_events_output_is_read_event_by_event(tmp_path):
    # `aws logs filter-log-events` prints its events pretty-printed under "events" (the CLI reference's example shape)
    doc = {"events": [{"logStreamName": "2024/06/25/[$LATEST]5f2a", "timestamp": 1719343378186, "message": TIMEOUT,
                       "ingestionTime": 1719343379000, "eventId": "3792457923457923457923457923457923457923"},
                      {"logStreamName": "db", "timestamp": 1658133007657, "message": FATAL,
                       "ingestionTime": 1658133008000, "eventId": "3792457923457923457923457923457923457924"}],
           "searchedLogStreams": []}
    f = tmp_path / "events.json"
    f.write_text(json.dumps(doc, indent=4))
    first, second = read_file(f)
    assert first.timestamp == datetime(2024, 6, 25, 19, 22, 58, 186000, tzinfo=UTC)
    assert second.timestamp == datetime(2022, 7, 18, 8, 30, 7, 657000, tzinfo=UTC)
    templates = _templates(f)
    # each message is a whole line: its own header is set aside, its own level read, no bookkeeping shown
    assert templates["database files are incompatible with server"] == "CRITICAL"
    assert any(t.startswith("Task timed out after") for t in templates)
    assert "eventId" not in first.message and "ingestionTime" not in first.message
    # one document has no record boundaries to cut it at, nor lines to bisect by time
    assert record_boundaries(f, 4) == [0, f.stat().st_size]
    assert time_range_offsets(f, first.timestamp, second.timestamp) == (0, f.stat().st_size)


def test_a_gzipped_export_is_read_as_its_events(tmp_path):
    import gzip

    f = tmp_path / "events.json.gz"
    with gzip.open(f, "wt") as fh:
        fh.write(json.dumps({"events": [{"timestamp": 1658133007657, "message": FATAL, "logStreamName": "db"}]},
                            indent=2))
    (event,) = read_file(f)
    assert event.timestamp == datetime(2022, 7, 18, 8, 30, 7, 657000, tzinfo=UTC) and FATAL in event.message


def test_a_cloud_logging_entry_as_the_console_copies_it(tmp_path):
    # verbatim from the corpus (github.com/googleapis/google-cloud-php/issues/3289)
    f = tmp_path / "entry.json"
    f.write_text("""{
  "textPayload": "Message: Client error: `POST https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/abstract-key-xxxxxx@appspot.gserviceaccount.com:signBlob?alt=json` resulted in a `403 Forbidden` response:",
  "insertId": "xxxxxx",
  "resource": {
    "type": "gae_app",
    "labels": {
      "module_id": "default",
      "version_id": "20200811t133023",
      "zone": "australia-southeast1-1",
      "project_id": "xxxxxx"
    }
  },
  "timestamp": "2020-08-11T09:13:09.844868Z",
  "labels": {
    "clone_id": "xxxxxx"
  },
  "logName": "projects/xxxxxx/logs/stderr",
  "receiveTimestamp": "2020-08-11T09:13:10.178345276Z"
}
""")
    (entry,) = read_file(f)
    assert entry.timestamp == datetime(2020, 8, 11, 9, 13, 9, 844868, tzinfo=UTC)
    assert "403 Forbidden" in entry.message and "receiveTimestamp" not in entry.message


def test_gcloud_kubectl_loki_and_insights_shapes(tmp_path):
    shapes = {
        # `gcloud logging read --format=json`: a list of entries, a structured payload's keys the line's own
        "gcloud.json": [{"jsonPayload": {"message": FATAL.split("FATAL:  ")[1]}, "severity": "CRITICAL",
                         "timestamp": "2022-07-18T08:30:07.657Z", "logName": "projects/p/logs/stdout"}],
        # `kubectl get events -o json`: a Warning event is a warning, named by its reason and object
        "kubectl.json": {"kind": "List", "items": [{
            "kind": "Event", "type": "Warning", "reason": "BackOff", "lastTimestamp": "2022-07-18T08:30:07Z",
            "involvedObject": {"kind": "Pod", "name": "fusionauth-db-1"},
            "message": "Back-off restarting failed container"}]},
        # Loki's query_range response: nanosecond times, each line read with its own header
        "loki.json": {"status": "success", "data": {"resultType": "streams", "result": [
            {"stream": {"app": "db"}, "values": [["1658133007657000000", FATAL]]}]}},
        # a CloudWatch subscription's payload (what Firehose or a Lambda subscriber receives, decompressed)
        "subscription.json": {"messageType": "DATA_MESSAGE", "logGroup": "/aws/rds/db", "logStream": "db",
                              "logEvents": [{"id": "3792457923457923457923", "timestamp": 1658133007657,
                                             "message": FATAL}]},
        # an Elasticsearch or OpenSearch search response: each hit's _source is the record
        "search.json": {"took": 3, "hits": {"total": {"value": 1}, "hits": [
            {"_index": "logs", "_id": "a1", "_source": {"@timestamp": "2022-07-18T08:30:07.657Z", "level": "error",
                                                       "message": "database files are incompatible with server"}}]}},
        # Logs Insights' get-query-results: rows of fields
        "insights.json": {"status": "Complete", "results": [[
            {"field": "@timestamp", "value": "2024-06-25 19:22:58.186"}, {"field": "@message", "value": TIMEOUT},
            {"field": "@ptr", "value": "CmAKJwojNTI4"}]]},
    }
    expected = {"gcloud.json": ("database files are incompatible with server", "CRITICAL"),
                "kubectl.json": ("BackOff <*> Back-off restarting failed container", "WARNING"),  # the object a variable
                "loki.json": ("database files are incompatible with server", "CRITICAL"),
                "subscription.json": ("database files are incompatible with server", "CRITICAL"),
                "search.json": ("database files are incompatible with server", "ERROR"),
                "insights.json": (None, None)}
    for name, doc in shapes.items():
        f = tmp_path / name
        f.write_text(json.dumps(doc, indent=2))
        (record,) = read_file(f)
        assert record.timestamp.year in (2022, 2024), name
        text, level = expected[name]
        if text is not None:
            assert _templates(f).get(text) == level, (name, _templates(f))
    assert any(t.startswith("Task timed out after") for t in _templates(tmp_path / "insights.json"))


def test_gcloud_logging_read_s_default_yaml_is_read_entry_by_entry(tmp_path):
    # `gcloud logging read`'s default output: each LogEntry a YAML document after `---` (the entry of
    # github.com/googleapis/google-cloud-php/issues/3289, as the CLI prints it), then a structured one
    f = tmp_path / "run.yaml"
    f.write_text("""---
insertId: xxxxxx
labels:
  clone_id: xxxxxx
logName: projects/xxxxxx/logs/stderr
receiveTimestamp: '2020-08-11T09:13:10.178345276Z'
resource:
  labels:
    module_id: default
    project_id: xxxxxx
    version_id: 20200811t133023
    zone: australia-southeast1-1
  type: gae_app
textPayload: 'Message: Client error: `POST https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/abstract-key-xxxxxx@appspot.gserviceaccount.com:signBlob?alt=json`
  resulted in a `403 Forbidden` response:'
timestamp: '2020-08-11T09:13:09.844868Z'
---
insertId: yyyyyy
jsonPayload:
  message: request served
logName: projects/xxxxxx/logs/stdout
severity: INFO
timestamp: 2020-08-11T09:13:11.5Z
""")
    first, second = read_file(f)
    assert first.timestamp == datetime(2020, 8, 11, 9, 13, 9, 844868, tzinfo=UTC)
    assert second.timestamp == datetime(2020, 8, 11, 9, 13, 11, 500000, tzinfo=UTC)  # unquoted: a YAML datetime
    assert "403 Forbidden" in first.message and first.labels["service"] == "run"
    assert _templates(f)["request served"] == "INFO"


def test_insights_results_downloaded_as_csv(tmp_path):
    # the console's "Download table (CSV)": `@` fields, quoted where a value holds commas, quotes or tabs
    f = tmp_path / "insights.csv"
    f.write_text('@timestamp,@message,@logStream\n'
                 f'2024-06-25 19:22:58.186,"{TIMEOUT}",2024/06/25/[$LATEST]5f2a\n'
                 '2022-07-18 08:30:07.657,"{""level"":""fatal"",""msg"":""database files are incompatible with '
                 'server""}",db\n')
    first, second = read_file(f)
    assert first.timestamp == datetime(2024, 6, 25, 19, 22, 58, 186000, tzinfo=UTC)
    assert first.labels["service"] == "insights"
    assert _templates(f)["database files are incompatible with server"] == "CRITICAL"


@pytest.mark.parametrize("name,content", [
    # Datadog's log explorer export: the level under Status, the message alone
    ("datadog.csv", "Date,Host,Service,Status,Message\n"
                    "2022-07-18T08:30:07.657Z,db-1,db,error,database files are incompatible with server\n"),
    # Splunk's CSV export: the whole line under _raw, its header read from it
    ("splunk.csv", f'"_time","_raw","host"\n"2022-07-18T08:30:07.657+0000","{FATAL}","db-1"\n'),
    # Splunk's JSON export: one `result` object a line
    ("splunk.json", json.dumps({"preview": False, "offset": 0, "result": {
        "_raw": FATAL, "_time": "2022-07-18T08:30:07.657+00:00", "host": "db-1"}}) + "\n"),
])
def test_other_searches_exports_csv_and_splunk(tmp_path, name, content):
    f = tmp_path / name
    f.write_text(content)
    (event,) = read_file(f)
    assert event.timestamp == datetime(2022, 7, 18, 8, 30, 7, 657000, tzinfo=UTC)
    assert _templates(f).get("database files are incompatible with server") in ("ERROR", "CRITICAL")


def test_windows_event_viewer_s_csv_with_its_unnamed_description(tmp_path):
    # Event Viewer's "Save All Events As… (CSV)": five named columns, the description after them; newest first
    f = tmp_path / "application.csv"
    f.write_text("Level,Date and Time,Source,Event ID,Task Category\n"
                 'Error,1/15/2024 10:23:45 AM,Application Error,1000,(100),"Faulting application name: w3wp.exe, '
                 'version: 10.0.17763.1, time stamp: 0xcfdb13d8"\n'
                 "Information,1/15/2024 10:23:40 AM,Service Control Manager,7036,None,The World Wide Web Publishing "
                 "Service service entered the running state.\n")
    error, info = read_file(f)
    assert error.timestamp == datetime(2024, 1, 15, 10, 23, 45, tzinfo=UTC)
    levels = set(_templates(f).values())
    assert levels == {"ERROR", "INFO"} and "Faulting application name" in error.message


def test_yaml_with_aliases_is_no_export(tmp_path):
    # an alias nested in aliases would expand exponentially once written out: the file is read as lines instead
    bomb = ('---\nlogName: x\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
            "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\ntextPayload: boom\n")
    assert exports.opens_document(bomb) and exports.read_document(bomb) is None
    f = tmp_path / "bomb.yaml"
    f.write_text(bomb)
    assert 1 <= len(list(read_file(f))) <= bomb.count("\n")


@pytest.mark.parametrize("content", [
    "[2024-01-15 10:23:45] ERROR db pool exhausted\n[2024-01-15 10:23:46] INFO retry\n",  # a text log opening with [
    '{"level":"error","msg":"db pool exhausted"}\n{"level":"info","msg":"retry"}\n',  # JSON lines
    '{\n  "error": "db pool exhausted",\n  "status": 500\n}\n',  # a pretty-printed object that is no export
])
def test_anything_else_stays_a_file_of_lines(tmp_path, content):
    f = tmp_path / "app.log"
    f.write_text(content)
    lines = [line for line in content.splitlines() if line.strip()]
    records = list(read_file(f))
    assert "db pool exhausted" in records[0].message
    # lines are folded into records as before: each line once, nothing added
    assert sum(r.message.count("db pool exhausted") for r in records) == 1
    assert len(records) <= len(lines)


def test_a_document_too_large_to_hold_is_refused_with_the_way_out(tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "MAX_DOCUMENT_BYTES", 1024)
    f = tmp_path / "big.json"
    f.write_text(json.dumps({"events": [{"timestamp": 1719343378186, "message": TIMEOUT}] * 100}, indent=2))
    with pytest.raises(InputError, match="JSON lines instead"):
        list(read_file(f))


def test_opens_document_judges_the_first_lines_only():
    assert exports.opens_document("[\n  {")
    assert exports.opens_document('{\n  "events": [')
    assert exports.opens_document('[{"timestamp": 1, "message": "a"}]')
    assert not exports.opens_document("[2024-01-15 10:23:45] ERROR x\n")
    assert not exports.opens_document('{"msg": "a"}\n{"msg": "b"}\n')
    assert not exports.opens_document('{"msg": "a cut record\n{"msg": "b"}\n')  # a JSON-lines file's cut first line


@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000, "---\nlogName: x\na:\n" + "  - " * 3000 + "x\n"])
def test_a_document_nested_deeper_than_a_parser_s_stack_is_read_as_lines(tmp_path, content):
    # json and PyYAML recurse per level: a hostile export nested 100,000 deep must cost its reading, not the process
    assert exports.read_document(content) is None
    f = tmp_path / "deep.json"
    f.write_text(content)
    assert list(read_file(f))  # read as lines, kept whole


def test_a_loki_line_nested_too_deeply_is_kept_as_it_is():
    from doctor.sources.loki import parse_line

    line = '{"message": ' + "[" * 5000 + "]" * 5000 + "}"
    assert parse_line(line) == (line, None)

