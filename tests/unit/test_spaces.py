"""Several dense models: every space holds the same passages, and a changed recipe re-embeds."""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.service import RetrievalService
from retrieval.settings import ChromaSettings, RetrievalSettings
from retrieval.stores.chroma import ChromaStore, make_chroma_client


def _ids(service: RetrievalService, space: str) -> set[str]:
    return set(service.store.space(space).get(include=[])["ids"])


def _vectors(store: ChromaStore, space: str) -> dict[str, np.ndarray]:
    got = store.space(space).get(include=["embeddings"])
    return {pid: np.asarray(v) for pid, v in zip(got["ids"], got["embeddings"], strict=True)}


def test_every_space_holds_the_same_passages_through_ingest_and_delete(
    two_model_service: RetrievalService, corpus_dir: Path
) -> None:
    service = two_model_service
    service.ingest_paths([corpus_dir])
    lexical = {p.passage_id for p in service.passages()}
    assert _ids(service, "") == _ids(service, "granite") == lexical
    doc_id = service.list_documents()[0].doc_id
    assert service.delete_document(doc_id)
    remaining = {p.passage_id for p in service.passages()}
    assert _ids(service, "") == _ids(service, "granite") == remaining != lexical


def test_filters_and_metadata_updates_apply_in_every_space(
    two_model_service: RetrievalService, corpus_dir: Path
) -> None:
    service = two_model_service
    service.ingest_paths([corpus_dir])
    target = service.passages()[0]
    service.update_passage_metadata({target.passage_id: {"stance": "pro"}})
    for space in ("", "granite"):
        got = service.store.space(space).get(ids=[target.passage_id], include=["metadatas"])
        assert got["metadatas"][0]["stance"] == "pro"
    for mode in ("hybrid", "dense"):
        hits = service.search("talks", k=5, where={"stance": "pro"}, mode=mode)
        assert [h.passage_id for h in hits] == [target.passage_id]


def test_hybrid_fuses_a_ranking_from_each_model(
    two_model_service: RetrievalService, corpus_dir: Path
) -> None:
    service = two_model_service
    service.ingest_paths([corpus_dir])
    hits = service.search("Who chaired the Geneva talks?", k=3)
    assert hits[0].text.startswith("The committee met in Geneva")
    # Three rankings (two dense, one BM25) with RRF k=60: a passage ranked first in all
    # three scores 3/61.
    assert hits[0].score <= 3 / 61 + 1e-6
    assert hits[0].score > 2 / 61


def test_a_changed_recipe_re_embeds_stored_passages_and_keeps_them(
    embeddings: Embeddings, granite: Embeddings, corpus_dir: Path
) -> None:
    client = make_chroma_client(ChromaSettings(mode="memory"), None)
    prefix = f"t{uuid.uuid4().hex[:12]}"
    plain = RetrievalService(
        ChromaStore(client, prefix), embeddings, RetrievalSettings(embed_titles=False)
    )
    plain.ingest_paths([corpus_dir])
    before = _vectors(plain.store, "")
    passages = {p.passage_id: p for p in plain.passages()}

    titled = RetrievalService(
        ChromaStore(client, prefix), embeddings, RetrievalSettings(), {"granite": granite}
    )
    after = _vectors(titled.store, "")
    assert {p.passage_id: p for p in titled.passages()} == passages
    assert set(after) == set(before) == _ids(titled, "granite")
    titled_doc = next(p for p in passages.values() if p.metadata.get("title"))
    assert not np.allclose(after[titled_doc.passage_id], before[titled_doc.passage_id])
    assert titled.store.recipe() == titled.recipe()
    assert titled.store.recipe("granite") == titled.recipe("granite")

    reopened = RetrievalService(
        ChromaStore(client, prefix), embeddings, RetrievalSettings(), {"granite": granite}
    )
    unchanged = _vectors(reopened.store, "")
    assert all(np.array_equal(unchanged[pid], after[pid]) for pid in after)


def test_passages_are_embedded_under_their_document_title(
    memory_service: RetrievalService, corpus_dir: Path
) -> None:
    memory_service.ingest_paths([corpus_dir])
    passage = next(p for p in memory_service.passages() if p.metadata.get("title") == "Beta brief")
    assert memory_service.embedding_input(passage) == f"Beta brief\n\n{passage.text}"


def test_an_extra_space_is_repaired_after_writes_made_without_it(
    embeddings: Embeddings, granite: Embeddings, corpus_dir: Path
) -> None:
    client = make_chroma_client(ChromaSettings(mode="memory"), None)
    prefix = f"t{uuid.uuid4().hex[:12]}"
    both = RetrievalService(
        ChromaStore(client, prefix), embeddings, RetrievalSettings(), {"granite": granite}
    )
    both.ingest_paths([corpus_dir])
    primary_before = _vectors(both.store, "")
    # One-model service on the same store: the primary space is current, nothing re-embeds.
    alone = RetrievalService(ChromaStore(client, prefix), embeddings, RetrievalSettings())
    assert all(
        np.array_equal(v, primary_before[pid]) for pid, v in _vectors(alone.store, "").items()
    )
    (corpus_dir / "alpha.txt").write_text("New text about talks in Oslo in 1993.", "utf-8")
    alone.ingest_paths([corpus_dir])
    current = {p.passage_id for p in alone.passages()}
    assert _ids(alone, "granite") != current  # granite missed that write
    repaired = RetrievalService(
        ChromaStore(client, prefix), embeddings, RetrievalSettings(), {"granite": granite}
    )
    assert _ids(repaired, "granite") == _ids(repaired, "") == current
