"""Prove a proposed Terraform change before anyone sees it.

Checks, each recorded with its outcome: the patched file parses (python-hcl2);
`terraform fmt` accepts it (or formats it); guardrails: no new public ingress,
no IAM wildcard, no deleted or replaced stateful resource, nothing outside the
Terraform tree.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from doctor.models import Check
from doctor.prescribe.hcl import TerraformParseError, parse_hcl, scan_blocks

STATEFUL_TYPES = frozenset({
    "aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance", "aws_elasticache_replication_group",
    "aws_elasticache_cluster", "aws_s3_bucket", "aws_cloudwatch_log_group", "aws_dynamodb_table",
    "aws_efs_file_system", "aws_ebs_volume", "aws_secretsmanager_secret", "google_sql_database_instance",
    "google_storage_bucket", "aws_ecr_repository",
})
# Changing these replaces the resource (destroy + create): data is lost.
FORCE_NEW = {
    "aws_db_instance": {"identifier", "engine", "db_name", "username", "availability_zone", "storage_encrypted",
                        "kms_key_id", "snapshot_identifier"},
    "aws_rds_cluster": {"cluster_identifier", "engine", "database_name", "master_username", "storage_encrypted"},
    "aws_elasticache_replication_group": {"replication_group_id", "engine", "at_rest_encryption_enabled",
                                          "subnet_group_name"},
    "aws_s3_bucket": {"bucket", "bucket_prefix"},
    "aws_cloudwatch_log_group": {"name", "name_prefix"},
    "aws_dynamodb_table": {"name", "hash_key", "range_key"},
}
_OPEN_CIDR = re.compile(r'"(?:0\.0\.0\.0/0|::/0)"')
_WILDCARD_IAM = re.compile(r'(?i)\b(?:actions?|resources?|not_actions?)\b\s*=\s*\[?[^\n]*"(?:\*|[a-z0-9-]+:\*)"')


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


def terraform_fmt(text: str, *, binary: str = "terraform", timeout: float = 20.0) -> tuple[str | None, str]:
    """`terraform fmt -` on `text`: (formatted text or None on failure, detail)."""
    exe = shutil.which(binary)
    if exe is None:
        return None, f"{binary} not found on PATH"
    try:
        proc = subprocess.run([exe, "fmt", "-no-color", "-"], input=text, capture_output=True, text=True,
                              timeout=timeout, check=False)
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


def guardrails(before: str, after: str, *, name: str = "file") -> list[Check]:
    added = [ln[1:] for ln in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
             if ln.startswith("+") and not ln.startswith("+++")]
    open_lines = [ln.strip() for ln in added if _OPEN_CIDR.search(ln)]
    wild_lines = [ln.strip() for ln in added if _WILDCARD_IAM.search(ln)]
    checks = [
        Check(name="guardrail:no_public_ingress", ok=not open_lines,
              detail=("adds " + "; ".join(open_lines)) if open_lines else "no 0.0.0.0/0 or ::/0 added"),
        Check(name="guardrail:no_iam_wildcard", ok=not wild_lines,
              detail=("adds " + "; ".join(wild_lines)) if wild_lines else "no wildcard action or resource added"),
    ]
    problems = _stateful_problems(before, after, name)
    checks.append(Check(name="guardrail:stateful_kept", ok=not problems,
                        detail="; ".join(problems) if problems else "no stateful resource deleted or replaced"))
    return checks


def _stateful_problems(before: str, after: str, name: str) -> list[str]:
    old = {b.address: b for b in scan_blocks(before, Path(name)) if b.kind == "resource"}
    new = {b.address: b for b in scan_blocks(after, Path(name)) if b.kind == "resource"}
    problems = []
    for address, block in old.items():
        if block.type not in STATEFUL_TYPES:
            continue
        if address not in new:
            problems.append(f"deletes {address}")
            continue
        for attr in FORCE_NEW.get(block.type, ()):
            if _attr(block.text, attr) != _attr(new[address].text, attr):
                problems.append(f"changes {address}.{attr}, which replaces it")
    return problems


def _attr(text: str, attr: str) -> str | None:
    m = re.search(rf"^\s{{2}}{re.escape(attr)}\s*=\s*(.+?)\s*$", text, re.MULTILINE)
    return m.group(1) if m else None


def _is_inside(path: Path, tf_dir: Path) -> bool:
    try:
        path.resolve().relative_to(tf_dir.resolve())
    except ValueError:
        return False
    return True
