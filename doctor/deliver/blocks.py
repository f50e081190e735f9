"""A diagnosis as Block Kit, within Slack's limits (3,000 characters a section, 50 blocks).

Long content is split across sections, never silently cut: what does not fit in 50
blocks is named in the last one, with the link to the full report when there is one.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from doctor.deliver.memory import memory_line
from doctor.models import CLOSE_ALTERNATIVE, UNSURE_ANSWER
from doctor.sources import source_title

SECTION_CHARS = 3000
MAX_BLOCKS = 50


def _sections(text: str, *, code: bool = False) -> list[dict]:
    """`text` in as many section blocks as it needs, split at line ends."""
    limit = SECTION_CHARS - (8 if code else 0)
    chunks, current = [], ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single line longer than a section
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current:
        chunks.append(current)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": f"```{c}```" if code else c}} for c in chunks]


def _limit(blocks: list[dict], report_url: str | None, *, room: int = MAX_BLOCKS) -> list[dict]:
    """At most `room` blocks (the rest of the message's 50 is kept for what follows)."""
    if len(blocks) <= room:
        return blocks
    kept = blocks[: room - 1]
    more = f"{len(blocks) - len(kept)} more sections did not fit in one Slack message"
    kept.append({"type": "context", "elements": [{"type": "mrkdwn", "text":
                 more + (f": <{report_url}|see the full report>" if report_url else "; run `doctor fix` or "
                         "see the incident report for all of it")}]})
    return kept


def _icon(check) -> str:
    if check.skipped:
        return "⏭️"
    return "✅" if check.ok else "⚠️" if check.detail.startswith("needs review") else "❌"


def fix_blocks(fix, note: str | None, *, title: str, category: str, diff_uploaded: bool = False) -> list[dict]:
    """A proposed fix: target, rationale, every check, and the diff (split, never cut)."""
    if fix is None:
        return _sections(f"*No Terraform fix for {title}* ({category}): {note or 'not an infrastructure cause'}.")
    failed = [c for c in fix.checks if not c.ok]
    review = bool(failed) and all(c.detail.startswith("needs review") for c in failed)
    status = ("✅ valid" if fix.valid else "⚠️ NOT valid: needs review, a value the doctor cannot judge" if review
              else "⛔ NOT valid, do not apply")
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": f"🛠️ Terraform fix: {fix.target.address}"[:150]}}]
    blocks += _sections(f"{status} · `{fix.target.attribute}` in `{fix.target.file}` · {fix.provider}\n{fix.rationale}")
    checks = "\n".join(f"{_icon(c)} {c.name}: {c.detail}" for c in fix.checks)
    blocks += _sections("*Checks*\n" + checks)
    if fix.notes:
        blocks += _sections("*Notes*\n" + "\n".join(f"• {n}" for n in fix.notes))
    if diff_uploaded:
        blocks += _sections(f"The diff ({fix.diff.count(chr(10))} lines) is attached to this channel as `fix.patch`.")
    else:
        blocks += _sections(fix.diff.rstrip("\n"), code=True)
    never_applied: dict = {"type": "context", "elements": [
        {"type": "mrkdwn", "text": "Never applied for you: review it, then `git apply` it on a branch."}]}
    blocks.append(never_applied)
    return _limit(blocks, None)


READ_REST_VALUE_CHARS = 2000  # Slack's limit on a button's value


def coverage_text(coverage) -> str:
    """How much of the window was read, per source and service, in one short paragraph."""
    short = [c for c in coverage if c.fraction < 1.0]
    lines = sum(c.lines for c in coverage)
    if not short:
        return f"📖 *Coverage:* the whole window was read ({lines:,} lines, {len(coverage)} source × service)."
    out = [f"📖 *Coverage:* {len(short)} of {len(coverage)} source × service stopped early; each read newest "
           "first, so what is missing is the oldest part of the window:"]
    out += [f"• {source_title(c.source)} `{c.service}`: {c.fraction:.0%} read ({c.lines:,} lines, {c.outcome}); "
            f"not read: {c.unread or '-'}" for c in short]
    return "\n".join(out)


def read_rest_value(request: dict) -> str | None:
    """The "Read the rest" button's value: the analysis to run again with the whole budget (None if too long)."""
    value = json.dumps(request, separators=(",", ":"))
    return value if len(value) <= READ_REST_VALUE_CHARS else None


def diagnosis_blocks(result, *, report_url: str | None = None, incident_id: str | None = None,
                     read_rest: dict | None = None, incident_url: Callable[[str], str | None] | None = None) -> list[dict]:
    """`read_rest`: the analysis's request, offered as a "Read the rest" button when the read was incomplete;
    `incident_url`: an earlier incident's report link (ReportLinks.incident_url), for the memory line."""
    d = result.diagnosis
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"🩺 {d.summary}"[:150]}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text":
            f"*{d.category}* · confidence {d.confidence:.0%} · {d.provider}"
            + (f" · ${d.cost_usd:.4f}" if d.cost_usd else "")}]},
    ]
    if d.coverage:  # right under the headline: how far to trust it
        blocks += _sections(coverage_text(d.coverage))
        value = read_rest_value(read_rest) if read_rest and any(c.fraction < 1.0 for c in d.coverage) else None
        if value:
            blocks.append({"type": "actions", "elements": [{
                "type": "button", "action_id": "read_rest", "value": value,
                "text": {"type": "plain_text", "text": "Read the rest"}}]})
    blocks += _sections(f"*Root cause:* {d.root_cause}")
    seen = memory_line(getattr(result, "history", []), link=lambda i: _incident_ref(i, incident_url),
                       escape=mrkdwn_escape)
    if seen:  # one short context line under the cause: the diagnosis stays at the top
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": seen}]})
    if d.alternatives and d.alternative_share >= CLOSE_ALTERNATIVE:
        # A close runner-up is part of the answer: a deploy right before the errors, say.
        why = mrkdwn_escape(d.alternative_why) or f"{d.alternative_share:.0%} of the evidence for *{d.category}*"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text":
                       f"Close alternative: *{d.alternatives[0]}* ({why})" + (
                           f"; also considered {', '.join(d.alternatives[1:3])}" if len(d.alternatives) > 1 else "")}]})
    elif d.alternatives and d.category != "other" and d.confidence < UNSURE_ANSWER:
        # An answer right barely more often than not leaves its runner-up in play. The offline engine's confidence
        # is measured (how often such answers were right); a cloud model's is its own word.
        said = ("answers like this one were right {:.0%} of the time in real incidents" if d.provider == "offline"
                else "the answer's own confidence is {:.0%}").format(d.confidence)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text":
                       f"Also possible: *{d.alternatives[0]}* ({said})"}]})
    elif d.alternatives and d.category == "other":
        # An honest "other" with candidates: where the evidence points, below the bar for an answer.
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text":
                       "Candidates, too weak for an answer: " + ", ".join(f"*{a}*" for a in d.alternatives[:3])}]})
    if d.evidence:
        blocks += _sections("*Evidence*")
        lines = [f"x{e.count:,} {e.first_seen:%H:%M:%S}Z {e.text}" if e.first_seen else f"x{e.count:,} {e.text}"
                 for e in d.evidence]
        blocks += _sections("\n".join(lines), code=True)
    if d.next_steps:
        blocks += _sections("*Next steps*\n" + "\n".join(f"• {s}" for s in d.next_steps))
    if d.notes:
        blocks += _sections("*Notes*\n" + "\n".join(f"• {n}" for n in d.notes))
    if d.deploys:
        blocks += _sections("*Deploys in and before the window*\n" + "\n".join(f"• {x}" for x in d.deploys))
    if result.fix is not None:
        fix = result.fix
        status = "valid" if fix.valid else "NOT valid, do not apply"
        blocks += _sections(f"*Terraform fix* ({status}, {fix.provider}): `{fix.target.address}` → "
                            f"`{fix.target.attribute}` in `{fix.target.file}`\n{fix.rationale}")
        blocks += _sections(fix.diff.rstrip("\n"), code=True)
    elif result.fix_note:
        blocks += _sections(f"*Terraform fix:* none ({result.fix_note})")
    if report_url:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"<{report_url}|Full incident report>"}})
    # The buttons and the incident id close the message, and survive the block limit.
    tail: list[dict] = []
    buttons = []
    if incident_id and d.fix_hint:
        # The cause is in infrastructure: offer the fix (the button runs the same job as /terraform).
        buttons.append({"type": "button", "action_id": "propose_fix", "value": incident_id, "style": "primary",
                        "text": {"type": "plain_text", "text": "Propose Terraform fix"}})
    if incident_id:
        buttons += verdict_buttons(incident_id)
        tail.append({"type": "actions", "elements": buttons})
        tail.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"Incident `{incident_id}`"}]})
    return _limit(blocks, report_url, room=MAX_BLOCKS - len(tail)) + tail


# The on-call's verdict (doctor/slack/verdict.py): two buttons in the message's one actions block, beside
# "Propose Terraform fix", so they add no block of their own when the fix button is there.
VERDICT_RIGHT, VERDICT_WRONG = "verdict_right", "verdict_wrong"


def verdict_buttons(incident_id: str) -> list[dict]:
    return [{"type": "button", "action_id": VERDICT_RIGHT, "value": incident_id,
             "text": {"type": "plain_text", "text": "✅ Right cause"}},
            {"type": "button", "action_id": VERDICT_WRONG, "value": incident_id,
             "text": {"type": "plain_text", "text": "❌ Wrong cause"}}]


def _incident_ref(incident_id: str, url: Callable[[str], str | None] | None) -> str:
    link = url(incident_id) if url else None
    return f"<{link}|incident {incident_id}>" if link else f"incident `{incident_id}`"


def mrkdwn_escape(text: str) -> str:
    """Text from outside (an alert's name, summary) shown in a Slack message: Slack's control characters
    escaped, so it cannot ping <!channel>, link, or mention users."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
