"""Socket Mode: slack_sdk's own client against a local server speaking Slack's documented envelopes.

https://api.slack.com/apis/socket-mode: apps.connections.open (app-level token) returns a WebSocket
URL; the server sends `hello`, then envelopes (`slash_commands`, `interactive`, ...) which the app
acknowledges by sending back `{"envelope_id": ...}` (with a `payload` where it answers).
"""

import asyncio
import json
import threading
import time

import pytest

from doctor.config import Settings
from doctor.demo.scenarios import SCENARIOS, write_window

from .conftest import REPO, WINDOW
from .fakes.slack_api import SlackResponses, SlackWebAPI
from .fakes.slack_socket import SocketModeServer

APP_TOKEN = "xapp-1-A0001-1-test"


@pytest.fixture
def socket_doctor(tmp_path):
    """`serve()` on its own loop in a thread, connected through the fake Web API to the local server."""
    from doctor.slack.socket_mode import serve as serve_socket_mode

    logs = tmp_path / "logs"
    write_window(SCENARIOS["memory_leak_oom"], logs)
    web, ws, responses = SlackWebAPI(), SocketModeServer(), SlackResponses()
    web.socket_url = ws.url
    web.tokens_allowed = {APP_TOKEN}  # apps.connections.open only with the app-level token
    settings = Settings(slack_app_token=APP_TOKEN, slack_api_base_url=web.url, local_logs_dir=logs,
                        terraform_dir=REPO / "terraform", database_url=f"sqlite:///{tmp_path / 'doctor.db'}")
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    thread = threading.Thread(target=lambda: loop.run_until_complete(serve_socket_mode(settings, stop=stop)),
                              daemon=True)
    thread.start()
    assert ws.connected.wait(30), "the client never connected"
    yield ws, web, responses
    loop.call_soon_threadsafe(stop.set)
    thread.join(timeout=30)
    ws.close()
    web.close()
    responses.server.shutdown()


def _slash(envelope_id, text, responses, *, command="/analyze-logs", trigger="t-sm-1"):
    return {"envelope_id": envelope_id, "type": "slash_commands", "accepts_response_payload": True,
            "payload": {"token": "deprecated", "team_id": "T0001", "team_domain": "acme", "channel_id": "C2147483705",
                        "channel_name": "incidents", "user_id": "U2147483697", "user_name": "oncall",
                        "command": command, "text": text, "api_app_id": "A0001", "is_enterprise_install": "false",
                        "response_url": responses.url, "trigger_id": trigger}}


def _click(envelope_id, incident_id, responses):
    return {"envelope_id": envelope_id, "type": "interactive", "accepts_response_payload": False,
            "payload": {"type": "block_actions", "team": {"id": "T0001"}, "user": {"id": "U2147483697"},
                        "channel": {"id": "C2147483705"}, "trigger_id": "t-sm-click",
                        "container": {"type": "message", "message_ts": "1700000000.000200"},
                        "response_url": responses.url, "actions": [{"action_id": "propose_fix", "value": incident_id,
                                                                    "type": "button", "action_ts": "1700000001.0"}]}}


def test_slash_command_and_button_over_socket_mode(socket_doctor):
    ws, web, responses = socket_doctor
    # The connection was opened with the app-level token, through the Web API's apps.connections.open.
    assert f"Bearer {APP_TOKEN}" in web.tokens
    ws.send(_slash("env-1", f"service=executor,ecs-events {WINDOW}", responses))
    ack = ws.ack("env-1")
    assert ack["payload"] == {"response_type": "in_channel",
                              "text": "🩺 Analyzing `executor, ecs-events` logs since 2026-11-20T09:00:00Z…"}
    answer = responses.wait(2)[-1]  # the job ran and answered through response_url, as over HTTP
    assert answer["response_type"] == "in_channel" and answer["text"].startswith("🩺")
    (actions,) = [b for b in answer["blocks"] if b["type"] == "actions"]
    incident_id = actions["elements"][0]["value"]

    ws.send(_click("env-2", incident_id, responses))
    assert ws.ack("env-2") == {"envelope_id": "env-2"}  # a button's acknowledgement carries no message
    deadline = time.time() + 90
    while not any(m.get("text", "").startswith("🛠️ Terraform fix") for m in responses.messages) \
            and time.time() < deadline:
        time.sleep(0.1)
    (fix,) = [m for m in responses.messages if m.get("text", "").startswith("🛠️ Terraform fix")]
    assert "aws_ecs_task_definition.executor" in json.dumps(fix["blocks"])


def test_usage_errors_and_other_envelopes_are_acknowledged(socket_doctor):
    ws, web, responses = socket_doctor
    ws.send(_slash("env-u", "since=yesterday-ish nonsense", responses))
    ack = ws.ack("env-u")
    assert ack["payload"]["response_type"] == "ephemeral" and "is not an argument I know" in ack["payload"]["text"]
    # The same trigger twice (Slack's retry) starts one analysis, as over HTTP.
    ws.send(_slash("env-a", f"service=executor {WINDOW}", responses, trigger="t-dup"))
    ws.send(_slash("env-b", f"service=executor {WINDOW}", responses, trigger="t-dup"))
    texts = {ws.ack("env-a")["payload"]["text"], ws.ack("env-b")["payload"]["text"]}
    assert "This request is already being analyzed; the answer will appear here." in texts
    # An Events API envelope is not ours, but Slack redelivers anything unacknowledged.
    ws.send({"envelope_id": "env-e", "type": "events_api", "accepts_response_payload": False,
             "payload": {"type": "event_callback", "event": {"type": "app_mention", "text": "hi"}}})
    assert ws.ack("env-e") == {"envelope_id": "env-e"}


