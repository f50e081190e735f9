# The two commands of the README's quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# checkov pins old boto3 and packaging: it gets a venv of its own, used as a tool.
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/bin/checkov
# The Cloud Tasks emulator pins protobuf<5, which current Google clients refuse: its own venv too.
TASKS_VENV := .venv-tasks
TASKS_EMULATOR := $(TASKS_VENV)/bin/gcloud-tasks-emulator
# The report page is tested in Debian's Chromium (headless), driven by Playwright.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint bench clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[patient]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,patient]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/doctor demo

$(CHECKOV):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet 'checkov>=3.2,<4'

$(TASKS_EMULATOR):
	$(PYTHON) -m venv $(TASKS_VENV)
	$(TASKS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(TASKS_VENV)/bin/python -m pip install --quiet 'gcloud-tasks-emulator==0.6.2'

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

test: $(VENV)/.installed-dev $(CHECKOV) $(TASKS_EMULATOR) chromium
	DOCTOR_CHECKOV_BIN=$(CURDIR)/$(CHECKOV) DOCTOR_TASKS_EMULATOR_BIN=$(CURDIR)/$(TASKS_EMULATOR) \
		$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check doctor patient_app tests bench

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/digest.py
	$(BIN)/python bench/sources.py
	$(BIN)/python bench/ack.py
	$(BIN)/python bench/redact.py

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) $(TASKS_VENV) .bench reports .pytest_cache .doctor
