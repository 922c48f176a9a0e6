"""Ingest is idempotent, keeps both indexes in step, and refuses bad input atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.ingest.loaders import IngestError
from retrieval.service import RetrievalService


def _state(service: RetrievalService) -> tuple[set[str], set[str], set[str]]:
    docs = {d.doc_id for d in service.list_documents()}
    dense = set(service.store.passages.get(include=[])["ids"])
    lexical = {p.passage_id for p in service.passages()}
    return docs, dense, lexical


def test_first_ingest_adds_and_offsets_are_exact(
    memory_service: RetrievalService, corpus_dir: Path
) -> None:
    report = memory_service.ingest_paths([corpus_dir])
    assert len(report.added) == 2
    assert report.passages > 0
    for passage in memory_service.passages():
        doc = memory_service.get_document(passage.doc_id)
        assert doc is not None
        assert doc.text[passage.start : passage.end] == passage.text


def test_re_ingest_of_unchanged_sources_writes_nothing(
    memory_service: RetrievalService, corpus_dir: Path
) -> None:
    memory_service.ingest_paths([corpus_dir])
    before = _state(memory_service)
    again = memory_service.ingest_paths([corpus_dir])
    assert again.added == again.replaced == again.deleted == []
    assert len(again.unchanged) == 2
    assert again.passages == 0
    assert _state(memory_service) == before


def test_a_changed_source_is_replaced_in_both_indexes(
    memory_service: RetrievalService, corpus_dir: Path
) -> None:
    memory_service.ingest_paths([corpus_dir])
    old_docs, _, _ = _state(memory_service)
    (corpus_dir / "alpha.txt").write_text("Completely new text about Oslo in 1993.", "utf-8")
    report = memory_service.ingest_paths([corpus_dir])
    assert len(report.replaced) == 1
    assert report.deleted == []
    docs, dense, lexical = _state(memory_service)
    assert len(docs) == 2
    assert len(docs - old_docs) == 1
    assert dense == lexical
    assert memory_service.search("Oslo 1993", k=1)[0].text.startswith("Completely new text")
    assert not any("Geneva" in p.text for p in memory_service.passages())


def test_a_removed_source_is_deleted_from_both_indexes(
    memory_service: RetrievalService, corpus_dir: Path
) -> None:
    memory_service.ingest_paths([corpus_dir])
    (corpus_dir / "beta.md").unlink()
    report = memory_service.ingest_paths([corpus_dir])
    assert len(report.deleted) == 1
    docs, dense, lexical = _state(memory_service)
    assert len(docs) == 1
    assert dense == lexical
    assert all("Egypt" not in hit.text for hit in memory_service.search("Egypt mediators", k=5))


def test_a_bad_file_leaves_the_index_as_it_was(
    memory_service: RetrievalService, corpus_dir: Path
) -> None:
    memory_service.ingest_paths([corpus_dir])
    before = _state(memory_service)
    (corpus_dir / "gamma.txt").write_bytes("na\u00efve".encode("latin-1"))
    (corpus_dir / "alpha.txt").write_text("Changed text that must not land.", "utf-8")
    with pytest.raises(IngestError, match="UTF-8"):
        memory_service.ingest_paths([corpus_dir])
    assert _state(memory_service) == before


def test_delete_document_removes_it_everywhere(
    memory_service: RetrievalService, corpus_dir: Path
) -> None:
    memory_service.ingest_paths([corpus_dir])
    doc_id = memory_service.list_documents()[0].doc_id
    assert memory_service.delete_document(doc_id)
    assert memory_service.get_document(doc_id) is None
    assert all(p.doc_id != doc_id for p in memory_service.passages())
    assert not memory_service.delete_document(doc_id)


def test_search_filters_by_document_and_metadata(
    memory_service: RetrievalService, corpus_dir: Path
) -> None:
    memory_service.ingest_paths([corpus_dir])
    beta = next(d for d in memory_service.list_documents() if d.title == "Beta brief")
    for mode in ("hybrid", "dense", "lexical"):
        hits = memory_service.search("talks", k=5, where={"doc_id": beta.doc_id}, mode=mode)
        assert hits, mode
        assert {h.doc_id for h in hits} == {beta.doc_id}
    assert memory_service.search("talks", where={"motion": "nothing-here"}) == []


def test_sources_in_a_motion_folder_carry_the_motion(
    memory_service: RetrievalService, tmp_path: Path
) -> None:
    motion = tmp_path / "my-motion"
    (motion / "sources").mkdir(parents=True)
    (motion / "motion.yaml").write_text("id: my-motion\nseed_documents: [a.txt]\n", "utf-8")
    (motion / "sources" / "a.txt").write_text("A sentence about treaties.", "utf-8")
    (motion / "sources" / "b.txt").write_text("Another sentence about treaties.", "utf-8")
    memory_service.ingest_paths([tmp_path])
    hits = memory_service.search("treaties", where={"motion": "my-motion"})
    roles = {h.text: h.metadata.get("role") for h in hits}
    assert roles == {"A sentence about treaties.": "seed", "Another sentence about treaties.": None}


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_a_broad_filter_still_returns_only_matching_passages(
    memory_service: RetrievalService, tmp_path: Path, mode: str
) -> None:
    motion = tmp_path / "wide"
    (motion / "sources").mkdir(parents=True)
    (motion / "motion.yaml").write_text("id: wide\n", "utf-8")
    for i in range(6):
        (motion / "sources" / f"m{i}.txt").write_text(f"Treaty talks round {i} ended.", "utf-8")
    (tmp_path / "outside.txt").write_text("Treaty talks outside the motion ended.", "utf-8")
    memory_service.ingest_paths([tmp_path])
    hits = memory_service.search("treaty talks", k=10, where={"motion": "wide"}, mode=mode)
    assert len(hits) == 6
    assert all(h.metadata["motion"] == "wide" for h in hits)
