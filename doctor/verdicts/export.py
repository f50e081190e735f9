"""`doctor export-cases --wrong`: the incidents judged wrong, as cases of the incident corpus.

A case is written in the format of `tests/corpus/cases/*.yaml` (bench/corpus_data.py loads it, the
schema test checks it): one file per system, here the incident's service, a case's `log` is the
evidence lines its diagnosis rested on, then the digest's other telling templates (`<*>` for their
variables) that no evidence line is an instance of (all redacted when recorded, and again here), `category`
is the cause the on-call named, and `source` names the incident (`incident:<id>`) where a public case
has its thread's URL. Cases already in a file (by id) are left alone; new ones are appended as text, so
the file's comments survive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from doctor.digest import Redactor
from doctor.models import CATEGORIES, read_for
from doctor.store import Incident, JudgedIncident, Store

MAX_LOG_LINES = 60  # the corpus schema's limit
MAX_LINE_CHARS = 2000  # a case is read by people: a longer line is cut
MAX_NOTE_CHARS = 500


@dataclass
class Exported:
    written: dict[Path, int] = field(default_factory=dict)  # file -> cases appended
    already: int = 0  # cases whose id was in the file before
    skipped: list[str] = field(default_factory=list)  # incident ids without evidence lines or a named category


def system_of(incident: Incident) -> str:
    """The case's system: the service the incident is in, as a file-name slug. The diagnosis's first
    affected service, else the first its evidence names ("ecs-events via executor" was read for executor)."""
    d = incident["diagnosis"] or {}
    services = [r.removeprefix("service:") for r in d.get("affected_resources") or [] if r.startswith("service:")]
    services += [read_for(s) for e in d.get("evidence") or [] for s in e.get("services") or []]
    for service in services:
        slug = re.sub(r"[^a-z0-9]+", "-", service.lower()).strip("-")[:40]
        if slug:
            return slug
    return "production"


def case_for(judged: JudgedIncident, redactor: Redactor) -> dict | None:
    """The corpus case of one incident judged wrong; None when it has no evidence lines or no named cause."""
    incident, summary = judged["incident"], judged["summary"]
    truth = summary["category"]
    if truth not in CATEGORIES:
        return None
    d = incident["diagnosis"] or {}
    lines: list[str] = []
    for text in [str(e.get("text", "")) for e in d.get("evidence") or []] + _notable(incident, d):
        for line in text.splitlines():
            line = redactor.redact(line[:MAX_LINE_CHARS]).rstrip()
            if line.strip() and line not in lines:
                lines.append(line)
    if not lines:
        return None
    system = system_of(incident)
    provider = d.get("provider") or "unknown"
    said = f"judged wrong by {summary['wrong']} on-call" + (f" (right by {summary['right']})" if summary["right"] else "")
    text = (f"Production incident of {incident['created_at'][:10]}: diagnosed as {incident['category']} by {provider}, "
            f"{said}, who named {truth} as the cause.")
    notes = [redactor.redact(" ".join(n.split())[:MAX_NOTE_CHARS]) for n in judged["notes"]]
    if notes:
        text += " Notes: " + " / ".join(notes)
    return {"id": f"{system}-incident-{incident['id']}", "system": system, "source": f"incident:{incident['id']}",
            "category": truth, "summary": text, "log": "\n".join(lines[:MAX_LOG_LINES]) + "\n"}


def _notable(incident: Incident, diagnosis: dict) -> list[str]:
    """The digest's other telling templates (warnings and worse, new, bursting, gone quiet) that no evidence
    line is an instance of: a wrong diagnosis quoted the wrong lines, and the right cause is often among these."""
    evidence = [str(e.get("text", "")) for e in diagnosis.get("evidence") or []]
    out = []
    for t in (incident["digest"] or {}).get("top_templates") or []:
        telling = t.get("level") in ("WARNING", "ERROR", "CRITICAL") or t.get("new") or t.get("bursting") \
            or t.get("stopped")
        text = str(t.get("text", ""))
        if telling and text and not any(_instance(line, text) for line in evidence):
            out.append(text)
    return out


def _instance(line: str, template: str) -> bool:
    """Whether `line` holds the template's constant parts in order (`<*>` stands for a variable). Plain
    substring searches, linear in the line: no regex built from stored text."""
    pos = 0
    for part in template.split("<*>"):
        part = part.strip()
        if part:
            found = line.find(part, pos)
            if found < 0:
                return False
            pos = found + len(part)
    return True


def export_wrong(store: Store, out: Path, *, redactor: Redactor, since: datetime | None = None) -> Exported:
    """Append every incident judged wrong (since `since`) to `out/<system>.yaml` as a corpus case."""
    result = Exported()
    cases: dict[str, list[dict]] = {}
    for judged in store.judged_wrong(since=since):
        case = case_for(judged, redactor)
        if case is None:
            result.skipped.append(judged["incident"]["id"])
        else:
            cases.setdefault(case["system"], []).append(case)
    out.mkdir(parents=True, exist_ok=True)
    for system, new in sorted(cases.items()):
        path = out / f"{system}.yaml"
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        have = {str(c.get("id")) for c in yaml.safe_load(old) or [] if isinstance(c, dict)}
        fresh = [c for c in new if c["id"] not in have]
        result.already += len(new) - len(fresh)
        if not fresh:
            continue
        head = "" if old else (f"# Production incidents of {system} judged wrong by the on-call "
                               "(doctor export-cases --wrong).\n# Each `log` is the redacted evidence of the "
                               "incident's diagnosis; `category` is the cause the on-call named.\n")
        sep = "" if not old or old.endswith("\n") else "\n"
        body = yaml.dump(fresh, Dumper=_CaseDumper, sort_keys=False, allow_unicode=True, width=120)
        path.write_text(old + sep + head + body, encoding="utf-8")
        result.written[path] = len(fresh)
    return result


class _CaseDumper(yaml.SafeDumper):
    """Logs as literal blocks (`log: |`), like the hand-written cases; PyYAML falls back to a quoted
    string by itself where a block cannot hold the text exactly."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_CaseDumper.add_representer(str, _str)
