"""`doctor check`: each dependency against its local stand-in, and each planted misconfiguration
turned into one clear line (and a failing exit status when it is required)."""

import json
import socket

import boto3
import google.auth
import google.oauth2.credentials
import pytest

from doctor.check import run_checks
from doctor.cli import main
from doctor.config import ServiceLogs, Settings, get_settings

from .conftest import QUEUE, REPO
from .fakes.bedrock import FakeBedrock
from .fakes.gemini_server import FakeGemini
from .fakes.loki_server import FakeLoki
from .fakes.slack_api import SlackWebAPI

PROFILE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"


def only(results, name):
    (r,) = [r for r in results if r.name == name]
    return r


def base(tmp_path, **kw) -> Settings:
    """A working minimal configuration: files as the source, SQLite, the repo's Terraform."""
    (tmp_path / "logs").mkdir(exist_ok=True)
    return Settings(**{"local_logs_dir": tmp_path / "logs", "database_url": f"sqlite:///{tmp_path / 'd.db'}",
                       "terraform_dir": REPO / "terraform", "slack_signing_secret": "s3cret", **kw})


@pytest.fixture
def slack():
    fake = SlackWebAPI()
    yield fake
    fake.close()


# --- Slack -------------------------------------------------------------------------------------

def test_slack_token_with_every_scope(tmp_path, slack):
    results = run_checks(base(tmp_path, slack_bot_token="xoxb-1-good", slack_api_base_url=slack.url), ["slack"])
    r = only(results, "slack scopes")
    assert r.status == "ok" and "bot cloud_doctor in workspace Acme" in r.detail
    assert not any(x.failed for x in results)


def test_slack_missing_scope_is_one_line_with_the_fix(tmp_path, slack):
    slack.scopes = ["chat:write", "commands"]
    r = only(run_checks(base(tmp_path, slack_bot_token="xoxb-1-good", slack_api_base_url=slack.url), ["slack"]),
             "slack scopes")
    assert r.failed and r.detail == "bot cloud_doctor in workspace Acme lacks the scope(s) files:write, usergroups:read"
    assert "reinstall the app" in r.fix


def test_slack_token_of_a_workspace_that_is_not_allowed(tmp_path, slack):
    r = only(run_checks(base(tmp_path, slack_bot_token="xoxb-1-good", slack_api_base_url=slack.url,
                             slack_team_ids=["T0999"]), ["slack"]), "slack workspace")
    assert r.failed and r.detail.startswith("the token's workspace T0001 is not in DOCTOR_SLACK_TEAM_IDS")


def test_slack_refused_and_malformed_tokens(tmp_path, slack):
    slack.tokens_allowed = set()
    results = run_checks(base(tmp_path, slack_bot_token="xoxb-1-revoked", slack_api_base_url=slack.url,
                              slack_app_token="xapp-1-revoked"), ["slack"])
    assert only(results, "slack bot token").detail == "Slack refused the bot token: invalid_auth"
    assert only(results, "slack socket mode").detail == "Slack refused the app token: invalid_auth"
    r = only(run_checks(base(tmp_path, slack_bot_token="xoxp-user-token", slack_api_base_url=slack.url), ["slack"]),
             "slack bot token")
    assert r.failed and "should start with xoxb-" in r.detail


def test_slack_without_secret_or_app_token_refuses_everything(tmp_path):
    r = only(run_checks(base(tmp_path, slack_signing_secret=None), ["slack"]), "slack signing secret")
    assert r.failed and "every Slack request would be refused" in r.detail


def test_app_token_opens_socket_mode(tmp_path, slack):
    slack.socket_url = "wss://wss-primary.slack.com/link/?ticket=1"
    results = run_checks(base(tmp_path, slack_signing_secret=None, slack_app_token="xapp-1-good",
                              slack_api_base_url=slack.url), ["slack"])
    assert only(results, "slack socket mode").status == "ok"
    assert only(results, "slack signing secret").status == "skip"
    assert "Bearer xapp-1-good" in slack.tokens


