# debatebot: `make help` lists the targets.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
# Stamps: `run` and `test` install what is missing on a fresh clone, and nothing the second
# time (until pyproject.toml changes).
STAMP    := $(VENV)/.installed
ST_STAMP := $(VENV)/.installed-st
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: help install install-st run test unit integration e2e lint typecheck bench clean

help:  ## List the targets.
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e '.[dev,e2e]'
	touch $@

$(ST_STAMP): pyproject.toml | $(STAMP)
	# The CPU build of torch first, so the extra does not pull a CUDA build.
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e '.[dev,e2e,st]'
	touch $@

install: $(STAMP)  ## Create .venv and install the project with its dev and e2e tools (no torch).

install-st: $(ST_STAMP)  ## Also the `st` extra: CPU torch + sentence-transformers (benchmarks).

run: $(STAMP)  ## Run the chat API on the embedded default (indexes seeds/ on first start).
	$(BIN)/debatebot serve

lint: $(STAMP)  ## ruff lint and format check.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)  ## mypy on the packages.
	$(BIN)/mypy

unit: $(STAMP)  ## Fast tests: fake embeddings, no models, no network.
	$(BIN)/pytest tests/unit -q

integration: $(STAMP)  ## Real Chroma (embedded and server), real models, real HTTP servers.
	$(BIN)/pytest tests/integration -q

e2e: $(STAMP)  ## Browser (system Chromium) and OpenAI-client tests against real servers.
	$(BIN)/pytest tests/e2e -q

test: lint typecheck  ## Everything CI runs: lint, types, and the whole test suite.
	$(BIN)/pytest tests -q -ra --durations=5

bench: $(ST_STAMP)  ## Benchmarks (tables in bench/results/); not tests.
	$(BIN)/python bench/bench_retrieval.py
	$(BIN)/python bench/bench_chat.py
	$(BIN)/python bench/bench_load.py

clean:  ## Remove the local index and caches.
	rm -rf .debatebot .pytest_cache .mypy_cache .ruff_cache
