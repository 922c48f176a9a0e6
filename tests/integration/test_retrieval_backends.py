"""The same retrieval suite on an embedded PersistentClient and on a real `chroma run` server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from retrieval.ingest.chunking import split_sentences
from retrieval.service import RetrievalService
from retrieval.settings import ChromaSettings, RetrievalSettings
from retrieval.stores.chroma import ChromaStore, make_chroma_client
from retrieval.stores.sentences import record_base
from tests.support.fixtures_retrieval import SEEDS
from tests.support.fixtures_servers import chroma_server

pytestmark = pytest.mark.integration


@pytest.fixture(params=["embedded", "chroma-server"])
def chroma_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ChromaSettings]:
    """Settings for a fresh real Chroma: files under tmp_path, or a server on a free port."""
    if request.param == "embedded":
        yield ChromaSettings(mode="persistent")
    else:
        with chroma_server(tmp_path / "chroma-server") as port:
            yield ChromaSettings(host="127.0.0.1", port=port)


@pytest.fixture
def models(embeddings: Embeddings, granite: Embeddings) -> tuple[Embeddings, Embeddings]:
    """Two dense models, so both backends also hold an extra vector space."""
    return embeddings, granite


def _service(
    settings: ChromaSettings, data_dir: Path, models: tuple[Embeddings, Embeddings]
) -> RetrievalService:
    store = ChromaStore(make_chroma_client(settings, data_dir), "debatebot")
    return RetrievalService(store, models[0], RetrievalSettings(), {"granite": models[1]})


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of seeds/ that tests may change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def test_seed_corpus_round_trips_with_exact_offsets(
    chroma_settings: ChromaSettings,
    tmp_path: Path,
    models: tuple[Embeddings, Embeddings],
    seeds_copy: Path,
) -> None:
    service = _service(chroma_settings, tmp_path, models)
    report = service.ingest_paths([seeds_copy])
    sources = list((seeds_copy / "us-hamas" / "sources").iterdir())
    assert len(report.added) == len(sources)
    hits = service.search("Who designated Hamas a foreign terrorist organization?", k=5)
    assert len(hits) == 5
    for hit in hits:
        doc = service.get_document(hit.doc_id)
        assert doc is not None
        assert doc.text[hit.start : hit.end] == hit.text
        assert hit.metadata["motion"] == "us-hamas"
    assert any("1997" in h.text for h in hits)


def test_a_restarted_service_rebuilds_bm25_from_the_store(
    chroma_settings: ChromaSettings,
    tmp_path: Path,
    models: tuple[Embeddings, Embeddings],
    seeds_copy: Path,
) -> None:
    first = _service(chroma_settings, tmp_path, models)
    first.ingest_paths([seeds_copy])
    query = "material support statute Supreme Court"
    expected = [(h.passage_id, h.score) for h in first.search(query, k=5, mode="lexical")]
    second = _service(chroma_settings, tmp_path, models)
    assert [(h.passage_id, h.score) for h in second.search(query, k=5, mode="lexical")] == expected
    assert {p.passage_id for p in second.passages()} == {p.passage_id for p in first.passages()}
    assert second.ingest_paths([seeds_copy]).passages == 0
    question = "Who met Hamas officials in Doha in 2025?"
    assert [h.passage_id for h in second.search(question)] == [
        h.passage_id for h in first.search(question)
    ]


def test_edit_and_removal_propagate_to_both_indexes(
    chroma_settings: ChromaSettings,
    tmp_path: Path,
    models: tuple[Embeddings, Embeddings],
    seeds_copy: Path,
) -> None:
    service = _service(chroma_settings, tmp_path, models)
    service.ingest_paths([seeds_copy])
    sources = seeds_copy / "us-hamas" / "sources"
    victim = sorted(sources.glob("*.md"))[0]
    victim.unlink()
    report = service.ingest_paths([seeds_copy])
    assert len(report.deleted) == 1
    dense_ids = set(service.store.passages.get(include=[])["ids"])
    assert dense_ids == {p.passage_id for p in service.passages()}
    assert set(service.store.space("granite").get(include=[])["ids"]) == dense_ids
    assert all(victim.name not in d.source for d in service.list_documents())


def test_the_rerankers_sentence_vectors_are_stored_and_deleted_in_chroma(
    chroma_settings: ChromaSettings,
    tmp_path: Path,
    embeddings: Embeddings,
    seeds_copy: Path,
) -> None:
    """With rerank on, ingest writes every sentence vector; a restart reads them back."""

    def reranking() -> RetrievalService:
        store = ChromaStore(make_chroma_client(chroma_settings, tmp_path), "debatebot")
        return RetrievalService(store, embeddings, RetrievalSettings(rerank=True))

    def records(service: RetrievalService) -> int:
        assert service.reranker is not None
        assert service.reranker.vectors is not None
        count: int = service.reranker.vectors.collection.count()
        return count

    first = reranking()
    first.ingest_paths([seeds_copy])
    sentences = {p.passage_id: len(split_sentences(p.text)) for p in first.passages()}
    assert records(first) == 2 * sum(sentences.values())  # titled and lone: all have titles
    question = "Which American official met Hamas in Doha in 2025?"
    second = reranking()
    hits = second.search(question, k=5)
    assert [h.passage_id for h in hits] == [h.passage_id for h in first.search(question, k=5)]
    assert second.reranker is not None
    assert second.reranker.vectors is not None
    wanted = [
        f"{record_base(h.passage_id, h.title)}:{kind}{n}"
        for h in hits
        for kind in "tl"
        for n in range(sentences[h.passage_id])
    ]
    assert len(second.reranker.vectors.get(wanted)) == len(wanted)
    victim = hits[0].doc_id
    gone = sum(sentences[p.passage_id] for p in first.passages() if p.doc_id == victim)
    assert second.delete_document(victim)
    assert records(second) == 2 * (sum(sentences.values()) - gone)
