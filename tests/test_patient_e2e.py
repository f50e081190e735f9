"""End to end, per scenario: the patient's own shipping (Loki, CloudWatch) -> the doctor's sources ->
the offline diagnosis names the scenario's ground truth. (The file path is test_demo's.)"""

import asyncio
from datetime import timedelta

import pytest

from doctor import pipeline
from doctor.config import Settings
from doctor.demo.run import fix_matches
from doctor.demo.scenarios import SCENARIOS as DEMO
from doctor.sources import Window
from patient_app import logs
from patient_app.chaos import SCENARIOS
from patient_app.simulate import MINUTES, recent_start, write_window

from .conftest import REPO
from .fakes.loki_server import FakeLoki


def diagnose(settings: Settings, start):
    window = Window(start, start + timedelta(minutes=MINUTES))
    digest, reports = asyncio.run(pipeline.fetch_digest(settings=settings, services=list(settings.default_services),
                                                        window=window))
    assert digest.lines_in > 2000, [r.detail for r in reports]
    return pipeline.diagnose(digest, settings=settings)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_through_loki(name, tmp_path):
    start = recent_start()
    with FakeLoki() as loki:
        write_window(name, tmp_path, start=start, loki_url=loki.url)
        result = diagnose(Settings(loki_url=loki.url, sources=("loki",), terraform_dir=REPO / "terraform"), start)
    assert result.diagnosis.category == SCENARIOS[name].category, result.diagnosis.summary
    assert fix_matches(result, DEMO[name]), (result.fix and result.fix.target, result.fix_note)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_through_cloudwatch(name, tmp_path, moto_url, monkeypatch):
    import httpx

    httpx.post(f"{moto_url}/moto-api/reset")  # each scenario on an empty account
    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_ENDPOINT_URL": moto_url}.items():
        monkeypatch.setenv(k, v)
    start = recent_start()  # CloudWatch keeps nothing older than 14 days: the window is the run's own
    logs.SHIPPED.clear()
    logs.DROPPED.clear()
    write_window(name, tmp_path, start=start, cloudwatch_prefix="/ecs/patient", aws_region="ap-northeast-2")
    assert logs.DROPPED["cloudwatch"] == 0 and logs.SHIPPED["cloudwatch"] > 2000, (logs.SHIPPED, logs.DROPPED)
    result = diagnose(Settings(aws_region="ap-northeast-2", sources=("cloudwatch",), terraform_dir=REPO / "terraform"),
                      start)
    assert result.diagnosis.category == SCENARIOS[name].category, result.diagnosis.summary
    assert fix_matches(result, DEMO[name]), (result.fix and result.fix.target, result.fix_note)
