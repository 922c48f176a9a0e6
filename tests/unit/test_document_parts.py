"""A long document text is stored in parts (short Chroma writes) and always read back whole."""

from __future__ import annotations

import uuid

import pytest

from retrieval.records import Document
from retrieval.settings import ChromaSettings
from retrieval.stores import chroma
from retrieval.stores.chroma import ChromaStore, make_chroma_client


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> ChromaStore:
    monkeypatch.setattr(chroma, "TEXT_PART_CHARS", 10)
    client = make_chroma_client(ChromaSettings(mode="memory"), None)
    return ChromaStore(client, f"t{uuid.uuid4().hex[:12]}")


def _doc(text: str, doc_id: str = "d1") -> Document:
    return Document(doc_id=doc_id, title="T", text=text, source="upload/t.txt", metadata={})


@pytest.mark.parametrize(
    "text", ["short", "exactly10!", "eleven char", "Talks in Doha, then in Cairo, then again. " * 3]
)
def test_a_text_of_any_length_is_read_back_whole(store: ChromaStore, text: str) -> None:
    store.put_documents([(_doc(text), 1)])
    stored = store.get_document("d1")
    assert stored is not None
    assert stored.text == text
    assert stored.metadata == {}


def test_the_store_s_bookkeeping_stays_out_of_the_metadata(store: ChromaStore) -> None:
    store.put_documents([(_doc("a" * 35), 2), (_doc("b" * 5, "d2"), 1)])
    listed = dict(store.iter_documents())
    assert set(listed) == {"d1", "d2"}
    assert all("text_parts" not in meta for meta in listed.values())
    assert store.document_metadata("d1") == listed["d1"]
    assert listed["d1"]["passages"] == 2


def test_deleting_a_document_deletes_its_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chroma, "TEXT_PART_CHARS", 10)
    client = make_chroma_client(ChromaSettings(mode="memory"), None)
    prefix = f"t{uuid.uuid4().hex[:12]}"
    store = ChromaStore(client, prefix)
    parts = client.get_collection(f"{prefix}_document_parts")
    store.put_documents([(_doc("x" * 45), 1), (_doc("y" * 45, "d2"), 1)])
    assert parts.count() == 8  # 4 parts beyond the first, each
    store.delete_document("d1")
    assert store.get_document("d1") is None
    assert parts.count() == 4
    kept = store.get_document("d2")
    assert kept is not None
    assert kept.text == "y" * 45
