"""The retrieval use cases: idempotent ingest, delete, reads and hybrid search.

:class:`RetrievalService` owns one :class:`ChromaStore` (dense vectors and documents)
and one search view (BM25 plus the passage table) rebuilt from the store, so the two
indexes always hold the same passages. The work itself lives in ``ingest/`` (writes),
``ingest/spaces.py`` (repairs) and ``search.py`` (the query path).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from retrieval import search as query_path
from retrieval.ingest.loaders import LoadedDocument
from retrieval.ingest.pipeline import Indexer, load_sources
from retrieval.ingest.spaces import reconcile_spaces
from retrieval.records import (
    Document,
    DocumentSummary,
    IngestReport,
    MetadataValue,
    Passage,
    SearchHit,
)
from retrieval.rerank import SentenceReranker
from retrieval.settings import RetrievalSettings
from retrieval.stores.chroma import PRIMARY_SPACE, ChromaStore
from retrieval.stores.sentences import SentenceVectorStore
from retrieval.view import PassageView, matches


class RetrievalService:
    """Ingest, delete and search passages over Chroma and BM25.

    ``embeddings`` is the primary dense model; each of ``extra_embeddings`` (space name
    -> model) adds one more dense ranking to the fusion, stored in its own collection.
    """

    def __init__(
        self,
        store: ChromaStore,
        embeddings: Embeddings,
        settings: RetrievalSettings,
        extra_embeddings: Mapping[str, Embeddings] | None = None,
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.settings = settings
        self.spaces: dict[str, Embeddings] = {PRIMARY_SPACE: embeddings, **(extra_embeddings or {})}
        for name in self.spaces:
            store.space(name)
        self.indexer = Indexer(store, self.spaces, settings)
        self.reranker: SentenceReranker | None = None
        if settings.rerank:
            vectors = SentenceVectorStore(store, type(embeddings).__name__)
            self.reranker = SentenceReranker(embeddings, vectors=vectors)
        self._write_lock = threading.RLock()
        self._view = PassageView.build([])
        self.rebuild_lexical()
        with self._write_lock:
            reconcile_spaces(self.indexer, self._view.passages)

    # -- index maintenance ----------------------------------------------
    def rebuild_lexical(self) -> None:
        """Rebuild BM25 and the passage table from the store (the source of truth)."""
        self._view = PassageView.build(self.store.all_passages())

    def recipe(self, space: str = PRIMARY_SPACE) -> str:
        """What makes one space's vectors: its model and whether titles are embedded."""
        return self.indexer.recipe(space)

    def mark_vectors_current(self) -> None:
        """Record every space's recipe, for callers that wrote vectors themselves."""
        for space in self.spaces:
            self.store.set_recipe(self.recipe(space), space)

    def embedding_input(self, passage: Passage) -> str:
        """The text a passage is embedded as: its document title, then its text."""
        return self.indexer.embedding_input(passage)

    def ingest_documents(
        self,
        loaded: Sequence[LoadedDocument],
        *,
        prune_scope: Sequence[str] = (),
        progress: bool = False,
    ) -> IngestReport:
        """Add new documents, replace changed ones, skip unchanged ones.

        Documents already stored whose source starts with a ``prune_scope`` prefix
        and is not among ``loaded`` are deleted. All parsing happened before this
        call, so a bad file never reaches the index.
        """
        with self._write_lock:
            report, changed = self.indexer.ingest(loaded, prune_scope, progress)
            if changed:
                before = self._view.passages
                self.rebuild_lexical()
                if self.reranker is not None:
                    # Written now, so that no query pays for embedding these sentences.
                    new = [p for pid, p in self._view.passages.items() if pid not in before]
                    self.reranker.store_sentences([query_path.to_hit(p, 0.0) for p in new])
            return report

    def ingest_paths(self, paths: Sequence[Path], *, progress: bool = False) -> IngestReport:
        """Ingest files and folders; a folder is a scope whose removed files get deleted."""
        loaded, scopes = load_sources(paths, self.settings.max_file_bytes)
        return self.ingest_documents(loaded, prune_scope=scopes, progress=progress)

    def delete_document(self, doc_id: str) -> bool:
        """Delete a document from both indexes; False when it does not exist."""
        with self._write_lock:
            if self.store.get_document(doc_id) is None:
                return False
            self.store.delete_document(doc_id)
            self.rebuild_lexical()
            return True

    def update_passage_metadata(self, updates: dict[str, dict[str, MetadataValue]]) -> None:
        """Merge metadata (e.g. stance labels) into passages in both views."""
        with self._write_lock:
            self.store.update_passage_metadata(updates)
            self.rebuild_lexical()

    # -- reads -----------------------------------------------------------
    def get_document(self, doc_id: str) -> Document | None:
        """The full document, or None."""
        return self.store.get_document(doc_id)

    def get_passage(self, passage_id: str) -> Passage | None:
        """One passage, or None."""
        return self._view.passages.get(passage_id)

    def list_documents(self) -> list[DocumentSummary]:
        """Every document, without its text."""
        out = [_summary(doc_id, meta) for doc_id, meta in self.store.iter_documents()]
        return sorted(out, key=lambda d: d.source)

    def document_summary(self, doc_id: str) -> DocumentSummary | None:
        """One document without its text, or None."""
        meta = self.store.document_metadata(doc_id)
        return None if meta is None else _summary(doc_id, meta)

    def counts(self) -> tuple[int, int]:
        """(documents stored, passages in the search view), without loading either."""
        return self.document_count(), self.passage_count()

    def document_count(self) -> int:
        """Documents stored; raises BackendUnavailableError when Chroma is down."""
        count: int = self.store.documents.count()
        return count

    def passage_count(self) -> int:
        """Passages in the in-memory search view (answers while Chroma is down)."""
        return len(self._view.order)

    def passages(self, where: dict[str, Any] | None = None) -> list[Passage]:
        """Passages whose metadata match ``where`` (all when None)."""
        view = self._view
        return [view.passages[pid] for pid in view.order if matches(view.passages[pid], where)]

    def search(
        self, query: str, k: int = 5, where: dict[str, Any] | None = None, mode: str = "hybrid"
    ) -> list[SearchHit]:
        """Top ``k`` passages for ``query``: hybrid, dense or lexical.

        Hybrid fuses one ranking per embedding model and the BM25 ranking with
        reciprocal rank fusion; dense fuses the embedding rankings alone.
        """
        if mode not in query_path.MODES:
            raise ValueError(f"unknown search mode {mode!r}")
        vectors = None
        if mode != "lexical":
            # In turn: with idle model threads not spinning, running the models
            # concurrently on two cores saved under 1 ms.
            vectors = {name: model.embed_query(query) for name, model in self.spaces.items()}
        return query_path.search(
            self.store, self._view, vectors, self.settings, query, k, where, mode, self.reranker
        )


def _summary(doc_id: str, meta: dict[str, Any]) -> DocumentSummary:
    extra = {k: v for k, v in meta.items() if k not in {"title", "source", "url", "passages"}}
    return DocumentSummary(
        doc_id=doc_id,
        title=str(meta.get("title", "")),
        source=str(meta.get("source", "")),
        url=str(meta.get("url") or "") or None,
        passages=int(meta.get("passages", 0)),
        metadata=extra,
    )
