"""The reranker's sentence vectors in Chroma: written at ingest, read after a restart, deleted."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from retrieval.service import RetrievalService
from retrieval.settings import ChromaSettings, RetrievalSettings
from retrieval.stores.chroma import ChromaStore, make_chroma_client
from retrieval.stores.sentences import KIND, SentenceVectorStore
from tests.support.fake_embeddings import HashEmbeddings


@pytest.fixture
def store() -> ChromaStore:
    client = make_chroma_client(ChromaSettings(mode="memory"), None)
    return ChromaStore(client, f"t{uuid.uuid4().hex[:12]}")


def _reranking(store: ChromaStore, embeddings: HashEmbeddings) -> RetrievalService:
    return RetrievalService(store, embeddings, RetrievalSettings(rerank=True))


def _vectors(service: RetrievalService) -> SentenceVectorStore:
    assert service.reranker is not None
    assert service.reranker.vectors is not None
    return service.reranker.vectors


def _records(service: RetrievalService) -> int:
    count: int = _vectors(service).collection.count()
    return count


def test_ingest_writes_every_sentence_vector_and_a_restart_embeds_none(
    store: ChromaStore, corpus_dir: Path
) -> None:
    first = _reranking(store, HashEmbeddings())
    first.ingest_paths([corpus_dir])
    # Six sentences (alpha 4, beta 2), each read after its title and alone.
    assert _records(first) == 6 * 2
    embeddings = HashEmbeddings()
    second = _reranking(store, embeddings)
    hits = second.search("Who chaired the talks in Geneva?", k=3)
    assert hits
    assert all(len(texts) == 1 for texts in embeddings.history)  # the query, nothing else
    assert [h.passage_id for h in hits] == [
        h.passage_id for h in first.search("Who chaired the talks in Geneva?", k=3)
    ]


def test_a_store_written_without_the_reranker_gets_vectors_on_first_use(
    store: ChromaStore, corpus_dir: Path
) -> None:
    RetrievalService(store, HashEmbeddings(), RetrievalSettings()).ingest_paths([corpus_dir])
    embeddings = HashEmbeddings()
    service = _reranking(store, embeddings)
    assert _records(service) == 0
    service.search("Egypt mediators", k=2)  # all three passages are candidates
    assert _records(service) == 6 * 2
    later = HashEmbeddings()
    _reranking(store, later).search("Egypt mediators", k=2)
    assert all(len(texts) == 1 for texts in later.history)


def test_deleting_a_document_deletes_its_sentence_vectors(
    store: ChromaStore, corpus_dir: Path
) -> None:
    service = _reranking(store, HashEmbeddings())
    service.ingest_paths([corpus_dir])
    beta = next(d for d in service.list_documents() if d.source.endswith("beta.md"))
    assert service.delete_document(beta.doc_id)
    assert _records(service) == 4 * 2
    (corpus_dir / "alpha.txt").unlink()
    report = service.ingest_paths([corpus_dir])  # alpha is pruned, beta comes back
    assert len(report.deleted) == 1
    assert _records(service) == 2 * 2


def test_another_model_starts_a_new_collection_and_drops_the_old(store: ChromaStore) -> None:
    class OtherModel(HashEmbeddings):
        pass

    old = _vectors(_reranking(store, HashEmbeddings())).collection.name
    new = _vectors(_reranking(store, OtherModel())).collection.name
    names = [c.name for c in store._client.list_collections()]
    assert new in names
    assert old not in names
    assert sum(name.startswith(f"{store._prefix}_{KIND}__") for name in names) == 1
