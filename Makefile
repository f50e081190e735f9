# The two commands of the README's quick start: `make demo` and `make test`.
# `make check` is the fast inner loop (lint, types, unit-level tests); `make lint` is CI's lint.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Installs come from the lock files in lock/ (uv pip compile, with hashes; pip installs them): the same versions on every
# machine, in CI and in the image. `make lock` regenerates them after pyproject.toml changes. lock/pip.txt pins pip
# itself, installed first (see its comment), and is kept by hand.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# checkov pins old boto3 and packaging: it gets a venv of its own, used as a tool.
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/bin/checkov
# The Cloud Tasks emulator pins protobuf<5, which current Google clients refuse: its own venv too.
TASKS_VENV := .venv-tasks
TASKS_EMULATOR := $(TASKS_VENV)/bin/gcloud-tasks-emulator
# The report page is tested in Debian's Chromium (headless), driven by Playwright.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Tests that start real servers, browsers or other processes, or run the patient for whole windows:
# `make test` runs them, `make check` does not (see the `slow` marker in pyproject.toml).
CHECK_TESTS := -m "not slow"

.PHONY: demo test check lint types bench clean chromium lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: lock/pip.txt lock/patient.txt pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) --require-hashes -r lock/pip.txt
	$(PIP_INSTALL) --require-hashes -r lock/patient.txt
	$(PIP_INSTALL) --no-deps -e .
	touch $@

$(VENV)/.installed-dev: lock/pip.txt lock/dev.txt pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) --require-hashes -r lock/pip.txt
	$(PIP_INSTALL) --require-hashes -r lock/dev.txt
	$(PIP_INSTALL) --no-deps -e .
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/doctor demo

$(CHECKOV):
	rm -rf $(CHECKOV_VENV)
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'checkov>=3.2,<4'

$(TASKS_EMULATOR):
	rm -rf $(TASKS_VENV)
	$(PYTHON) -m venv $(TASKS_VENV)
	$(TASKS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'gcloud-tasks-emulator==0.6.2'

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

test: $(VENV)/.installed-dev $(CHECKOV) $(TASKS_EMULATOR) chromium
	DOCTOR_CHECKOV_BIN=$(CURDIR)/$(CHECKOV) DOCTOR_TASKS_EMULATOR_BIN=$(CURDIR)/$(TASKS_EMULATOR) \
		$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check doctor patient_app tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

types: $(VENV)/.installed-dev
	$(BIN)/mypy

check: lint
	$(BIN)/python -m pytest -q -p no:cacheprovider $(CHECK_TESTS)

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/digest.py
	$(BIN)/python bench/format_speed.py
	$(BIN)/python bench/crowded.py
	$(BIN)/python bench/sources.py
	$(BIN)/python bench/ack.py
	$(BIN)/python bench/socket_mode.py
	$(BIN)/python bench/redact.py
	$(BIN)/python bench/memory.py

# Regenerate the lock files from pyproject.toml (needs the registry): uv resolves in seconds, and its
# output is a plain requirements file with hashes that pip installs (no uv needed to install).
# Resolved for CPython 3.11 on x86-64 Linux, like the image and CI.
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --no-header
lock: $(VENV)/.installed-dev
	$(UV_COMPILE) -o lock/doctor.txt
	$(UV_COMPILE) --extra patient -o lock/patient.txt
	$(UV_COMPILE) --extra dev --extra patient -o lock/dev.txt

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) $(TASKS_VENV) .bench reports .pytest_cache .mypy_cache .doctor
