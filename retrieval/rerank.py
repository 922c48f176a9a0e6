"""Sentence-level reranking of the fused candidates: the passage holding the answer sentence wins.

Each candidate passage gets three more rankings from its best sentence: BM25 over the
candidates' sentences read after their document's title, plus a bonus when the sentence holds
the kind of answer the query asks for (a date for "when", a number for "how many"); and the
dense cosine of the query with each sentence, once read after the title and once alone
(vectors from the primary model, cached by passage id and title: ids are content hashes, so an
entry never goes stale). The titled sentence says what it is about; the lone one is not
pulled toward every passage of a document whose title matches the query. They are fused with
the hybrid ranking by weighted RRF; the two dense rankings have the most weight (weights
chosen on the dev questions, see README).
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.embeddings import embed_array
from retrieval.fusion import reciprocal_rank_fusion
from retrieval.ingest.chunking import split_sentences
from retrieval.records import SearchHit
from retrieval.stores.bm25 import tokenize
from retrieval.stores.sentences import SentenceVectorStore, record_base

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


# Weights of the rankings fused: hybrid, sentence BM25, titled sentence dense, lone sentence
# dense (chosen on the dev set; a zero weight skips that ranking and its vectors).
WEIGHTS = (1.0, 0.5, 2.0, 2.0)
_MAX_CACHED = 200_000  # passages whose sentence data are kept


@dataclass(frozen=True)
class SentenceData:
    """One passage's sentences as the reranker scores them, computed once per passage."""

    texts: tuple[str, ...]  # the sentences alone (for the answer-kind features)
    tokens: tuple[list[str], ...]  # BM25 tokens of title + sentence
    vectors: np.ndarray  # unit vectors of title + sentence, one row per sentence
    lone_vectors: np.ndarray | None = None  # unit vectors of the sentences alone, if used


def titled(title: str, sentence: str) -> str:
    """A sentence as it is embedded and matched: after its document's title.

    The title says what the document is about, which a lone sentence often does not
    ("He said it would not last"); dev recall@5 of the sentence-dense ranking alone went
    from 0.730 to 0.809 with it.
    """
    return f"{title}\n\n{sentence}" if title else sentence


def _best_lexical(query: str, data: Sequence[SentenceData]) -> list[float]:
    """Each passage's best sentence BM25 score (plus the answer-kind bonus)."""
    owners = [i for i, d in enumerate(data) for _ in d.tokens]
    best = [0.0] * len(data)
    if not owners:
        return best
    scores = _bm25(tokenize(query), [t for d in data for t in d.tokens])
    texts = [t for d in data for t in d.texts]
    feature = wanted_feature(query)
    top = max(scores) or 1.0
    for i, text, score in zip(owners, texts, scores, strict=True):
        if feature and score > 0 and _FEATURES[feature].search(text):
            score += TYPE_BONUS * top
        best[i] = max(best[i], score)
    return best


Key = tuple[str, str]  # (passage id, the title its sentences are read after)
_STORE_CHUNK = 256  # passages whose sentences ingest embeds and writes at a time


def _record_ids(key: Key, count: int, lone: bool) -> list[str]:
    """Ids of one passage's sentence vectors: titled, then lone (where a title differs)."""
    base = record_base(*key)
    ids = [f"{base}:t{n}" for n in range(count)]
    if lone and key[1]:
        ids += [f"{base}:l{n}" for n in range(count)]
    return ids


def _sentences(hit: SearchHit) -> list[str]:
    return [hit.text[a:b] for a, b in split_sentences(hit.text)] or [hit.text]


def _lone(data: SentenceData) -> np.ndarray:
    if data.lone_vectors is None:
        raise ValueError("sentence data without lone vectors")  # made by another reranker
    return data.lone_vectors


