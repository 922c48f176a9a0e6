"""The retrieval use cases: idempotent ingest, delete, and hybrid search.

:class:`RetrievalService` owns one :class:`ChromaStore` (dense vectors and
documents) and one :class:`BM25Index` rebuilt from the store's passages, so the
two indexes always hold the same passages.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from retrieval.chunking import chunk_text
from retrieval.dense import PRIMARY_SPACE, ChromaStore
from retrieval.embeddings import embed_array
from retrieval.fusion import reciprocal_rank_fusion
from retrieval.lexical import BM25Index
from retrieval.loaders import (
    SUPPORTED_SUFFIXES,
    IngestError,
    LoadedDocument,
    UnsupportedTypeError,
    load_path,
)
from retrieval.models import (
    Document,
    DocumentSummary,
    IngestReport,
    MetadataValue,
    Passage,
    SearchHit,
)
from retrieval.settings import RetrievalSettings

log = logging.getLogger(__name__)

MOTION_FILE = "motion.yaml"
_EMBED_CHUNK = 512
_MAX_CACHED_MASKS = 256
# With a filter that keeps at least this share of passages, the dense index is queried
# unfiltered and over-fetched, then filtered here: Chroma's broad filters are slow.
_POST_FILTER_SHARE = 0.5
_MODES = ("hybrid", "dense", "lexical")


def content_id(*parts: Any) -> str:
    """A short, stable id from the sha256 of ``parts``."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def motion_of(path: Path) -> tuple[str, bool] | None:
    """(motion id, is-seed) for a source file, or None outside any motion folder.

    A source belongs to the nearest ancestor folder holding a motion.yaml; it is that
    motion's seed document when motion.yaml lists its file name under ``seed_documents``.
    """
    for folder in path.resolve().parents:
        motion_file = folder / MOTION_FILE
        if motion_file.is_file():
            try:
                spec = yaml.safe_load(motion_file.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError:
                spec = {}
            seeds = spec.get("seed_documents") or [] if isinstance(spec, dict) else []
            return folder.name, path.name in seeds
    return None


def discover_files(paths: Iterable[Path]) -> list[tuple[Path, str, Path]]:
    """(file, source key, scope root) for every supported file under ``paths``.

    A named file of an unsupported type is an error; inside folders, other files are
    ignored. Source keys are relative to each root's parent, so they do not depend
    on the working directory.
    """
    found: list[tuple[Path, str, Path]] = []
    for root in paths:
        if not root.exists():
            raise IngestError(f"{root}: no such file or folder")
        if root.is_file():
            if root.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise UnsupportedTypeError(
                    f"{root}: unsupported file type {root.suffix or '(none)'!r}; "
                    f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
                )
            found.append((root, root.name, root))
            continue
        for file in sorted(root.rglob("*")):
            if file.is_file() and file.suffix.lower() in SUPPORTED_SUFFIXES:
                key = f"{root.resolve().name}/{file.relative_to(root).as_posix()}"
                found.append((file, key, root))
    return found


@dataclass
class _LexicalView:
    """The BM25 index plus the passage table it was built from."""

    index: BM25Index
    passages: dict[str, Passage]
    order: list[str]
    _masks: dict[str, np.ndarray] = field(default_factory=dict)

    def mask(self, where: dict[str, Any]) -> np.ndarray:
        """Rows (in ``order``) whose passage matches ``where``; cached per filter clause."""
        combined = np.ones(len(self.order), dtype=bool)
        for key, wanted in where.items():
            clause = json.dumps([key, wanted], sort_keys=True, default=str)
            rows = self._masks.get(clause)
            if rows is None:
                rows = np.fromiter(
                    (_matches(self.passages[pid], {key: wanted}) for pid in self.order),
                    dtype=bool,
                    count=len(self.order),
                )
                if len(self._masks) >= _MAX_CACHED_MASKS:
                    self._masks.clear()
                self._masks[clause] = rows
            combined &= rows
        return combined


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
        self._write_lock = threading.RLock()
        self._view = _LexicalView(BM25Index([], []), {}, [])
        self.rebuild_lexical()
        self._reconcile_spaces()

    # -- index maintenance ----------------------------------------------
    def rebuild_lexical(self) -> None:
        """Rebuild BM25 and the passage table from the store (the source of truth)."""
        passages = self.store.all_passages()
        order = [p.passage_id for p in passages]
        index = BM25Index(order, [p.text for p in passages])
        self._view = _LexicalView(index, {p.passage_id: p for p in passages}, order)

    def recipe(self, space: str = PRIMARY_SPACE) -> str:
        """What makes one space's vectors: its model and whether titles are embedded."""
        model = type(self.spaces[space]).__name__
        return json.dumps({"model": model, "titles": self.settings.embed_titles}, sort_keys=True)

    def mark_vectors_current(self) -> None:
        """Record every space's recipe, for callers that wrote vectors themselves."""
        for space in self.spaces:
            self.store.set_recipe(self.recipe(space), space)

    def _reconcile_spaces(self) -> None:
        """Bring every space in line with its model and the stored passages.

        A space whose recipe changed is re-embedded in full (stored passages are kept, so
        uploaded documents survive a model change); an extra space that missed writes
        while it was not configured gets the missing passages and loses the stale ones.
        """
        with self._write_lock:
            passages = self._view.passages
            for space in self.spaces:
                stored, wanted = self.store.recipe(space), self.recipe(space)
                if stored != wanted:
                    if passages:
                        log.warning(
                            "space %r: recipe %s -> %s, re-embedding %d passages",
                            space or "primary",
                            stored,
                            wanted,
                            len(passages),
                        )
                        if space != PRIMARY_SPACE:
                            self.store.clear_space(space)
                        self._embed_and_store(list(passages.values()), False, [space])
                    self.store.set_recipe(wanted, space)
                elif space != PRIMARY_SPACE:
                    present = self.store.space_ids(space)
                    missing = [p for pid, p in passages.items() if pid not in present]
                    if missing:
                        self._embed_and_store(missing, False, [space])
                    self.store.delete_from_space(space, sorted(present - passages.keys()))

    def embedding_input(self, passage: Passage) -> str:
        """The text a passage is embedded as: its document title, then its text."""
        title = str(passage.metadata.get("title") or "")
        if self.settings.embed_titles and title:
            return f"{title}\n\n{passage.text}"
        return passage.text

    def _existing(self) -> dict[str, dict[str, Any]]:
        return dict(self.store.iter_documents())

    @staticmethod
    def _document(loaded: LoadedDocument) -> Document:
        doc_id = content_id(loaded.title, loaded.url, loaded.metadata, loaded.text)
        return Document(
            doc_id=doc_id,
            title=loaded.title,
            text=loaded.text,
            source=loaded.source,
            url=loaded.url,
            metadata=dict(loaded.metadata),
        )

    def _passages(self, doc: Document) -> list[Passage]:
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

    def _embed_and_store(
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
        self._embed_and_store(passages, progress)
        self.store.put_documents([(doc, len(ps)) for doc, ps in docs])
        return len(passages)

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
            existing = self._existing()
            stored_id_of_source = {str(m.get("source")): doc_id for doc_id, m in existing.items()}
            added: list[str] = []
            replaced: list[str] = []
            unchanged: list[str] = []
            superseded: set[str] = set()
            fresh: dict[str, tuple[Document, list[Passage]]] = {}
            for doc in map(self._document, loaded):
                if doc.doc_id in existing or doc.doc_id in fresh:
                    unchanged.append(doc.doc_id)
                    continue
                old_id = stored_id_of_source.get(doc.source)
                if old_id is not None:
                    replaced.append(doc.doc_id)
                    superseded.add(old_id)
                else:
                    added.append(doc.doc_id)
                fresh[doc.doc_id] = (doc, self._passages(doc))
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
            if fresh or superseded or pruned:
                self.rebuild_lexical()
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
            return report

    def ingest_paths(self, paths: Sequence[Path], *, progress: bool = False) -> IngestReport:
        """Ingest files and folders; a folder is a scope whose removed files get deleted."""
        files = discover_files(paths)
        loaded = []
        for file, key, _root in files:
            doc = load_path(file, self.settings.max_file_bytes, source=key)
            motion = motion_of(file)
            if motion:
                motion_id, is_seed = motion
                extra: dict[str, MetadataValue] = {"motion": motion_id}
                if is_seed:
                    extra["role"] = "seed"
                doc = dataclasses.replace(doc, metadata={**doc.metadata, **extra})
            loaded.append(doc)
        scopes = [f"{p.resolve().name}/" for p in paths if p.is_dir()]
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
        return self.store.documents.count(), len(self._view.order)

    def passages(self, where: dict[str, Any] | None = None) -> list[Passage]:
        """Passages whose metadata match ``where`` (all when None)."""
        view = self._view
        return [view.passages[pid] for pid in view.order if _matches(view.passages[pid], where)]

    def _query_vectors(self, query: str) -> dict[str, list[float]]:
        """The query embedded by every model.

        In turn: with idle model threads not spinning, running them concurrently on
        two cores saved under 1 ms.
        """
        return {name: model.embed_query(query) for name, model in self.spaces.items()}

    def _dense(
        self,
        view: _LexicalView,
        vector: list[float],
        n: int,
        where: dict[str, Any] | None,
        mask: np.ndarray | None,
        space: str = PRIMARY_SPACE,
    ) -> list[tuple[str, float]]:
        """Dense candidates from one space; broad filters are applied here, not in Chroma."""
        if mask is None or mask.all():
            return self.store.query(vector, n, space=space)
        share = float(mask.mean())
        if share < _POST_FILTER_SHARE:
            return self.store.query(vector, n, where, space=space)
        wider = self.store.query(vector, int(n / share) + n, space=space)
        kept = []
        for pid, score in wider:
            row = view.index.position(pid)
            if row is not None and mask[row]:
                kept.append((pid, score))
        return kept[:n]

    def search(
        self, query: str, k: int = 5, where: dict[str, Any] | None = None, mode: str = "hybrid"
    ) -> list[SearchHit]:
        """Top ``k`` passages for ``query``: hybrid, dense or lexical.

        Hybrid fuses one ranking per embedding model and the BM25 ranking with
        reciprocal rank fusion; dense fuses the embedding rankings alone.
        """
        if mode not in _MODES:
            raise ValueError(f"unknown search mode {mode!r}")
        view = self._view
        n = max(self.settings.candidates, k)
        mask = view.mask(where) if where else None
        if mask is not None and not mask.any():
            return []
        rankings: list[list[str]] = []
        scores: dict[str, float] = {}
        if mode in ("hybrid", "dense"):
            for space, vector in self._query_vectors(query).items():
                dense = self._dense(view, vector, n, where, mask, space)
                rankings.append([pid for pid, _ in dense])
                if space == PRIMARY_SPACE:
                    scores.update(dense)
        if mode in ("hybrid", "lexical"):
            lexical = view.index.top(query, n, mask)
            rankings.append([pid for pid, _ in lexical])
            if mode == "lexical":
                scores.update(lexical)
        if len(rankings) > 1:
            fused = reciprocal_rank_fusion(rankings, k=self.settings.rrf_k)
        else:
            fused = [(pid, scores[pid]) for pid in rankings[0]]
        hits = []
        for pid, score in fused:
            passage = view.passages.get(pid)
            if passage is None:
                continue  # written after this view was built; it shows on the next rebuild
            hits.append(_hit(passage, score))
            if len(hits) == k:
                break
        return hits


def _matches(passage: Passage, where: dict[str, Any] | None) -> bool:
    if not where:
        return True
    for key, wanted in where.items():
        value = passage.doc_id if key == "doc_id" else passage.metadata.get(key)
        if isinstance(wanted, list | tuple | set):
            if value not in wanted:
                return False
        elif value != wanted:
            return False
    return True


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


def _hit(passage: Passage, score: float) -> SearchHit:
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
