# The two commands of the README's quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# checkov pins old boto3 and packaging: it gets a venv of its own, used as a tool.
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/bin/checkov

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/doctor demo

$(CHECKOV):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet 'checkov>=3.2,<4'

test: $(VENV)/.installed-dev $(CHECKOV)
	DOCTOR_CHECKOV_BIN=$(CURDIR)/$(CHECKOV) $(BIN)/python -m pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check doctor tests bench

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/digest.py
	$(BIN)/python bench/sources.py
	$(BIN)/python bench/ack.py

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .bench reports .pytest_cache .doctor