class SentenceReranker:
    """Reorders fused candidates by sentence-level evidence (see the module docstring).

    With a ``vectors`` store, sentence vectors are read from it before any is embedded,
    and every vector embedded is written to it.
    """

    def __init__(
        self,
        embeddings: Embeddings,
        weights: Sequence[float] = WEIGHTS,
        titles: bool = True,
        vectors: SentenceVectorStore | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.weights = [*weights, 0.0][:4] if len(weights) == 3 else list(weights)
        if len(self.weights) != 4:
            raise ValueError("weights: hybrid, sentence BM25, titled dense[, lone dense]")
        self.titles = titles  # read each sentence after its document title (False: alone)
        # With titles off the titled vectors already are the lone ones.
        self.lone = titles and self.weights[3] > 0
        self.vectors = vectors
        self._cache: dict[Key, SentenceData] = {}
        self._lock = threading.Lock()

    def _key(self, hit: SearchHit) -> Key:
        return (hit.passage_id, hit.title if self.titles else "")

    def sentence_data(self, hits: Sequence[SearchHit]) -> list[SentenceData]:
        """Each hit's sentences, tokens and vectors (embedded once per passage and title)."""
        keys = [self._key(h) for h in hits]
        with self._lock:
            missing = {key: h for key, h in zip(keys, hits, strict=True) if key not in self._cache}
        if missing:
            made = self._build(missing)
            with self._lock:
                if len(self._cache) + len(made) > _MAX_CACHED:
                    self._cache.clear()
                self._cache.update(made)
        with self._lock:
            return [self._cache[key] for key in keys]

    def store_sentences(self, hits: Sequence[SearchHit]) -> None:
        """Embed and write the sentence vectors of ``hits`` the store lacks (for ingest)."""
        if self.vectors is None:
            return
        for i in range(0, len(hits), _STORE_CHUNK):
            self._build({self._key(h): h for h in hits[i : i + _STORE_CHUNK]})

    def _build(self, missing: Mapping[Key, SearchHit]) -> dict[Key, SentenceData]:
        """Sentence data of ``missing``: from the vector store if there, else embedded."""
        groups = {key: _sentences(h) for key, h in missing.items()}
        ids = {key: _record_ids(key, len(g), self.lone) for key, g in groups.items()}
        made: dict[Key, SentenceData] = {}
        if self.vectors is not None:
            found = self.vectors.get([rid for rids in ids.values() for rid in rids])
            for key, rids in ids.items():
                if all(rid in found for rid in rids):
                    made[key] = self._data(key, groups[key], np.stack([found[r] for r in rids]))
        todo = [key for key in groups if key not in made]
        if not todo:
            return made
        inputs = [titled(key[1], t) for key in todo for t in groups[key]]
        # The lone sentences, where a title makes them differ from the titled ones.
        lone_keys = [key for key in todo if len(ids[key]) > len(groups[key])]
        inputs += [t for key in lone_keys for t in groups[key]]
        flat = embed_array(self.embeddings, inputs)
        flat = flat / np.maximum(np.linalg.norm(flat, axis=1, keepdims=True), 1e-12)
        rows: dict[Key, list[np.ndarray]] = {}
        cursor = 0
        for key in [*todo, *lone_keys]:  # the order the inputs were listed in
            size = len(groups[key])
            rows.setdefault(key, []).append(flat[cursor : cursor + size])
            cursor += size
        written: dict[str, np.ndarray] = {}
        for key in todo:
            vectors = np.concatenate(rows[key])
            made[key] = self._data(key, groups[key], vectors)
            written.update(zip(ids[key], vectors, strict=True))
        if self.vectors is not None:
            doc_of = {rid: missing[key].doc_id for key in todo for rid in ids[key]}
            self.vectors.put(written, doc_of)
        return made

    def _data(self, key: Key, group: list[str], rows: np.ndarray) -> SentenceData:
        """One passage's sentence data from its vector rows (titled, then lone if any)."""
        size = len(group)
        return SentenceData(
            texts=tuple(group),
            tokens=tuple(tokenize(titled(key[1], t)) for t in group),
            vectors=rows[:size],
            lone_vectors=(rows[size:] if len(rows) > size else rows[:size]) if self.lone else None,
        )

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
        data = self.sentence_data(hits)
        lexical = np.array(_best_lexical(query, data))
        rankings = [ids, [ids[i] for i in np.argsort(-lexical, kind="stable")]]
        weights = self.weights[:2]
        if query_vector is not None:
            vector = np.asarray(query_vector, dtype=np.float32)
            vector = vector / (np.linalg.norm(vector) or 1.0)
            sides = [[d.vectors for d in data]]
            if self.lone:
                sides.append([_lone(d) for d in data])
            for rows, weight in zip(sides, self.weights[2:], strict=False):
                dense = np.array([float((r @ vector).max()) for r in rows])
                rankings.append([ids[i] for i in np.argsort(-dense, kind="stable")])
                weights.append(weight)
        fused = reciprocal_rank_fusion(rankings, k=rrf_k, weights=weights)
        by_id = {h.passage_id: h for h in hits}
        return [by_id[pid] for pid, _ in fused[:k]]
