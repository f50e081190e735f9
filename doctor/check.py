"""`doctor check`: is this configuration going to work? One line per dependency, with the fix.

Each check is one small function below, registered in `CHECKS`; it reaches its dependency with the
cheapest call that proves it usable, and returns `Result`s. A dependency that is not configured is
skipped (said so), one that is configured and fails is a failure; `required=False` marks what only
degrades the doctor (it falls back or answers another way), which is a warning, not a failure.
Nothing here prints a secret: details name settings, never their values.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from doctor.config import Settings
from doctor.diagnose.gemini import GeminiAnalyzer
from doctor.errors import ProviderError
from doctor.jobs.runner import make_tasks_client
from doctor.net import tls_context
from doctor.prescribe.hcl import TerraformParseError, TerraformRepo
from doctor.providers import open_store
from doctor.slack.manifest import APP_TOKEN_SCOPE, bot_scopes
from doctor.sources import build_sources, how_to_configure, service_map_errors
from doctor.sources.base import LogSource
from doctor.sources.cloudwatch import CloudWatchSource
from doctor.sources.loki import LokiSource
from doctor.store.db import metadata

TIMEOUT_S = 10  # seconds per call: a check that hangs says nothing useful


@dataclass(frozen=True)
class Result:
    name: str
    status: str  # ok | fail | skip
    detail: str
    fix: str = ""
    required: bool = True

    @property
    def failed(self) -> bool:
        return self.status == "fail" and self.required

    def to_dict(self) -> dict:
        return asdict(self)


def ok(name: str, detail: str) -> Result:
    return Result(name, "ok", detail)


def fail(name: str, detail: str, fix: str, *, required: bool = True) -> Result:
    return Result(name, "fail", detail, fix, required)


def skip(name: str, detail: str, fix: str = "") -> Result:
    return Result(name, "skip", detail, fix, required=False)


# --- Slack ------------------------------------------------------------------------------------

def check_slack(s: Settings) -> list[Result]:
    # lazy: slack_sdk's Web API and Socket Mode clients stay off the acknowledgement path
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    out = []
    if s.slack_signing_secret:
        out.append(ok("slack signing secret", "set (HTTP mode verifies every request)"))
    elif s.slack_app_token:
        out.append(skip("slack signing secret", "unset: only Socket Mode (`doctor serve --socket-mode`) works"))
    else:
        out.append(fail("slack signing secret", "SLACK_SIGNING_SECRET and SLACK_APP_TOKEN are both unset: "
                        "every Slack request would be refused", "set SLACK_SIGNING_SECRET (Basic Information → App "
                        "Credentials), or SLACK_APP_TOKEN for Socket Mode"))
    if not s.slack_bot_token:
        out.append(skip("slack bot token", "SLACK_BOT_TOKEN unset: answers only through response_url (30 min), "
                        "no fix.patch uploads, no user-group checks",
                        "set SLACK_BOT_TOKEN (OAuth & Permissions → Bot User OAuth Token, xoxb-...)"))
    else:
        token = s.slack_bot_token.get_secret_value()
        if not token.startswith("xoxb-"):
            out.append(fail("slack bot token", "SLACK_BOT_TOKEN is not a bot token (it should start with xoxb-)",
                            "copy the Bot User OAuth Token from OAuth & Permissions"))
        else:
            client = WebClient(token=token, base_url=s.slack_api_base_url, ssl=tls_context(), timeout=TIMEOUT_S)
            try:
                resp = client.auth_test()
            except SlackApiError as exc:
                out.append(fail("slack bot token", f"Slack refused the bot token: {exc.response.get('error')}",
                                "copy the current Bot User OAuth Token (reinstalling the app changes it)"))
            except OSError as exc:
                out.append(fail("slack bot token", f"cannot reach Slack at {s.slack_api_base_url}: {exc}",
                                "check the network / SLACK_API_BASE_URL"))
            else:
                granted = {x.strip() for x in (resp.headers.get("x-oauth-scopes") or "").split(",") if x.strip()}
                missing = sorted(set(bot_scopes()) - granted)
                who = f"bot {resp.get('user')} in workspace {resp.get('team')}"
                if missing:
                    out.append(fail("slack scopes", f"{who} lacks the scope(s) {', '.join(missing)}",
                                    "add them under OAuth & Permissions → Bot Token Scopes (or recreate the app "
                                    "from `doctor slack-manifest`), then reinstall the app to the workspace"))
                else:
                    out.append(ok("slack scopes", f"{who}; granted {', '.join(sorted(granted))}"))
                if s.slack_team_ids and resp.get("team_id") not in s.slack_team_ids:
                    out.append(fail("slack workspace", f"the token's workspace {resp.get('team_id')} is not in "
                                    "DOCTOR_SLACK_TEAM_IDS: its commands would be refused",
                                    "add it to DOCTOR_SLACK_TEAM_IDS, or leave that setting empty"))
    if s.slack_app_token:
        app_token = s.slack_app_token.get_secret_value()
        if not app_token.startswith("xapp-"):
            out.append(fail("slack app token", "SLACK_APP_TOKEN is not an app-level token (it should start "
                            "with xapp-)", f"Basic Information → App-Level Tokens: generate one with {APP_TOKEN_SCOPE}"))
        else:
            client = WebClient(base_url=s.slack_api_base_url, ssl=tls_context(), timeout=TIMEOUT_S)
            try:
                client.apps_connections_open(app_token=app_token)
                out.append(ok("slack socket mode", "the app token may open a Socket Mode connection"))
            except SlackApiError as exc:
                out.append(fail("slack socket mode", f"Slack refused the app token: {exc.response.get('error')}",
                                f"generate an app-level token with {APP_TOKEN_SCOPE} and enable Socket Mode "
                                "(Settings → Socket Mode)"))
            except OSError as exc:
                out.append(fail("slack socket mode", f"cannot reach Slack: {exc}", "check the network"))
    return out


# --- Log sources -----------------------------------------------------------------------------

def check_sources(s: Settings) -> list[Result]:
    unknown = [x for x in s.default_services if x not in s.services]
    out = []
    if unknown:
        out.append(fail("service map", f"DOCTOR_DEFAULT_SERVICES names {', '.join(unknown)}, which "
                        "DOCTOR_SERVICES does not map", "add them to DOCTOR_SERVICES or drop them from the defaults"))
    for error in service_map_errors(s):
        out.append(fail("service map", error, "correct the entry in DOCTOR_SERVICES"))
    names = build_sources(s)
    if not names:
        out.append(fail("log sources", "no log source is configured", how_to_configure()))
    else:
        out.append(ok("log sources", f"{', '.join(names)} configured for {len(s.services)} service(s)"))
    if "file" in names and s.local_logs_dir is not None and not s.local_logs_dir.is_dir():
        out.append(fail("files", f"DOCTOR_LOCAL_LOGS_DIR {s.local_logs_dir} is not a directory",
                        "create it or point the setting at the directory of <service>.log files"))
    return out


def _mapped(s: Settings, kind: type[LogSource]) -> list[tuple[str, Any]]:
    """(service, what the map gives `kind`, parsed) for each entry that gives it something; a value
    the source cannot read is left to `check_sources`, which names it."""
    out = []
    for service, entry in sorted(s.services.items()):
        if kind.name in entry.logs:
            try:
                out.append((service, kind.parse_selector(entry.logs[kind.name])))
            except ValueError:
                continue
    return out


def check_aws(s: Settings) -> list[Result]:
    wanted = "cloudwatch" in (s.sources or ())
    if not s.aws_region:
        if wanted:
            return [fail("aws", "DOCTOR_SOURCES asks for cloudwatch but AWS_REGION is not set",
                         "set AWS_REGION to the region of the log groups (e.g. eu-west-1)")]
        return [skip("aws", "AWS_REGION unset: CloudWatch is not read", "set AWS_REGION to read CloudWatch Logs")]
    if s.sources is not None and not wanted:
        return [skip("aws", "DOCTOR_SOURCES leaves cloudwatch out")]
    # lazy: boto3/botocore cost about half a second at import; only AWS calls need them
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    config = Config(connect_timeout=5, read_timeout=TIMEOUT_S, retries={"max_attempts": 1})
    try:
        who = boto3.client("sts", region_name=s.aws_region, config=config).get_caller_identity()
    except (BotoCoreError, ClientError) as exc:
        return [fail("aws identity", f"no usable AWS credentials: {exc}", "configure credentials (AWS_PROFILE, "
                     "the environment, or the instance's role)")]
    out = [ok("aws identity", f"{who['Arn']} in {s.aws_region}")]
    logs = boto3.client("logs", region_name=s.aws_region, config=config)
    for service, groups in _mapped(s, CloudWatchSource):
        for group in groups:
            name = f"log group {group}"
            try:
                found = logs.describe_log_groups(logGroupNamePrefix=group, limit=50).get("logGroups", [])
                if group not in {g["logGroupName"] for g in found}:
                    near = ", ".join(g["logGroupName"] for g in found[:3])
                    out.append(fail(name, f"not found in {s.aws_region} (service {service})"
                                    + (f"; similar: {near}" if near else ""),
                                    f"correct {service}'s cloudwatch entry in DOCTOR_SERVICES, or AWS_REGION"))
                    continue
                logs.filter_log_events(logGroupName=group, limit=1)
                out.append(ok(name, f"exists and is readable (service {service})"))
            except ClientError as exc:
                err = exc.response.get("Error", {})
                out.append(fail(name, f"{err.get('Code')}: {err.get('Message')}",
                                "allow logs:DescribeLogGroups and logs:FilterLogEvents on it for the doctor's role"))
            except BotoCoreError as exc:
                out.append(fail(name, f"cannot reach CloudWatch Logs: {exc}", "check the network and AWS_REGION"))
    return out


def check_loki(s: Settings) -> list[Result]:
    if not s.loki_url or (s.sources is not None and "loki" not in s.sources):
        return [skip("loki", "DOCTOR_LOKI_URL unset: Loki is not read", "set DOCTOR_LOKI_URL to read Loki")]

    headers = {"X-Scope-OrgID": s.loki_tenant} if s.loki_tenant else {}
    auth = None
    if s.loki_token:
        headers["Authorization"] = f"Bearer {s.loki_token.get_secret_value()}"
    elif s.loki_username and s.loki_password:
        auth = httpx.BasicAuth(s.loki_username, s.loki_password.get_secret_value())
    base = s.loki_url.rstrip("/")
    with httpx.Client(base_url=base, headers=headers, auth=auth, timeout=TIMEOUT_S) as client:
        try:
            ready = client.get("/ready")
        except httpx.HTTPError as exc:
            return [fail("loki", f"cannot reach Loki at {base}: {type(exc).__name__}: {exc}",
                         "check DOCTOR_LOKI_URL (e.g. http://loki:3100) and that Loki is running")]
        if ready.status_code != 200:
            return [fail("loki", f"Loki at {base} is not ready ({ready.status_code})",
                         "wait for it to start, or check its logs")]
        out = [ok("loki", f"Loki at {base} is ready")]
        end = datetime.now(UTC)
        start = end - timedelta(hours=1)
        for service, selector in _mapped(s, LokiSource):
            name = f"loki {selector}"
            params = {"query": selector, "limit": "1", "start": str(int(start.timestamp() * 1e9)),
                      "end": str(int(end.timestamp() * 1e9)), "direction": "backward"}
            try:
                resp = client.get("/loki/api/v1/query_range", params=params)
            except httpx.HTTPError as exc:
                out.append(fail(name, f"query failed: {exc}", "check Loki"))
                continue
            if resp.status_code in (401, 403):
                out.append(fail(name, f"Loki refused the credentials ({resp.status_code})",
                                "check DOCTOR_LOKI_TOKEN, or DOCTOR_LOKI_USERNAME/PASSWORD, and DOCTOR_LOKI_TENANT"))
            elif resp.status_code != 200:
                out.append(fail(name, f"Loki rejected the selector ({resp.status_code}): {resp.text.strip()[:120]}",
                                f"correct {service}'s loki selector in DOCTOR_SERVICES"))
            else:
                streams = resp.json().get("data", {}).get("result", [])
                seen = "lines in the last hour" if streams else "no lines in the last hour (is it shipping?)"
                out.append(ok(name, f"answers (service {service}): {seen}"))
    return out


# --- Providers, store, jobs, Terraform -------------------------------------------------------

def check_vertex(s: Settings) -> list[Result]:
    if "gemini" not in s.rca_provider:
        return [skip("vertex ai", "DOCTOR_RCA_PROVIDER does not use gemini")]
    if not s.google_cloud_project:
        return [fail("vertex ai", "DOCTOR_RCA_PROVIDER uses gemini but GOOGLE_CLOUD_PROJECT is not set",
                     "set GOOGLE_CLOUD_PROJECT (and GOOGLE_CLOUD_LOCATION) to the Vertex AI project", required=False)]
    # lazy: Google's auth, gRPC and Cloud Tasks stacks cost about a second; only their users pay it
    from google.auth.exceptions import DefaultCredentialsError

    analyzer = GeminiAnalyzer(project=s.google_cloud_project, location=s.google_cloud_location, model=s.gemini_model,
                              base_url=s.gemini_base_url, timeout_s=TIMEOUT_S, retry_attempts=1)
    try:
        tokens = analyzer.client().models.count_tokens(model=s.gemini_model, contents="ping").total_tokens
    except (ProviderError, DefaultCredentialsError) as exc:  # the credentials are looked up at the first call
        what = str(exc) if isinstance(exc, ProviderError) else f"no Google credentials for Vertex AI: {exc}"
        return [fail("vertex ai", what, "run `gcloud auth application-default login` (a laptop) or run as a "
                     "service account with roles/aiplatform.user", required=False)]
    except Exception as exc:  # google-genai's APIError and transport errors
        code = getattr(exc, "code", None)
        fix = (f"DOCTOR_GEMINI_MODEL={s.gemini_model} is not available in {s.google_cloud_location}: pick a model "
               "Vertex AI serves there" if code == 404 else
               "grant roles/aiplatform.user to the doctor's account" if code == 403 else "check Vertex AI access")
        return [fail("vertex ai", f"{s.gemini_model} did not answer countTokens: {str(exc)[:200]}", fix,
                     required=False)]
    return [ok("vertex ai", f"{s.gemini_model} in {s.google_cloud_location} answers ({tokens} token(s) counted)")]


def check_bedrock(s: Settings) -> list[Result]:
    if "bedrock" not in s.fix_provider:
        return [skip("bedrock", "DOCTOR_FIX_PROVIDER does not use bedrock")]
    region = s.bedrock_region or s.aws_region
    if not region:
        return [fail("bedrock", "DOCTOR_FIX_PROVIDER uses bedrock but neither DOCTOR_BEDROCK_REGION nor AWS_REGION "
                     "is set", "set DOCTOR_BEDROCK_REGION to the inference profile's region", required=False)]
    # lazy: boto3/botocore cost about half a second at import; only AWS calls need them
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    config = Config(connect_timeout=5, read_timeout=TIMEOUT_S, retries={"max_attempts": 1})
    model = s.bedrock_model_id
    try:  # the control plane: does the inference profile exist here?
        profile = boto3.client("bedrock", region_name=region, config=config).get_inference_profile(
            inferenceProfileIdentifier=model)
    except ClientError as exc:
        err = exc.response.get("Error", {})
        fix = (f"DOCTOR_BEDROCK_MODEL_ID must be an inference profile id available in {region} (e.g. "
               "us.anthropic.claude-sonnet-4-5-20250929-v1:0; bare model ids are refused)"
               if err.get("Code") in ("ResourceNotFoundException", "ValidationException") else
               "allow bedrock:GetInferenceProfile for the doctor's role")
        return [fail("bedrock", f"inference profile {model} in {region}: {err.get('Code')}: {err.get('Message')}",
                     fix, required=False)]
    except BotoCoreError as exc:
        return [fail("bedrock", f"cannot reach Bedrock in {region}: {exc}", "check credentials and the network",
                     required=False)]
    runtime = boto3.client("bedrock-runtime", region_name=region, endpoint_url=s.bedrock_endpoint_url, config=config)
    try:  # the runtime: may this role use the model? CountTokens is free and needs the same access as Converse.
        tokens = runtime.count_tokens(modelId=model, input={"converse": {
            "messages": [{"role": "user", "content": [{"text": "ping"}]}]}})["inputTokens"]
    except ClientError as exc:
        err = exc.response.get("Error", {})
        return [fail("bedrock", f"{model} may not be invoked: {err.get('Code')}: {err.get('Message')}",
                     "enable model access for it (Bedrock console → Model access) and allow bedrock:InvokeModel "
                     "on the profile and its models", required=False)]
    except BotoCoreError as exc:
        return [fail("bedrock", f"cannot reach the Bedrock runtime in {region}: {exc}", "check the network",
                     required=False)]
    status = profile.get("status", "ACTIVE")
    return [ok("bedrock", f"inference profile {model} ({status}) in {region} answers ({tokens} token(s) counted)")]


def check_store(s: Settings) -> list[Result]:

    where = _hide_password(s.database_url)
    try:
        store = open_store(s)  # as the service opens it (a relative SQLite path gets its directory)
        store.ping()
        inspector = inspect(store.engine)
        missing = [f"{t.name}.{c.name}" for t in metadata.sorted_tables
                   for c in t.columns if c.name not in {x["name"] for x in inspector.get_columns(t.name)}]
    except Exception as exc:  # a bad URL, a refused connection, a missing driver
        return [fail("store", f"cannot open the store at {where}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}",
                     "check DOCTOR_DATABASE_URL (sqlite:///path or postgresql://user:pass@host/db) and that the "
                     "database accepts connections")]
    if missing:
        return [fail("store", f"the schema at {where} lacks {', '.join(missing)}",
                     "these columns cannot be added automatically: migrate the database or start a new one")]
    return [ok("store", f"{where}: connected, schema current")]


def _hide_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "DOCTOR_DATABASE_URL (not a URL)"


def check_tasks(s: Settings) -> list[Result]:
    if s.job_backend != "cloudtasks":
        return [skip("cloud tasks", "jobs run in-process (DOCTOR_JOB_BACKEND=inprocess)")]
    unset = [n for n, v in (("DOCTOR_TASKS_QUEUE", s.tasks_queue), ("DOCTOR_SERVICE_URL", s.service_url),
                            ("DOCTOR_TASKS_SERVICE_ACCOUNT", s.tasks_service_account)) if not v]
    if unset:
        return [fail("cloud tasks", f"DOCTOR_JOB_BACKEND=cloudtasks but {', '.join(unset)} unset",
                     "set them (terraform/doctor outputs them)")]

    async def get_queue():
        return await make_tasks_client(s).get_queue(name=s.tasks_queue, timeout=TIMEOUT_S)

    try:
        queue = asyncio.run(get_queue())
    except Exception as exc:  # NotFound, PermissionDenied, no credentials, unreachable
        return [fail("cloud tasks", f"queue {s.tasks_queue}: {type(exc).__name__}: {str(exc)[:200]}",
                     "create the queue (terraform/doctor) or correct DOCTOR_TASKS_QUEUE; the caller needs "
                     "roles/cloudtasks.enqueuer")]
    return [ok("cloud tasks", f"queue {queue.name} exists; tasks run as {s.tasks_service_account}")]


def check_terraform(s: Settings) -> list[Result]:
    out = []
    binary = shutil.which(s.terraform_bin)
    if not binary:
        out.append(fail("terraform binary", f"{s.terraform_bin} not found on PATH: fixes cannot be formatted "
                        "or proven", "install Terraform or set DOCTOR_TERRAFORM_BIN"))
    else:
        try:
            first = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=TIMEOUT_S).stdout
            out.append(ok("terraform binary", (first.splitlines() or ["?"])[0]))
        except (OSError, subprocess.SubprocessError) as exc:
            out.append(fail("terraform binary", f"{binary} does not run: {exc}", "reinstall Terraform"))
    if not s.terraform_dir.is_dir():
        out.append(fail("terraform tree", f"DOCTOR_TERRAFORM_DIR {s.terraform_dir} is not a directory",
                        "point it at the Terraform the fixes are proposed against"))
        return out
    try:
        repo = TerraformRepo(s.terraform_dir)
    except (TerraformParseError, OSError, UnicodeDecodeError) as exc:
        out.append(fail("terraform tree", f"does not parse: {exc}", "fix the HCL (`terraform validate` shows where)"))
        return out
    if not repo.texts:
        out.append(fail("terraform tree", f"no .tf files under {s.terraform_dir}", "point DOCTOR_TERRAFORM_DIR at "
                        "the Terraform the fixes are proposed against"))
    else:
        out.append(ok("terraform tree", f"{s.terraform_dir}: {len(repo.texts)} .tf file(s), {len(repo.blocks)} "
                      "blocks parse"))
    return out


CHECKS: dict[str, Callable[[Settings], list[Result]]] = {
    "slack": check_slack, "sources": check_sources, "aws": check_aws, "loki": check_loki,
    "vertex": check_vertex, "bedrock": check_bedrock, "store": check_store, "tasks": check_tasks, "terraform": check_terraform,
}


def run_checks(settings: Settings, only: list[str] | None = None) -> list[Result]:
    results: list[Result] = []
    for name, check in CHECKS.items():
        if only and name not in only:
            continue
        try:
            results.extend(check(settings))
        except Exception as exc:  # a check's own bug must not hide the others
            results.append(fail(name, f"the check itself failed: {type(exc).__name__}: {exc}", "report this"))
    return results


def render_table(results: list[Result]) -> str:
    marks = {"ok": "ok", "skip": "skip"}
    rows = [(marks.get(r.status, "FAIL" if r.required else "warn"), r.name, r.detail, r.fix) for r in results]
    width = max((len(r[1]) for r in rows), default=0)
    lines = []
    for mark, name, detail, fix in rows:
        lines.append(f"{mark:<4}  {name:<{width}}  {detail}")
        if fix and mark in ("FAIL", "warn"):
            lines.append(f"{'':<4}  {'':<{width}}  → {fix}")
    return "\n".join(lines)
