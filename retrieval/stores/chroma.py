"""ChromaDB adapter: the dense passage index and the document store.

Collections per prefix:

- ``<prefix>_passages`` holds passage vectors from the primary embedding model, with
  their texts and metadata;
- ``<prefix>_passages__<space>`` holds the same passages embedded by each extra model
  (one "space" per model), with the same metadata so filters work everywhere;
- ``<prefix>_documents`` holds each document's full normalized text (the text every
  offset points into); a long text's first part only, with its other parts in
  ``<prefix>_document_parts``;
- ``<prefix>_meta`` holds each space's recipe: which model and inputs made its vectors;
- ``<prefix>_<kind>__<tag>`` holds derived vectors, such as the sentence reranker's
  (``retrieval/stores/sentences.py``), one collection per recipe tag.

Keeping everything in Chroma means an embedded store and a Chroma server hold the
same, complete state.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from retrieval.labels import check_labels
from retrieval.records import Document, MetadataValue, Passage
from retrieval.settings import ChromaSettings
from retrieval.stores.chroma_http import connect_http

# Chroma needs a vector per record; documents are looked up by id only.
_DOC_PLACEHOLDER_VECTOR = [1.0]
_PAGE = 2000
# Chroma's embedded client holds the GIL through a whole call: one upsert of 2000 passages
# held it for 2.6-5.6 s on a loaded 2-core machine, stalling every other request of the
# server. Writes go in pages this small, so each hold stays short.
WRITE_PAGE = 64
# The same holds for a document's text, which Chroma indexes for full-text search: one 5 MB
# text held the GIL for about 0.5 s. Longer texts are stored in parts of this many characters.
TEXT_PART_CHARS = 250_000
_PARTS_FIELD = "text_parts"
_RECIPE_PREFIX = "recipe:"
PRIMARY_SPACE = ""


def make_chroma_client(settings: ChromaSettings, data_dir: Any) -> Any:
    """Build a Chroma client: persistent under data_dir, in memory, or HTTP.

    An HTTP client gets a timeout on every call, connecting included (Chroma's own has
    none), and its transport failures raise :class:`BackendUnavailableError`.
    """
    import chromadb
    from chromadb.config import Settings as ChromaConfig

    config = ChromaConfig(anonymized_telemetry=False, allow_reset=True)
    if settings.mode == "http" and settings.host:
        return connect_http(settings, config)
    if settings.mode == "memory":
        return chromadb.EphemeralClient(settings=config)
    path = data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=config)


def to_chroma_where(where: dict[str, Any] | None) -> dict[str, Any] | None:
    """Translate ``{"field": value | [values]}`` into a Chroma ``where`` clause."""
    if not where:
        return None
    clauses = [
        {key: {"$in": list(value)} if isinstance(value, list | tuple | set) else {"$eq": value}}
        for key, value in where.items()
    ]
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _passage_from_record(pid: str, text: str, meta: dict[str, Any]) -> Passage:
    extra = {k: v for k, v in meta.items() if k not in {"doc_id", "start", "end"}}
    return Passage(
        passage_id=pid,
        doc_id=str(meta["doc_id"]),
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=text,
        metadata=extra,
    )


class ChromaStore:
    """Dense passage search and document storage on one Chroma client."""

    def __init__(self, client: Any, prefix: str) -> None:
        self._client = client
        self._prefix = prefix
        self.passages = self._vector_collection(f"{prefix}_passages")
        self.documents = client.get_or_create_collection(
            f"{prefix}_documents", embedding_function=None
        )
        self._meta = client.get_or_create_collection(f"{prefix}_meta", embedding_function=None)
        self._parts = client.get_or_create_collection(
            f"{prefix}_document_parts", embedding_function=None
        )
        self._spaces: dict[str, Any] = {PRIMARY_SPACE: self.passages}
        self._derived: dict[str, Any] = {}

    def _vector_collection(self, name: str) -> Any:
        return self._client.get_or_create_collection(
            name, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )

    def space(self, name: str) -> Any:
        """The passage collection of one embedding space ("" is the primary model)."""
        if name not in self._spaces:
            self._spaces[name] = self._vector_collection(f"{self._prefix}_passages__{name}")
        return self._spaces[name]

    def derived_collection(self, kind: str, tag: str) -> Any:
        """The collection of one kind of derived vectors made by recipe ``tag``.

        Collections of the same kind made by another recipe are dropped, and deleting a
        document also deletes its records here (records need a ``doc_id`` metadata field).
        """
        stem = f"{self._prefix}_{kind}__"
        for existing in self._client.list_collections():
            name = existing if isinstance(existing, str) else existing.name
            if name.startswith(stem) and name != stem + tag:
                self._client.delete_collection(name)
        self._derived[kind] = self._vector_collection(stem + tag)
        return self._derived[kind]

    def clear_space(self, name: str) -> None:
        """Drop every vector of an extra space (the primary space holds the passages)."""
        if name == PRIMARY_SPACE:
            raise ValueError("the primary space holds the passages and cannot be cleared")
        self._client.delete_collection(f"{self._prefix}_passages__{name}")
        self._spaces.pop(name, None)
        self.space(name)

    # -- recipes ---------------------------------------------------------
    def recipe(self, space: str = PRIMARY_SPACE) -> str | None:
        """The stored recipe of one space (which model and inputs made it), or None."""
        got = self._meta.get(ids=[_RECIPE_PREFIX + space], include=["documents"])
        return str(got["documents"][0]) if got["ids"] else None

    def set_recipe(self, recipe: str, space: str = PRIMARY_SPACE) -> None:
        """Record the recipe one space's vectors were made with."""
        self._meta.upsert(
            ids=[_RECIPE_PREFIX + space], documents=[recipe], embeddings=[_DOC_PLACEHOLDER_VECTOR]
        )

    def space_ids(self, space: str) -> set[str]:
        """Every passage id stored in one space."""
        collection, offset = self.space(space), 0
        ids: set[str] = set()
        while True:
            got = collection.get(include=[], limit=_PAGE, offset=offset)
            if not got["ids"]:
                return ids
            ids.update(got["ids"])
            offset += len(got["ids"])

    def delete_from_space(self, space: str, passage_ids: Sequence[str]) -> None:
        """Remove passages from one space only (repairing an extra space)."""
        ids = list(passage_ids)
        for i in range(0, len(ids), WRITE_PAGE):
            self.space(space).delete(ids=ids[i : i + WRITE_PAGE])

    # -- documents -------------------------------------------------------
    def put_documents(self, docs: Sequence[tuple[Document, int]]) -> None:
        """Store documents' full texts and metadata (with their passage counts).

        A text longer than :data:`TEXT_PART_CHARS` goes in parts, one write each, the
        later parts first: a document is listed only once all its text is stored.
        """
        if not docs:
            return
        firsts = []
        for doc, _ in docs:
            parts = [
                doc.text[i : i + TEXT_PART_CHARS] for i in range(0, len(doc.text), TEXT_PART_CHARS)
            ] or [""]
            for number, part in enumerate(parts[1:], start=1):
                self._parts.upsert(
                    ids=[_part_id(doc.doc_id, number)],
                    documents=[part],
                    metadatas=[{"doc_id": doc.doc_id, "part": number}],
                    embeddings=[_DOC_PLACEHOLDER_VECTOR],
                )
            firsts.append((parts[0], len(parts)))
        self.documents.upsert(
            ids=[doc.doc_id for doc, _ in docs],
            documents=[first for first, _ in firsts],
            metadatas=[
                {
                    **doc.metadata,
                    "title": doc.title,
                    "source": doc.source,
                    "url": doc.url or "",
                    "passages": count,
                    _PARTS_FIELD: parts,
                }
                for (doc, count), (_, parts) in zip(docs, firsts, strict=True)
            ],
            embeddings=[_DOC_PLACEHOLDER_VECTOR] * len(docs),
        )

    def get_document(self, doc_id: str) -> Document | None:
        """The stored document with its whole text, or None."""
        got = self.documents.get(ids=[doc_id], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        meta = dict(got["metadatas"][0])
        parts = int(meta.pop(_PARTS_FIELD, 1))
        text = str(got["documents"][0])
        if parts > 1:
            rest = self._parts.get(
                ids=[_part_id(doc_id, n) for n in range(1, parts)], include=["documents"]
            )
            by_id = dict(zip(rest["ids"], rest["documents"], strict=True))
            text += "".join(str(by_id[_part_id(doc_id, n)]) for n in range(1, parts))
        return _document(got["ids"][0], text, meta)

    def document_metadata(self, doc_id: str) -> dict[str, Any] | None:
        """A stored document's metadata without its text, or None."""
        got = self.documents.get(ids=[doc_id], include=["metadatas"])
        return _public_metadata(got["metadatas"][0]) if got["ids"] else None

    def iter_documents(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(doc_id, metadata) of every stored document, without texts."""
        offset = 0
        while True:
            got = self.documents.get(include=["metadatas"], limit=_PAGE, offset=offset)
            if not got["ids"]:
                return
            for doc_id, meta in zip(got["ids"], got["metadatas"], strict=True):
                yield doc_id, _public_metadata(meta)
            offset += len(got["ids"])

    def delete_document(self, doc_id: str) -> None:
        """Remove a document, its text parts and all its passages, in every space."""
        for collection in [*self._spaces.values(), *self._derived.values(), self._parts]:
            collection.delete(where={"doc_id": doc_id})
        self.documents.delete(ids=[doc_id])

    # -- passages --------------------------------------------------------
    def add_passages(
        self, passages: Sequence[Passage], vectors: np.ndarray, space: str = PRIMARY_SPACE
    ) -> None:
        """Upsert passages with their vectors in one space, in short pages (:data:`WRITE_PAGE`)."""
        collection = self.space(space)
        for i in range(0, len(passages), WRITE_PAGE):
            page = passages[i : i + WRITE_PAGE]
            collection.upsert(
                ids=[p.passage_id for p in page],
                documents=[p.text for p in page],
                embeddings=vectors[i : i + WRITE_PAGE],
                metadatas=[
                    {**p.metadata, "doc_id": p.doc_id, "start": p.start, "end": p.end} for p in page
                ],
            )

    def heartbeat(self) -> None:
        """Raise :class:`BackendUnavailableError` unless Chroma answers."""
        self.documents.count()

    def update_passage_metadata(self, updates: dict[str, dict[str, MetadataValue]]) -> None:
        """Merge label fields (stance, key_points, argmap) into passages, in every space.

        Anything but a valid label raises :class:`~retrieval.labels.LabelError` before a
        write: core fields stay as ingest wrote them and metadata stays small.
        """
        check_labels(updates)
        ids = list(updates)
        for i in range(0, len(ids), WRITE_PAGE):
            page = ids[i : i + WRITE_PAGE]
            current = self.passages.get(ids=page, include=["metadatas"])
            merged = {
                pid: {**meta, **updates[pid]}
                for pid, meta in zip(current["ids"], current["metadatas"], strict=True)
            }
            for collection in self._spaces.values():
                collection.update(ids=list(merged), metadatas=list(merged.values()))

    def all_passages(self) -> list[Passage]:
        """Every passage with its text and metadata (no vectors)."""
        out: list[Passage] = []
        offset = 0
        while True:
            got = self.passages.get(include=["documents", "metadatas"], limit=_PAGE, offset=offset)
            if not got["ids"]:
                return out
            out.extend(
                _passage_from_record(pid, text, meta)
                for pid, text, meta in zip(
                    got["ids"], got["documents"], got["metadatas"], strict=True
                )
            )
            offset += len(got["ids"])

    def query(
        self,
        vector: Sequence[float],
        n: int,
        where: dict[str, Any] | None = None,
        space: str = PRIMARY_SPACE,
    ) -> list[tuple[str, float]]:
        """Nearest passages in one space as (passage_id, cosine similarity), best first."""
        # No count() first: it costs more than the query at 100k passages, and Chroma
        # returns what it has when asked for more results than exist.
        got = self.space(space).query(
            query_embeddings=[list(vector)],
            n_results=n,
            where=to_chroma_where(where),
            include=["distances"],
        )
        return [
            (pid, 1.0 - float(dist))
            for pid, dist in zip(got["ids"][0], got["distances"][0], strict=True)
        ]


def _part_id(doc_id: str, number: int) -> str:
    return f"{doc_id}:{number}"


def _public_metadata(meta: dict[str, Any]) -> dict[str, Any]:
    """A document's stored metadata without the store's own bookkeeping."""
    return {k: v for k, v in meta.items() if k != _PARTS_FIELD}


def _document(doc_id: str, text: str, meta: dict[str, Any]) -> Document:
    extra = {k: v for k, v in meta.items() if k not in {"title", "source", "url", "passages"}}
    return Document(
        doc_id=doc_id,
        title=str(meta.get("title", "")),
        text=text,
        source=str(meta.get("source", "")),
        url=str(meta.get("url")) or None,
        metadata=extra,
    )
