"""The Slack app manifest (`doctor slack-manifest`) and the one table of Web API methods → bot scopes.

The table is the single place that says which Slack permissions the code needs: the manifest asks
for exactly these scopes, `doctor check` compares them with what the installed token was granted,
and a test checks that every WebClient method the code calls is in it (and nothing else is).
"""

from __future__ import annotations

from urllib.parse import urlsplit

# WebClient method (as the code calls it) → the bot scope Slack requires for it.
# files_upload_v2 is slack_sdk's wrapper over files.getUploadURLExternal + files.completeUploadExternal.
METHOD_SCOPES: dict[str, str] = {
    "chat_postMessage": "chat:write",          # answers once response_url has expired, alerts, deploy checks
    "files_upload_v2": "files:write",          # a long Terraform diff as fix.patch
    "usergroups_users_list": "usergroups:read",  # DOCTOR_TERRAFORM_ALLOWED_USERS naming user groups (S...)
}
# Scopes not tied to a Web API call: `commands` lets the app own slash commands.
FEATURE_SCOPES: tuple[str, ...] = ("commands",)
# Socket Mode's app-level token (xapp-...) needs this scope to open connections (apps.connections.open).
APP_TOKEN_SCOPE = "connections:write"

COMMANDS = (
    {"command": "/analyze-logs", "description": "Diagnose an incident from its logs",
     "usage_hint": "[service=NAME] [since=30m] [until=...] [source=cloudwatch|loki|file] [query=\"text\"]"},
    {"command": "/terraform", "description": "Propose a proven Terraform fix (never applied)",
     "usage_hint": "[incident=ID | the problem in words]"},
)
EVENTS_PATH = "/slack/events"


def bot_scopes() -> list[str]:
    return sorted({*METHOD_SCOPES.values(), *FEATURE_SCOPES})


def manifest(*, url: str | None, socket_mode: bool = False, name: str = "Cloud Doctor") -> dict:
    """The app manifest. Over HTTP, Slack posts slash commands and button clicks to `<url>/slack/events`
    (https only); in Socket Mode they arrive over the WebSocket and no URL is needed."""
    request_url = None
    if not socket_mode:
        parts = urlsplit(url or "")
        if parts.scheme != "https" or not parts.netloc:
            raise ValueError("the service's public URL must be https://host[/path] (Slack posts only to https); "
                             "without one, use --socket-mode")
        request_url = (url or "").rstrip("/") + EVENTS_PATH
    commands = [{**c, "should_escape": False, **({"url": request_url} if request_url else {})} for c in COMMANDS]
    interactivity = {"is_enabled": True, **({"request_url": request_url} if request_url else {})}
    return {
        "display_information": {
            "name": name,
            "description": "Reads an incident's logs, names the root cause, proposes a proven Terraform fix.",
        },
        "features": {
            "bot_user": {"display_name": name, "always_online": False},
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": bot_scopes()}},
        "settings": {
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }
