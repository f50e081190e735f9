"""The on-call's verdict: the buttons under a diagnosis, through signed Slack interactions to the store;
`doctor stats` and `doctor export-cases --wrong` as the real command."""

import json
import os
import subprocess
import sys
import time
from urllib.parse import urlencode

import httpx
import pytest
import yaml
from slack_sdk.signature import SignatureVerifier

from doctor import pipeline
from doctor.config import Settings
from doctor.deliver.blocks import MAX_BLOCKS, diagnosis_blocks
from doctor.demo.scenarios import SCENARIOS, write_window
from doctor.web.app import create_app

from .conftest import REPO, SECRET, Served
from .fakes.slack_api import SlackResponses, SlackWebAPI


@pytest.fixture(scope="module")
def oom(tmp_path_factory):
    """A real diagnosis: the patient's memory leak, read and diagnosed by the offline doctor."""
    tmp = tmp_path_factory.mktemp("oom")
    settings = Settings(database_url=f"sqlite:///{tmp / 'unused.db'}", terraform_dir=REPO / "terraform")
    result = pipeline.diagnose(pipeline.build_from_files(write_window(SCENARIOS["memory_leak_oom"], tmp / "logs"),
                                                         settings=settings), settings=settings)
    assert result.diagnosis.category == "oom" and result.diagnosis.fix_hint
    return result


@pytest.fixture
def service(tmp_path, oom):
    """The doctor's HTTP edge with a local Slack Web API and response_url, and one recorded incident."""
    web = SlackWebAPI()
    settings = Settings(slack_signing_secret=SECRET, slack_bot_token="xoxb-test", slack_api_base_url=web.url,
                        database_url=f"sqlite:///{tmp_path / 'doctor.db'}", terraform_dir=REPO / "terraform",
                        redaction_key="r" * 32)
    served = Served(create_app(settings))
    store = served.app.state.store()
    incident_id = pipeline.save_incident(oom, settings=settings, channel="C2147483705", store=store)
    slack = SlackResponses()
    yield served, store, incident_id, web, slack
    served.close()
    web.close()
    slack.close()


