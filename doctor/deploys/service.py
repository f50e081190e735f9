"""Deploys recorded, found for a window, and correlated with the start of errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from doctor.deploys.models import Deploy

if TYPE_CHECKING:
    from doctor.store import Store


def record(deploy: Deploy, *, store: Store, redact) -> Deploy:
    """Store a deploy; free text (actor, URLs) goes through the redactor like every stored line."""
    clean = deploy.model_copy(update={k: redact(v) for k, v in deploy.model_dump().items()
                                      if isinstance(v, str) and k in ("actor", "run_url", "version")})
    store.add_deploy(service=clean.service, at=clean.at, deploy=clean.model_dump(mode="json"))
    return clean


def deploys_for(*, store: Store, services: list[str], start: datetime, end: datetime, lookback: timedelta) -> list[Deploy]:
    """Deploys of `services` in the window and within `lookback` before it, newest first."""
    if not services:
        return []
    return [Deploy.model_validate(d) for d in store.deploys_between(services, start - lookback, end)]


def suspect_deploy(deploys: list[Deploy], *, errors_start: datetime | None, within: timedelta) -> Deploy | None:
    """The newest successful deploy that went live at most `within` before the errors started."""
    if errors_start is None:
        return None
    for d in deploys:  # newest first
        if d.status == "success" and d.at <= errors_start <= d.at + within:
            return d
    return None


def regression_note(deploy: Deploy, *, errors_start: datetime) -> str:
    minutes = (errors_start - deploy.at).total_seconds() / 60
    return (f"Errors started {minutes:.0f} min after the deploy of {deploy.service} {deploy.version} "
            f"({deploy.at:%H:%M}Z{', by ' + deploy.actor if deploy.actor else ''}).")
