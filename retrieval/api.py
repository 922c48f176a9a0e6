"""HTTP layer of the retrieval service: thin routes, an app factory and its lifespan."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import (
    APIRouter,
    Depends,
    FastAPI,
    HTTPException,
    Request,
    status,
)
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from retrieval.ingest.loaders import IngestError, load_bytes, load_text
from retrieval.schemas import (
    DocumentCreate,
    DocumentCreated,
    DocumentList,
    DocumentPublic,
    DocumentSummaryPublic,
    Health,
    PassageList,
    PassageMetadataUpdate,
    PassagePublic,
    SearchRequest,
    SearchResponse,
    SearchResultPublic,
)
from retrieval.service import RetrievalService
from retrieval.settings import Settings

log = logging.getLogger(__name__)


def get_retrieval(request: Request) -> RetrievalService:
    """The in-process retrieval service built in the lifespan."""
    service: RetrievalService = request.app.state.retrieval
    return service


RetrievalDep = Annotated[RetrievalService, Depends(get_retrieval)]
router = APIRouter(tags=["retrieval"])


@router.post("/search", response_model=SearchResponse)
def search(body: SearchRequest, retrieval: RetrievalDep) -> SearchResponse:
    """Hybrid search over all passages."""
    hits = retrieval.search(body.query, body.k, body.where, body.mode)
    return SearchResponse(results=[SearchResultPublic.of(h) for h in hits])


@router.post(
    "/documents",
    response_model=DocumentCreated,
    status_code=status.HTTP_201_CREATED,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": DocumentCreate.model_json_schema()},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
            },
            "required": True,
        }
    },
)
async def add_document(request: Request, retrieval: RetrievalDep) -> DocumentCreated:
    """Add a document: a multipart file upload, or JSON with title, text and url."""
    content_type = request.headers.get("content-type", "")
    max_bytes = retrieval.settings.max_file_bytes
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise HTTPException(422, "multipart upload needs a 'file' field with a filename")
        data = await upload.read(max_bytes + 1)
        loaded = load_bytes(data, f"upload/{upload.filename}", max_bytes)
    elif content_type.startswith("application/json"):
        try:
            body = DocumentCreate.model_validate_json(await request.body())
        except ValidationError as exc:
            raise HTTPException(422, exc.errors(include_url=False, include_context=False)) from exc
        if len(body.text.encode("utf-8")) > max_bytes:
            raise HTTPException(413, f"text is over the limit of {max_bytes} bytes")
        loaded = load_text(
            body.title, body.text, f"upload/{body.title}", str(body.url or "") or None
        )
        if body.motion:
            loaded = dataclasses.replace(loaded, metadata={"motion": body.motion})
    else:
        raise HTTPException(415, "send multipart/form-data with a file, or application/json")
    report = retrieval.ingest_documents([loaded])
    doc_id = (report.added + report.replaced + report.unchanged)[0]
    summary = retrieval.document_summary(doc_id)
    return DocumentCreated(
        doc_id=doc_id,
        passages=summary.passages if summary else 0,
        status="unchanged" if report.unchanged else "added",
    )


@router.get("/documents", response_model=DocumentList)
def list_documents(retrieval: RetrievalDep) -> DocumentList:
    """All documents, without their text."""
    return DocumentList(documents=[DocumentSummaryPublic.of(d) for d in retrieval.list_documents()])


@router.get("/documents/{doc_id}", response_model=DocumentPublic)
def get_document(doc_id: str, retrieval: RetrievalDep) -> DocumentPublic:
    """One document with its full normalized text."""
    doc = retrieval.get_document(doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    return DocumentPublic.of(doc)


@router.delete("/documents/{doc_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_document(doc_id: str, retrieval: RetrievalDep) -> None:
    """Delete a document from both indexes."""
    if not retrieval.delete_document(doc_id):
        raise HTTPException(404, f"no document {doc_id!r}")


@router.get("/passages/{passage_id}", response_model=PassagePublic)
def get_passage(passage_id: str, retrieval: RetrievalDep) -> PassagePublic:
    """One passage."""
    passage = retrieval.get_passage(passage_id)
    if passage is None:
        raise HTTPException(404, f"no passage {passage_id!r}")
    return PassagePublic.of(passage)


@router.get("/passages", response_model=PassageList)
def list_passages(retrieval: RetrievalDep, where: str | None = None) -> PassageList:
    """Passages, optionally filtered by a JSON metadata filter, e.g. {"motion": "us-hamas"}."""
    try:
        parsed = json.loads(where) if where else None
    except json.JSONDecodeError as exc:
        raise HTTPException(422, f"where is not valid JSON: {exc}") from exc
    if parsed is not None and not isinstance(parsed, dict):
        raise HTTPException(422, "where must be a JSON object")
    return PassageList(passages=[PassagePublic.of(p) for p in retrieval.passages(parsed)])


@router.post("/passages/metadata", status_code=status.HTTP_204_NO_CONTENT)
def update_passage_metadata(body: PassageMetadataUpdate, retrieval: RetrievalDep) -> None:
    """Merge metadata (e.g. stance labels) into existing passages."""
    unknown = [pid for pid in body.updates if retrieval.get_passage(pid) is None]
    if unknown:
        raise HTTPException(404, f"unknown passages: {unknown[:5]}")
    retrieval.update_passage_metadata(body.updates)


@router.get("/health", response_model=Health)
def health(retrieval: RetrievalDep) -> Health:
    """Liveness plus index sizes."""
    documents, passages = retrieval.counts()
    return Health(status="ok", documents=documents, passages=passages)


def ingest_error_handler(_: Request, exc: Exception) -> JSONResponse:
    """Map a bad source to a 4xx that says what is wrong."""
    code = getattr(exc, "status_code", 422)
    return JSONResponse(status_code=code, content={"detail": str(exc)})


def install_error_handlers(app: FastAPI) -> None:
    """Register the retrieval layer's error mapping on an app."""
    app.add_exception_handler(IngestError, ingest_error_handler)


def create_app(settings: Settings) -> FastAPI:
    """The standalone retrieval service."""
    from retrieval.factory import build_retrieval_service, seed_index

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.retrieval = build_retrieval_service(settings)
        seed_index(app.state.retrieval, settings)
        yield

    app = FastAPI(title="debatebot retrieval", version="0.1.0", lifespan=lifespan)
    app.include_router(router)
    install_error_handlers(app)
    return app
