"""All configuration, in one settings object.

Environment variables use the `DOCTOR_` prefix, except vendor-standard names
(`SLACK_SIGNING_SECRET`, `AWS_REGION`, `GOOGLE_CLOUD_PROJECT`...), which keep
their own. Every setting is listed in the README's Configuration table.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PATIENT_SERVICES = ("collector", "strategy", "executor", "dashboard")


# Bounds of the platform filters (the service map can come from the environment): a line is
# tested against at most MAX_MATCHES substrings of at most MAX_MATCH_CHARS each, linear time.
MAX_MATCHES = 8
MAX_MATCH_CHARS = 200
SERVICE_PLACEHOLDER = "{service}"


class PlatformLink(BaseModel):
    """A platform stream a service's analysis reads too: another entry of the map (its ECS events,
    its database, its load balancer), narrowed to the lines about this service."""

    stream: str
    # A line is kept when it contains one of these ("{service}" = this service's name); None: the
    # stream's own `match`; []: every line (a database the service uses is its cause as a whole).
    match: list[str] | None = Field(None, max_length=MAX_MATCHES)

    @field_validator("match")
    @classmethod
    def _bounded(cls, v: list[str] | None) -> list[str] | None:
        return _check_matches(v) if v is not None else v


def _check_matches(v: list[str]) -> list[str]:
    for m in v:
        if not 0 < len(m) <= MAX_MATCH_CHARS:
            raise ValueError(f"a platform match is 1 to {MAX_MATCH_CHARS} characters, not {len(m)}")
    return v


# Bounds of a service map entry's source keys: which sources there are is the registry's
# (doctor.sources.SOURCES), and each source parses and bounds its own value.
MAX_SOURCE_KEYS = 16
MAX_SOURCE_KEY_CHARS = 64


class ServiceLogs(BaseModel):
    """Where one service's logs live, and which platform streams belong with it.

    `logs` holds what the map gives each log source, keyed by the source's name (`"cloudwatch":
    [...]`, `"loki": "..."`, `"file": "..."` are keys at the entry's top level, as written in
    DOCTOR_SERVICES). This model does not know the sources: the registry checks the keys and each
    source parses its own value (`doctor.sources.service_map`)."""

    logs: dict[str, Any] = Field(default_factory=dict)
    channel: str | None = None  # Slack channel for this service's alerts and post-deploy checks
    # Other entries an analysis of this service reads too: "ecs-events" or {"stream": ..., "match": [...]}.
    platform: list[PlatformLink] = Field(default_factory=list)
    # When this entry is read as another service's platform stream: the lines kept are those containing
    # one of these ("{service}" = that service); empty: every line.
    match: list[str] = Field(default_factory=list, max_length=MAX_MATCHES)

    @model_validator(mode="before")
    @classmethod
    def _source_keys(cls, v: object) -> object:
        # Every key that is not one of the entry's own fields is a source's: `{"loki": "..."}`.
        if not isinstance(v, dict):
            return v
        own = {k: x for k, x in v.items() if k in cls.model_fields}
        logs = {k: x for k, x in v.items() if k not in cls.model_fields}
        given = own.get("logs", {})
        if not isinstance(given, dict):
            return own  # `logs` itself is not a mapping: the field's own validation says so
        logs = {**given, **logs}
        if len(logs) > MAX_SOURCE_KEYS:
            raise ValueError(f"at most {MAX_SOURCE_KEYS} log source keys in one entry, not {len(logs)}")
        for k in logs:
            if not isinstance(k, str) or not 0 < len(k) <= MAX_SOURCE_KEY_CHARS:
                raise ValueError(f"a log source key is 1 to {MAX_SOURCE_KEY_CHARS} characters")
        return {**own, "logs": logs}

    @field_validator("platform", mode="before")
    @classmethod
    def _names(cls, v: object) -> object:
        # A bare name is the common case: `"platform": ["ecs-events", "postgres"]`.
        return [{"stream": x} if isinstance(x, str) else x for x in v] if isinstance(v, list) else v

    @field_validator("match")
    @classmethod
    def _bounded(cls, v: list[str]) -> list[str]:
        return _check_matches(v)

    def matches_for(self, link: PlatformLink, service: str) -> tuple[str, ...]:
        """What a line of this (platform) entry must contain to belong with `service`; () = anything."""
        return tuple(dict.fromkeys(m.replace(SERVICE_PLACEHOLDER, service)
                                   for m in (self.match if link.match is None else link.match)))


def _patient_map() -> dict[str, ServiceLogs]:
    # Every service runs on ECS and uses the database, so both belong with each service's analysis:
    # an OOM kill is only in ECS's events, a full connection table only in PostgreSQL's log.
    out = {s: ServiceLogs(logs={"cloudwatch": [f"/ecs/patient/{s}"], "loki": f'{{service="{s}"}}'},
                          platform=[PlatformLink(stream="ecs-events"), PlatformLink(stream="postgres")])
           for s in PATIENT_SERVICES}
    # The database's own log (RDS exports it) and ECS service events (an EventBridge rule
    # writes them to a log group) often hold the cause the services only see the effect of.
    out["postgres"] = ServiceLogs(logs={"cloudwatch": ["/aws/rds/instance/patient-postgres/postgresql"],
                                        "loki": '{service="postgres"}'})
    # ECS names the service in its service events, "(service executor) ...", and in the task state
    # change events EventBridge writes as JSON, "group":"service:executor" (ECS service names are the
    # map's: terraform/patient/ecs.tf).
    out["ecs-events"] = ServiceLogs(logs={"cloudwatch": ["/aws/events/ecs/patient"],  # see terraform/patient/logs.tf
                                          "loki": '{service="ecs-events"}'},
                                    match=["(service {service})", '"service:{service}"'])
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
    slack_app_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_APP_TOKEN"),
                                              description="App-level token (xapp-...) for `doctor serve --socket-mode`.")
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

    # The HTTP edge's limits (README "Security")
    max_body_bytes: int = Field(1_048_576, ge=1024, description="Request bodies larger than this are refused "
                                "with 413 before they are read (Content-Length or the stream).")
    log_max_chars: int = Field(4096, ge=256, description="A log message is cut to this many characters before it "
                               "is redacted and written.")
    forwarded_allow_ips: str = Field("127.0.0.1", description="Peers whose X-Forwarded-For/-Proto are believed "
                                     "(comma list of IPs or CIDRs, '*' = any; uvicorn's setting).")
    slack_response_url_hosts: list[str] = Field(["hooks.slack.com"], description="Hosts a Slack response_url may "
                                                "point at (https only); others are refused (tests: a loopback host).")
    shutdown_grace_seconds: float = Field(8.0, ge=0, description="On SIGTERM, how long running in-process jobs "
                                          "may finish before they are recorded as interrupted (Cloud Run: 10 s).")

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
    sns_max_age_seconds: float = Field(3600.0, gt=0, description="SNS messages whose Timestamp is older than "
                                       "this are refused (a replay).")
    sns_cert_cache_size: int = Field(16, ge=1, description="SNS signing certificates kept (by URL, least recently "
                                     "used dropped).")
    alert_max_per_payload: int = Field(100, ge=1, description="A delivery with more alerts is refused (400).")
    alert_max_labels: int = Field(64, ge=1, description="Labels or annotations per alert; more are refused (400).")
    alert_max_field_chars: int = Field(2048, ge=64, description="A longer label or annotation value is cut to "
                                       "this (keys: 256) before anything else reads it.")
    alert_retention_days: float = Field(30.0, gt=0, description="Stored alerts older than this are deleted.")
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

    # The doctor's rounds (doctor/jobs/rounds.py): a scheduled check-up of every mapped service
    rounds_every_minutes: float = Field(15.0, ge=1, le=1440, description="A round reads this last interval (and "
                                        "rounds are this far apart: Cloud Scheduler's cron says the same).")
    rounds_baseline_minutes: float = Field(120.0, ge=5, le=1440, description="The hours before the interval a "
                                           "round compares it with.")
    rounds_services: list[str] = Field(default_factory=list, description="Services a round checks; empty = every "
                                       "service of the service map.")
    rounds_cloud_min_lines: int = Field(200, ge=0, description="A round's finding is diagnosed by the cloud "
                                        "providers only when its new or bursting error lines reach this many; "
                                        "below it, the offline engine (no cost).")

    # Incident memory (doctor/diagnose/fingerprint.py)
    memory_similarity: float = Field(0.5, gt=0, le=1, description="Jaccard similarity of two incidents' evidence "
                                     "(same category and service) from which the earlier one is shown as seen before.")

    # Cloud providers: an order of providers, offline always last (the fallback)
    rca_provider: str = Field("offline", description="Root cause: 'gemini' or 'offline' (comma list = order).")
    fix_provider: str = Field("offline", description="Terraform fix: 'bedrock' or 'offline' (comma list = order).")
    gemini_model: str = Field("gemini-3.5-flash", description="A current Vertex AI model id (checked 2026-12-01; "
                              "a retired id answers 404).")
    gemini_thinking: Literal["minimal", "low", "medium", "high"] = Field(
        "low", description="How much Gemini thinks: the level for Gemini 3, a token budget for 2.5.")
    gemini_max_output_tokens: int = Field(8192, ge=1024, le=65536, description="Gemini's output cap, thinking "
                                          "included; a cut answer is asked again once with twice the cap.")
    google_cloud_project: str | None = Field(None, validation_alias=AliasChoices("GOOGLE_CLOUD_PROJECT"))
    google_cloud_location: str = Field("us-central1", validation_alias=AliasChoices("GOOGLE_CLOUD_LOCATION"))
    gemini_base_url: str | None = Field(None, description="Override of the Vertex AI endpoint (a proxy, tests).")
    bedrock_model_id: str = Field("us.anthropic.claude-sonnet-4-6",
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

    @model_validator(mode="after")
    def _platform_streams_exist(self) -> Settings:
        for name, m in self.services.items():
            for link in m.platform:
                if link.stream == name or link.stream not in self.services:
                    known = ", ".join(sorted(set(self.services) - {name}))
                    raise ValueError(f"service {name!r}: platform stream {link.stream!r} is not another entry "
                                     f"of the service map (known: {known})")
        return self

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

    # --- Settings named by their environment variables (log sources declare theirs: doctor.sources)
    @classmethod
    def env_name(cls, field: str) -> str:
        """The environment variable that sets `field`: its vendor name (AWS_REGION), or DOCTOR_<FIELD>."""
        alias = cls.model_fields[field].validation_alias
        if isinstance(alias, AliasChoices):
            return str(alias.choices[0])
        return f"DOCTOR_{field.upper()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
