"""Preparing evidence ahead of its checks: the same verdicts, without parsing or embedding the
evidence again (the LLM engine prepares the passages it shows while the model writes)."""

from __future__ import annotations

import pytest
from langchain_core.embeddings import Embeddings

from bot.verify.grounding import GroundingVerifier
from bot.verify.layers import nlp
from retrieval.records import Document

EVIDENCE = (
    "Hamas released Edan Alexander on May 12, 2025. The release followed direct talks between "
    "US envoy Adam Boehler and Hamas officials in Doha."
)
CLAIMS = [
    "Edan Alexander was freed by Hamas on May 12, 2025.",
    "Hamas released Edan Alexander on May 12, 2024.",
    "Hamas may release Edan Alexander.",
    "Boehler talked directly with Hamas officials in Doha.",
]


class _Counting(Embeddings):
    """Fake embeddings that record every text they embed."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts += texts
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.texts.append(text)
        return self.inner.embed_query(text)


class _NoDocuments:
    def get_document(self, doc_id: str) -> Document | None:
        return None


@pytest.fixture
def counting(embeddings: Embeddings) -> _Counting:
    nlp.parse.cache_clear()
    return _Counting(embeddings)


def test_a_prepared_passage_is_neither_parsed_nor_embedded_again(counting: _Counting) -> None:
    verifier = GroundingVerifier(counting, _NoDocuments())
    verifier.prepare([EVIDENCE])
    embedded, parsed = len(counting.texts), nlp.parse.cache_info().misses
    claim = CLAIMS[0]
    verifier.check_claim(claim, EVIDENCE)
    assert counting.texts[embedded:] == [claim]
    assert nlp.parse.cache_info().misses - parsed == 1  # the claim, nothing else


def test_preparing_changes_no_verdict(counting: _Counting) -> None:
    cold = GroundingVerifier(counting, _NoDocuments())
    expected = [cold.check_claim(claim, EVIDENCE) for claim in CLAIMS]
    nlp.parse.cache_clear()
    warm = GroundingVerifier(counting, _NoDocuments())
    warm.prepare([EVIDENCE])
    assert [warm.check_claim(claim, EVIDENCE) for claim in CLAIMS] == expected
    assert [r.supported for r in expected] != [False] * len(CLAIMS)  # the cases differ
