from doctor.config import Settings


def test_service_map_and_lists_come_from_json_env(monkeypatch):
    monkeypatch.setenv("DOCTOR_SERVICES", '{"bot": {"cloudwatch": ["/ecs/bot"], "loki": "{app=\\"bot\\"}"}}')
    monkeypatch.setenv("DOCTOR_DEFAULT_SERVICES", '["bot"]')
    monkeypatch.setenv("DOCTOR_SOURCES", '["loki"]')
    monkeypatch.setenv("DOCTOR_REDACT_EXTRA", '["ipv4"]')
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("DOCTOR_LOKI_PASSWORD", "hunter2")
    s = Settings()
    assert s.services["bot"].logs["cloudwatch"] == ["/ecs/bot"] and s.services["bot"].logs["loki"] == '{app="bot"}'
    assert s.default_services == ["bot"] and s.sources == ("loki",) and s.redact_extra == ("ipv4",)
    assert s.aws_region == "eu-west-1"
    assert "hunter2" not in repr(s)  # secrets stay out of logs and reprs


def test_defaults_are_the_patients():
    s = Settings()
    assert s.services["executor"].logs["cloudwatch"] == ["/ecs/patient/executor"]
    assert s.services["executor"].logs["loki"] == '{service="executor"}'
    assert "postgres" in s.default_services and s.fetch_workers == 0 and s.budget_tokens == 6000