def test_socket_mode_without_an_app_token_says_what_to_set():
    from doctor.slack.socket_mode import SocketModeEdge

    with pytest.raises(ValueError, match="Socket Mode needs SLACK_APP_TOKEN"):
        SocketModeEdge(Settings())


def test_past_the_ack_budget_the_user_is_told_and_nothing_starts(socket_doctor, monkeypatch, tmp_path):
    import doctor.slack.handlers
    import doctor.slack.socket_mode
    from doctor.store import Store

    ws, web, responses = socket_doctor
    slow = threading.Event()

    async def slow_permission(settings, *, user, channel):  # a user-group lookup that hangs
        await asyncio.to_thread(slow.wait, 10)
        return True, ""

    monkeypatch.setattr(doctor.slack.socket_mode, "ACK_TIMEOUT_SECONDS", 0.3)
    # Patched where the handlers look it up (they import it by name).
    monkeypatch.setattr(doctor.slack.handlers, "may_propose_fixes", slow_permission)
    ws.send(_slash("env-slow", "incident=abc", responses, command="/terraform", trigger="t-slow"))
    ack = ws.ack("env-slow")
    slow.set()
    assert ack["payload"] == {"response_type": "ephemeral",
                              "text": "❌ Cloud Doctor could not take this request; please try again."}
    time.sleep(0.5)  # the permission check returned: had the handler not been cancelled, the job would exist now
    assert Store(f"sqlite:///{tmp_path / 'doctor.db'}").get_job("slack:fix:t-slow") is None


def test_a_refused_app_token_is_one_line_not_a_traceback(monkeypatch, capsys):
    from doctor.cli import main
    from doctor.config import get_settings

    web = SlackWebAPI()
    web.tokens_allowed = set()  # Slack answers invalid_auth
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-revoked")
    monkeypatch.setenv("SLACK_API_BASE_URL", web.url)
    monkeypatch.setenv("DOCTOR_LOG_FORMAT", "text")
    get_settings.cache_clear()
    try:
        assert main(["serve", "--socket-mode"]) == 2
    finally:
        get_settings.cache_clear()
        web.close()
    assert capsys.readouterr().err.startswith("doctor: Slack refused to open a Socket Mode connection (invalid_auth)")


# -- the on-call's verdict over Socket Mode ------------------------------------------------------------

def _verdict_envelope(envelope_id, payload):
    return {"envelope_id": envelope_id, "type": "interactive", "accepts_response_payload": True, "payload": payload}


def test_verdicts_over_socket_mode(socket_doctor, tmp_path):
    from doctor.store import Store

    ws, web, responses = socket_doctor
    store = Store(f"sqlite:///{tmp_path / 'doctor.db'}")
    incident_id = store.save_incident(title="Executor OOM", category="oom",
                                      diagnosis={"category": "oom", "provider": "offline"}, fix=None, digest={})
    ws.send(_verdict_envelope("env-v1", {
        "type": "block_actions", "team": {"id": "T0001"}, "user": {"id": "U0CAROL"}, "channel": {"id": "C2147483705"},
        "trigger_id": "t-sm-v1", "container": {"type": "message", "message_ts": "1700000000.000300"},
        "response_url": responses.url, "actions": [{"action_id": "verdict_right", "value": incident_id,
                                                    "type": "button", "action_ts": "1700000001.0"}]}))
    assert ws.ack("env-v1") == {"envelope_id": "env-v1"}
    assert [(v["user_id"], v["verdict"]) for v in store.incident_verdicts(incident_id)] == [("U0CAROL", "right")]
    assert responses.wait(1)[0]["text"].startswith("✅ Recorded: you judged *oom* (offline) the right cause.")

    def submitted(envelope_id, category):
        values = {"category": {"category": {"type": "static_select", "selected_option": {"value": category}}}}
        return _verdict_envelope(envelope_id, {
            "type": "view_submission", "team": {"id": "T0001"}, "user": {"id": "U0CAROL"}, "trigger_id": envelope_id,
            "view": {"callback_id": "verdict_wrong", "state": {"values": values},
                     "private_metadata": json.dumps({"incident": incident_id, "category": "oom",
                                                     "response_url": responses.url})}})

    # The form's errors travel in the acknowledgement, as over HTTP; a good one closes it (no payload).
    ws.send(submitted("env-v2", "oom"))
    assert ws.ack("env-v2")["payload"]["response_action"] == "errors"
    ws.send(submitted("env-v3", "dns"))
    assert ws.ack("env-v3") == {"envelope_id": "env-v3"}
    (v,) = store.incident_verdicts(incident_id)
    assert (v["verdict"], v["category"]) == ("wrong", "dns")
