"""HTTP client for a separate retrieval service; same interface as the in-process one.

Transport failures raise :class:`BackendUnavailableError` (503), the service's own 4xx
answers raise :class:`BackendRequestError` with that status, and its 5xx answers raise
:class:`BackendError` (502): the chat app maps each to a clear status, never a 500.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from retrieval.errors import BackendError, BackendRequestError, BackendUnavailableError
from retrieval.records import Document, DocumentSummary, MetadataValue, Passage, SearchHit


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, list):  # the shared error shape: [{"loc", "msg", "type"}]
        detail = "; ".join(str(item.get("msg", item)) for item in detail if isinstance(item, dict))
    return str(detail if detail is not None else body)[:500]


class RemoteRetriever:
    """Talks to ``debatebot retrieval serve`` over HTTP; implements ``Retriever``.

    Every call has ``timeout`` seconds; ``api_key`` (the service key) is sent as a bearer
    token, so label writes pass the remote service's write protection.
    """

    def __init__(self, base_url: str, timeout: float = 5.0, api_key: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, headers=headers)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def _request(self, method: str, path: str, *, missing_ok: bool = False, **kwargs: Any) -> Any:
        """The JSON body of a successful answer; None for a 404 when ``missing_ok``."""
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise BackendUnavailableError(
                f"retrieval service at {self.base_url} is unreachable: {type(exc).__name__}",
                backend="retrieval",
            ) from exc
        if response.status_code == 404 and missing_ok:
            return None
        if 400 <= response.status_code < 500:
            raise BackendRequestError(
                f"retrieval service: {_detail(response)}", response.status_code
            )
        if response.status_code == 503:  # its own backend (Chroma) is down
            raise BackendUnavailableError(
                f"retrieval service: {_detail(response)}", backend="retrieval"
            )
        if response.status_code >= 500:
            raise BackendError(
                f"retrieval service failed ({response.status_code}): {_detail(response)}"
            )
        return response.json() if response.content else None

    def _get(self, path: str, **params: Any) -> Any:
        query = {k: v for k, v in params.items() if v is not None}
        return self._request("GET", path, missing_ok=True, params=query)

    def search(
        self, query: str, k: int = 5, where: dict[str, Any] | None = None, mode: str = "hybrid"
    ) -> list[SearchHit]:
        """Hybrid search on the remote service."""
        body = self._request(
            "POST", "/search", json={"query": query, "k": k, "where": where, "mode": mode}
        )
        return [SearchHit(**r) for r in body["results"]]

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
        self._request("POST", "/passages/metadata", json={"updates": updates})
