"""A deploy, as a CI workflow reports it to `POST /deploys`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator


class Deploy(BaseModel):
    service: str = Field(min_length=1, max_length=100)
    version: str = Field(min_length=1, max_length=200, description="A tag, an image digest or a commit.")
    commit: str | None = Field(None, max_length=64)
    environment: str = Field("production", max_length=50)
    actor: str | None = Field(None, max_length=100)
    run_url: str | None = Field(None, max_length=500)
    status: Literal["success", "failure", "cancelled", "started"] = "success"
    at: datetime = Field(default_factory=lambda: datetime.now(UTC), description="When it went live (UTC).")
    check: bool = Field(False, description="Analyze the service's logs after the deploy; speak only if sick.")

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def line(self) -> str:
        """One line for a prompt, a Slack message or the report page."""
        parts = [f"{self.at:%Y-%m-%d %H:%M}Z {self.service} {self.version}"]
        if self.commit and self.commit not in self.version:
            parts.append(f"({self.commit[:12]})")
        parts.append(f"to {self.environment}, {self.status}")
        if self.actor:
            parts.append(f"by {self.actor}")
        if self.run_url:
            parts.append(self.run_url)
        return " ".join(parts)