def _signed(payload: dict, *, secret=SECRET):
    body = urlencode({"payload": json.dumps(payload)}).encode()
    ts = str(int(time.time()))
    return body, {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
                  "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)}


def _send(served, payload, **kw):
    body, headers = _signed(payload, **kw)
    return httpx.post(f"{served.url}/slack/events", content=body, headers=headers, timeout=10)


def _click(slack, action_id, value, *, user="U0ALICE", trigger="t1"):
    """A block_actions payload as Slack sends it for a button of the diagnosis message."""
    return {"type": "block_actions", "team": {"id": "T0001"}, "user": {"id": user, "username": "alice"},
            "channel": {"id": "C2147483705"}, "container": {"type": "message", "message_ts": "1700000000.000100"},
            "trigger_id": trigger, "response_url": slack.url,
            "actions": [{"action_id": action_id, "value": value, "type": "button", "action_ts": str(time.time())}]}


def _submission(view, *, category, note=None, user="U0ALICE"):
    """The view_submission Slack sends when the form `view` (as we opened it) is submitted."""
    values = {"category": {"category": {"type": "static_select", "selected_option":
                                        {"text": {"type": "plain_text", "text": category}, "value": category}}},
              "note": {"note": {"type": "plain_text_input", "value": note}}}
    return {"type": "view_submission", "team": {"id": "T0001"}, "user": {"id": user},
            "view": {"id": "V0000001", "type": "modal", "callback_id": view["callback_id"],
                     "private_metadata": view["private_metadata"], "state": {"values": values}}}


def _wait(pred, timeout=10):
    deadline = time.time() + timeout
    while not pred() and time.time() < deadline:
        time.sleep(0.05)
    return pred()


def test_right_then_wrong_with_the_form_then_right_again(service):
    served, store, incident_id, web, slack = service
    # ✅ Right cause: recorded before the acknowledgement, confirmed privately.
    ack = _send(served, _click(slack, "verdict_right", incident_id, trigger="t-right"))
    assert ack.status_code == 200 and ack.content == b""
    (v,) = store.incident_verdicts(incident_id)
    assert (v["user_id"], v["verdict"], v["category"]) == ("U0ALICE", "right", None)
    assert _wait(lambda: slack.messages)
    assert slack.messages[0]["response_type"] == "ephemeral" and slack.messages[0]["replace_original"] is False
    assert slack.messages[0]["text"].startswith("✅ Recorded: you judged *oom* (offline) the right cause.")
    # ❌ Wrong cause: a form, opened with the click's trigger_id inside the acknowledgement.
    ack = _send(served, _click(slack, "verdict_wrong", incident_id, trigger="t-wrong"))
    assert ack.status_code == 200 and ack.content == b""
    (opened,) = web.views
    assert opened["trigger_id"] == "t-wrong" and ("/api/views.open", "Bearer xoxb-test") in web.calls
    view = opened["view"]
    options = [o["value"] for o in view["blocks"][1]["element"]["options"]]
    assert "oom" not in options and "db_connections" in options and len(options) == 19
    assert store.incident_verdicts(incident_id)[0]["verdict"] == "right"  # nothing changes until it is submitted
    # Submitted: recorded with the category and the note (redacted), the form closes (an empty answer).
    note = "The pool ran out: psql postgresql://app:Sup3rS3cretPw@db:5432/app refused us"
    ack = _send(served, _submission(view, category="db_connections", note=note))
    assert ack.status_code == 200 and ack.content == b""
    (v,) = store.incident_verdicts(incident_id)  # still one verdict for this person: changed, not added
    assert (v["verdict"], v["category"]) == ("wrong", "db_connections")
    assert "Sup3rS3cretPw" not in v["note"] and v["note"].startswith("The pool ran out")
    assert _wait(lambda: len(slack.messages) == 2)
    assert slack.messages[1]["text"].startswith("❌ Recorded: you judged *oom* (offline) wrong; the cause was "
                                                "*db_connections*. This replaces your earlier verdict: right.")
    # Someone else agrees with the doctor; Alice changes her mind back.
    _send(served, _click(slack, "verdict_right", incident_id, user="U0BOB", trigger="t-bob"))
    assert store.verdicts_for([incident_id])[incident_id] | {"last_at": ""} == \
        {"right": 1, "wrong": 1, "outcome": "split", "category": "db_connections", "last_at": ""}
    _send(served, _click(slack, "verdict_right", incident_id, trigger="t-right-again"))
    summary = store.verdicts_for([incident_id])[incident_id]
    assert (summary["right"], summary["wrong"], summary["outcome"]) == (2, 0, "right")


def test_the_form_checks_what_comes_back(service):
    served, store, incident_id, web, slack = service
    _send(served, _click(slack, "verdict_wrong", incident_id, trigger="t-form"))
    view = web.views[0]["view"]
    same = _send(served, _submission(view, category="oom")).json()
    assert same["response_action"] == "errors" and same["errors"]["category"].startswith("oom is what the doctor said")
    unknown = _send(served, _submission(view, category="gremlins")).json()
    assert unknown == {"response_action": "errors", "errors": {"category": "Pick one of the categories in the list."}}
    forged = dict(view, private_metadata=json.dumps({"incident": "nope-not-there", "category": "oom"}))
    gone = _send(served, _submission(forged, category="dns")).json()
    assert gone["errors"]["category"] == "Incident nope-not-there is not in Cloud Doctor's store (any more)."
    junk = _send(served, _submission(dict(view, private_metadata="{not json"), category="dns")).json()
    assert junk["response_action"] == "errors"
    long_note = _send(served, _submission(view, category="dns", note="x" * 10_000))
    assert long_note.status_code == 200
    (v,) = store.incident_verdicts(incident_id)
    assert v["category"] == "dns" and len(v["note"]) == 500
    # A form that is not ours is acknowledged and ignored; an unsigned one is refused.
    other = _submission(view, category="dns", user="U0EVE") | {"view": {"callback_id": "someone_elses"}}
    assert _send(served, other).status_code == 200
    assert _send(served, _submission(view, category="tls", user="U0EVE"), secret="not-the-secret").status_code == 401
    assert [v["user_id"] for v in store.incident_verdicts(incident_id)] == ["U0ALICE"]


def test_unknown_or_malformed_incidents_get_a_clear_answer_and_change_nothing(service):
    served, store, incident_id, web, slack = service
    ack = _send(served, _click(slack, "verdict_right", "NoSuchIncident01", trigger="t-x"))
    assert ack.status_code == 200
    assert _wait(lambda: slack.messages)
    assert slack.messages[0]["text"] == ("⚠️ Incident `NoSuchIncident01` is not in Cloud Doctor's store (any more), "
                                         "so there is nothing to judge.")
    _send(served, _click(slack, "verdict_wrong", "NoSuchIncident02", trigger="t-y"))
    assert _wait(lambda: len(slack.messages) == 2) and web.views == []
    for value in ("../../etc", "x" * 5000, ""):
        assert _send(served, _click(slack, "verdict_right", value, trigger=f"t-{len(value)}")).status_code == 200
    assert _send(served, _click(slack, "verdict_right", incident_id, user="<!channel>")).status_code == 200
    time.sleep(0.3)
    assert store.incident_verdicts(incident_id) == [] and len(slack.messages) == 2


def test_a_form_that_cannot_open_says_so(service):
    served, store, incident_id, web, slack = service
    _send(served, _click(slack, "verdict_wrong", incident_id, trigger="t-once"))
    _send(served, _click(slack, "verdict_wrong", incident_id, trigger="t-once"))  # Slack takes a trigger once
    assert _wait(lambda: slack.messages)
    assert slack.messages[0]["text"].startswith("⚠️ I could not open the form to name the right cause "
                                                "(Slack said exchanged_trigger_id)")
    assert len(web.views) == 1 and store.incident_verdicts(incident_id) == []


def test_the_buttons_share_the_actions_block_and_survive_the_block_limit(oom):
    from doctor.models import Diagnosis
    from doctor.pipeline import Result

    without = diagnosis_blocks(oom)
    blocks = diagnosis_blocks(oom, incident_id="abc123")
    # Everything above the buttons is the diagnosis, unchanged: nothing was inserted before it.
    assert blocks[:len(without)] == without and len(blocks) == len(without) + 2
    (actions,) = [b for b in blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in actions["elements"]] == ["propose_fix", "verdict_right", "verdict_wrong"]
    assert [e["text"]["text"] for e in actions["elements"][1:]] == ["✅ Right cause", "❌ Wrong cause"]
    assert all(e["value"] == "abc123" for e in actions["elements"])
    # A diagnosis too long for one message: the buttons and the incident id are kept, the middle is cut.
    d = Diagnosis(summary="s", category="oom", root_cause="r", confidence=0.9,
                  next_steps=[f"step {i} " + "y" * 2900 for i in range(80)])
    long = diagnosis_blocks(Result(digest=oom.digest, diagnosis=d, fix=None), incident_id="abc123")
    assert len(long) == MAX_BLOCKS and long[-2]["type"] == "actions" and long[-1]["elements"][0]["text"] == \
        "Incident `abc123`"
    assert "more sections did not fit" in long[-3]["elements"][0]["text"]


def _doctor(*args, env):
    return subprocess.run([sys.executable, "-m", "doctor", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120, env=os.environ | env)


def test_stats_and_export_as_the_real_command(tmp_path, oom):
    from doctor.store import Store

    url = f"sqlite:///{tmp_path / 'doctor.db'}"
    store = Store(url)
    settings = Settings(database_url=url, terraform_dir=REPO / "terraform")
    miss = pipeline.save_incident(oom, settings=settings, store=store)
    hit = pipeline.save_incident(oom, settings=settings, store=store)
    store.record_verdict(incident_id=miss, user="U1", verdict="wrong", category="db_connections",
                         note="pool exhausted")
    store.record_verdict(incident_id=hit, user="U1", verdict="right")
    env = {"DOCTOR_DATABASE_URL": url}
    text = _doctor("stats", env=env)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith("How often the first answer was right")
    assert [x for x in lines if x.startswith("  offline")][0].split() == ["offline"] + ["1/2", "50%", "[2]"] * 3
    assert [x for x in lines if x.startswith("  oom")][0].split()[1:3] == ["1/2", "50%"]
    data = json.loads(_doctor("stats", "--format", "json", env=env).stdout)
    assert [w["days"] for w in data["windows"]] == [7, 30, 90]
    assert data["windows"][0]["by_provider"]["offline"] == {"diagnosed": 2, "judged": 2, "right": 1, "wrong": 1,
                                                             "share_right": 0.5}
    out = tmp_path / "cases"
    first = _doctor("export-cases", "--wrong", "--out", str(out), env=env)
    assert first.returncode == 0, first.stderr
    assert "1 case(s) written, 0 already in the corpus." in first.stdout
    (path,) = out.glob("*.yaml")
    assert path.name == "executor.yaml"
    (case,) = yaml.safe_load(path.read_text())
    assert case["id"] == f"executor-incident-{miss}" and case["source"] == f"incident:{miss}"
    assert case["category"] == "db_connections" and "pool exhausted" in case["summary"]
    assert "OutOfMemoryError" in case["log"] or "OOM" in case["log"]
    again = _doctor("export-cases", "--wrong", "--out", str(out), env=env)
    assert "0 case(s) written, 1 already in the corpus." in again.stdout
    assert len(yaml.safe_load(path.read_text())) == 1
    usage = _doctor("export-cases", "--out", str(out), env=env)
    assert usage.returncode == 2 and "--wrong" in usage.stderr
