"""Who may ask for Terraform fixes: configured users, members of configured user groups, in configured channels."""

from __future__ import annotations

import asyncio

from doctor.config import Settings


async def may_propose_fixes(settings: Settings, *, user: str, channel: str) -> tuple[bool, str]:
    if settings.terraform_allowed_channels and channel not in settings.terraform_allowed_channels:
        return False, "Terraform fixes are not proposed in this channel; ask in one of the incident channels."
    allowed = settings.terraform_allowed_users
    if not allowed or user in allowed:
        return True, ""
    groups = [g for g in allowed if g.startswith("S")]
    if groups and settings.slack_bot_token:
        members = await asyncio.to_thread(_group_members, settings, groups)
        if user in members:
            return True, ""
    return False, "Sorry, Terraform fixes are limited to the on-call team. Ask someone in it, or see the runbook."


def _group_members(settings: Settings, groups: list[str]) -> set[str]:
    from slack_sdk.errors import SlackApiError

    from doctor.slack.api import web_client

    # This runs inside the acknowledgement (Slack waits 3 s): a slow lookup grants nothing rather than
    # making the command fail with operation_timeout.
    client = web_client(settings, timeout=1.5)
    members: set[str] = set()
    for group in groups:
        try:
            members.update(client.usergroups_users_list(usergroup=group).get("users", []))
        except (SlackApiError, OSError, TimeoutError):
            continue  # a group we cannot read (in time) grants nobody
    return members


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def response_url_allowed(url: str, settings: Settings) -> bool:
    """A response_url we will POST to: https on one of Slack's hosts (DOCTOR_SLACK_RESPONSE_URL_HOSTS), no
    userinfo, no port. A loopback host listed there (tests) may use http and a port. Anything else would
    let whoever writes the job's arguments make the doctor send a diagnosis wherever they like."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return False
    if not host or parts.username is not None or parts.password is not None:
        return False
    if host not in settings.slack_response_url_hosts:
        return False
    if host in _LOOPBACK:
        return parts.scheme in ("http", "https")
    return parts.scheme == "https" and port is None


def mrkdwn_escape(text: str) -> str:
    """Text from outside (an alert's name, summary) shown in a Slack message: Slack's control characters
    escaped, so it cannot ping <!channel>, link, or mention users."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
