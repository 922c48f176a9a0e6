"""The sentence reranker's vectors, kept in Chroma beside the passages (retrieval/rerank.py).

One record per sentence vector, in ``<prefix>_sentences__<tag>``, where the tag names the
model: a model change starts a new collection and drops the old one. A record's id is built
from the passage id (a content hash), the document title and the sentence's place, so a
record never goes stale; a document's records go when it is deleted. The reranker reads
them on a passage's first use after a restart instead of embedding its sentences again,
and ingest writes them when the reranker is on, so no query pays for embedding. A service
running with the reranker off does not know the collection: documents it deletes leave their
records behind, unused (their ids name passages that are gone) until the collection is
rebuilt for another model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

import numpy as np

from retrieval.stores.chroma import WRITE_PAGE, ChromaStore

KIND = "sentences"
_GET_PAGE = 1000


def record_base(passage_id: str, title: str) -> str:
    """The id prefix of one passage's sentence records, read after ``title``."""
    return hashlib.sha256(f"{passage_id}\0{title}".encode()).hexdigest()[:24]


class SentenceVectorStore:
    """Sentence vectors by record id, in one Chroma collection per model."""

    def __init__(self, store: ChromaStore, model: str) -> None:
        tag = hashlib.sha256(json.dumps({"model": model, "v": 1}).encode()).hexdigest()[:12]
        self.collection = store.derived_collection(KIND, tag)

    def get(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors among ``ids`` (missing ids are left out)."""
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), _GET_PAGE):
            got = self.collection.get(ids=list(ids[i : i + _GET_PAGE]), include=["embeddings"])
            for rid, vector in zip(got["ids"], got["embeddings"], strict=True):
                found[rid] = np.asarray(vector, dtype=np.float32)
        return found

    def put(self, vectors: Mapping[str, np.ndarray], doc_ids: Mapping[str, str]) -> None:
        """Write vectors by record id; ``doc_ids`` maps each id to its document."""
        ids = list(vectors)
        for i in range(0, len(ids), WRITE_PAGE):
            page = ids[i : i + WRITE_PAGE]
            self.collection.upsert(
                ids=page,
                embeddings=np.stack([vectors[rid] for rid in page]),
                metadatas=[{"doc_id": doc_ids[rid]} for rid in page],
            )
