"""All configuration, in one settings object.

Environment variables use the `DOCTOR_` prefix, except vendor-standard names
(`SLACK_SIGNING_SECRET`, `AWS_REGION`, `GOOGLE_CLOUD_PROJECT`...), which keep
their own. Every setting is listed in the README's Configuration table.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PATIENT_SERVICES = ("collector", "strategy", "executor", "dashboard")


class ServiceLogs(BaseModel):
    """Where one service's logs live: CloudWatch log groups, a Loki stream selector, a local file."""

    cloudwatch: list[str] = Field(default_factory=list)
    loki: str | None = None
    file: str | None = None  # under DOCTOR_LOCAL_LOGS_DIR; default <service>.log / .jsonl / .gz
    channel: str | None = None  # Slack channel for this service's alerts and post-deploy checks


def _patient_map() -> dict[str, ServiceLogs]:
    out = {s: ServiceLogs(cloudwatch=[f"/ecs/patient/{s}"], loki=f'{{service="{s}"}}') for s in PATIENT_SERVICES}
    # The database's own log (RDS exports it) and ECS service events (an EventBridge rule
    # writes them to a log group) often hold the cause the services only see the effect of.
    out["postgres"] = ServiceLogs(cloudwatch=["/aws/rds/instance/patient-postgres/postgresql"],
                                  loki='{service="postgres"}')
    out["ecs-events"] = ServiceLogs(cloudwatch=["/aws/events/ecs/patient"], loki='{service="ecs-events"}')  # see terraform/patient/logs.tf
    return out


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOCTOR_", env_file=None, extra="ignore")

    # Digest
    budget_tokens: int = Field(6000, ge=200, description="Token budget of a rendered digest.")
    redaction_key: SecretStr | None = Field(
        None, description="Key of the placeholders' hashes; set it so every instance names a secret alike."
    )
    redact_extra: tuple[str, ...] = Field(
        (), description="Optional redactions on top of secrets: ipv4, ipv6, aws_account_id."
    )
    max_line_chars: int = Field(16_384, ge=256, description="Longer lines are cut to this many characters.")
    digest_workers: int = Field(
        0, ge=0, description="Processes that read large log files (over 32 MB) for `doctor analyze/digest`; 0 = one per core."
    )

    # Diagnosis and fixes
    terraform_dir: Path = Field(Path("terraform"), description="The Terraform tree fixes are proposed against.")
    terraform_bin: str = Field("terraform", description="terraform binary used for `terraform fmt`.")
    checkov_bin: str | None = Field(None, description="checkov, run as a separate tool; default PATH or .venv-checkov.")
    signatures_file: Path | None = Field(None, description="Extra signature catalog (YAML) merged over the bundled one.")

    # Slack and jobs
    slack_signing_secret: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET"))
    slack_team_ids: list[str] = Field(default_factory=list, description="Workspaces allowed (team ids); empty = any.")
    job_deadline_seconds: float = Field(300.0, gt=0, description="An analysis that runs longer is reported as such.")
    job_concurrency: int = Field(2, ge=1, description="Analyses running at once in one instance.")
    slack_bot_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_api_base_url: str = Field("https://slack.com/api/", validation_alias=AliasChoices("SLACK_API_BASE_URL"))
    slack_diff_upload_chars: int = Field(2900, ge=0, description="A longer diff is uploaded as fix.patch (needs "
                                         "the bot token); otherwise it is split across code blocks.")
    slack_response_url_seconds: float = Field(1800.0, ge=0, description="How long a response_url is used (Slack: "
                                              "30 minutes, 5 uses); after that the bot token posts.")
    terraform_allowed_users: list[str] = Field(default_factory=list, description="/terraform: user (U...) or "
                                               "user group (S...) ids allowed; empty = everyone.")
    terraform_allowed_channels: list[str] = Field(default_factory=list, description="/terraform: channel ids; empty = any.")

    # Production shape: Cloud Tasks, the service's own URL, report links
    job_backend: Literal["inprocess", "cloudtasks"] = Field("inprocess", description="Where jobs run: in this "
                                                            "process, or as Cloud Tasks calling POST /tasks/run.")
    service_url: str | None = Field(None, description="This service's public URL: Cloud Tasks' target and OIDC "
                                    "audience, and the base of report links.")
    tasks_queue: str | None = Field(None, description="projects/P/locations/L/queues/Q")
    tasks_service_account: str | None = Field(None, description="The account Cloud Tasks mints OIDC tokens for.")
    tasks_emulator_host: str | None = Field(None, description="host:port of a Cloud Tasks emulator (local, tests).")
    oidc_certs_url: str = Field("https://www.googleapis.com/oauth2/v1/certs",
                                description="Google's token signing certificates (tests: a local server).")
    report_signing_key: SecretStr | None = Field(None, description="Signs report links; the same on every "
                                                 "instance (unset: random per process).")
    report_link_days: float = Field(7.0, gt=0, description="How long a report link posted to Slack works.")
    report_token: SecretStr | None = Field(None, description="Bearer token that opens every report page.")
    log_format: Literal["json", "text"] = Field("json", description="`doctor serve` logs: JSON lines or plain text.")

    # Alerts and deploys
    alert_token: SecretStr | None = Field(None, description="Bearer token Alertmanager and Grafana send to /alerts/*.")
    grafana_hmac_secret: SecretStr | None = Field(None, description="When set, Grafana's HMAC signature is required too.")
    grafana_signature_header: str = Field("X-Grafana-Alerting-Signature", description="Grafana's hmacConfig.header.")
    grafana_timestamp_header: str | None = Field("X-Grafana-Alerting-Timestamp", description="hmacConfig."
                                                 "timestampHeader; signed as '<timestamp>:<body>' when present.")
    sns_topic_arns: list[str] = Field(default_factory=list, description="SNS topics accepted at /alerts/sns; "
                                      "empty = none.")
    sns_host_pattern: str = Field(r"^sns\.[a-zA-Z0-9\-]{3,}\.amazonaws\.com(\.cn)?$", description="Hosts the "
                                  "SNS signing certificate and SubscribeURL may come from (tests: a loopback host).")
    sns_require_https: bool = Field(True, description="Fetch SNS certificates and SubscribeURL over https only "
                                    "(false only in tests).")
    alert_cooldown_minutes: float = Field(30.0, ge=0, description="A firing alert with the same fingerprint "
                                          "within this time attaches to the open incident.")
    alert_max_analyses_per_hour: int = Field(6, ge=1, description="Per service; past it, alerts are attached.")
    alert_lookback: str = Field("30m", description="How far before an alert's start its analysis looks.")
    alert_channel: str | None = Field(None, description="Slack channel for alerts of services with no channel "
                                      "in the service map.")
    deploy_token: SecretStr | None = Field(None, description="Bearer token the deploy workflows send to /deploys.")
    deploy_lookback_minutes: float = Field(120.0, ge=0, description="Deploys this long before a window are listed.")
    deploy_regression_minutes: float = Field(30.0, ge=0, description="Errors starting this soon after a deploy "
                                             "make deploy_regression a candidate.")
    deploy_check_delay_seconds: float = Field(600.0, ge=0, description="Wait before a post-deploy check.")

    # Cloud providers: an order of providers, offline always last (the fallback)
    rca_provider: str = Field("offline", description="Root cause: 'gemini' or 'offline' (comma list = order).")
    fix_provider: str = Field("offline", description="Terraform fix: 'bedrock' or 'offline' (comma list = order).")
    gemini_model: str = "gemini-2.5-flash"
    google_cloud_project: str | None = Field(None, validation_alias=AliasChoices("GOOGLE_CLOUD_PROJECT"))
    google_cloud_location: str = Field("us-central1", validation_alias=AliasChoices("GOOGLE_CLOUD_LOCATION"))
    gemini_base_url: str | None = Field(None, description="Override of the Vertex AI endpoint (a proxy, tests).")
    bedrock_model_id: str = Field("us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                                  description="A Claude inference profile id (bare model ids are refused by Bedrock).")
    bedrock_region: str | None = Field(None, description="Bedrock's region; default AWS_REGION.")
    bedrock_endpoint_url: str | None = Field(None, description="Override of the Bedrock runtime endpoint (tests).")
    provider_timeout_seconds: float = Field(60.0, gt=0, description="Per call; Bedrock's read timeout is 5x this.")
    daily_budget_usd: float = Field(5.0, ge=0, description="Past this, cloud providers are skipped for the UTC day.")
    prices: dict[str, tuple[float, float]] | None = Field(None, description="USD per 1M tokens (in, out) by model.")
    database_url: str = Field("sqlite:///.doctor/doctor.db", description="SQLAlchemy URL; postgresql://... for PostgreSQL.")

    # Log sources and the service map
    services: dict[str, ServiceLogs] = Field(default_factory=_patient_map, description="Service map (JSON).")
    default_services: list[str] = Field(
        [*PATIENT_SERVICES, "postgres", "ecs-events"], description="Services analysed when none is named."
    )
    sources: tuple[str, ...] | None = Field(None, description="Sources to use; default: every configured one.")
    aws_region: str | None = Field(None, validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION"))
    loki_url: str | None = Field(None, description="Base URL of Loki, e.g. http://loki:3100.")
    loki_tenant: str | None = Field(None, description="X-Scope-OrgID for multi-tenant Loki.")
    loki_username: str | None = None
    loki_password: SecretStr | None = None
    loki_token: SecretStr | None = Field(None, description="Bearer token (Grafana Cloud uses basic auth instead).")
    loki_page_size: int = Field(5000, ge=100, le=5000, description="Entries per query_range call (Loki's cap is 5,000).")
    local_logs_dir: Path | None = Field(None, description="Directory of <service>.log files: the embedded source.")
    fetch_deadline_seconds: float = Field(40.0, gt=0, description="Per analysis (all its sources and services "
                                          "read newest first until then); at most half of job_deadline_seconds.")
    fetch_max_lines: int = Field(2_000_000, ge=1, description="Per analysis, shared by its (source, service) jobs "
                                 "and by the analyses running at once.")
    fetch_max_bytes: int = Field(512 * 1024 * 1024, ge=1024, description="Per analysis, shared like the lines; at "
                                 "most half the instance's memory (its cgroup limit).")
    default_window: str = Field("30m", description="How far back an analysis looks when not told.")
    fetch_workers: int = Field(
        0, ge=0, description="Processes that fetch and parse one analysis's sources: 0 = one per (source, "
        "service) job up to the cores (one on a 1-vCPU Cloud Run instance), N = at most N; 1 = one-off "
        "`doctor analyze` runs parse in-process. The service keeps these processes, so parsing never shares "
        "the interpreter that acknowledges Slack."
    )

@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
