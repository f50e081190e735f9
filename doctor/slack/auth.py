"""Who may ask for Terraform fixes: configured users, members of configured user groups, in configured channels."""

from __future__ import annotations

import asyncio

from doctor.config import Settings
from doctor.deliver.slack_api import web_client


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
    # lazy: slack_sdk's Web API and Socket Mode clients stay off the acknowledgement path
    from slack_sdk.errors import SlackApiError

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
