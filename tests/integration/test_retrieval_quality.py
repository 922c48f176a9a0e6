"""Retrieval quality on the seed corpus: recall@5 of hybrid, dense and lexical search.

A real store (persistent Chroma in a temp dir) with the default configuration: the
packaged granite-embedding-30m-english model with passages embedded under their titles,
fused with BM25 over title + passage text.
The design was chosen on the dev questions (retrieval_questions.yaml, heavy paraphrase,
and retrieval_questions_natural.yaml, natural phrasing written blind). The held-out set
(retrieval_questions_heldout.yaml) was written blind afterwards and is only reported and
guarded, never tuned on. bench/bench_retrieval.py reports the same numbers next to latency.

The issue's target is hybrid recall@5 >= 0.9. Measured: 0.809 on the dev set and 0.825
on the held-out set, so this test guards those levels against regressions and checks
that fusion beats each of its parts; the gap to 0.9 is reported in the README rather
than hidden by easier questions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from bench.quality import (
    HELDOUT_FILE,
    SEEDS_DIR,
    Question,
    load_questions,
    missing_evidence,
    recall_at_k,
    service_searcher,
)
from retrieval.service import RetrievalService
from retrieval.settings import ChromaSettings, RetrievalSettings
from retrieval.stores.bm25 import tokenize
from retrieval.stores.chroma import ChromaStore, make_chroma_client

pytestmark = pytest.mark.integration

HYBRID_MIN_RECALL = 0.79  # dev set, measured 0.809 (0.764 before BM25 read titles); not 0.9
HELDOUT_MIN_RECALL = 0.78  # held-out set, measured 0.825


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions()


@pytest.fixture(scope="module")
def heldout() -> list[Question]:
    return load_questions(HELDOUT_FILE)


@pytest.fixture(scope="module")
def seeded_service(
    tmp_path_factory: pytest.TempPathFactory, granite: Embeddings
) -> RetrievalService:
    """seeds/ ingested into a fresh persistent store, configured like the default."""
    data_dir = tmp_path_factory.mktemp("quality")
    client = make_chroma_client(ChromaSettings(mode="persistent"), data_dir)
    service = RetrievalService(ChromaStore(client, "quality"), granite, RetrievalSettings())
    service.ingest_paths([SEEDS_DIR])
    return service


def test_question_set_covers_every_source_and_both_sides(questions: list[Question]) -> None:
    sources = {p.name for p in Path(SEEDS_DIR).rglob("*") if p.suffix in {".md", ".txt"}}
    asked = {e.doc for q in questions for e in q.evidence}
    assert len(questions) >= 80
    assert sources <= asked, f"no question about {sorted(sources - asked)}"
    assert {q.side for q in questions} >= {"pro", "con"}


def test_every_expected_passage_exists(
    questions: list[Question], heldout: list[Question], seeded_service: RetrievalService
) -> None:
    assert missing_evidence(questions + heldout, seeded_service) == []
    assert not {q.id for q in heldout} & {q.id for q in questions}


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


def test_heldout_recall_at_5(
    heldout: list[Question],
    seeded_service: RetrievalService,
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = recall_at_k(heldout, service_searcher(seeded_service, "hybrid"), k=5)
    with capsys.disabled():
        print(f"\nheld-out recall@5 hybrid {report.recall:.3f} ({report.found}/{report.total})")
    assert report.recall >= HELDOUT_MIN_RECALL, f"held-out recall@5 missed {report.misses}"


def test_sentence_rerank_does_not_lose_recall(
    questions: list[Question],
    heldout: list[Question],
    seeded_service: RetrievalService,
    granite: Embeddings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The opt-in reranker (measured 0.876 dev / 0.875 held-out) beats plain hybrid on dev.

    The hybrid measured 0.809 / 0.825; this guards the dev gain (at least 0.05) and that the
    reranker does not lose to the hybrid on the held-out set.
    """
    reranked = RetrievalService(seeded_service.store, granite, RetrievalSettings(rerank=True))
    plain = service_searcher(seeded_service, "hybrid")
    better = service_searcher(reranked, "hybrid")
    reports = {
        name: (recall_at_k(questions, search, k=5), recall_at_k(heldout, search, k=5))
        for name, search in (("hybrid", plain), ("rerank", better))
    }
    with capsys.disabled():
        for name, (dev, held) in reports.items():
            print(f"\nrecall@5 {name}: dev {dev.recall:.3f}, held-out {held.recall:.3f}")
    assert reports["rerank"][0].recall >= reports["hybrid"][0].recall + 0.05
    assert reports["rerank"][1].recall >= reports["hybrid"][1].recall - 1e-9


def test_lexical_search_matches_a_word_only_the_document_title_holds(
    seeded_service: RetrievalService,
) -> None:
    """BM25 indexes title + text: a title word finds the document's passages that lack it."""
    cases = [
        (p, word)
        for p in seeded_service.passages()
        for word in tokenize(str(p.metadata.get("title", "")))
        if word not in tokenize(p.text)
    ]
    assert cases, "no seed passage misses a word of its title"
    passage, word = cases[0]
    hits = seeded_service.search(word, k=50, where={"doc_id": passage.doc_id}, mode="lexical")
    assert passage.passage_id in {h.passage_id for h in hits}
