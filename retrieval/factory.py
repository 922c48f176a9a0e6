"""Build the retrieval service from settings (the only place that wires adapters)."""

from __future__ import annotations

from retrieval.dense import ChromaStore, make_chroma_client
from retrieval.embeddings import build_embeddings
from retrieval.service import RetrievalService
from retrieval.settings import Settings


def build_retrieval_service(settings: Settings) -> RetrievalService:
    """Chroma client + embedding model + service, as the settings say."""
    client = make_chroma_client(settings.chroma, settings.data_dir)
    store = ChromaStore(client, settings.chroma.collection_prefix)
    embeddings = build_embeddings(
        settings.embedding.model, batch_size=settings.embedding.batch_size
    )
    return RetrievalService(store, embeddings, settings.retrieval)
