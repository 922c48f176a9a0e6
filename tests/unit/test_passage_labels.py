"""Metadata writes accept only the bot's label fields: the data-loss bug cannot come back."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from retrieval.labels import LabelError, check_labels
from retrieval.service import RetrievalService
from retrieval.settings import ChromaSettings, RetrievalSettings
from retrieval.stores.chroma import ChromaStore, make_chroma_client
from tests.support.fixtures_http import retrieval_client

THOUSANDS_OF_KEYS = {f"k{i}": "vvvvvvvv" for i in range(6000)}


@pytest.fixture
def persistent_service(tmp_path: Path, embeddings: Embeddings) -> RetrievalService:
    """A service on a real on-disk Chroma store: the one whose compaction broke."""
    client = make_chroma_client(ChromaSettings(mode="persistent"), tmp_path)
    store = ChromaStore(client, f"t{uuid.uuid4().hex[:12]}")
    return RetrievalService(store, embeddings, RetrievalSettings())


def _a_passage_id(service: RetrievalService, corpus: Path) -> str:
    service.ingest_paths([corpus])
    return service.passages()[0].passage_id


def test_thousands_of_keys_are_refused_and_the_store_stays_writable(
    persistent_service: RetrievalService, corpus_dir: Path
) -> None:
    pid = _a_passage_id(persistent_service, corpus_dir)
    with pytest.raises(LabelError):
        persistent_service.update_passage_metadata({pid: THOUSANDS_OF_KEYS})
    persistent_service.update_passage_metadata({pid: {"stance": "pro"}})
    (corpus_dir / "gamma.txt").write_text("A third source about talks in Oslo in 1993.", "utf-8")
    report = persistent_service.ingest_paths([corpus_dir])
    assert len(report.added) == 1
    assert persistent_service.get_passage(pid).metadata["stance"] == "pro"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "labels",
    [
        pytest.param({"doc_id": "other"}, id="doc_id is a core field"),
        pytest.param({"start": 0}, id="start is a core field"),
        pytest.param({"end": 5}, id="end is a core field"),
        pytest.param({"title": "Rewritten"}, id="title is a core field"),
        pytest.param({"role": "seed"}, id="role comes from the seeds folder"),
        pytest.param({"motion": "other"}, id="motion comes from the seeds folder"),
        pytest.param({"stance": "maybe"}, id="a stance outside pro, con, neutral"),
        pytest.param({"stance": 1}, id="a stance that is not a string"),
        pytest.param({"key_points": "x" * 9000}, id="key points over the size limit"),
        pytest.param({"key_points": "a b; c"}, id="key points that are not ids"),
        pytest.param({"argmap": "not-hex!"}, id="an argmap that is not a fingerprint"),
        pytest.param({"notes": "v" * 10_000_000}, id="a 10 MB value"),
    ],
)
def test_non_label_fields_and_bad_labels_are_refused(labels: dict) -> None:
    with pytest.raises(LabelError):
        check_labels({"p1": labels})


def test_the_bots_own_labels_pass() -> None:
    check_labels({"p1": {"stance": "con", "key_points": "pro-a,con-b", "argmap": "0123abcd"}})
    check_labels({"p1": {"stance": "neutral", "key_points": "", "argmap": "f" * 16}})


def test_the_route_refuses_core_fields_and_keeps_the_passage(
    memory_service: RetrievalService, corpus_dir: Path
) -> None:
    pid = _a_passage_id(memory_service, corpus_dir)
    before = memory_service.get_passage(pid)
    client = retrieval_client(memory_service)
    for labels in ({"doc_id": "x", "start": 0}, {"stance": "pro", "extra": 1}, THOUSANDS_OF_KEYS):
        response = client.post("/passages/metadata", json={"updates": {pid: labels}})
        assert response.status_code == 422, response.text
    assert memory_service.get_passage(pid) == before
    ok = client.post("/passages/metadata", json={"updates": {pid: {"stance": "con"}}})
    assert ok.status_code == 204
    after = memory_service.get_passage(pid)
    assert after is not None
    assert after.metadata["stance"] == "con"
    assert (after.doc_id, after.start, after.end) == (before.doc_id, before.start, before.end)  # type: ignore[union-attr]
