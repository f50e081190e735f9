"""An alert, normalized from whichever system sent it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class Alert(BaseModel):
    source: Literal["alertmanager", "grafana", "sns"]
    fingerprint: str  # the sender's identity of the alert: same labels (or same alarm), same fingerprint
    name: str
    status: Literal["firing", "resolved"]
    service: str | None = None  # a service of the service map, when the labels name one
    severity: str | None = None
    summary: str | None = None
    description: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    links: dict[str, str] = Field(default_factory=dict)  # generator, dashboard, silence, alarm console...
    delivery_id: str | None = None  # set when the sender retries with the same id (SNS MessageId)

    def line(self) -> str:
        """One line for a prompt and a Slack message."""
        where = f" on {self.service}" if self.service else ""
        since = f" since {self.starts_at:%H:%M}Z" if self.starts_at else ""
        sev = f" [{self.severity}]" if self.severity else ""
        return f"{self.name}{sev}{where} {self.status}{since}" + (f": {self.summary}" if self.summary else "")


class Rejected(Exception):
    """The sender is not who it says, or not allowed: 401 or 403, nothing stored."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
