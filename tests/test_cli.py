import json
import subprocess
import sys
from pathlib import Path

import pytest

from doctor.cli import main
from doctor.demo.scenarios import SCENARIOS, write_window

REPO = Path(__file__).resolve().parent.parent


def doctor(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "doctor", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def oom_window(tmp_path_factory):
    return write_window(SCENARIOS["memory_leak_oom"], tmp_path_factory.mktemp("oom"))


def test_analyze_prints_diagnosis_and_fix(oom_window):
    args = [a for f in oom_window for a in ("--file", str(f))]
    proc = doctor("analyze", *args)
    assert proc.returncode == 0, proc.stderr
    assert "category oom" in proc.stdout
    assert "+  memory                   = 2048" in proc.stdout
    assert proc.stderr == ""


def test_analyze_json_has_diagnosis_fix_and_digest_stats(oom_window):
    proc = doctor("analyze", "--format", "json", *[a for f in oom_window for a in ("--file", str(f))])
    out = json.loads(proc.stdout)
    assert out["category"] == "oom" and 0 < out["confidence"] <= 1
    assert out["fix"]["target"]["address"] == "aws_ecs_task_definition.executor" and out["fix"]["valid"]
    assert out["digest"]["lines_in"] > 2000 and out["digest"]["templates_out"] < 40
    assert set(out) >= {"summary", "category", "root_cause", "evidence", "next_steps", "affected_resources", "provider"}


def test_markdown_format(oom_window, capsys):
    assert main(["analyze", "--format", "markdown", *[a for f in oom_window for a in ("--file", str(f))]]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ") and "```diff" in out


def test_digest_is_what_a_model_would_receive_within_budget(oom_window, capsys):
    assert main(["digest", "--budget-tokens", "400", "--format", "json",
                 *[a for f in oom_window for a in ("--file", str(f))]]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["budget_tokens"] == 400
    assert len(out["rendered"]) * 2 / 7 <= 400
    assert "OutOfMemoryError" in out["rendered"]


def test_since_until_select_the_window(oom_window, capsys):
    files = [a for f in oom_window for a in ("--file", str(f))]
    assert main(["analyze", "--format", "json", "--until", "2026-11-20T09:20:00Z", *files]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["summary"] == "No problem found"
    assert out["digest"]["lines_dropped"]["outside the requested window"] > 0


@pytest.mark.parametrize("content,message", [
    (b"", "file is empty"),
    (b"\x00\x01\x02binary", "looks binary"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, content, message):
    f = tmp_path / "bad.log"
    f.write_bytes(content)
    proc = doctor("analyze", "--file", str(f))
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_missing_file_and_bad_time_exit_2(tmp_path):
    proc = doctor("analyze", "--file", str(tmp_path / "none.log"))
    assert proc.returncode == 2 and "no such file" in proc.stderr
    proc = doctor("analyze", "--file", str(tmp_path / "none.log"), "--since", "yesterday-ish")
    assert proc.returncode == 2 and "not a time" in proc.stderr


def test_unknown_format_text_is_still_analysed(tmp_path):
    f = tmp_path / "weird.txt"
    f.write_text("<<<>>> 🙂 no timestamps here\nsocket.gaierror: [Errno -2] Name or service not known\n" * 5)
    proc = doctor("analyze", "--file", str(f))
    assert proc.returncode == 0 and "category dns" in proc.stdout


def test_analyze_records_the_incident_and_fix_writes_a_patch_that_applies(oom_window, tmp_path):
    import shutil

    db = f"sqlite:///{tmp_path / 'doctor.db'}"
    env_args = {"DOCTOR_DATABASE_URL": db}
    files = [a for f in oom_window for a in ("--file", str(f))]
    proc = _doctor_env(env_args, "analyze", "--format", "json", *files)
    incident = json.loads(proc.stdout)["incident_id"]
    assert incident and len(incident) >= 16
    # A copy of the repository to apply the patch to.
    work = tmp_path / "work"
    shutil.copytree(REPO / "terraform", work / "terraform")
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    patch = tmp_path / "fix.patch"
    proc = _doctor_env({**env_args, "DOCTOR_TERRAFORM_DIR": str(work / "terraform")},
                       "fix", "--incident", incident, "--write", str(patch))
    assert proc.returncode == 0, proc.stderr
    assert "aws_ecs_task_definition.executor -> memory" in proc.stdout and f"Wrote {patch}" in proc.stdout
    subprocess.run(["git", "apply", str(patch)], cwd=work, check=True)
    assert "memory                   = 2048" in (work / "terraform/patient/ecs.tf").read_text()
    # Incident memory: the same window analysed again is recognised, and the tree now holds the earlier fix.
    proc = _doctor_env({**env_args, "DOCTOR_TERRAFORM_DIR": str(work / "terraform")}, "analyze", *files)
    assert proc.returncode == 0, proc.stderr
    assert "🧠 Seen 1 time before: last on" in proc.stdout and f"(incident {incident})" in proc.stdout
    assert "applied? yes (the Terraform tree has it now)" in proc.stdout
    proc = _doctor_env(env_args, "fix", "--incident", "no-such-incident")
    assert proc.returncode == 2 and "no incident 'no-such-incident'" in proc.stderr


def _doctor_env(env, *args):
    import os

    return subprocess.run([sys.executable, "-m", "doctor", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **env})
