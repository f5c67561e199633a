# The two commands of the README: `make preview STACK=dev` and `make test`.
# Each creates ./venv and installs the requirements first when they changed.
PYTHON ?= python3
VENV := venv
BIN := $(VENV)/bin
CHECKOV := .tools/checkov/bin/checkov
STACK ?= dev
PREVIEW_ARGS ?=

.PHONY: preview test lint types unit e2e bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt requirements-e2e.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -r requirements-e2e.txt
	touch $@

$(CHECKOV): requirements-checkov.txt
	test -x .tools/checkov/bin/python || $(PYTHON) -m venv .tools/checkov
	.tools/checkov/bin/python -m pip install --quiet -r requirements-checkov.txt
	touch $@

preview: $(BIN)/.installed  ## offline preview of a stack: make preview STACK=prod
	$(BIN)/python -m preview $(STACK) $(PREVIEW_ARGS)

test: lint types unit e2e  ## everything CI runs

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(BIN)/.installed
	$(BIN)/pyright

unit: $(BIN)/.installed $(CHECKOV)
	$(BIN)/python -m pytest -n 2 --ignore=tests/e2e

# A real Langflow started as the chart's pods would be, against PostgreSQL, Redis and S3
# on loopback (docs/e2e.md). Installs what it needs first (Debian packages, Langflow's venv).
e2e: $(BIN)/.installed
	bash tests/e2e/install.sh
	$(BIN)/python -m pytest tests/e2e -p no:xdist -vv

bench: $(BIN)/.installed  ## offline preview cost against the SDK import floor
	$(BIN)/python bench/preview_cost.py

clean:
	rm -rf $(VENV) .tools out .pytest_cache .ruff_cache
