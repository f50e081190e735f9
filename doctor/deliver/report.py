"""Render a diagnosis run for people: plain text for a terminal, Markdown for a file."""

from __future__ import annotations

from doctor.deliver.memory import memory_line
from doctor.models import CLOSE_ALTERNATIVE
from doctor.pipeline import Result


def _when(e) -> str:
    if e.first_seen is None:
        return ""
    first = e.first_seen.strftime("%Y-%m-%d %H:%M:%S")
    last = e.last_seen.strftime("%H:%M:%S") if e.last_seen else "?"
    return f"{first}..{last} UTC"


def _fix_lines(result: Result) -> list[str]:
    return fix_lines(result.fix, result.fix_note)


def fix_lines(fix, note: str | None) -> list[str]:
    if fix is None:
        return [f"Terraform fix: none ({note})"] if note else []
    status = "VALID" if fix.valid else "NOT VALID - do not apply"
    cost = f", ${fix.cost_usd:.4f}" if fix.cost_usd else ""
    out = [f"Terraform fix ({fix.provider}{cost}, {status}): {fix.target.address} -> {fix.target.attribute} in {fix.target.file}",
           f"  {fix.rationale}"]
    out += [f"  note: {n}" for n in fix.notes]
    for c in fix.checks:
        mark = "skip" if c.skipped else ("ok" if c.ok else "FAIL")
        out.append(f"  [{mark}] {c.name}: {c.detail}")
    out.append("")
    out.extend("  " + line for line in fix.diff.rstrip("\n").split("\n"))
    return out


def coverage_lines(coverage) -> list[str]:
    """One line per source and service: how much of the window it read, and what it did not."""
    return [f"{c.source} {c.service}: {c.fraction:.0%} of the window read ({c.lines:,} lines, {c.outcome})"
            + (f"; not read: {c.unread}" if c.fraction < 1.0 and c.unread else "") for c in coverage]


def render_text(result: Result) -> str:
    d, g = result.diagnosis, result.digest
    out = [
        f"Diagnosis: {d.summary}",
        f"  category {d.category}  confidence {d.confidence:.2f}  provider {d.provider}"
        + (f"  cost ${d.cost_usd:.4f}" if d.cost_usd else "")
        + (f"  signature {d.signature}" if d.signature else ""),
        f"Root cause: {d.root_cause}",
    ]
    seen = memory_line(result.history)
    if seen:
        out.append(seen)
    if d.evidence:
        out.append("Evidence:")
        for e in d.evidence:
            svc = f" [{', '.join(e.services)}]" if e.services else ""
            out.append(f"  x{e.count:,} {_when(e)}{svc}")
            out.append(f"    {e.text[:500]}")
    if d.next_steps:
        out.append("Next steps:")
        out.extend(f"  - {s}" for s in d.next_steps)
    if d.alternatives:
        close = f" (close: {d.alternative_why or 'by the evidence'})" if d.alternative_share >= CLOSE_ALTERNATIVE else ""
        out.append(f"Also considered: {d.alternatives[0]}{close}" + "".join(f", {a}" for a in d.alternatives[1:]))
    for note in d.notes:
        out.append(f"Note: {note}")
    for deploy in d.deploys:
        out.append(f"Deploy: {deploy}")
    out.extend(f"Coverage: {line}" for line in coverage_lines(d.coverage))
    out.append(f"Digest: {g.lines_in:,} lines -> {g.templates_out:,} templates, {g.redactions_made:,} secrets redacted"
               + (f", incident window from {g.incident_start:%H:%M} UTC" if g.incident_start else ""))
    out.extend(_fix_lines(result))
    return "\n".join(out)


def render_markdown(result: Result, *, title: str | None = None) -> str:
    d, g = result.diagnosis, result.digest
    out = [f"# {title or d.summary}", "",
           "| | |", "|---|---|",
           f"| Category | `{d.category}` |",
           f"| Confidence | {d.confidence:.2f} |",
           f"| Provider | {d.provider}" + (f" (${d.cost_usd:.4f})" if d.cost_usd else "") + " |",
           f"| Window | {g.window_start:%Y-%m-%d %H:%M} .. {g.window_end:%H:%M} UTC |" if g.window_start and g.window_end else "| Window | no lines |",
           f"| Lines | {g.lines_in:,} in, {g.templates_out:,} templates, {g.redactions_made:,} secrets redacted |",
           "", "## Root cause", "", d.root_cause, ""]
    seen = memory_line(result.history)
    if seen:
        out += [seen, ""]
    if d.alternatives:
        close = f" (close: {d.alternative_why or f'{d.alternative_share:.0%} of the evidence'})" \
            if d.alternative_share >= CLOSE_ALTERNATIVE else ""
        out += [f"Also considered: `{d.alternatives[0]}`{close}" + "".join(f", `{a}`" for a in d.alternatives[1:]), ""]
    if d.evidence:
        out += ["## Evidence", ""]
        for e in d.evidence:
            out += [f"- x{e.count:,} {_when(e)} {', '.join(e.services)}", "", "  ```", f"  {e.text[:800]}", "  ```"]
        out.append("")
    if d.next_steps:
        out += ["## Next steps", ""] + [f"1. {s}" for s in d.next_steps] + [""]
    if d.notes:
        out += ["## Notes", ""] + [f"- {n}" for n in d.notes] + [""]
    if d.coverage:
        out += ["## Coverage", ""] + [f"- {x}" for x in coverage_lines(d.coverage)] + [""]
    if d.deploys:
        out += ["## Deploys in and before the window", ""] + [f"- {x}" for x in d.deploys] + [""]
    out += ["## Terraform fix", ""]
    if result.fix:
        fix = result.fix
        out += [f"`{fix.target.address}` -> `{fix.target.attribute}` in `{fix.target.file}` "
                f"({'valid' if fix.valid else '**not valid: do not apply**'}; by {fix.provider})", "", fix.rationale, "",
                *[f"> {n}" for n in fix.notes], "",
                "| Check | Result | Detail |", "|---|---|---|"]
        out += [f"| {c.name} | {'skipped' if c.skipped else ('pass' if c.ok else '**FAIL**')} | {c.detail} |" for c in fix.checks]
        out += ["", "```diff", fix.diff.rstrip("\n"), "```", ""]
    else:
        out += [result.fix_note or "Not an infrastructure cause: no Terraform change proposed.", ""]
    top = g.ranked()[:10]
    if top:
        out += ["## Top log templates", "", "| Level | Count | Flags | Template |", "|---|---:|---|---|"]
        for t in top:
            flags = " ".join(f for f, on in (("new", t.new), ("burst", t.bursting),
                                             (f"stopped {t.stopped:%H:%M}" if t.stopped else "", t.stopped)) if on)
            text = t.text[:160].replace("|", "\\|")
            out.append(f"| {t.level} | {t.count:,} | {flags} | `{text}` |")
        out.append("")
    return "\n".join(out)
