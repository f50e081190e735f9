"""Prove a proposed Terraform change before anyone sees it.

Checks, each recorded with its outcome: the patched file parses (python-hcl2);
`terraform fmt` accepts it (or formats it); guardrails, judged on the parsed
files (`guard`): no new ingress from the internet, no IAM wildcard, no deleted or
replaced stateful resource, nothing outside the Terraform tree.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from doctor.models import Check
from doctor.prescribe import guard
from doctor.prescribe.hcl import TerraformParseError, parse_hcl


@dataclass
class Proposal:
    """A changed file: its path (absolute), the text before and after."""

    path: Path
    before: str
    after: str


def unified_diff(rel_path: str, before: str, after: str) -> str:
    return "".join(difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True),
        fromfile=f"a/{rel_path}", tofile=f"b/{rel_path}",
    ))


def terraform_env() -> dict[str, str]:
    """The environment of every terraform call: CHECKPOINT_DISABLE stops it calling HashiCorp's
    checkpoint service (version and security-bulletin checks) on each proof."""
    return {**os.environ, "CHECKPOINT_DISABLE": "1"}


def terraform_fmt(text: str, *, binary: str = "terraform", timeout: float = 20.0) -> tuple[str | None, str]:
    """`terraform fmt -` on `text`: (formatted text or None on failure, detail)."""
    exe = shutil.which(binary)
    if exe is None:
        return None, f"{binary} not found on PATH"
    try:
        proc = subprocess.run([exe, "fmt", "-no-color", "-"], input=text, capture_output=True, text=True,
                              timeout=timeout, check=False, env=terraform_env())
    except subprocess.TimeoutExpired:
        return None, f"terraform fmt took longer than {timeout:.0f} s"
    if proc.returncode != 0:
        errors = [ln for ln in proc.stderr.splitlines() if ln.strip() and "CLI configuration" not in ln]
        return None, "terraform fmt rejected it: " + " ".join(errors)[-400:]
    return proc.stdout, "ok"


def find_checkov(configured: str | None = None) -> str | None:
    """checkov runs as a separate tool (its pins conflict with ours): DOCTOR_CHECKOV_BIN, PATH, or .venv-checkov."""
    for candidate in (configured, shutil.which("checkov"), ".venv-checkov/bin/checkov"):
        if candidate and Path(candidate).exists():
            return str(Path(candidate).resolve())
    return None


_CHECKOV_BEFORE: dict[str, set[tuple[str, str]]] = {}


def _checkov_failures(checkov: str, name: str, text: str) -> set[tuple[str, str]]:
    """Failed (check id, resource) of one file's text, scanned on its own in a temp dir."""
    with tempfile.TemporaryDirectory(prefix="doctor-checkov-") as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        proc = subprocess.run([checkov, "-f", str(path), "--quiet", "--compact", "-o", "json", "--skip-download",
                               "--framework", "terraform"], capture_output=True, text=True, timeout=180, check=False)
    try:
        reports = json.loads(proc.stdout or "[]")
    except ValueError:
        raise RuntimeError(f"checkov gave no report ({proc.stderr.strip()[-300:]})") from None
    reports = reports if isinstance(reports, list) else [reports]
    return {(c["check_id"], c["resource"]) for r in reports if isinstance(r, dict)
            for c in r.get("results", {}).get("failed_checks", [])}


def checkov_check(checkov: str | None, name: str, before: str, after: str) -> Check:
    """New failed checkov checks a change introduces (checks that already failed are not its doing)."""
    if checkov is None:
        return Check(name="checkov", ok=True, skipped=True, detail="checkov not installed (DOCTOR_CHECKOV_BIN)")
    try:
        key = hashlib.sha256(before.encode()).hexdigest()
        if key not in _CHECKOV_BEFORE:
            _CHECKOV_BEFORE[key] = _checkov_failures(checkov, name, before)
        new = sorted(_checkov_failures(checkov, name, after) - _CHECKOV_BEFORE[key])
    except (OSError, subprocess.TimeoutExpired, RuntimeError) as exc:
        return Check(name="checkov", ok=False, detail=f"checkov could not run: {exc}")
    if new:
        return Check(name="checkov", ok=False, detail="new failed checks: " + ", ".join(f"{c} on {r}" for c, r in new))
    return Check(name="checkov", ok=True, detail="no new failed check")


