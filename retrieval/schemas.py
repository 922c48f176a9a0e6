"""HTTP schemas of the retrieval service (request / public families)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, HttpUrl

from retrieval.records import Document, DocumentSummary, MetadataValue, Passage, SearchHit


class SearchRequest(BaseModel):
    """A hybrid search."""

    query: str = Field(min_length=1, max_length=2000, description="What to look for.")
    k: int = Field(5, ge=1, le=100, description="How many passages to return.")
    where: dict[str, MetadataValue | list[MetadataValue]] | None = Field(
        None,
        description='Metadata filter, e.g. {"doc_id": "..."} or {"motion": "us-hamas"}; '
        "a list value matches any of its items.",
    )
    mode: str = Field(
        "hybrid", pattern="^(hybrid|dense|lexical)$", description="hybrid, dense or lexical."
    )


class SearchResultPublic(BaseModel):
    """One ranked passage."""

    passage_id: str = Field(description="Passage id (a content hash).")
    doc_id: str = Field(description="Document the passage belongs to.")
    title: str = Field(description="Document title.")
    url: str | None = Field(description="Document URL, when known.")
    text: str = Field(description="Passage text; equals document.text[start:end].")
    start: int = Field(description="Start offset in the document's normalized text.")
    end: int = Field(description="End offset (exclusive).")
    score: float = Field(description="Fused (RRF) or backend score; higher is better.")
    metadata: dict[str, Any] = Field(default_factory=dict, description="Passage metadata.")

    @classmethod
    def of(cls, hit: SearchHit) -> SearchResultPublic:
        """Shape a domain hit."""
        return cls(**hit.__dict__)


class SearchResponse(BaseModel):
    """Search results, best first."""

    results: list[SearchResultPublic] = Field(description="Ranked passages.")


class DocumentCreate(BaseModel):
    """A document given as JSON."""

    title: str = Field(min_length=1, max_length=500, description="Document title.")
    text: str = Field(min_length=1, description="Full text.")
    url: HttpUrl | None = Field(None, description="Where the text comes from.")
    motion: str | None = Field(None, description="Motion id this source belongs to.")


class DocumentCreated(BaseModel):
    """The result of adding a document."""

    doc_id: str = Field(description="Document id (a content hash).")
    passages: int = Field(description="Passages the document was split into.")
    status: str = Field(description="added, or unchanged when the same content was stored.")


class DocumentSummaryPublic(BaseModel):
    """A document without its text."""

    doc_id: str = Field(description="Document id.")
    title: str = Field(description="Document title.")
    source: str = Field(description="Source key (file path relative to its ingest root).")
    url: str | None = Field(description="Document URL, when known.")
    passages: int = Field(description="Number of passages.")
    metadata: dict[str, Any] = Field(default_factory=dict, description="Document metadata.")

    @classmethod
    def of(cls, summary: DocumentSummary) -> DocumentSummaryPublic:
        """Shape a domain summary."""
        return cls(**summary.__dict__)


class DocumentList(BaseModel):
    """All documents."""

    documents: list[DocumentSummaryPublic] = Field(description="Documents, by source.")


class DocumentPublic(BaseModel):
    """A full document: ``text`` is what every offset points into."""

    doc_id: str = Field(description="Document id.")
    title: str = Field(description="Document title.")
    source: str = Field(description="Source key.")
    url: str | None = Field(description="Document URL, when known.")
    text: str = Field(description="Full normalized text.")
    metadata: dict[str, Any] = Field(default_factory=dict, description="Document metadata.")

    @classmethod
    def of(cls, doc: Document) -> DocumentPublic:
        """Shape a domain document."""
        return cls(**doc.__dict__)


class PassagePublic(BaseModel):
    """One passage."""

    passage_id: str = Field(description="Passage id.")
    doc_id: str = Field(description="Document id.")
    start: int = Field(description="Start offset.")
    end: int = Field(description="End offset (exclusive).")
    text: str = Field(description="Passage text.")
    metadata: dict[str, Any] = Field(default_factory=dict, description="Passage metadata.")

    @classmethod
    def of(cls, passage: Passage) -> PassagePublic:
        """Shape a domain passage."""
        return cls(**passage.__dict__)


class PassageList(BaseModel):
    """Passages in index order."""

    passages: list[PassagePublic] = Field(description="Matching passages.")


class PassageMetadataUpdate(BaseModel):
    """Metadata to merge into passages, by passage id."""

    updates: dict[str, dict[str, MetadataValue]] = Field(
        description="passage_id -> metadata fields to set."
    )


class Health(BaseModel):
    """Service health."""

    status: str = Field(description="ok when the indexes answer.")
    documents: int = Field(description="Documents stored.")
    passages: int = Field(description="Passages indexed (BM25 view).")
