"""Incident memory in words: the "Seen before" line (Slack, terminal, Markdown) and the phrases of
the report page's History section. One place, so every surface says the same thing; a field added to
`doctor.store.Seen` (the on-call's verdict on an earlier incident, say) is worded here."""

from __future__ import annotations

from collections.abc import Callable

from doctor.store import MEMORY_LIMIT, Seen

_APPLIED = {
    "yes": "applied? yes (the Terraform tree has it now)",
    "no": "applied? no (the Terraform tree still has the old value)",
}


def fix_phrase(seen: Seen) -> str:
    """What was proposed for it: "fix `max_connections` on `aws_db_parameter_group.postgres`"."""
    fix = seen["fix"]
    target = fix.get("target") if fix else None
    if not isinstance(target, dict):
        return "no Terraform fix proposed"
    valid = "" if fix and fix.get("valid", True) else " (not valid)"
    return f"fix `{str(target.get('attribute', '?'))[:80]}` on `{str(target.get('address', '?'))[:120]}`{valid}"


def applied_phrase(seen: Seen) -> str:
    """Whether that fix is in the tree now; "not recorded" when the tree cannot tell."""
    if not seen["fix"]:
        return ""
    return _APPLIED.get(seen["applied"], "applied? not recorded")


def verdict_phrase(seen: Seen) -> str:
    """What the on-call said of that diagnosis: "judged wrong (it was db_connections)"; "" unjudged."""
    v = seen.get("verdict")
    if not v:
        return ""
    if v["outcome"] == "wrong":
        return "judged wrong by the on-call" + (f" (it was {v['category']})" if v["category"] else "")
    return "judged right by the on-call" if v["outcome"] == "right" else "judged both right and wrong"


def times(n: int) -> str:
    more = "+" if n >= MEMORY_LIMIT else ""
    return f"{n}{more} time" + ("" if n == 1 and not more else "s")


def memory_line(history: list[Seen], *, link: Callable[[str], str] | None = None,
                escape: Callable[[str], str] = lambda s: s) -> str | None:
    """ "Seen 3 times before: last on 2026-11-03 (incident abc), diagnosed as db_connections; fix
    `max_connections` on `aws_db_parameter_group.postgres`, applied? no (...)". None when nothing
    close was seen. `link` formats the last incident's reference (a Slack link), `escape` the text
    that came from the store."""
    if not history:
        return None
    last = history[0]  # newest first
    ref = link(last["id"]) if link else f"incident {last['id']}"
    applied = applied_phrase(last)
    line = (f"🧠 Seen {times(len(history))} before: last on {last['created_at'][:10]} ({ref}), diagnosed as "
            f"{escape(last['category'])}; {escape(fix_phrase(last))}" + (f", {applied}" if applied else "") + ".")
    judged = verdict_phrase(last)
    if judged:
        line += f" That diagnosis was {escape(judged)}."
    wrong = sum(1 for s in history[1:] if verdict_phrase(s).startswith("judged wrong"))
    if wrong:
        line += f" {wrong} earlier {'one was' if wrong == 1 else 'ones were'} judged wrong."
    return line
