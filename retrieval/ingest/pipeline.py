"""The idempotent ingest pipeline: load, chunk, embed into every vector space, store.

Ids are content hashes, so re-ingesting skips unchanged documents, replaces changed ones
and (within a scope) deletes removed ones.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from retrieval.embeddings import embed_array
from retrieval.ingest.chunking import chunk_text
from retrieval.ingest.discovery import discover_files, motion_of
from retrieval.ingest.injection import INJECTION_FLAG, injected_spans
from retrieval.ingest.loaders import LoadedDocument, load_path
from retrieval.records import Document, IngestReport, MetadataValue, Passage
from retrieval.settings import RetrievalSettings
from retrieval.stores.chroma import ChromaStore

log = logging.getLogger(__name__)

_EMBED_CHUNK = 512


def content_id(*parts: Any) -> str:
    """A short, stable id from the sha256 of ``parts``."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def load_sources(paths: Sequence[Path], max_bytes: int) -> tuple[list[LoadedDocument], list[str]]:
    """Every source under ``paths``, parsed and tagged with its motion, plus prune scopes.

    A folder is a scope: stored sources under it that are gone from disk get deleted.
    """
    loaded = []
    for file, key, _root in discover_files(paths):
        doc = load_path(file, max_bytes, source=key)
        motion = motion_of(file)
        if motion:
            motion_id, is_seed = motion
            extra: dict[str, MetadataValue] = {"motion": motion_id}
            if is_seed:
                extra["role"] = "seed"
            doc = dataclasses.replace(doc, metadata={**doc.metadata, **extra})
        loaded.append(doc)
    scopes = [f"{p.resolve().name}/" for p in paths if p.is_dir()]
    return loaded, scopes


def to_document(loaded: LoadedDocument) -> Document:
    """A loaded source as a stored document, its id a hash of its content.

    A document with instruction-like sentences ("ignore previous instructions ...") is
    flagged ``flags: injection``; the bot never quotes those sentences.
    """
    doc_id = content_id(loaded.title, loaded.url, loaded.metadata, loaded.text)
    metadata = dict(loaded.metadata)
    injected = injected_spans(loaded.text)
    if injected:
        metadata["flags"] = INJECTION_FLAG
        log.warning("%s: %d instruction-like sentences, never quoted", loaded.source, len(injected))
    return Document(
        doc_id=doc_id,
        title=loaded.title,
        text=loaded.text,
        source=loaded.source,
        url=loaded.url,
        metadata=metadata,
    )


class Indexer:
    """Writes documents and their passages to the store, in every vector space."""

    def __init__(
        self, store: ChromaStore, spaces: Mapping[str, Embeddings], settings: RetrievalSettings
    ) -> None:
        self.store = store
        self.spaces = spaces
        self.settings = settings

    def recipe(self, space: str) -> str:
        """What makes one space's vectors: its model and whether titles are embedded."""
        model = type(self.spaces[space]).__name__
        return json.dumps({"model": model, "titles": self.settings.embed_titles}, sort_keys=True)

    def embedding_input(self, passage: Passage) -> str:
        """The text a passage is embedded as: its document title, then its text."""
        title = str(passage.metadata.get("title") or "")
        if self.settings.embed_titles and title:
            return f"{title}\n\n{passage.text}"
        return passage.text

    def passages(self, doc: Document) -> list[Passage]:
        """The document cut into sentence-aligned passages with exact offsets."""
        spans = chunk_text(doc.text, self.settings.passage_words, self.settings.max_passage_words)
        shared: dict[str, MetadataValue] = {"title": doc.title, "url": doc.url or ""}
        for key in ("motion", "role"):
            if key in doc.metadata:
                shared[key] = doc.metadata[key]
        return [
            Passage(
                passage_id=content_id(doc.doc_id, start, end),
                doc_id=doc.doc_id,
                start=start,
                end=end,
                text=doc.text[start:end],
                metadata=dict(shared),
            )
            for start, end in spans
        ]

    def embed_and_store(
        self, passages: Sequence[Passage], progress: bool, spaces: Sequence[str] | None = None
    ) -> None:
        """Embed passages with each model (default: all) and write them to its space."""
        texts = [self.embedding_input(p) for p in passages]
        # Embed in length order so each model batch pads to similar lengths; the chunks
        # only drive the progress bar.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for name in self.spaces if spaces is None else spaces:
            model = self.spaces[name]
            vectors: np.ndarray | None = None
            label = f"embedding ({name})" if name else "embedding"
            bar = tqdm(total=len(texts), desc=label, unit="passage", disable=not progress)
            for i in range(0, len(order), _EMBED_CHUNK):
                rows = order[i : i + _EMBED_CHUNK]
                chunk = embed_array(model, [texts[j] for j in rows])
                if vectors is None:
                    vectors = np.zeros((len(texts), chunk.shape[1]), dtype=np.float32)
                vectors[rows] = chunk
                bar.update(len(rows))
            bar.close()
            assert vectors is not None
            self.store.add_passages(passages, vectors, space=name)

    def _write(self, docs: Sequence[tuple[Document, list[Passage]]], progress: bool) -> int:
        passages = [p for _, ps in docs for p in ps]
        if not passages:
            return 0
        self.embed_and_store(passages, progress)
        self.store.put_documents([(doc, len(ps)) for doc, ps in docs])
        return len(passages)

    def ingest(
        self, loaded: Sequence[LoadedDocument], prune_scope: Sequence[str], progress: bool
    ) -> tuple[IngestReport, bool]:
        """Apply ``loaded`` to the store: (what was done, whether anything changed)."""
        existing = dict(self.store.iter_documents())
        stored_id_of_source = {str(m.get("source")): doc_id for doc_id, m in existing.items()}
        added: list[str] = []
        replaced: list[str] = []
        unchanged: list[str] = []
        superseded: set[str] = set()
        fresh: dict[str, tuple[Document, list[Passage]]] = {}
        for doc in map(to_document, loaded):
            if doc.doc_id in existing or doc.doc_id in fresh:
                unchanged.append(doc.doc_id)
                continue
            old_id = stored_id_of_source.get(doc.source)
            if old_id is not None:
                replaced.append(doc.doc_id)
                superseded.add(old_id)
            else:
                added.append(doc.doc_id)
            fresh[doc.doc_id] = (doc, self.passages(doc))
        kept = set(unchanged) | set(fresh)
        pruned = {
            doc_id
            for doc_id, meta in existing.items()
            if doc_id not in kept
            and doc_id not in superseded
            and str(meta.get("source", "")).startswith(tuple(prune_scope) or ("\0",))
        }
        count = self._write(list(fresh.values()), progress)
        for doc_id in sorted((superseded | pruned) - kept):
            self.store.delete_document(doc_id)
        report = IngestReport(
            added=added,
            replaced=replaced,
            unchanged=unchanged,
            deleted=sorted(pruned),
            passages=count,
        )
        log.info(
            "ingest: %d added, %d replaced, %d unchanged, %d deleted, %d passages",
            len(added),
            len(replaced),
            len(unchanged),
            len(pruned),
            count,
        )
        return report, bool(fresh or superseded or pruned)
