"""A service's platform is part of its analysis (issue #16, item 7): the service map names the platform
streams of a service (its ECS events, its database, its load balancer), and an analysis of the service
reads them too, narrowed to the lines about it, marked in the digest, through every source."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from doctor import pipeline
from doctor.config import MAX_MATCH_CHARS, Settings
from doctor.models import LogRecord
from doctor.sources import Selector, Window, platform_streams, selectors
from doctor.sources.cloudwatch import platform_pattern
from doctor.sources.loki import logql
from patient_app import logs
from patient_app.simulate import MINUTES, recent_start, write_window

from .conftest import REPO, recent_t0
from .fakes.loki_server import FakeLoki

# An Application Load Balancer access log entry, verbatim from the AWS documentation ("Example HTTP entry"):
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html
ALB_LINE = ('http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 '
            '0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - '
            'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 '
            '"Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" '
            '"10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90')


# -- the map -----------------------------------------------------------------------------------------

def test_the_patients_services_name_their_platform():
    s = Settings()
    assert [link.stream for link in s.services["executor"].platform] == ["ecs-events", "postgres"]
    ecs = s.services["ecs-events"]
    link = s.services["executor"].platform[0]
    assert ecs.matches_for(link, "executor") == ("(service executor)", '"service:executor"')
    assert s.services["postgres"].matches_for(s.services["executor"].platform[1], "executor") == ()


def test_platform_links_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DOCTOR_SERVICES", """{
        "web": {"file": "web.log", "platform": ["db", {"stream": "alb", "match": ["targetgroup/web-{service}/"]}]},
        "db": {"file": "db.log"},
        "alb": {"loki": "{job=\\"alb\\"}", "match": ["never used: the link says"]}
    }""")
    s = Settings()
    web = s.services["web"]
    assert [(link.stream, link.match) for link in web.platform] == [("db", None), ("alb", ["targetgroup/web-{service}/"])]
    assert s.services["alb"].matches_for(web.platform[1], "web") == ("targetgroup/web-web/",)


@pytest.mark.parametrize("services, error", [
    ({"web": {"platform": ["nowhere"]}}, "platform stream 'nowhere' is not another entry"),
    ({"web": {"platform": ["web"]}}, "platform stream 'web' is not another entry"),
    ({"web": {"platform": [{"stream": "db", "match": ["x" * (MAX_MATCH_CHARS + 1)]}]}, "db": {}},
     f"1 to {MAX_MATCH_CHARS} characters"),
    ({"web": {}, "db": {"match": [""]}}, "1 to"),
    ({"web": {}, "db": {"match": [str(i) for i in range(9)]}}, "at most 8"),
])
def test_a_bad_platform_link_is_a_clear_error(services, error):
    with pytest.raises(ValidationError, match=error.replace("(", r"\(")):
        Settings(services=services)


def test_a_shared_stream_is_read_once_and_a_stream_analysed_itself_not_again():
    s = Settings()
    sels = platform_streams(s, ["executor", "strategy"])
    assert [sel.service for sel in sels] == ["ecs-events", "postgres"]
    ecs, pg = sels
    assert ecs.platform_for == (("executor", ("(service executor)", '"service:executor"')),
                                ("strategy", ("(service strategy)", '"service:strategy"')))
    assert ecs.logs == {"cloudwatch": ("/aws/events/ecs/patient",), "loki": '{service="ecs-events"}'}
    assert pg.platform_for == (("executor", ()), ("strategy", ())) and pg.line_filter() == ()
    # postgres analysed as a service of its own is read whole, once, with the user's query.
    all_sels = selectors(s, ["executor", "postgres"], query="FATAL")
    assert [(x.service, x.query, bool(x.platform_for)) for x in all_sels] == [
        ("executor", "FATAL", False), ("postgres", "FATAL", False), ("ecs-events", None, True)]


def test_sources_narrow_a_platform_read_to_the_services_lines():
    ecs = platform_streams(Settings(), ["executor"])[0]
    assert logql(ecs) == '{service="ecs-events"} |~ "\\\\(service\\\\ executor\\\\)|\\"service:executor\\""'
    assert platform_pattern(ecs.line_filter()) == '?"(service executor)" ?"service:executor"'
    one = Selector(service="alb", logs={"loki": '{job="alb"}'}, platform_for=(("web", ("targetgroup/web/",)),))
    assert logql(one) == '{job="alb"} |= "targetgroup/web/"' and platform_pattern(one.line_filter()) == '"targetgroup/web/"'


def test_a_platform_page_keeps_and_marks_the_lines_of_its_services():
    ecs = platform_streams(Settings(), ["executor", "strategy"])[0]
    labels = {"service": "ecs-events", "log_group": "/aws/events/ecs/patient"}
    at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    page = [LogRecord(at, "cloudwatch", text, labels) for text in (
        "(service executor) (task 0f3c) stopped: OutOfMemoryError: Container killed due to memory usage",
        "(service dashboard) has started 1 tasks: (task 9a1b).",
        '{"detail-type":"ECS Task State Change","detail":{"group":"service:strategy","lastStatus":"STOPPED"}}',
        "(service executor-v2) has started 1 tasks: (task 77aa).",
    )]
    kept = ecs.platform_page(page)
    assert [r.labels["service"] for r in kept] == ["ecs-events via executor", "ecs-events via strategy"]
    assert kept[0].labels["log_group"] == "/aws/events/ecs/patient" and labels["service"] == "ecs-events"


# -- an analysis of one service, through every source ---------------------------------------------------

def _analyse(settings: Settings, service: str, start: datetime):
    window = Window(start, start + timedelta(minutes=MINUTES))
    digest, reports = asyncio.run(pipeline.fetch_digest(settings=settings, services=[service], window=window))
    # Every stream is read whole, but for an ECS events log group a window without ECS events never created.
    assert not [r for r in reports if r.outcome != "complete" and not (
        r.service == "ecs-events" and r.detail.endswith("/aws/events/ecs/patient does not exist in region "
                                                         "ap-northeast-2"))], [r.sentence() for r in reports]
    return digest, pipeline.diagnose(digest, settings=settings)


@pytest.mark.parametrize("scenario, service, category, platform", [
    ("memory_leak_oom", "executor", "oom", "ecs-events via executor"),  # the kill is only in ECS's events
    ("db_pool_exhaustion", "executor", "db_connections", "postgres via executor"),  # the cause is PostgreSQL's
])
def test_one_service_is_diagnosed_from_its_platform(scenario, service, category, platform, tmp_path, moto_url,
                                                    monkeypatch):
    import httpx

    httpx.post(f"{moto_url}/moto-api/reset")
    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_ENDPOINT_URL": moto_url}.items():
        monkeypatch.setenv(k, v)
    start = recent_start()
    logs.DROPPED.clear()
    with FakeLoki() as loki:
        # One window, written to files and shipped to Loki and CloudWatch as the patient and its platform do.
        write_window(scenario, tmp_path, start=start, loki_url=loki.url, cloudwatch_prefix="/ecs/patient",
                     aws_region="ap-northeast-2")
        assert not logs.DROPPED["cloudwatch"] and not logs.DROPPED["loki"], logs.DROPPED
        for source in ("file", "loki", "cloudwatch"):
            settings = Settings(sources=(source,), local_logs_dir=tmp_path, loki_url=loki.url,
                                aws_region="ap-northeast-2", terraform_dir=REPO / "terraform")
            digest, result = _analyse(settings, service, start)
            assert result.diagnosis.category == category, (source, result.diagnosis.summary, [(t.count, t.text[:60]) for t in digest.errors()])
            services = {s for t in digest.templates for s in t.services}
            assert platform in services, (source, services)
            # ECS events of other services stay out; the platform's lines are named as such.
            assert not {s for s in services if " via " in s and not s.endswith(f" via {service}")}, services
            note = next(n for n in digest.notes if n.startswith("platform streams read with the services: "))
            # (A window without ECS events has no ecs-events file: the note says so.)
            assert f"ecs-events (the lines naming {service})" in note or (
                source == "file" and "ecs-events (no configured source has it)" in note), note
            assert note.endswith(f"postgres (every line for {service})"), note
            assert not [r for r in result.diagnosis.affected_resources if " via " in r]  # resources are map entries


def test_without_its_platform_the_service_alone_does_not_show_the_kill(tmp_path):
    """The control: the same window, executor's own log only, answers something else."""
    start = recent_start()
    write_window("memory_leak_oom", tmp_path, start=start)
    alone = {"executor": {"file": "executor.log"}}
    _, result = _analyse(Settings(sources=("file",), local_logs_dir=tmp_path, services=alone,
                                  terraform_dir=REPO / "terraform"), "executor", start)
    assert result.diagnosis.category != "oom", result.diagnosis.summary


