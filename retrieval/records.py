"""Domain objects of the retrieval layer: documents, passages and search hits.

Offsets are data: a passage's ``text`` is always ``document.text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

MetadataValue = str | int | float | bool


@dataclass(frozen=True)
class Document:
    """A normalized source document; every offset in the system points into ``text``."""

    doc_id: str
    title: str
    text: str
    source: str
    url: str | None = None
    metadata: dict[str, MetadataValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Passage:
    """A sentence-aligned span of a document."""

    passage_id: str
    doc_id: str
    start: int
    end: int
    text: str
    metadata: dict[str, MetadataValue] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchHit:
    """One ranked search result."""

    passage_id: str
    doc_id: str
    title: str
    url: str | None
    text: str
    start: int
    end: int
    score: float
    metadata: dict[str, MetadataValue] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentSummary:
    """A document without its text, for listings."""

    doc_id: str
    title: str
    source: str
    url: str | None
    passages: int
    metadata: dict[str, MetadataValue] = field(default_factory=dict)


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    passages: int = 0


class DocumentSource(Protocol):
    """Anything that looks documents up by id."""

    def get_document(self, doc_id: str) -> Document | None:
        """The full document, or None."""
        ...


class Retriever(Protocol):
    """What the bot needs from retrieval, in-process or over HTTP."""

    def search(
        self, query: str, k: int = 5, where: dict[str, Any] | None = None
    ) -> list[SearchHit]:
        """Hybrid search; ``where`` filters on passage metadata (e.g. doc_id, motion)."""
        ...

    def get_document(self, doc_id: str) -> Document | None:
        """The full document, or None."""
        ...

    def get_passage(self, passage_id: str) -> Passage | None:
        """One passage, or None."""
        ...

    def list_documents(self) -> list[DocumentSummary]:
        """All documents, without text."""
        ...

    def passages(self, where: dict[str, Any] | None = None) -> list[Passage]:
        """All passages matching ``where`` (used to build argument maps)."""
        ...

    def update_passage_metadata(self, updates: dict[str, dict[str, MetadataValue]]) -> None:
        """Merge metadata (e.g. stance labels) into passages."""
        ...
