import asyncio
import json
import uuid
from datetime import timedelta

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from doctor.sources import Limits, Selector, Window
from doctor.sources.cloudwatch import CloudWatchSource
from doctor.sources.collect import collect

from .conftest import recent_t0

T0 = recent_t0()  # written to moto's CloudWatch, which keeps 14 days: never a fixed date
REGION = "ap-northeast-2"


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def _client(url):
    return boto3.client("logs", region_name=REGION, endpoint_url=url)


def _seed(url, group, messages_at):
    """messages_at: list of (seconds after T0, message)."""
    logs = _client(url)
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="task/1")
    events = [{"timestamp": int((T0 + timedelta(seconds=s)).timestamp() * 1000), "message": m} for s, m in messages_at]
    for i in range(0, len(events), 10_000):
        logs.put_log_events(logGroupName=group, logStreamName="task/1", logEvents=events[i:i + 10_000])
    return group


def _fetch_all(source, selector, window=None, limits=Limits(deadline_s=30)):
    window = window or Window(T0, T0 + timedelta(hours=2))
    got = []
    reports = asyncio.run(collect([(source, selector)], window, limits, got.append))
    # The collector reads a window in slices, newest first; within a slice the source's own order stands.
    return sorted(got, key=lambda r: r.timestamp), reports[0]


def test_pagination_across_pages_in_time_order(moto_url):
    group = _seed(moto_url, f"/ecs/patient/{uuid.uuid4().hex[:8]}", [(i * 0.2, f"tick {i}") for i in range(23_456)])
    got, report = _fetch_all(CloudWatchSource(region=REGION, endpoint_url=moto_url),
                             Selector("collector", logs={"cloudwatch": (group,)}))
    assert report.outcome == "complete" and report.lines == 23_456
    assert [r.message for r in got[:3]] == ["tick 0", "tick 1", "tick 2"]
    assert got[-1].message == "tick 23455"
    assert all(a.timestamp <= b.timestamp for a, b in zip(got, got[1:]))
    assert got[0].labels == {"service": "collector", "log_group": group, "log_stream": "task/1"}
    assert got[0].source == "cloudwatch"


def test_window_and_filter_pattern(moto_url):
    group = _seed(moto_url, f"/ecs/patient/{uuid.uuid4().hex[:8]}",
                  [(60 * m, f"{'ERROR' if m % 2 else 'INFO'} minute {m}") for m in range(60)])
    window = Window(T0 + timedelta(minutes=10), T0 + timedelta(minutes=20))
    got, _ = _fetch_all(CloudWatchSource(region=REGION, endpoint_url=moto_url),
                        Selector("x", logs={"cloudwatch": (group,)}), window)
    assert [r.message for r in got] == [f"{'ERROR' if m % 2 else 'INFO'} minute {m}" for m in range(10, 20)]
    got, _ = _fetch_all(CloudWatchSource(region=REGION, endpoint_url=moto_url),
                        Selector("x", logs={"cloudwatch": (group,)}, query="ERROR"), window)
    assert [r.message for r in got] == [f"ERROR minute {m}" for m in range(11, 20, 2)]


def test_several_groups_are_merged_by_time(moto_url):
    a = _seed(moto_url, f"/a/{uuid.uuid4().hex[:8]}", [(s, f"a{s}") for s in range(0, 100, 2)])
    b = _seed(moto_url, f"/b/{uuid.uuid4().hex[:8]}", [(s, f"b{s}") for s in range(1, 100, 2)])
    from doctor.sources import jobs_for

    source = CloudWatchSource(region=REGION, endpoint_url=moto_url)
    jobs = jobs_for({"cloudwatch": source}, [Selector("svc", logs={"cloudwatch": (a, b)})])
    assert len(jobs) == 2
    got = []
    asyncio.run(collect(jobs, Window(T0, T0 + timedelta(hours=1)), Limits(), got.append))
    got.sort(key=lambda r: r.timestamp)  # the digest takes records in any order; by time, none is missing
    assert [r.message for r in got] == [f"{'a' if s % 2 == 0 else 'b'}{s}" for s in range(100)]


def test_aws_endpoint_url_is_honoured(moto_url, monkeypatch):
    group = _seed(moto_url, f"/env/{uuid.uuid4().hex[:8]}", [(1, "hello")])
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    got, report = _fetch_all(CloudWatchSource(region=REGION), Selector("x", logs={"cloudwatch": (group,)}))
    assert [r.message for r in got] == ["hello"] and report.outcome == "complete"


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_):
        yield self.body


def _inject(client, code, status, times):
    """Answer the next `times` FilterLogEvents calls with an AWS error, through botocore's own event hook."""
    calls = {"n": 0}

    def before_send(request, **_):
        if request.headers.get("X-Amz-Target", b"").endswith(b"FilterLogEvents") and calls["n"] < times:
            calls["n"] += 1
            body = json.dumps({"__type": code, "message": f"{code} injected by the test"}).encode()
            return AWSResponse(request.url, status, {"Content-Type": "application/x-amz-json-1.1"}, _Raw(body))
        return None

    client.meta.events.register("before-send.cloudwatch-logs", before_send)
    return calls