def test_a_load_balancers_access_log_is_read_for_the_service_behind_it(tmp_path):
    (tmp_path / "alb.log").write_text(ALB_LINE + "\n")
    (tmp_path / "web.log").write_text("2018-07-02T22:22:59.000000Z INFO GET / 200\n")
    (tmp_path / "api.log").write_text("2018-07-02T22:22:59.000000Z INFO GET /v1 200\n")
    services = {"web": {"platform": [{"stream": "alb", "match": ["targetgroup/my-targets/"]}]},
                "api": {"platform": ["alb"]},
                "alb": {"match": ["targetgroup/{service}/"]}}
    settings = Settings(sources=("file",), local_logs_dir=tmp_path, services=services)
    window = Window(datetime(2018, 7, 2, 22, 0, tzinfo=UTC), datetime(2018, 7, 2, 23, 0, tzinfo=UTC))

    def services_in(service):
        digest, _ = asyncio.run(pipeline.fetch_digest(settings=settings, services=[service], window=window))
        return {s for t in digest.templates for s in t.services}, digest.notes

    web, notes = services_in("web")
    assert web == {"web", "alb via web"} and "platform streams read with the services: alb (the lines naming web)" in notes
    api, _ = services_in("api")
    assert api == {"api"}  # the access log names another target group


