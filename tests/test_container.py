"""The container: hadolint, and the Dockerfile's install step run for real in a fresh venv
(this machine has no Docker engine, so the build's Python steps are checked this way)."""

import re
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

DOCKERFILE = (REPO / "Dockerfile").read_text()


def hadolint() -> str:
    found = Path(sys.executable).parent / "hadolint"
    return str(found) if found.exists() else "hadolint"


def test_hadolint_passes():
    proc = subprocess.run([hadolint(), "--no-color", str(REPO / "Dockerfile")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hadolint_does_flag_a_bad_dockerfile(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN cd /app && pip install flask\n")
    proc = subprocess.run([hadolint(), "--no-color", str(bad)], capture_output=True, text=True)
    assert proc.returncode != 0 and "DL3007" in proc.stdout  # the :latest tag


def test_the_image_shape():
    stages = re.findall(r"^FROM (\S+)", DOCKERFILE, flags=re.M)
    assert len(stages) == 3 and all(s == "${PYTHON_IMAGE}" for s in stages)
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim-bookworm$", DOCKERFILE, flags=re.M)  # Debian, not Alpine
    final = DOCKERFILE.split("\nFROM ${PYTHON_IMAGE}\n")[-1]
    assert re.search(r"^USER 10001$", final, flags=re.M)  # non-root
    assert "HEALTHCHECK" not in DOCKERFILE.replace("# No HEALTHCHECK", "")
    assert "COPY --from=build /opt/venv /opt/venv" in final and "/usr/local/bin/terraform" in final
    assert "pip install" not in final and "tests" not in final  # only what runs: no build tools, no tests
    assert 'CMD ["doctor", "serve", "--host", "0.0.0.0"]' in final and "PORT=8080" in final


def test_the_build_stage_install_gives_a_runtime_without_dev_tools(tmp_path):
    commands = re.findall(r"^(?:RUN| &&) /opt/venv/bin/pip install (.+?)(?: \\)?$", DOCKERFILE, flags=re.M)
    # pip itself from its lock first: the pip a fresh venv brings refuses a locked extra once a newer release is out
    assert commands == ["--no-compile --require-hashes -r lock/pip.txt", "--no-compile --require-hashes -r lock/doctor.txt",
                        "--no-compile --no-deps ."]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    for command in commands:  # pip, the locked dependencies, then the doctor without resolving anything again
        proc = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *command.split()], cwd=REPO,
                              capture_output=True, text=True, timeout=900,
                              env={"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PATH": "/usr/bin:/bin"})
        assert proc.returncode == 0, proc.stderr[-2000:]
    check = ("import importlib.util as u, doctor.web.app, doctor.jobs.runner;"
             "print([m for m in ('pytest', 'moto', 'playwright', 'ruff') if u.find_spec(m)])")
    out = subprocess.run([str(venv / "bin" / "python"), "-c", check], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr
    templates = subprocess.run([str(venv / "bin" / "python"), "-c", "import doctor.deliver.pages as r; "
                                "print(sorted(p.name for p in r.TEMPLATES.glob('*.html')))"],
                               capture_output=True, text=True, cwd=tmp_path)
    # The installed package carries every page template the tree has (package data, not only modules).
    shipped = sorted(p.name for p in (REPO / "doctor" / "deliver" / "templates").glob("*.html"))
    assert "incident.html" in shipped and templates.stdout.strip() == str(shipped)
    assert (venv / "bin" / "doctor").exists()


def test_the_patient_image_passes_hadolint_and_runs_as_a_user():
    proc = subprocess.run([hadolint(), "--no-color", str(REPO / "patient_app" / "Dockerfile")], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = (REPO / "patient_app" / "Dockerfile").read_text()
    assert re.search(r"^USER 10002$", text, flags=re.M) and '".[patient]"' in text
    assert "--require-hashes -r lock/patient.txt" in text  # the locked versions, as in the doctor's image
    assert text.index("-r lock/pip.txt") < text.index("-r lock/patient.txt")  # after pip from its own lock
    assert 'CMD ["patient", "serve"]' in text
