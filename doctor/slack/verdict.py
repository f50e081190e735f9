"""The on-call's verdict from Slack: the "✅ Right cause" and "❌ Wrong cause" buttons under a diagnosis.

"Right" is recorded at once. "Wrong" opens a modal (`views.open` with the click's trigger_id, within
Slack's 3 s) with a select of the categories and an optional note; its `view_submission` records it.
Each person has one verdict per incident and can change it. Everything that comes back through the
user's client is checked: the incident id and user id by shape and length, the incident in the store,
the category against the vocabulary, the note cut and redacted; bad values get a clear answer, never
a 500. Confirmations go privately to the person, through the message's response_url.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable

from doctor.config import Settings
from doctor.deliver.blocks import VERDICT_RIGHT, mrkdwn_escape
from doctor.deliver.reply import response_url_allowed
from doctor.deliver.slack_api import web_client
from doctor.models import CATEGORIES
from doctor.store import RecordedVerdict, Store

log = logging.getLogger("doctor.slack")

VIEW_CALLBACK = "verdict_wrong"  # the modal's callback_id
INCIDENT_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")  # the store's ids: token_urlsafe(12)
USER_ID = re.compile(r"[A-Z0-9]{2,32}")  # Slack user ids: U…, W…
NOTE_CHARS = 500  # the note's input says so too (max_length); checked here, the client is not ours
METADATA_CHARS = 3000  # Slack's limit on private_metadata
VIEWS_OPEN_SECONDS = 2.0  # inside the acknowledgement: Slack allows 3 s, and the trigger_id expires with it

Submit = Callable[..., Awaitable[bool]]


class VerdictHandlers:
    def __init__(self, settings: Settings, submit: Submit, store: Callable[[], Store],
                 redact: Callable[[str], str]) -> None:
        self.settings, self.submit, self.store, self.redact = settings, submit, store, redact

    async def click(self, payload: dict, action: dict) -> tuple[dict, str]:
        """A verdict button: record "right", or open the "wrong cause" form."""
        user = payload.get("user", {}).get("id", "")
        incident_id = str(action.get("value", ""))
        response_url = payload.get("response_url", "")
        if not (isinstance(user, str) and USER_ID.fullmatch(user)) or not INCIDENT_ID.fullmatch(incident_id):
            return {}, "invalid"
        if action.get("action_id") == VERDICT_RIGHT:
            recorded = await asyncio.to_thread(self.store().record_verdict, incident_id=incident_id, user=user,
                                               verdict="right")
            text = _unknown(incident_id) if recorded is None else recorded_text(recorded, "right", None)
            await self._tell(payload, response_url, text)
            return {}, "invalid" if recorded is None else "accepted"
        incident = await asyncio.to_thread(self.store().get_incident, incident_id)
        if incident is None:
            await self._tell(payload, response_url, _unknown(incident_id))
            return {}, "invalid"
        # Carried by the form to its submission (which has no response_url of its own); bounded to fit.
        keep_url = len(response_url) <= 1000 and response_url_allowed(response_url, self.settings)
        metadata = json.dumps({"incident": incident_id, "category": incident["category"],
                               "response_url": response_url if keep_url else ""}, separators=(",", ":"))
        view = wrong_cause_view(incident_id, diagnosed=incident["category"], metadata=metadata)
        error = await asyncio.to_thread(self._open, str(payload.get("trigger_id", "")), view)
        if error:
            await self._tell(payload, response_url, f"⚠️ I could not open the form to name the right cause ({error}). "
                                                     "Please click ❌ Wrong cause again.")
            return {}, "error"
        return {}, "accepted"

    async def submission(self, payload: dict) -> tuple[dict, str]:
        """The "wrong cause" form, submitted: checked, recorded, confirmed; or its errors shown in the form."""
        user = payload.get("user", {}).get("id", "")
        view = payload.get("view")
        if not isinstance(view, dict) or not (isinstance(user, str) and USER_ID.fullmatch(user)):
            return {}, "invalid"
        try:
            meta = json.loads(str(view.get("private_metadata", ""))[:METADATA_CHARS])
            incident_id, diagnosed = str(meta["incident"]), str(meta["category"])
            response_url = str(meta.get("response_url", ""))
        except (ValueError, KeyError, TypeError, RecursionError):
            return _errors("category", "This form is not one of Cloud Doctor's; click ❌ Wrong cause again."), "invalid"
        values = view.get("state", {}).get("values", {}) if isinstance(view.get("state"), dict) else {}
        category = _selected(values)
        if not INCIDENT_ID.fullmatch(incident_id):
            return _errors("category", "This form names no incident of Cloud Doctor's."), "invalid"
        if category not in CATEGORIES:
            return _errors("category", "Pick one of the categories in the list."), "invalid"
        if category == diagnosed:
            return _errors("category", f"{category} is what the doctor said: pick the cause it really was, "
                                       "or close this and click ✅ Right cause."), "invalid"
        note = _note(values)
        note = self.redact(" ".join(note.split())[:NOTE_CHARS]) if note else None
        recorded = await asyncio.to_thread(self.store().record_verdict, incident_id=incident_id, user=user,
                                           verdict="wrong", category=category, note=note)
        if recorded is None:
            return _errors("category", f"Incident {incident_id} is not in Cloud Doctor's store (any more)."), "invalid"
        if response_url_allowed(response_url, self.settings):
            await self._tell(payload, response_url, recorded_text(recorded, "wrong", category))
        return {}, "accepted"  # an empty acknowledgement closes the form

    def _open(self, trigger_id: str, view: dict) -> str | None:
        """views.open; the reason when it did not open (no bot token, a spent trigger, Slack slow)."""
        # lazy: slack_sdk's Web API client stays off the acknowledgement path until a form is opened
        from slack_sdk.errors import SlackApiError

        if not self.settings.slack_bot_token:
            return "SLACK_BOT_TOKEN is not set"
        if not trigger_id or len(trigger_id) > 200:
            return "the click carried no trigger"
        try:
            web_client(self.settings, timeout=VIEWS_OPEN_SECONDS).views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as exc:
            return f"Slack said {exc.response.get('error')}"
        except (OSError, TimeoutError) as exc:
            log.warning("views.open failed: %s", exc)
            return "Slack did not answer in time"
        return None

    async def _tell(self, payload: dict, response_url: str, text: str) -> None:
        """A private answer to the person who clicked, after the acknowledgement (through response_url)."""
        if not response_url:
            return
        trigger = hashlib.sha256(str(payload.get("trigger_id") or json.dumps(payload, sort_keys=True)).encode())
        await self.submit("notice", f"slack:verdict:{trigger.hexdigest()[:40]}", request={"text": text[:200]},
                          response_url=response_url,
                          message={"response_type": "ephemeral", "replace_original": False, "text": text})


def recorded_text(recorded: RecordedVerdict, verdict: str, category: str | None) -> str:
    said = f"*{recorded['incident_category']}* ({recorded['provider']})"
    if verdict == "right":
        now = f"✅ Recorded: you judged {said} the right cause."
    else:
        now = f"❌ Recorded: you judged {said} wrong; the cause was *{category}*."
    if recorded["previous"] and (recorded["previous"], recorded["previous_category"]) != (verdict, category):
        before = "right" if recorded["previous"] == "right" else f"wrong ({recorded['previous_category']})"
        now += f" This replaces your earlier verdict: {before}."
    return now + " You can change it with the buttons at any time."


def wrong_cause_view(incident_id: str, *, diagnosed: str, metadata: str) -> dict:
    options = [{"text": {"type": "plain_text", "text": c}, "value": c} for c in CATEGORIES if c != diagnosed]
    return {
        "type": "modal", "callback_id": VIEW_CALLBACK, "private_metadata": metadata,
        "title": {"type": "plain_text", "text": "Wrong cause"},
        "submit": {"type": "plain_text", "text": "Record"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text":
                f"Cloud Doctor said *{mrkdwn_escape(diagnosed)}* for incident `{incident_id}`. What was it?"}},
            {"type": "input", "block_id": "category", "label": {"type": "plain_text", "text": "The real cause"},
             "element": {"type": "static_select", "action_id": "category", "options": options,
                         "placeholder": {"type": "plain_text", "text": "A category"}}},
            {"type": "input", "block_id": "note", "optional": True,
             "label": {"type": "plain_text", "text": "Note (optional)"},
             "element": {"type": "plain_text_input", "action_id": "note", "multiline": True,
                         "max_length": NOTE_CHARS}},
        ],
    }


def _selected(values: dict) -> str | None:
    try:
        value = values["category"]["category"]["selected_option"]["value"]
    except (KeyError, TypeError):
        return None
    return value if isinstance(value, str) else None


def _note(values: dict) -> str | None:
    try:
        value = values["note"]["note"]["value"]
    except (KeyError, TypeError):
        return None
    return value if isinstance(value, str) and value.strip() else None


def _errors(block_id: str, message: str) -> dict:
    """A `view_submission` answer that keeps the form open with `message` under the block."""
    return {"response_action": "errors", "errors": {block_id: message}}


def _unknown(incident_id: str) -> str:
    return f"⚠️ Incident `{incident_id}` is not in Cloud Doctor's store (any more), so there is nothing to judge."
