"""Retrieval quality on the seed corpus: recall@5 of hybrid, dense and lexical search.

A real store (persistent Chroma in a temp dir) and the real default ONNX model.
The questions live in retrieval_questions.yaml (heavy paraphrase) and
retrieval_questions_natural.yaml (natural phrasing, written blind); bench/bench_retrieval.py
reports the same numbers next to latency.

The issue's target is hybrid recall@5 >= 0.9. With the packaged all-MiniLM-L6-v2 (int8 and
full precision score the same) hybrid reaches about 0.75 on these 89 questions, so this test
guards that level against regressions and checks that fusion beats each of its parts; the
gap to 0.9 is reported in the README rather than hidden by easier questions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from bench.quality import (
    SEEDS_DIR,
    Question,
    load_questions,
    missing_evidence,
    recall_at_k,
    service_searcher,
)
from retrieval.dense import ChromaStore, make_chroma_client
from retrieval.service import RetrievalService
from retrieval.settings import ChromaSettings, RetrievalSettings

pytestmark = pytest.mark.integration

HYBRID_MIN_RECALL = 0.72  # measured 0.753; the 0.9 target is not met (see module docstring)


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions()


@pytest.fixture(scope="module")
def seeded_service(
    tmp_path_factory: pytest.TempPathFactory, embeddings: Embeddings
) -> RetrievalService:
    """seeds/ ingested into a fresh persistent store."""
    data_dir = tmp_path_factory.mktemp("quality")
    client = make_chroma_client(ChromaSettings(mode="persistent"), data_dir)
    service = RetrievalService(ChromaStore(client, "quality"), embeddings, RetrievalSettings())
    service.ingest_paths([SEEDS_DIR])
    return service


def test_question_set_covers_every_source_and_both_sides(questions: list[Question]) -> None:
    sources = {p.name for p in Path(SEEDS_DIR).rglob("*") if p.suffix in {".md", ".txt"}}
    asked = {e.doc for q in questions for e in q.evidence}
    assert len(questions) >= 80
    assert sources <= asked, f"no question about {sorted(sources - asked)}"
    assert {q.side for q in questions} >= {"pro", "con"}


def test_every_expected_passage_exists(
    questions: list[Question], seeded_service: RetrievalService
) -> None:
    assert missing_evidence(questions, seeded_service) == []


def test_hybrid_recall_at_5(
    questions: list[Question],
    seeded_service: RetrievalService,
    capsys: pytest.CaptureFixture[str],
) -> None:
    reports = {
        mode: recall_at_k(questions, service_searcher(seeded_service, mode), k=5)
        for mode in ("hybrid", "dense", "lexical")
    }
    with capsys.disabled():
        print()
        for mode, report in reports.items():
            print(
                f"recall@5 {mode:<8} {report.recall:.3f} ({report.found}/{report.total}); "
                f"missed: {', '.join(report.misses) or '-'}"
            )
    hybrid = reports["hybrid"]
    assert hybrid.recall >= HYBRID_MIN_RECALL, f"hybrid recall@5 missed {hybrid.misses}"
    assert hybrid.recall > reports["dense"].recall
    assert hybrid.recall > reports["lexical"].recall
