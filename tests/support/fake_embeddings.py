"""A deterministic, model-free embedder for unit tests (the llm project's ``EmbedDemo`` idea).

Each word is hashed to one of ``dimension`` slots with a sign; a text's vector is the
L2-normalized sum. Texts sharing words are close, so ranking and filtering logic can be
tested without loading a model. Every call is recorded in ``history``.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from langchain_core.embeddings import Embeddings

_WORD = re.compile(r"[^\W_]+")


class HashEmbeddings(Embeddings):
    """Bag-of-hashed-words vectors; ``seed`` gives a different (but equally fake) model."""

    def __init__(self, dimension: int = 64, seed: str = "") -> None:
        self.dimension = dimension
        self.seed = seed
        self.history: list[list[str]] = []

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            digest = hashlib.sha256(f"{self.seed}|{word}".encode()).digest()
            slot = int.from_bytes(digest[:4], "little") % self.dimension
            vector[slot] += 1.0 if digest[4] % 2 else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:
            vector[0] = 1.0
            return vector
        return vector / norm

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """An (n, dimension) float32 array."""
        self.history.append(list(texts))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self.embed_array([text])[0].tolist()
