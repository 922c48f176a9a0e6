"""HTTP schemas of the retrieval service (request / public families)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints

from retrieval.labels import MAX_KEY_POINTS_CHARS, MAX_UPDATES, Stance
from retrieval.records import Document, DocumentSummary, MetadataValue, Passage, SearchHit

MAX_ID_CHARS = 64
Id = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_CHARS)]
FilterKey = Annotated[str, StringConstraints(min_length=1, max_length=64)]
FilterScalar = Annotated[str, StringConstraints(max_length=500)] | int | float | bool
MOTION_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchRequest(_Request):
    """A hybrid search."""

    query: str = Field(min_length=1, max_length=2000, description="What to look for.")
    k: int = Field(5, ge=1, le=100, description="How many passages to return.")
    where: (
        Annotated[
            dict[FilterKey, FilterScalar | Annotated[list[FilterScalar], Field(max_length=100)]],
            Field(max_length=10),
        ]
        | None
    ) = Field(
        None,
        description='Metadata filter, e.g. {"doc_id": "..."} or {"motion": "us-hamas"}; '
        "a list value matches any of its items.",
    )
    mode: Literal["hybrid", "dense", "lexical"] = Field(
        "hybrid", description="hybrid, dense or lexical."
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


class DocumentCreate(_Request):
    """A document given as JSON."""

    title: str = Field(min_length=1, max_length=500, description="Document title.")
    text: str = Field(min_length=1, description="Full text (at most the upload file limit).")
    url: HttpUrl | None = Field(
        None, max_length=2000, description="Where the text comes from (http or https)."
    )
    motion: str | None = Field(
        None, pattern=MOTION_PATTERN, description="Motion id this source belongs to."
    )


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


class PassageLabels(_Request):
    """The label fields a client may set on a passage; nothing else is writable."""

    stance: Stance | None = Field(
        None, description="The side the passage supports: pro, con or neutral."
    )
    key_points: str | None = Field(
        None,
        max_length=MAX_KEY_POINTS_CHARS,
        pattern=r"^([A-Za-z0-9_.-]{1,64}(,[A-Za-z0-9_.-]{1,64})*)?$",
        description="Comma-separated ids of the key points the passage backs.",
    )
    argmap: str | None = Field(
        None, pattern=r"^[0-9a-f]{8,64}$", description="Fingerprint of the argument map."
    )


class PassageMetadataUpdate(_Request):
    """Labels to merge into passages, by passage id."""

    updates: dict[Id, PassageLabels] = Field(
        max_length=MAX_UPDATES, description="passage_id -> label fields to set."
    )

    def label_updates(self) -> dict[str, dict[str, MetadataValue]]:
        """The updates as plain dicts, without the fields left unset."""
        return {pid: labels.model_dump(exclude_none=True) for pid, labels in self.updates.items()}


BackendState = Literal["ok", "unavailable"]


class Health(BaseModel):
    """Service health: each backend's state and the index sizes."""

    status: Literal["ok", "unavailable"] = Field(description="ok when every backend answers.")
    backends: dict[str, BackendState] = Field(description="State of each backend, by name.")
    documents: int | None = Field(description="Documents stored (None when Chroma is down).")
    passages: int = Field(description="Passages indexed (BM25 view).")


class Liveness(BaseModel):
    """The process runs."""

    status: Literal["ok"] = Field(description="Always ok while the process runs.")
