"""HTTP client for a separate retrieval service; same interface as the in-process one."""

from __future__ import annotations

import json
from typing import Any

import httpx

from retrieval.models import Document, DocumentSummary, MetadataValue, Passage, SearchHit


class RemoteRetriever:
    """Talks to ``debatebot retrieval serve`` over HTTP; implements ``Retriever``."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def _get(self, path: str, **params: Any) -> Any:
        response = self._http.get(path, params={k: v for k, v in params.items() if v is not None})
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json()

    def search(
        self, query: str, k: int = 5, where: dict[str, Any] | None = None, mode: str = "hybrid"
    ) -> list[SearchHit]:
        """Hybrid search on the remote service."""
        response = self._http.post(
            "/search", json={"query": query, "k": k, "where": where, "mode": mode}
        )
        response.raise_for_status()
        return [SearchHit(**r) for r in response.json()["results"]]

    def get_document(self, doc_id: str) -> Document | None:
        """The full document, or None."""
        body = self._get(f"/documents/{doc_id}")
        return Document(**body) if body else None

    def get_passage(self, passage_id: str) -> Passage | None:
        """One passage, or None."""
        body = self._get(f"/passages/{passage_id}")
        return Passage(**body) if body else None

    def list_documents(self) -> list[DocumentSummary]:
        """All documents, without text."""
        return [DocumentSummary(**d) for d in self._get("/documents")["documents"]]

    def passages(self, where: dict[str, Any] | None = None) -> list[Passage]:
        """Passages matching ``where``."""
        body = self._get("/passages", where=json.dumps(where) if where else None)
        return [Passage(**p) for p in body["passages"]]

    def update_passage_metadata(self, updates: dict[str, dict[str, MetadataValue]]) -> None:
        """Merge metadata into passages."""
        self._http.post("/passages/metadata", json={"updates": updates}).raise_for_status()