def test_throttling_is_retried_until_it_passes(moto_url):
    group = _seed(moto_url, f"/t/{uuid.uuid4().hex[:8]}", [(s, f"line {s}") for s in range(50)])
    client = _client(moto_url)
    calls = _inject(client, "ThrottlingException", 400, times=6)
    source = CloudWatchSource(client=client, backoff_base_s=0.01, backoff_cap_s=0.05)
    got, report = _fetch_all(source, Selector("x", logs={"cloudwatch": (group,)}))
    assert calls["n"] == 6
    assert report.outcome == "complete" and len(got) == 50


def test_access_denied_says_which_group(moto_url):
    group = _seed(moto_url, f"/d/{uuid.uuid4().hex[:8]}", [(1, "secret stuff")])
    client = _client(moto_url)
    _inject(client, "AccessDeniedException", 400, times=99)
    got, report = _fetch_all(CloudWatchSource(client=client), Selector("x", logs={"cloudwatch": (group,)}))
    assert got == [] and report.outcome == "failed"
    assert report.detail.startswith(f"the doctor's role cannot read log group {group}")


def test_missing_group_is_named(moto_url):
    got, report = _fetch_all(CloudWatchSource(region=REGION, endpoint_url=moto_url),
                             Selector("x", logs={"cloudwatch": ("/does/not/exist",)}))
    assert report.outcome == "failed" and "/does/not/exist does not exist" in report.detail


def test_health_lists_visible_groups(moto_url):
    group = _seed(moto_url, f"/h/{uuid.uuid4().hex[:8]}", [(1, "x")])
    health = asyncio.run(CloudWatchSource(region=REGION, endpoint_url=moto_url).health())
    assert health.ok and group in health.reachable


def _row(ts, msg):
    return [{"field": "@timestamp", "value": ts}, {"field": "@message", "value": msg},
            {"field": "@logStream", "value": "task/1"}, {"field": "@log", "value": "123456789012:/ecs/patient/executor"}]


def test_insights_polls_with_backoff_retries_limit_exceeded_and_pages(monkeypatch):
    client = boto3.client("logs", region_name=REGION)
    sleeps = []
    real_sleep = asyncio.sleep
    monkeypatch.setattr(asyncio, "sleep", lambda d: sleeps.append(d) or real_sleep(0))
    with Stubber(client) as stub:
        stub.add_client_error("start_query", "LimitExceededException", "too many concurrent queries", 400)
        stub.add_response("start_query", {"queryId": "q1"})
        stub.add_response("get_query_results", {"status": "Scheduled", "results": []}, {"queryId": "q1"})
        stub.add_response("get_query_results", {"status": "Running", "results": []}, {"queryId": "q1"})
        stub.add_response("get_query_results", {"status": "Complete", "nextToken": "p2", "results": [
            _row(f"{T0:%Y-%m-%d} 09:00:02.000", "second"), _row(f"{T0:%Y-%m-%d} 09:00:01.000", "first")]}, {"queryId": "q1"})
        stub.add_response("get_query_results", {"status": "Complete", "results": [
            _row(f"{T0:%Y-%m-%d} 09:00:03.500", "third")]}, {"queryId": "q1", "nextToken": "p2"})
        got, report = _fetch_all(CloudWatchSource(client=client, backoff_base_s=0.01),
                                 Selector("executor", logs={"cloudwatch": ("/ecs/patient/executor",)},
                                          insights_query="fields @timestamp, @message | filter @message like /ERROR/"))
        stub.assert_no_pending_responses()
    assert [r.message for r in got] == ["first", "second", "third"]
    assert report.outcome == "complete"
    polls = sleeps[1:]  # the first sleep is the LimitExceeded backoff
    assert polls == sorted(polls) and polls[0] < polls[-1]


def test_insights_is_stopped_when_the_deadline_passes(moto_url):
    group = _seed(moto_url, f"/i/{uuid.uuid4().hex[:8]}", [(1, "x")])
    client = _client(moto_url)
    seen = []

    def before_send(request, **_):
        target = request.headers.get("X-Amz-Target", b"").decode()
        seen.append(target.rsplit(".", 1)[-1])
        if target.endswith("GetQueryResults"):  # a query that never finishes
            body = json.dumps({"status": "Running", "results": []}).encode()
            return AWSResponse(request.url, 200, {"Content-Type": "application/x-amz-json-1.1"}, _Raw(body))
        return None  # StartQuery and StopQuery reach moto

    client.meta.events.register("before-send.cloudwatch-logs", before_send)
    got, report = _fetch_all(CloudWatchSource(client=client),
                             Selector("x", logs={"cloudwatch": (group,)}, insights_query="fields @message"),
                             limits=Limits(deadline_s=0.8))
    assert report.outcome == "timed_out" and got == []
    assert seen[0] == "StartQuery" and seen.count("GetQueryResults") >= 2
    assert seen[-1] == "StopQuery"
