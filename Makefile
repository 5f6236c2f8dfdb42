# Every target installs what it needs into .venv first (from PyPI), so a fresh machine
# needs only python3 (3.11+), make and a C compiler (durable-rules builds from source).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
NATIVE := $(VENV)/cdss-native/manifest.json
SOURCES = $(shell find cdss -type f \( -name '*.py' -o -name '*.pyi' \) -not -path '*/__pycache__/*' -not -name '.*')
PORT   ?= 50051
CASE   ?= examples/peroneal-compression.json

.DEFAULT_GOAL := help
.PHONY: help install native run serve evaluate test lint typecheck check fmt proto check-proto rules docs clinical-report bench bench-quick bench-memory load-test chaos postgres browser test-certs clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

# The hot path compiled with mypyc into .venv (cdss/native.py): used only while it matches
# the sources, rebuilt here when any of them changes (CDSS_NATIVE=0 skips it).
$(NATIVE): $(STAMP) $(SOURCES)
	$(BIN)/python scripts/build_native.py

install: $(STAMP) $(NATIVE) ## create .venv, install the project with its dev tools, compile the hot path

native: $(NATIVE) ## compile the hot path with mypyc (any edit to cdss/ turns the old build off)

run: $(NATIVE) ## start the server, evaluate the example case through it, stop it
	$(BIN)/python scripts/run_example.py --port $(PORT) $(CASE)

serve: $(NATIVE) ## run the gRPC server in the foreground (PORT=50051)
	$(BIN)/python -m cdss serve --port $(PORT)

evaluate: $(NATIVE) ## evaluate CASE=file.json with an in-process server
	$(BIN)/python -m cdss evaluate $(CASE)

test: $(NATIVE) ## run the test suite (unit, golden cases over gRPC, CLI, bad input)
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check cdss tests scripts
	$(BIN)/ruff format --check cdss tests scripts

typecheck: $(STAMP) ## mypy --strict on the handwritten code
	$(BIN)/mypy

check: lint typecheck test ## everything CI runs

fmt: $(STAMP) ## fix formatting and import order
	$(BIN)/ruff check --fix cdss tests scripts
	$(BIN)/ruff format cdss tests scripts

proto: $(STAMP) ## regenerate cdss/_proto and docs/case-format.md from protos/ (commit the result)
	$(BIN)/python scripts/gen_protos.py

check-proto: $(STAMP) ## fail if cdss/_proto is stale
	$(BIN)/python -m pytest -q tests/test_generated_code.py

rules: $(STAMP) ## validate the rule base and list its rules
	$(BIN)/python -m cdss rules list

docs: $(STAMP) ## regenerate docs/rules.md, the clinician-readable rule catalogue (commit it)
	$(BIN)/python -m cdss rules --format markdown --output docs/rules.md

clinical-report: $(STAMP) ## per case set and cause: top-1/top-3, alerts, tests; calibration plot in docs/review-runs/
	$(BIN)/python -m tests.clinical_report --plot docs/review-runs/calibration.png

bench: $(NATIVE) ## benchmark against the empty gRPC call (< 3 min); prints ratios, writes bench-results.json
	$(BIN)/python scripts/bench.py

bench-memory: $(NATIVE) ## the worker's memory over all of 100,000 evaluations, no time limit (minutes), to bench-memory.json
	$(BIN)/python scripts/bench.py --memory-only --out bench-memory.json

bench-quick: $(NATIVE) ## the same figures from shorter runs (< 40 s), written to bench-quick.json
	$(BIN)/python scripts/bench.py --quick --out bench-quick.json

load-test: $(NATIVE) ## 60 s, 16 clients, valid and invalid cases: errors, identical answers, memory
	$(BIN)/python scripts/load_test.py

chaos: $(NATIVE) ## faults under load on 127.0.0.1 (< 3 min): one line per fault, calls OK/failed, wrong answers, records lost
	timeout 180 $(BIN)/python scripts/chaos.py $(CHAOS_ARGS)

postgres: ## install PostgreSQL (Debian package) for the PostgreSQL audit tests, if it is missing
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

browser: ## install Debian's chromium and chromedriver for the web-page test (tests/test_web_page.py), if missing
	@{ command -v chromium >/dev/null && command -v chromedriver >/dev/null; } || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

test-certs: $(STAMP) ## a local test CA with server and client certificates in certs/ (TLS trials)
	$(BIN)/python scripts/make_test_ca.py certs

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
