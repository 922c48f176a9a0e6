"""Build the retrieval service from settings (the only place that wires adapters)."""

from __future__ import annotations

import logging

from retrieval.embeddings import build_embeddings, space_name
from retrieval.service import RetrievalService
from retrieval.settings import Settings
from retrieval.stores.chroma import ChromaStore, make_chroma_client

log = logging.getLogger(__name__)


def build_retrieval_service(settings: Settings) -> RetrievalService:
    """Chroma client + embedding models + service, as the settings say."""
    client = make_chroma_client(settings.chroma, settings.data_dir)
    store = ChromaStore(client, settings.chroma.collection_prefix)
    batch = settings.embedding.batch_size
    embeddings = build_embeddings(settings.embedding.model, batch_size=batch)
    extra = {
        space_name(spec): build_embeddings(spec, batch_size=batch)
        for spec in settings.embedding.extra_models
    }
    return RetrievalService(store, embeddings, settings.retrieval, extra)


def seed_index(retrieval: RetrievalService, settings: Settings) -> None:
    """Index the seeds folder, skipping unchanged files."""
    if settings.index_seeds_on_start and settings.seeds_dir.is_dir():
        report = retrieval.ingest_paths([settings.seeds_dir])
        log.info("seeds: %d new, %d unchanged", len(report.added), len(report.unchanged))