def test_service_map_and_sources(tmp_path):
    services = {"api": ServiceLogs(file="api.log")}
    results = run_checks(base(tmp_path, services=services, default_services=["api", "billing"]), ["sources"])
    r = only(results, "service map")
    assert r.failed and r.detail == "DOCTOR_DEFAULT_SERVICES names billing, which DOCTOR_SERVICES does not map"
    assert only(results, "log sources").detail == "file configured for 1 service(s)"
    results = run_checks(base(tmp_path, local_logs_dir=tmp_path / "nowhere"), ["sources"])
    assert only(results, "files").detail == f"DOCTOR_LOCAL_LOGS_DIR {tmp_path / 'nowhere'} is not a directory"
    r = only(run_checks(base(tmp_path, local_logs_dir=None, sources=("file",)), ["sources"]), "log sources")
    assert r.failed and r.detail == "no log source is configured"


# --- AWS (moto's server) -----------------------------------------------------------------------

@pytest.fixture
def aws(moto_url, monkeypatch):
    for k, v in {"AWS_ENDPOINT_URL": moto_url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(k, v)
    logs = boto3.client("logs", region_name="eu-west-1")
    logs.create_log_group(logGroupName="/ecs/shop/api")
    yield
    logs.delete_log_group(logGroupName="/ecs/shop/api")


def test_cloudwatch_groups_found_and_a_wrong_name(tmp_path, aws):
    services = {"api": ServiceLogs(cloudwatch=["/ecs/shop/api"]), "worker": ServiceLogs(cloudwatch=["/ecs/shop/wrker"])}
    results = run_checks(base(tmp_path, aws_region="eu-west-1", services=services, default_services=["api"]),
                         ["aws"])
    assert only(results, "aws identity").status == "ok" and "eu-west-1" in only(results, "aws identity").detail
    assert only(results, "log group /ecs/shop/api").detail == "exists and is readable (service api)"
    wrong = only(results, "log group /ecs/shop/wrker")
    assert wrong.failed and wrong.detail == "not found in eu-west-1 (service worker)"
    assert "worker's cloudwatch entry in DOCTOR_SERVICES" in wrong.fix


def test_cloudwatch_asked_for_without_a_region(tmp_path, monkeypatch):
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    r = only(run_checks(base(tmp_path, sources=("cloudwatch", "file")), ["aws"]), "aws")
    assert r.failed and r.detail == "DOCTOR_SOURCES asks for cloudwatch but AWS_REGION is not set"
    r = only(run_checks(base(tmp_path), ["aws"]), "aws")
    assert r.status == "skip" and not r.failed


# --- Loki --------------------------------------------------------------------------------------

def test_loki_ready_and_each_selector_queried(tmp_path):
    services = {"api": ServiceLogs(loki='{service="api"}'), "broken": ServiceLogs(loki='{service="api"')}
    with FakeLoki() as loki:
        results = run_checks(base(tmp_path, loki_url=loki.url, services=services, default_services=["api"]), ["loki"])
        assert [q["limit"] for q in loki.queries] == ["1", "1"]  # the cheapest query per selector
    assert only(results, "loki").detail == f"Loki at {loki.url} is ready"
    assert only(results, 'loki {service="api"}').status == "ok"
    bad = only(results, 'loki {service="api"')
    assert bad.failed and bad.detail.startswith("Loki rejected the selector (400)")
    assert bad.fix == "correct broken's loki selector in DOCTOR_SERVICES"


def test_unreachable_loki(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    r = only(run_checks(base(tmp_path, loki_url=f"http://127.0.0.1:{port}"), ["loki"]), "loki")
    assert r.failed and r.detail.startswith(f"cannot reach Loki at http://127.0.0.1:{port}: ConnectError")
    assert "DOCTOR_LOKI_URL" in r.fix


# --- Vertex AI and Bedrock ---------------------------------------------------------------------

@pytest.fixture
def adc(monkeypatch):
    """Application default credentials, as `gcloud auth application-default login` leaves them."""
    monkeypatch.setattr(google.auth, "default", lambda *a, **k: (
        google.oauth2.credentials.Credentials(token="fake"), "doctor-test"))


def test_vertex_counts_tokens_and_an_unknown_model(tmp_path, adc):
    with FakeGemini([], known_models={"gemini-3.5-flash"}) as gemini:
        s = dict(rca_provider="gemini,offline", google_cloud_project="doctor-test", gemini_base_url=gemini.url)
        good = only(run_checks(base(tmp_path, **s), ["vertex"]), "vertex ai")
        bad = only(run_checks(base(tmp_path, gemini_model="gemini-9-ultra", **s), ["vertex"]), "vertex ai")
        assert [r["path"].rsplit("/", 1)[-1] for r in gemini.requests] == [
            "gemini-3.5-flash:countTokens", "gemini-9-ultra:countTokens"]
    assert good.status == "ok" and good.detail.startswith("gemini-3.5-flash in us-central1 answers")
    assert bad.status == "fail" and not bad.required  # the offline engine still answers
    assert bad.fix == "DOCTOR_GEMINI_MODEL=gemini-9-ultra is not available in us-central1: pick a model Vertex AI " \
                      "serves there"


def test_vertex_without_credentials(tmp_path, monkeypatch):
    import google.auth.exceptions

    def no_adc(*a, **k):
        raise google.auth.exceptions.DefaultCredentialsError("Your default credentials were not found.")

    monkeypatch.setattr(google.auth, "default", no_adc)
    r = only(run_checks(base(tmp_path, rca_provider="gemini", google_cloud_project="doctor-test",
                             gemini_base_url="http://127.0.0.1:9"), ["vertex"]), "vertex ai")
    assert r.status == "fail" and not r.required
    assert r.detail == "no Google credentials for Vertex AI: Your default credentials were not found."
    assert r.fix.startswith("run `gcloud auth application-default login`")


def test_vertex_without_a_project(tmp_path, monkeypatch):
    monkeypatch.delenv("GOOGLE_CLOUD_PROJECT", raising=False)
    r = only(run_checks(base(tmp_path, rca_provider="gemini"), ["vertex"]), "vertex ai")
    assert r.status == "fail" and "GOOGLE_CLOUD_PROJECT is not set" in r.detail


@pytest.mark.parametrize("model,invocable,detail", [
    (PROFILE, True, f"inference profile {PROFILE} (ACTIVE) in us-east-1 answers (8 token(s) counted)"),
    ("anthropic.claude-sonnet-4-5-20250929-v1:0", True, "inference profile anthropic.claude-sonnet-4-5-20250929-v1:0 "
     "in us-east-1: ResourceNotFoundException: The specified inference profile does not exist"),
    (PROFILE, False, f"{PROFILE} may not be invoked: AccessDeniedException: You don't have access to the model with "
     "the specified model ID."),
])
def test_bedrock_profile_and_access(tmp_path, monkeypatch, model, invocable, detail):
    fake = FakeBedrock({PROFILE}, invocable=invocable)
    for k, v in {"AWS_ENDPOINT_URL_BEDROCK": fake.url, "AWS_ACCESS_KEY_ID": "testing",
                 "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(k, v)
    try:
        r = only(run_checks(base(tmp_path, fix_provider="bedrock,offline", bedrock_region="us-east-1",
                                 bedrock_model_id=model, bedrock_endpoint_url=fake.url), ["bedrock"]), "bedrock")
    finally:
        fake.server.shutdown()
    assert r.detail == detail and r.status == ("ok" if "answers" in detail else "fail")


# --- Store, Cloud Tasks, Terraform -------------------------------------------------------------

def test_store_sqlite_and_postgresql(tmp_path, postgres_url):
    r = only(run_checks(base(tmp_path), ["store"]), "store")
    assert r.detail == f"sqlite:///{tmp_path / 'd.db'}: connected, schema current"
    r = only(run_checks(base(tmp_path, database_url=postgres_url), ["store"]), "store")
    assert r.detail == f"{postgres_url}: connected, schema current"


def test_store_schema_that_cannot_be_brought_up_to_date(tmp_path):
    import sqlite3

    with sqlite3.connect(tmp_path / "old.db") as db:  # an old database: a table without a NOT NULL column
        db.execute("CREATE TABLE provider_cache (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL, created_at TEXT)")
    r = only(run_checks(base(tmp_path, database_url=f"sqlite:///{tmp_path / 'old.db'}"), ["store"]), "store")
    assert r.failed and r.detail.endswith("lacks provider_cache.provider")


def test_store_unreachable_and_unknown_urls(tmp_path):
    r = only(run_checks(base(tmp_path, database_url="postgresql://doctor:hunter2@127.0.0.1:1/doctor"), ["store"]),
             "store")
    assert r.failed and r.detail.startswith("cannot open the store at postgresql://doctor:***@127.0.0.1:1/doctor: "
                                            "OperationalError")
    assert "hunter2" not in r.detail + r.fix
    r = only(run_checks(base(tmp_path, database_url="mongodb://db/doctor"), ["store"]), "store")
    assert r.failed and r.detail == ("cannot open the store at mongodb://db/doctor: NoSuchModuleError: Can't load "
                                     "plugin: sqlalchemy.dialects:mongodb")


def test_cloud_tasks_settings_missing(tmp_path):
    r = only(run_checks(base(tmp_path, job_backend="cloudtasks", tasks_queue="projects/p/locations/l/queues/q"),
                        ["tasks"]), "cloud tasks")
    assert r.failed and r.detail == ("DOCTOR_JOB_BACKEND=cloudtasks but DOCTOR_SERVICE_URL, "
                                     "DOCTOR_TASKS_SERVICE_ACCOUNT unset")


def test_terraform_binary_and_tree(tmp_path):
    results = run_checks(base(tmp_path), ["terraform"])
    assert only(results, "terraform binary").detail.startswith("Terraform v")
    assert only(results, "terraform tree").status == "ok"
    broken = tmp_path / "tf"
    broken.mkdir()
    (broken / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n', encoding="utf-8")
    results = run_checks(base(tmp_path, terraform_dir=broken, terraform_bin="no-such-terraform"), ["terraform"])
    assert only(results, "terraform binary").detail.startswith("no-such-terraform not found on PATH")
    tree = only(results, "terraform tree")
    assert tree.failed and tree.detail.startswith("does not parse: tf/main.tf")


# --- The command -------------------------------------------------------------------------------

@pytest.fixture
def env_settings(monkeypatch):
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_cli_table_json_and_exit_status(tmp_path, env_settings, capsys):
    (tmp_path / "logs").mkdir()
    for k, v in {"DOCTOR_LOCAL_LOGS_DIR": str(tmp_path / "logs"), "DOCTOR_DATABASE_URL": f"sqlite:///{tmp_path}/d.db",
                 "DOCTOR_TERRAFORM_DIR": str(REPO / "terraform"), "SLACK_SIGNING_SECRET": "s"}.items():
        env_settings.setenv(k, v)
    assert main(["check", "--only", "store", "--only", "sources"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("ok    log sources") and out.rstrip().endswith("Everything required works.")
    env_settings.setenv("DOCTOR_DATABASE_URL", "postgresql://doctor@127.0.0.1:1/doctor")
    get_settings.cache_clear()
    assert main(["check", "--only", "store", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["results"][0]["name"] == "store"
    assert report["results"][0]["status"] == "fail" and "DOCTOR_DATABASE_URL" in report["results"][0]["fix"]
    assert main(["check", "--only", "dns"]) == 2
    assert "no check named dns" in capsys.readouterr().err


def test_a_wrong_setting_is_named_not_a_traceback(env_settings, capsys):
    env_settings.setenv("DOCTOR_BUDGET_TOKENS", "5")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("doctor: setting DOCTOR_BUDGET_TOKENS: Input should be greater than or equal to 200")


def test_cloud_tasks_queue_found_and_missing(tmp_path, emulator):
    s = dict(job_backend="cloudtasks", tasks_emulator_host=emulator, service_url="https://doctor.example.com",
             tasks_service_account="doctor-tasks@p.iam.gserviceaccount.com")
    r = only(run_checks(base(tmp_path, tasks_queue=QUEUE, **s), ["tasks"]), "cloud tasks")
    assert r.status == "ok" and r.detail == f"queue {QUEUE} exists; tasks run as doctor-tasks@p.iam.gserviceaccount.com"
    missing = QUEUE.rsplit("/", 1)[0] + "/nope"
    r = only(run_checks(base(tmp_path, tasks_queue=missing, **s), ["tasks"]), "cloud tasks")
    # Cloud Tasks answers NOT_FOUND; the emulator fails the call (Unknown): either way, one line naming the queue.
    assert r.failed and r.detail.startswith(f"queue {missing}: ") and "DOCTOR_TASKS_QUEUE" in r.fix
