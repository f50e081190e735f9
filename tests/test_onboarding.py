"""Onboarding: the Slack app manifest and its scopes, and `doctor slack-manifest`."""

import ast
import json

import yaml
from slack_sdk import WebClient

from doctor.cli import main
from doctor.slack.manifest import FEATURE_SCOPES, METHOD_SCOPES, bot_scopes, manifest

from .conftest import REPO


def _web_api_calls() -> set[str]:
    """Every WebClient Web API method the doctor's code calls, found in its source."""
    api_methods = {name for name in dir(WebClient) if not name.startswith("_") and "_" in name
                   and name not in ("api_call",)}
    called = set()
    for path in (REPO / "doctor").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in api_methods:
                called.add(node.attr)
    return called


def test_the_scope_table_is_exactly_the_web_api_methods_the_code_calls():
    # apps.connections.open (Socket Mode), auth.test (doctor check) and views.open (the verdict form) need
    # no bot scope: the first runs with the app-level token, the others with any token (views.open with
    # the trigger_id of a click; https://docs.slack.dev/reference/methods/views.open: "No scopes required").
    assert _web_api_calls() - {"apps_connections_open", "auth_test", "views_open"} == set(METHOD_SCOPES)


def test_the_manifest_asks_for_exactly_the_scopes_the_code_needs():
    m = manifest(url="https://doctor.example.com/")
    assert m["oauth_config"]["scopes"]["bot"] == sorted({*METHOD_SCOPES.values(), *FEATURE_SCOPES}) == bot_scopes()
    assert bot_scopes() == ["chat:write", "commands", "files:write", "usergroups:read"]


def test_http_manifest_points_both_commands_and_buttons_at_the_events_route():
    m = manifest(url="https://doctor.example.com/")
    commands = {c["command"]: c for c in m["features"]["slash_commands"]}
    assert set(commands) == {"/analyze-logs", "/terraform"}
    assert {c["url"] for c in commands.values()} == {"https://doctor.example.com/slack/events"}
    assert m["settings"]["interactivity"] == {"is_enabled": True,
                                              "request_url": "https://doctor.example.com/slack/events"}
    assert m["settings"]["socket_mode_enabled"] is False


def test_socket_mode_manifest_needs_no_url():
    m = manifest(url=None, socket_mode=True)
    assert m["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in m["settings"]["interactivity"]
    assert all("url" not in c for c in m["features"]["slash_commands"])


def test_cli_prints_yaml_and_json(capsys):
    assert main(["slack-manifest", "--url", "https://doctor.example.com"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed == manifest(url="https://doctor.example.com")
    assert main(["slack-manifest", "--socket-mode", "--format", "json", "--name", "Doc"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["display_information"]["name"] == "Doc" and printed["settings"]["socket_mode_enabled"]


def test_cli_refuses_a_url_slack_cannot_post_to(capsys):
    assert main(["slack-manifest", "--url", "http://doctor.example.com"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("doctor: the service's public URL must be https://") and "--socket-mode" in err
    assert main(["slack-manifest"]) == 2
