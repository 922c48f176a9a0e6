"""The query path: dense candidates per vector space, BM25, and their fusion."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from retrieval.fusion import reciprocal_rank_fusion
from retrieval.records import Passage, SearchHit
from retrieval.rerank import SentenceReranker
from retrieval.settings import RetrievalSettings
from retrieval.stores.chroma import PRIMARY_SPACE, ChromaStore
from retrieval.view import PassageView

# With a filter that keeps at least this share of passages, the dense index is queried
# unfiltered and over-fetched, then filtered here: Chroma's broad filters are slow.
_POST_FILTER_SHARE = 0.5
MODES = ("hybrid", "dense", "lexical")


def dense_candidates(
    store: ChromaStore,
    view: PassageView,
    vector: list[float],
    n: int,
    where: dict[str, Any] | None,
    mask: np.ndarray | None,
    space: str = PRIMARY_SPACE,
) -> list[tuple[str, float]]:
    """Dense candidates from one space; broad filters are applied here, not in Chroma."""
    if mask is None or mask.all():
        return store.query(vector, n, space=space)
    share = float(mask.mean())
    if share < _POST_FILTER_SHARE:
        return store.query(vector, n, where, space=space)
    wider = store.query(vector, int(n / share) + n, space=space)
    kept = []
    for pid, score in wider:
        row = view.index.position(pid)
        if row is not None and mask[row]:
            kept.append((pid, score))
    return kept[:n]


def search(
    store: ChromaStore,
    view: PassageView,
    query_vectors: Mapping[str, list[float]] | None,
    settings: RetrievalSettings,
    query: str,
    k: int,
    where: dict[str, Any] | None,
    mode: str,
    reranker: SentenceReranker | None = None,
) -> list[SearchHit]:
    """Top ``k`` passages: one ranking per vector space and BM25, fused by RRF.

    ``query_vectors`` (space -> the query's vector) is only read in hybrid and dense mode.
    With a ``reranker`` (hybrid mode), the top ``rerank_depth`` are reordered by sentences.
    """
    rerank = reranker is not None and mode == "hybrid"
    wanted = max(k, settings.rerank_depth) if rerank else k
    n = max(settings.candidates, wanted)
    mask = view.mask(where) if where else None
    if mask is not None and not mask.any():
        return []
    rankings: list[list[str]] = []
    scores: dict[str, float] = {}
    if mode in ("hybrid", "dense"):
        for space, vector in (query_vectors or {}).items():
            dense = dense_candidates(store, view, vector, n, where, mask, space)
            rankings.append([pid for pid, _ in dense])
            if space == PRIMARY_SPACE:
                scores.update(dense)
    if mode in ("hybrid", "lexical"):
        lexical = view.index.top(query, n, mask)
        rankings.append([pid for pid, _ in lexical])
        if mode == "lexical":
            scores.update(lexical)
    if len(rankings) > 1:
        fused = reciprocal_rank_fusion(rankings, k=settings.rrf_k)
    else:
        fused = [(pid, scores[pid]) for pid in rankings[0]]
    hits = []
    for pid, score in fused:
        passage = view.passages.get(pid)
        if passage is None:
            continue  # written after this view was built; it shows on the next rebuild
        hits.append(to_hit(passage, score))
        if len(hits) == wanted:
            break
    if reranker is not None and rerank:
        primary = (query_vectors or {}).get(PRIMARY_SPACE)
        return reranker.rerank(query, primary, hits, k, settings.rrf_k)
    return hits


def to_hit(passage: Passage, score: float) -> SearchHit:
    """A passage as a ranked search result."""
    return SearchHit(
        passage_id=passage.passage_id,
        doc_id=passage.doc_id,
        title=str(passage.metadata.get("title", "")),
        url=str(passage.metadata.get("url") or "") or None,
        text=passage.text,
        start=passage.start,
        end=passage.end,
        score=round(score, 6),
        metadata=dict(passage.metadata),
    )
