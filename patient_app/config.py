"""The patient's settings (environment variables prefixed PATIENT_, vendor names kept)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

VERSION = "1.7.2"
COMPONENTS = ("collector", "strategy", "executor", "dashboard")


class PatientSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PATIENT_", extra="ignore")

    version: str = VERSION
    database_url: str = Field("sqlite:///.patient/patient.db", validation_alias=AliasChoices(
        "PATIENT_DATABASE_URL", "DATABASE_URL"))
    # On ECS the task gets the RDS address and its managed password separately (terraform/patient).
    db_host: str | None = Field(None, validation_alias=AliasChoices("PATIENT_DB_HOST", "DB_HOST"))
    db_user: str = Field("trader", validation_alias=AliasChoices("PATIENT_DB_USER", "DB_USER"))
    db_password: SecretStr | None = Field(None, validation_alias=AliasChoices("PATIENT_DB_PASSWORD", "DB_PASSWORD"))
    db_name: str = Field("trading", validation_alias=AliasChoices("PATIENT_DB_NAME", "DB_NAME"))
    db_pool_size: int = 5
    db_max_overflow: int = 10
    db_pool_timeout: float = Field(30.0, description="Seconds a component waits for a pooled connection.")
    archive_dir: Path = Field(Path(".patient/archive"), description="The collector's daily tick files.")

    symbols: tuple[str, ...] = ("BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT")
    seed: int = 7
    tick_seconds: float = 5.0
    replay_csv: Path | None = Field(None, description="Replay ticks (timestamp,symbol,price,volume) instead of "
                                    "the random walk.")
    fast_window: int = 5
    slow_window: int = 20
    order_quantity: float = 0.1
    max_position: float = 0.5  # per symbol, in units
    max_daily_loss: float = 500.0  # USDT; past it the executor stops opening positions

    memory_limit_mib: int = Field(1024, ge=16, description="The container's memory (the executor's task "
                                  "definition); past it the platform kills the process.")

    exchange_url: str | None = Field(None, description="The exchange API; default the in-app paper exchange.")
    exchange_timeout: float = 10.0
    exchange_weight_per_minute: int = 1200
    exchange_api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("PATIENT_EXCHANGE_API_KEY",
                                                                                  "EXCHANGE_API_KEY"))
    exchange_key_secret_id: str | None = Field(None, description="Secrets Manager id of the exchange key "
                                               "(read with the task role) instead of PATIENT_EXCHANGE_API_KEY.")

    redis_url: str | None = Field(None, validation_alias=AliasChoices("PATIENT_REDIS_URL", "REDIS_URL"))
    loki_url: str | None = Field(None, validation_alias=AliasChoices("PATIENT_LOKI_URL", "LOKI_URL"))
    cloudwatch_log_group_prefix: str | None = Field(None, description="e.g. /ecs/patient: one group per component.")
    aws_region: str | None = Field(None, validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION"))
    ship_buffer: int = Field(10_000, ge=1, description="Log lines held for a sink; past it lines are dropped.")
    chaos_token: SecretStr | None = Field(None, description="Bearer token for POST /chaos/{scenario}.")

    @model_validator(mode="after")
    def _database_from_parts(self):
        if self.db_host and self.database_url == "sqlite:///.patient/patient.db":
            password = quote(self.db_password.get_secret_value(), safe="") if self.db_password else ""
            self.database_url = (f"postgresql://{quote(self.db_user, safe='')}:{password}@{self.db_host}:5432/"
                                 f"{self.db_name}?sslmode=require")
        return self
