"""Sentence-level reranking of the fused candidates: the passage holding the answer sentence wins.

Each candidate passage gets two more rankings from its best sentence: the dense cosine of
the query with each sentence (sentence vectors from the primary model, cached by passage
id: ids are content hashes, so an entry never goes stale), and BM25 over the candidates'
sentences plus a bonus when the sentence holds the kind of answer the query asks for (a
date for "when", a number for "how many"). They are fused by weighted RRF with the hybrid
ranking, which keeps the most weight, so the reranker reorders the top candidates.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.embeddings import embed_array
from retrieval.fusion import reciprocal_rank_fusion
from retrieval.ingest.chunking import split_sentences
from retrieval.records import SearchHit
from retrieval.stores.bm25 import tokenize

_K1 = 1.2
_B = 0.75
TYPE_BONUS = 0.15  # share of the best BM25 score added for the asked-for kind of answer
_WANTS = (
    (re.compile(r"\bhow (many|much)\b|\bwhat (share|percentage|number|amount)\b", re.I), "number"),
    (re.compile(r"\bhow long\b", re.I), "duration"),
    (re.compile(r"\bwhen\b|\bwhat (year|date|day)\b", re.I), "date"),
    (re.compile(r"\bwhy\b|\bwhat reasons?\b", re.I), "cause"),
)
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_FEATURES = {
    "date": re.compile(rf"\b{_MONTH}\b|\b(19|20)\d\d\b"),
    "number": re.compile(
        r"\b\d[\d,.]*\b(?!\s*(January|February|March|April|May|June|July|August|September"
        r"|October|November|December))|\b(two|three|four|five|six|seven|eight|nine|ten|dozens?"
        r"|hundreds?|thousands?|millions?|billions?)\b|%|\$"
    ),
    "duration": re.compile(r"\b(\d[\d,]*|two|three|four|five|six|ten)\s+(days|weeks|months|years)"),
    "cause": re.compile(
        r"\b(because|after|in response to|saying|citing|due to|so that|in order to)"
    ),
}


def wanted_feature(query: str) -> str | None:
    """The kind of answer ``query`` asks for, if it names one."""
    for pattern, feature in _WANTS:
        if pattern.search(query):
            return feature
    return None


def _bm25(query: list[str], docs: Sequence[list[str]]) -> list[float]:
    n = len(docs)
    avg = sum(len(d) for d in docs) / n if n else 0.0
    df = Counter(t for d in docs for t in set(d))
    idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in set(query)}
    scores = []
    for d in docs:
        tf = Counter(d)
        norm = _K1 * (1 - _B + _B * len(d) / avg) if avg else _K1
        scores.append(sum(idf[t] * tf[t] * (_K1 + 1) / (tf[t] + norm) for t in query if t in tf))
    return scores


# Weights of the rankings fused: hybrid, sentence BM25, sentence dense (chosen on the dev set).
WEIGHTS = (2.0, 0.5, 1.0)
_MAX_CACHED = 200_000  # passages whose sentence vectors are kept


def _best_lexical(query: str, hits: Sequence[SearchHit]) -> list[float]:
    """Each hit's best sentence BM25 score (plus the answer-kind bonus)."""
    sentences = [
        (i, hit.text[start:end])
        for i, hit in enumerate(hits)
        for start, end in split_sentences(hit.text)
    ]
    best = [0.0] * len(hits)
    if not sentences:
        return best
    scores = _bm25(tokenize(query), [tokenize(text) for _, text in sentences])
    feature = wanted_feature(query)
    top = max(scores) or 1.0
    for (i, text), score in zip(sentences, scores, strict=True):
        if feature and score > 0 and _FEATURES[feature].search(text):
            score += TYPE_BONUS * top
        best[i] = max(best[i], score)
    return best


class SentenceReranker:
    """Reorders fused candidates by sentence-level evidence (see the module docstring)."""

    def __init__(self, embeddings: Embeddings, weights: Sequence[float] = WEIGHTS) -> None:
        self.embeddings = embeddings
        self.weights = list(weights)
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def sentence_vectors(self, hits: Sequence[SearchHit]) -> list[np.ndarray]:
        """Vectors of each hit's sentences (embedded once per passage)."""
        with self._lock:
            missing = [h for h in hits if h.passage_id not in self._vectors]
        if missing:
            texts = [[h.text[a:b] for a, b in split_sentences(h.text)] or [h.text] for h in missing]
            flat = embed_array(self.embeddings, [t for group in texts for t in group])
            with self._lock:
                if len(self._vectors) > _MAX_CACHED:
                    self._vectors.clear()
                cursor = 0
                for hit, group in zip(missing, texts, strict=True):
                    self._vectors[hit.passage_id] = flat[cursor : cursor + len(group)]
                    cursor += len(group)
        with self._lock:
            return [self._vectors[h.passage_id] for h in hits]

    def rerank(
        self,
        query: str,
        query_vector: Sequence[float] | None,
        hits: Sequence[SearchHit],
        k: int,
        rrf_k: int = 60,
    ) -> list[SearchHit]:
        """The top ``k`` of ``hits`` (given in fused order) after sentence-level fusion."""
        if len(hits) < 2:
            return list(hits[:k])
        ids = [h.passage_id for h in hits]
        lexical = np.array(_best_lexical(query, hits))
        rankings = [ids, [ids[i] for i in np.argsort(-lexical, kind="stable")]]
        weights = self.weights[:2]
        if query_vector is not None:
            vector = np.asarray(query_vector, dtype=np.float32)
            vector = vector / (np.linalg.norm(vector) or 1.0)
            dense = np.array([float((v @ vector).max()) for v in self.sentence_vectors(hits)])
            rankings.append([ids[i] for i in np.argsort(-dense, kind="stable")])
            weights = self.weights
        fused = reciprocal_rank_fusion(rankings, k=rrf_k, weights=weights)
        by_id = {h.passage_id: h for h in hits}
        return [by_id[pid] for pid, _ in fused[:k]]
