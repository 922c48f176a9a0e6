"""Sentence-embedding backends behind LangChain's ``Embeddings`` interface.

Backends are built from ``"provider:model"`` strings by :func:`build_embeddings`; each
provider is a small factory that imports its backend lazily. Every backend loads its
model from files installed with pip; nothing is downloaded at run time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

_MINILM_NAMES = {"all-minilm-l6-v2", "all-minilm-l6-v2-int8", "minilm"}
_GRANITE_NAMES = {"granite-embedding-30m-english", "granite"}


def _onnx(model: str, **kwargs: Any) -> Embeddings:
    if model.lower() not in _MINILM_NAMES:
        raise ValueError(f"onnx provider knows only all-MiniLM-L6-v2-int8, not {model!r}")
    from retrieval.embeddings.minilm import OnnxMiniLMEmbeddings

    return OnnxMiniLMEmbeddings(batch_size=kwargs.get("batch_size", 32))


def _sentence_transformers(model: str, **kwargs: Any) -> Embeddings:
    if model.lower() not in _MINILM_NAMES:
        raise ValueError(f"only the packaged all-MiniLM-L6-v2 loads offline, not {model!r}")
    from retrieval.embeddings.minilm import SentenceTransformerEmbeddings

    return SentenceTransformerEmbeddings(batch_size=kwargs.get("batch_size", 32))


def _packed(model: str, **kwargs: Any) -> Embeddings:
    if model.lower() not in _GRANITE_NAMES:
        raise ValueError(f"packed provider knows only granite-embedding-30m-english, not {model!r}")
    from retrieval.embeddings.granite import GraniteEmbeddings

    return GraniteEmbeddings(batch_size=min(16, kwargs.get("batch_size", 16)))


EMBEDDING_PROVIDERS: dict[str, Callable[..., Embeddings]] = {
    "onnx": _onnx,
    "sentence-transformers": _sentence_transformers,
    "packed": _packed,
}


def build_embeddings(spec: str, **kwargs: Any) -> Embeddings:
    """Build an embedding backend from ``"provider:model"``."""
    provider, sep, model = spec.partition(":")
    if not sep or provider not in EMBEDDING_PROVIDERS:
        raise ValueError(
            f"embedding model must be 'provider:model' with provider in "
            f"{sorted(EMBEDDING_PROVIDERS)}, got {spec!r}"
        )
    return EMBEDDING_PROVIDERS[provider](model, **kwargs)


def space_name(spec: str) -> str:
    """A Chroma-safe name for the vector space of the model in ``spec``."""
    return re.sub(r"[^a-z0-9-]+", "-", spec.partition(":")[2].lower()).strip("-") or "model"


def embed_array(embeddings: Embeddings, texts: list[str]) -> np.ndarray:
    """Embed ``texts`` as a float32 array with any backend (fast path when available)."""
    fast = getattr(embeddings, "embed_array", None)
    if callable(fast):
        return np.asarray(fast(texts), dtype=np.float32)
    return np.asarray(embeddings.embed_documents(texts), dtype=np.float32).reshape(len(texts), -1)


def embedding_dimension(embeddings: Embeddings) -> int:
    """The width of the vectors ``embeddings`` makes: its ``dimension``, else one probe."""
    dimension = getattr(embeddings, "dimension", None)
    if isinstance(dimension, int):
        return dimension
    return len(embeddings.embed_query("dimension"))