def check_proposal(p: Proposal, *, tf_dir: Path, terraform_bin: str = "terraform",
                   checkov_bin: str | None = None) -> tuple[str, list[Check]]:
    """Run every check; returns the final text (formatted if fmt changed it) and the checks."""
    checks: list[Check] = []
    after = p.after
    inside = _is_inside(p.path, tf_dir)
    checks.append(Check(name="guardrail:inside_terraform_tree", ok=inside,
                        detail=f"{p.path.name} is under {tf_dir.name}/" if inside else f"{p.path} is outside {tf_dir}"))
    try:
        parse_hcl(after, p.path.name)
        checks.append(Check(name="hcl2_parse", ok=True, detail="patched file parses"))
    except TerraformParseError as exc:
        checks.append(Check(name="hcl2_parse", ok=False, detail=str(exc)))
        return after, checks
    formatted, detail = terraform_fmt(after, binary=terraform_bin)
    if formatted is None:
        skipped = "not found" in detail
        checks.append(Check(name="terraform_fmt", ok=skipped, skipped=skipped, detail=detail))
    elif formatted == after:
        checks.append(Check(name="terraform_fmt", ok=True, detail="already formatted"))
    else:
        after = formatted
        checks.append(Check(name="terraform_fmt", ok=True, detail="formatted by terraform fmt"))
    checks.extend(guardrails(p.before, after, name=p.path.name))
    checks.append(checkov_check(checkov_bin, p.path.name, p.before, after))
    return after, checks


GUARDRAILS = ("guardrail:no_public_ingress", "guardrail:no_iam_wildcard", "guardrail:stateful_kept")


def guardrails(before: str, after: str, *, name: str = "file") -> list[Check]:
    """Judge the change on both versions parsed (see `guard`): what the patched file adds fails."""
    try:
        old, new = guard.parsed_pair(before, after)
    except TerraformParseError as exc:
        return [Check(name=n, ok=False, detail=f"cannot judge {name}: {exc}") for n in GUARDRAILS]
    ingress = guard.new_findings(guard.ingress_findings(old), guard.ingress_findings(new))
    iam = guard.new_findings(guard.iam_findings(old), guard.iam_findings(new))
    problems = guard.stateful_problems(old, new)
    return [
        _finding_check(GUARDRAILS[0], ingress, "no ingress from the internet added (public CIDRs shorter than "
                       f"/{guard.MIN_PUBLIC_PREFIX[4]} or /{guard.MIN_PUBLIC_PREFIX[6]})"),
        _finding_check(GUARDRAILS[1], iam, "no wildcard action, resource or principal added"),
        Check(name=GUARDRAILS[2], ok=not problems,
              detail="; ".join(problems) if problems else "no stateful resource deleted or replaced"),
    ]


def _finding_check(name: str, findings: list[guard.Finding], ok_detail: str) -> Check:
    if not findings:
        return Check(name=name, ok=True, detail=ok_detail)
    review = [f.text for f in findings if f.review]
    wrong = [f.text for f in findings if not f.review]
    parts = (["adds " + "; ".join(wrong)] if wrong else []) + (["needs review: " + "; ".join(review)] if review else [])
    return Check(name=name, ok=False, detail=" / ".join(parts)[:1500])


def _is_inside(path: Path, tf_dir: Path) -> bool:
    try:
        path.resolve().relative_to(tf_dir.resolve())
    except ValueError:
        return False
    return True