def test_doctor_sources_lists_each_services_platform(tmp_path, monkeypatch, capsys):
    from doctor.cli import main
    from doctor.config import get_settings

    monkeypatch.setenv("DOCTOR_LOCAL_LOGS_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert main(["sources"]) == 0
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr().out
    assert "  executor (default): cloudwatch /ecs/patient/executor; loki {service=\"executor\"}; file executor.log; " \
           "platform ecs-events, postgres" in out
    assert "  postgres (default): cloudwatch /aws/rds/instance/patient-postgres/postgresql" in out
    assert "platform" not in out.split("postgres (default)")[1].splitlines()[0]


ECS_LINES = [  # in the patient's wording (patient_app/platform.py) and EventBridge's JSON
    "(service executor) (task 0f3c) stopped: OutOfMemoryError: Container killed due to memory usage",
    "(service dashboard) has started 1 tasks: (task 9a1b).",
    '{"detail-type":"ECS Task State Change","detail":{"group":"service:executor","lastStatus":"STOPPED"}}',
    '{"detail-type":"ECS Task State Change","detail":{"group":"service:strategy","lastStatus":"STOPPED"}}',
]
AT = recent_t0()  # written to moto's CloudWatch, which keeps 14 days: never a fixed date


async def _fetched(source, sel: Selector) -> list[str]:
    from doctor.sources import Limits

    window = Window(AT - timedelta(minutes=5), AT + timedelta(minutes=5))
    return [r.message async for page in source.fetch(window, sel, Limits()) for r in page]


def test_loki_narrows_a_platform_stream_itself():
    from doctor.sources.loki import LokiSource

    with FakeLoki() as loki:
        ns = int(AT.timestamp()) * 10**9
        loki.push([{"stream": {"service": "ecs-events"}, "values": [[str(ns + i), line] for i, line in enumerate(ECS_LINES)]}])
        ecs = platform_streams(Settings(), ["executor"])[0]
        got = asyncio.run(_fetched(LokiSource(url=loki.url), ecs))
    assert got == [ECS_LINES[0], ECS_LINES[2]]  # the server's line filter, before any line-by-line check


def test_cloudwatch_narrows_a_platform_stream_itself(moto_url, monkeypatch):
    import boto3

    from doctor.sources.cloudwatch import CloudWatchSource

    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_ENDPOINT_URL": moto_url}.items():
        monkeypatch.setenv(k, v)
    client = boto3.client("logs", region_name="eu-west-1")
    client.create_log_group(logGroupName="/aws/events/ecs/narrow")
    client.create_log_stream(logGroupName="/aws/events/ecs/narrow", logStreamName="s")
    client.put_log_events(logGroupName="/aws/events/ecs/narrow", logStreamName="s", logEvents=[
        {"timestamp": int(AT.timestamp() * 1000) + i, "message": line} for i, line in enumerate(ECS_LINES)])
    # One match: a quoted phrase moto evaluates as CloudWatch does. (moto passes `?` alternatives through
    # whole; the collector's line-by-line check covers that, as test_a_platform_page_... shows.)
    sel = Selector(service="ecs-events", logs={"cloudwatch": ("/aws/events/ecs/narrow",)},
                   platform_for=(("executor", ('"service:executor"',)),))
    got = asyncio.run(_fetched(CloudWatchSource(region="eu-west-1"), sel))
    assert got == [ECS_LINES[2]]
