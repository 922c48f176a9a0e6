"""Read-through caches in front of the embedding model and the document store.

Claims quote evidence sentences verbatim, so the verifier mostly re-embeds texts the
sentence index has embedded already, and re-reads the same few documents; both
become look-ups. Document ids are content hashes, so a cached document never changes.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.embeddings import embed_array, embedding_dimension
from retrieval.records import Document, DocumentSource


class CachedEmbeddings(Embeddings):
    """Wraps any :class:`Embeddings`; identical texts are embedded once."""

    def __init__(self, inner: Embeddings, max_entries: int = 50_000) -> None:
        self.inner = inner
        self.max_entries = max_entries
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @functools.cached_property
    def dimension(self) -> int:
        """The wrapped model's vector width."""
        return embedding_dimension(self.inner)

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts`` as float32, embedding only the ones not seen before."""
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for text in texts:
                vector = self._cache.get(text)
                if vector is not None:
                    self._cache.move_to_end(text)
                    found[text] = vector
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            vectors = embed_array(self.inner, missing)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    found[text] = vector
                    self._cache[text] = vector
                while len(self._cache) > self.max_entries:
                    self._cache.popitem(last=False)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self.embed_array([text])[0].tolist()


class CachedDocuments:
    """Remembers documents by id (ids are content hashes); misses are not cached."""

    def __init__(self, inner: DocumentSource, max_entries: int = 1024) -> None:
        self.inner = inner
        self.max_entries = max_entries
        self._cache: OrderedDict[str, Document] = OrderedDict()
        self._lock = threading.Lock()

    def get_document(self, doc_id: str) -> Document | None:
        """The document, from the cache when seen before."""
        with self._lock:
            document = self._cache.get(doc_id)
            if document is not None:
                self._cache.move_to_end(doc_id)
                return document
        document = self.inner.get_document(doc_id)
        if document is not None:
            with self._lock:
                self._cache[doc_id] = document
                while len(self._cache) > self.max_entries:
                    self._cache.popitem(last=False)
        return document
