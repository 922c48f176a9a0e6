"""Embedding backends: the ``provider:model`` registry, the ONNX base, MiniLM and granite."""

from retrieval.embeddings.registry import (
    EMBEDDING_PROVIDERS,
    build_embeddings,
    embed_array,
    embedding_dimension,
    space_name,
)

__all__ = [
    "EMBEDDING_PROVIDERS",
    "build_embeddings",
    "embed_array",
    "embedding_dimension",
    "space_name",
]
