"""BM25 adapter (bm25s): the lexical half of hybrid search.

The index is an in-memory structure rebuilt from the passages in the store,
so it can never drift from Chroma: every ingest or delete rebuilds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "not",
        "no",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "so",
        "than",
        "then",
        "too",
        "very",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "about",
        "into",
        "over",
        "under",
        "after",
        "before",
        "also",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "each",
        "both",
        "more",
        "most",
        "other",
        "some",
        "such",
        "only",
        "own",
        "same",
        "just",
    ]
)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens without stopwords, with light suffix stemming."""
    tokens = []
    for raw in _TOKEN.findall(text.lower()):
        if raw in _STOPWORDS:
            continue
        tokens.append(stem(raw))
    return tokens


def stem(word: str) -> str:
    """A tiny, predictable English stemmer (plural and common verb endings)."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


class BM25Index:
    """BM25 over a fixed list of passage ids; rebuild to change it."""

    def __init__(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        import bm25s

        self.ids = list(ids)
        self._position = {pid: i for i, pid in enumerate(self.ids)}
        self._model: bm25s.BM25 | None = None
        if self.ids:
            vocab: dict[str, int] = {}
            corpus_ids = [
                [vocab.setdefault(tok, len(vocab)) for tok in tokenize(t)] or [0] for t in texts
            ]
            if not vocab:
                vocab["_"] = 0
            self._vocab = vocab
            model = bm25s.BM25()
            model.index(
                bm25s.tokenization.Tokenized(ids=corpus_ids, vocab=vocab), show_progress=False
            )
            self._model = model

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for ``query`` (zeros when nothing matches)."""
        if self._model is None:
            return np.zeros(0, dtype=np.float32)
        known = [self._vocab[tok] for tok in tokenize(query) if tok in self._vocab]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._model.get_scores(known), dtype=np.float32)

    def top(self, query: str, n: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Best ``n`` passages as (passage_id, score); ``allowed`` is a boolean mask."""
        scores = self.scores(query)
        if scores.size == 0:
            return []
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        n = min(n, int(np.count_nonzero(scores)))
        if n == 0:
            return []
        best = np.argpartition(-scores, n - 1)[:n]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in best]

    def position(self, passage_id: str) -> int | None:
        """Row of a passage in this index."""
        return self._position.get(passage_id)
