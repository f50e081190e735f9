"""The GitHub Actions workflows: actionlint-clean, and the one /deploys step really talks to the doctor."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from doctor.config import Settings
from doctor.web.app import create_app

from .conftest import REPO, Served

WORKFLOWS = REPO / ".github" / "workflows"
NOTIFY = REPO / ".github" / "actions" / "notify-deploy" / "action.yml"


def actionlint() -> str:
    found = Path(sys.executable).parent / "actionlint"
    return str(found) if found.exists() else shutil.which("actionlint") or "actionlint"


def test_every_workflow_passes_actionlint():
    proc = subprocess.run([actionlint(), "-no-color", "-shellcheck="], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {p.name for p in WORKFLOWS.glob("*.yml")} == {"ci.yml", "deploy-doctor.yml", "deploy-patient.yml",
                                                         "terraform.yml"}


def test_actionlint_does_catch_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n")
    proc = subprocess.run([actionlint(), "-no-color", "-shellcheck=", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 1 and "nope" in proc.stdout


def test_ci_runs_the_readme_test_command():
    ci = yaml.safe_load((WORKFLOWS / "ci.yml").read_text())
    assert any(step.get("run") == "make test" for step in ci["jobs"]["test"]["steps"])
    assert "make test" in (REPO / "README.md").read_text() and "make test" in (REPO / ".ci" / "run").read_text()


def test_deploy_workflows_use_oidc_and_the_one_notify_step():
    for name in ("deploy-doctor.yml", "deploy-patient.yml"):
        text = (WORKFLOWS / name).read_text()
        assert "uses: ./.github/actions/notify-deploy" in text
        assert "/deploys" not in text.replace("notify-deploy", "")  # the POST lives in one place only
        assert "id-token: write" in text
        assert "credentials_json" not in text and "aws-access-key-id" not in text  # no static keys
    assert "workload_identity_provider" in (WORKFLOWS / "deploy-doctor.yml").read_text()
    assert "role-to-assume" in (WORKFLOWS / "deploy-patient.yml").read_text()


@pytest.mark.skipif(not (shutil.which("jq") and shutil.which("curl")), reason="the step's script needs jq and curl")
def test_the_notify_step_records_a_deploy_in_a_running_doctor(tmp_path):
    script = yaml.safe_load(NOTIFY.read_text())["runs"]["steps"][0]["run"]
    settings = Settings(deploy_token="tok-123", database_url=f"sqlite:///{tmp_path / 'd.db'}")
    served = Served(create_app(settings))
    try:
        env = {**os.environ, "DOCTOR_URL": served.url + "/", "DOCTOR_DEPLOY_TOKEN": "tok-123",
               "SERVICE": "executor", "VERSION": "3f2a9c1", "STATUS": "success", "ENVIRONMENT": "production",
               "CHECK": "false", "RUN_URL": "https://github.com/acme/cloud-doctor/actions/runs/7",
               "COMMIT": "3f2a9c1d0e", "ACTOR": "octocat"}
        proc = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and '"check_scheduled":false' in proc.stdout, proc.stdout + proc.stderr
        from datetime import UTC, datetime, timedelta

        now = datetime.now(UTC)
        [deploy] = served.app.state.store().deploys_between(["executor"], now - timedelta(hours=1), now)
        assert deploy["version"] == "3f2a9c1" and deploy["actor"] == "octocat"
        # A wrong token: the deploy is not recorded, and the step warns instead of failing the deploy.
        proc = subprocess.run(["bash", "-c", script], env={**env, "DOCTOR_DEPLOY_TOKEN": "wrong"},
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and "::warning::Cloud Doctor did not record this deploy" in proc.stdout
    finally:
        served.close()
