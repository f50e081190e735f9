"""The repository's own Terraform, checked offline on every run."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from doctor.prescribe.hcl import TerraformRepo, parse_hcl

from .conftest import REPO

TF = REPO / "terraform"
FILES = sorted(TF.rglob("*.tf"))


def checkov_bin() -> str:
    found = os.environ.get("DOCTOR_CHECKOV_BIN") or shutil.which("checkov") or str(REPO / ".venv-checkov/bin/checkov")
    assert Path(found).exists(), "checkov is needed (make test installs it into .venv-checkov)"
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TF)))
def test_every_file_parses(path):
    parse_hcl(path.read_text(), str(path))


def test_both_zones_exist_and_index():
    repo = TerraformRepo(TF)
    assert repo.get("google_cloud_run_v2_service.doctor") and repo.get("aws_ecs_service.executor")


def test_terraform_fmt_check_passes():
    exe = shutil.which("terraform")
    assert exe, "the machine's terraform binary is required (the suite fails, not skips, without it)"
    proc = subprocess.run([exe, "fmt", "-check", "-recursive", "-diff", str(TF)], capture_output=True, text=True,
                          env={**os.environ, "CHECKPOINT_DISABLE": "1"})
    assert proc.returncode == 0, proc.stdout


def test_cloud_run_is_scaled_to_zero_with_request_billing_written_out():
    text = (TF / "doctor" / "run.tf").read_text()
    assert re.search(r"min_instance_count\s*=\s*0", text)
    assert re.search(r"cpu_idle\s*=\s*true", text) and re.search(r"startup_cpu_boost\s*=\s*true", text)
    assert re.search(r"max_instance_request_concurrency\s*=\s*\d+", text) and re.search(r'timeout\s*=\s*"\d+s"', text)


def test_checkov_has_no_failed_check_that_is_not_skipped_with_a_reason():
    proc = subprocess.run([checkov_bin(), "-d", str(TF), "--quiet", "--compact", "-o", "json", "--skip-download"],
                          capture_output=True, text=True, timeout=300)
    reports = json.loads(proc.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    failed = [f"{c['check_id']} {c['resource']} ({c['file_path']})" for r in reports for c in r["results"]["failed_checks"]]
    assert failed == []
    assert sum(r["summary"]["passed"] for r in reports) > 200
    # Every in-place skip says why.
    for path in FILES:
        for line in path.read_text().splitlines():
            if "checkov:skip=" in line:
                check, _, reason = line.split("checkov:skip=", 1)[1].partition(":")
                assert re.fullmatch(r"CKV2?_[A-Z]+_\d+", check) and len(reason.strip()) > 20, line


def test_a_file_broken_after_a_good_read_is_caught(tmp_path):
    """Parsing is remembered per file text (every fix reads the repository again): a changed text is parsed anew."""
    from doctor.prescribe.hcl import TerraformParseError

    tf = tmp_path / "terraform"
    tf.mkdir()
    main = tf / "main.tf"
    main.write_text('resource "aws_ecs_service" "bot" {\n  desired_count = 1\n}\n')
    assert TerraformRepo(tf).get("aws_ecs_service.bot") is not None
    main.write_text('resource "aws_ecs_service" "bot" {\n  desired_count = \n}\n')
    with pytest.raises(TerraformParseError, match="terraform/main.tf"):
        TerraformRepo(tf)
    main.write_text('resource "aws_ecs_service" "bot" {\n  desired_count = 2\n}\n')
    assert "desired_count = 2" in TerraformRepo(tf).get("aws_ecs_service.bot").text


def test_the_rounds_are_scheduled_with_an_oidc_token_the_tasks_route_accepts():
    """Cloud Scheduler's job (rounds.tf) posts the rounds job to /tasks/run with an OIDC token of the account
    /tasks/run verifies (DOCTOR_TASKS_SERVICE_ACCOUNT) for the service's URL (the audience it checks), and its
    interval is the service's DOCTOR_ROUNDS_EVERY_MINUTES."""
    from doctor.config import Settings
    from doctor.jobs import JobSpec

    repo = TerraformRepo(TF)
    job = repo.get("google_cloud_scheduler_job.rounds")
    assert job is not None and repo.get("google_project_service.cloudscheduler") is not None
    [target] = parse_hcl(job.text, "rounds.tf")["resource"][0]['"google_cloud_scheduler_job"']['"rounds"']["http_target"]
    assert target["http_method"] == '"POST"' and target["uri"] == '"${local.service_url}/tasks/run"'
    [oidc] = target["oidc_token"]
    assert oidc["service_account_email"] == "${google_service_account.doctor.email}"
    assert oidc["audience"] == "${local.service_url}"
    run = (TF / "doctor" / "run.tf").read_text()
    assert re.search(r'name\s*=\s*"DOCTOR_TASKS_SERVICE_ACCOUNT"\s*\n\s*value\s*=\s*google_service_account\.doctor\.email',
                     run)
    assert re.search(r'name\s*=\s*"DOCTOR_SERVICE_URL".*\n\s*value\s*=\s*local\.service_url', run)
    every = re.search(r'name\s*=\s*"DOCTOR_(ROUNDS_EVERY_MINUTES)".*\n\s*value\s*=\s*tostring\(var\.rounds_every_minutes\)',
                      run)
    assert every and every.group(1).lower() in Settings.model_fields
    # The body: what /tasks/run takes as a round whose time comes from the schedule-time header.
    literal = re.fullmatch(r"\$\{base64encode\(jsonencode\((\{.*\})\)\)\}", target["body"]).group(1)
    spec = JobSpec.from_json(re.sub(r"(\w+) = ", r'"\1": ', literal).encode())
    assert spec.kind == "rounds" and spec.args == {}
    variables = (TF / "doctor" / "variables.tf").read_text()
    assert 'variable "rounds_every_minutes"' in variables and "60 % var.rounds_every_minutes == 0" in variables
