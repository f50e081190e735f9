"""All configuration, in one settings object.

Environment variables use the `DOCTOR_` prefix, except vendor-standard names
(`SLACK_SIGNING_SECRET`, `AWS_REGION`, `GOOGLE_CLOUD_PROJECT`...), which keep
their own. Every setting is listed in the README's Configuration table.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOCTOR_", env_file=None, extra="ignore")

    # Digest
    budget_tokens: int = Field(6000, ge=200, description="Token budget of a rendered digest.")
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
    signatures_file: Path | None = Field(None, description="Extra signature catalog (YAML) merged over the bundled one.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
