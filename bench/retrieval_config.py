"""The retrieval benchmark's parameters, shared by its modules: models, sizes and methods."""

from __future__ import annotations

from retrieval.settings import EmbeddingSettings

DEFAULTS = EmbeddingSettings()
PRIMARY_MODEL = DEFAULTS.model
# The second model the store is also built with, so the opt-in two-model hybrid
# (DEBATEBOT_EMBEDDING__EXTRA_MODELS) is measured next to the default.
EXTRA_MODELS = tuple(DEFAULTS.extra_models) or ("onnx:all-MiniLM-L6-v2-int8",)
# The embedding-build table: every packaged model, both MiniLM builds included.
MODELS = tuple(
    dict.fromkeys(
        (PRIMARY_MODEL, *EXTRA_MODELS, "onnx:all-MiniLM-L6-v2-int8")
        + ("sentence-transformers:all-MiniLM-L6-v2",)
    )
)
MODEL_TEXTS = 256
PREFIX = "bench"
SIZES = (1_000, 10_000, 100_000)
# Timed methods. "hybrid", "dense" and "bm25" are the default service (primary model +
# BM25); "hybrid-2" is the same store searched with the extra models too.
METHODS = ("hybrid", "hybrid-2", "dense", "bm25", "langchain")
MODES = {"hybrid": "hybrid", "hybrid-2": "hybrid", "dense": "dense", "bm25": "lexical"}
# Methods that need the extra models loaded in their process.
NEEDS_EXTRAS = {"hybrid-2"}
TIMED_QUERIES = 200
WARMUP_QUERIES = 20
RSS_QUERIES = 50
SYNTHETIC_PASSAGES = 1_000
NOISE = 0.02  # std-dev of the per-dimension perturbation of reused vectors
