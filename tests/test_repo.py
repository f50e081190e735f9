"""The repository is whole on a machine that has never seen it: nothing tracked points outside it.

A tracked symlink to `/tmp/...` (or a file naming a developer's absolute path) works on the machine
that made it and breaks `make test` everywhere else.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
from collections import Counter

from .conftest import REPO

# Absolute paths that exist only on some machine: a developer's home or this workplace. `/tmp/...` is
# legitimate in log text and tests' scratch space, so it counts only in the files that set a machine up.
_MACHINE_PATH = re.compile(r"(?<![\w.:/-])/(?:root|home/[\w.-]+|Users/[\w.-]+|work)/[\w.-]+")
_TMP_PATH = re.compile(r"(?<![\w.:/-])/tmp/[\w.-]+")
_SETUP_FILES = re.compile(r"^(Makefile|\.ci/.*|pyproject\.toml|requirements.*|.*\.lock|\.github/.*)$")

# Other people's log lines, quoted as data: their paths are their machines', not ours.
_LOG_DATA = ("tests/corpus/", "tests/fixtures/")


def _tracked() -> list[tuple[str, str]]:
    """(mode, path) for every file git tracks."""
    out = subprocess.run(["git", "ls-files", "-s", "-z"], cwd=REPO, check=True, capture_output=True).stdout
    rows = []
    for entry in out.decode().split("\0"):
        if entry:
            meta, path = entry.split("\t", 1)
            rows.append((meta.split()[0], path))
    return rows


def test_no_tracked_symlink_points_outside_the_repository():
    outside = []
    for mode, path in _tracked():
        if mode != "120000":
            continue
        target = os.readlink(REPO / path)
        resolved = (REPO / path).parent.joinpath(target).resolve()
        if os.path.isabs(target) or not resolved.is_relative_to(REPO):
            outside.append(f"{path} -> {target}")
    assert not outside, f"tracked symlinks that leave the repository: {outside}"


def test_no_tracked_file_names_a_machine_path():
    hits = []
    for mode, path in _tracked():
        p = REPO / path
        if mode == "120000" or path.startswith(_LOG_DATA) or not p.is_file() or p.stat().st_size > 2_000_000:
            continue
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        setup = bool(_SETUP_FILES.match(path))
        for n, line in enumerate(text.splitlines(), 1):
            for m in _MACHINE_PATH.finditer(line):
                hits.append(f"{path}:{n}: {m.group(0)}")
            if setup:
                hits.extend(f"{path}:{n}: {m.group(0)}" for m in _TMP_PATH.finditer(line))
    assert not hits, "tracked files name paths that exist only on some machine:\n" + "\n".join(hits[:20])


def test_the_check_catches_what_it_is_for():
    root = "/"  # the examples are built, so that this file does not name them itself
    assert _MACHINE_PATH.search(f"link to {root}root/.venv/bin/python")
    assert _MACHINE_PATH.search(f"cd {root}work/main && make")
    assert _MACHINE_PATH.search(f"{root}home/alice/project")
    assert not _MACHINE_PATH.search("https://example.com/work/items")
    assert not _MACHINE_PATH.search("terraform/doctor/run.tf")
    assert _TMP_PATH.search(f"ln -s {root}tmp/ckv .venv-checkov") and _SETUP_FILES.match("Makefile")
    assert not _SETUP_FILES.match("tests/test_engine.py")


def _pinned(lock: str) -> dict[str, str]:
    text = (REPO / "lock" / lock).read_text()
    return {m.group(1).lower().replace("_", "-"): m.group(2)
            for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", text, flags=re.M)}


def _requirement_names(specs: list[str]) -> set[str]:
    return {re.match(r"[A-Za-z0-9_.-]+", s).group(0).lower().replace("_", "-") for s in specs}


def test_the_lock_files_pin_every_dependency_pyproject_names():
    """`make lock` was run after pyproject.toml last changed: an unlocked dependency would install
    whatever is newest on the day, in CI and in the image."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    runtime = _requirement_names(project["dependencies"])
    patient = _requirement_names(project["optional-dependencies"]["patient"])
    dev = _requirement_names(project["optional-dependencies"]["dev"])
    for lock, wanted in (("doctor.txt", runtime), ("patient.txt", runtime | patient),
                         ("dev.txt", runtime | patient | dev)):
        missing = wanted - set(_pinned(lock))
        assert not missing, f"lock/{lock} lacks {sorted(missing)}: run `make lock`"
    assert "pytest" not in _pinned("doctor.txt")  # the image's lock has no dev tools


def module_names_bound_twice(source: str) -> list[str]:
    """The names a module binds twice at its top level (`_TAG = …` and, a thousand lines later, `_TAG = …`)."""
    names: Counter[str] = Counter()
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return sorted(n for n, count in names.items() if count > 1)


def test_no_module_binds_one_top_level_name_twice():
    # A parser module holds hundreds of compiled patterns; a second `_RUST_TARGET = …` silently replaces the first for
    # every rule that read it (twice on 2026-12-07, each found only by a corpus figure that moved the wrong way).
    assert module_names_bound_twice("_A = 1\n_B = 2\n_A = 3\n") == ["_A"]
    assert module_names_bound_twice("_A = 1\ndef f():\n    _A = 2\n") == []
    bound_twice = {str(p.relative_to(REPO)): names
                   for package in ("doctor", "bench", "patient_app") for p in sorted((REPO / package).rglob("*.py"))
                   if (names := module_names_bound_twice(p.read_text(encoding="utf-8")))}
    assert bound_twice == {}
