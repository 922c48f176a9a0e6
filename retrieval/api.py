"""HTTP layer of the retrieval service: thin routes, an app factory and its lifespan.

Routes come in two routers: ``read_router`` (open unless ``security.protect_reads``) and
``write_router`` (everything that changes state; the API key when one is set). Parsing
and indexing run in worker threads, so an upload never stalls other requests.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Request, status
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from retrieval.docs_access import protect_docs
from retrieval.errors import BackendUnavailableError
from retrieval.guard import RequestGuard
from retrieval.http_errors import (
    COMMON_ERRORS,
    WRITE_ERRORS,
    install_error_handlers,
    unhealthy,
    validation_items,
)
from retrieval.ingest.loaders import LoadedDocument, load_bytes, load_text
from retrieval.schemas import (
    MAX_ID_CHARS,
    MOTION_PATTERN,
    DocumentCreate,
    DocumentCreated,
    DocumentList,
    DocumentPublic,
    DocumentSummaryPublic,
    Health,
    Liveness,
    PassageList,
    PassageMetadataUpdate,
    PassagePublic,
    SearchRequest,
    SearchResponse,
    SearchResultPublic,
)
from retrieval.security import READ_ACCESS, WRITE_ACCESS, install_security
from retrieval.service import RetrievalService
from retrieval.settings import Settings

log = logging.getLogger(__name__)


def get_retrieval(request: Request) -> RetrievalService:
    """The in-process retrieval service built in the lifespan."""
    service: RetrievalService = request.app.state.retrieval
    return service


RetrievalDep = Annotated[RetrievalService, Depends(get_retrieval)]
DocId = Annotated[str, Path(max_length=MAX_ID_CHARS, description="Document id.")]
PassageId = Annotated[str, Path(max_length=MAX_ID_CHARS, description="Passage id.")]
read_router = APIRouter(tags=["retrieval"])
write_router = APIRouter(tags=["retrieval"])
probe_router = APIRouter(tags=["health"])
liveness_router = APIRouter(tags=["health"])
MULTIPART_FIELDS = ("file", "motion")
# Uploads may be as large as the file limit plus the multipart envelope.
UPLOAD_OVERHEAD_BYTES = 64_000


@read_router.post("/search", response_model=SearchResponse)
def search(body: SearchRequest, retrieval: RetrievalDep) -> SearchResponse:
    """Hybrid search over all passages."""
    hits = retrieval.search(body.query, body.k, body.where, body.mode)
    return SearchResponse(results=[SearchResultPublic.of(h) for h in hits])


async def _loaded_from_request(request: Request, max_bytes: int) -> LoadedDocument:
    """The uploaded file or JSON document, parsed in a worker thread."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        unknown = sorted(set(form.keys()) - set(MULTIPART_FIELDS))
        if unknown:
            raise HTTPException(
                422, f"unknown multipart fields {unknown[:5]}; send {list(MULTIPART_FIELDS)}"
            )
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise HTTPException(422, "multipart upload needs a 'file' field with a filename")
        motion = _form_motion(form.get("motion"))
        data = await upload.read(max_bytes + 1)
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
        loaded = await run_in_threadpool(load_bytes, data, f"upload/{name}", max_bytes)
        return _with_motion(loaded, motion)
    if not content_type.startswith("application/json"):
        raise HTTPException(415, "send multipart/form-data with a file, or application/json")
    try:
        body = DocumentCreate.model_validate_json(await request.body())
    except ValidationError as exc:
        raise HTTPException(422, validation_items(exc.errors())) from exc
    if len(body.text.encode("utf-8")) > max_bytes:
        raise HTTPException(413, f"text is over the limit of {max_bytes} bytes")
    url = str(body.url) if body.url else None
    source = f"upload/{body.title[:200]}"
    loaded = await run_in_threadpool(load_text, body.title, body.text, source, url)
    return _with_motion(loaded, body.motion)


def _form_motion(value: object) -> str | None:
    """The multipart ``motion`` field, checked as the JSON field is; None when absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not re.fullmatch(MOTION_PATTERN, value):
        raise HTTPException(422, f"motion must match {MOTION_PATTERN}")
    return value


def _with_motion(loaded: LoadedDocument, motion: str | None) -> LoadedDocument:
    """The document filed under ``motion`` (the uploader's choice; front matter cannot)."""
    if not motion:
        return loaded
    return dataclasses.replace(loaded, metadata={**loaded.metadata, "motion": motion})


@write_router.post(
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
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "motion": {"type": "string", "pattern": MOTION_PATTERN},
                        },
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
    loaded = await _loaded_from_request(request, retrieval.settings.max_file_bytes)
    report = await run_in_threadpool(retrieval.ingest_documents, [loaded])
    doc_id = (report.added + report.replaced + report.unchanged)[0]
    summary = await run_in_threadpool(retrieval.document_summary, doc_id)
    return DocumentCreated(
        doc_id=doc_id,
        passages=summary.passages if summary else 0,
        status="unchanged" if report.unchanged else "added",
    )


@read_router.get("/documents", response_model=DocumentList)
def list_documents(retrieval: RetrievalDep) -> DocumentList:
    """All documents, without their text."""
    return DocumentList(documents=[DocumentSummaryPublic.of(d) for d in retrieval.list_documents()])


@read_router.get("/documents/{doc_id}", response_model=DocumentPublic)
def get_document(doc_id: DocId, retrieval: RetrievalDep) -> DocumentPublic:
    """One document with its full normalized text."""
    doc = retrieval.get_document(doc_id)
    if doc is None:
        raise HTTPException(404, "no document with this id")
    return DocumentPublic.of(doc)


@write_router.delete("/documents/{doc_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_document(doc_id: DocId, retrieval: RetrievalDep) -> None:
    """Delete an uploaded document from both indexes (seed documents stay)."""
    summary = retrieval.document_summary(doc_id)
    if summary is None:
        raise HTTPException(404, "no document with this id")
    if summary.metadata.get("role") == "seed":
        raise HTTPException(403, "seed documents come from the seeds folder; remove them there")
    retrieval.delete_document(doc_id)


@read_router.get("/passages/{passage_id}", response_model=PassagePublic)
def get_passage(passage_id: PassageId, retrieval: RetrievalDep) -> PassagePublic:
    """One passage."""
    passage = retrieval.get_passage(passage_id)
    if passage is None:
        raise HTTPException(404, "no passage with this id")
    return PassagePublic.of(passage)


@read_router.get("/passages", response_model=PassageList)
def list_passages(retrieval: RetrievalDep, where: str | None = None) -> PassageList:
    """Passages, optionally filtered by a JSON metadata filter, e.g. {"motion": "us-hamas"}."""
    try:
        parsed = json.loads(where) if where else None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise HTTPException(422, "where is not valid JSON") from exc
    if parsed is not None and not isinstance(parsed, dict):
        raise HTTPException(422, "where must be a JSON object")
    return PassageList(passages=[PassagePublic.of(p) for p in retrieval.passages(parsed)])


@write_router.post("/passages/metadata", status_code=status.HTTP_204_NO_CONTENT)
def update_passage_metadata(body: PassageMetadataUpdate, retrieval: RetrievalDep) -> None:
    """Merge label fields (stance, key_points, argmap) into existing passages."""
    unknown = sum(1 for pid in body.updates if retrieval.get_passage(pid) is None)
    if unknown:
        raise HTTPException(404, f"{unknown} of the passage ids are unknown")
    retrieval.update_passage_metadata(body.label_updates())


@probe_router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "A backend is unavailable."}},
)
def health(retrieval: RetrievalDep) -> Health | JSONResponse:
    """Each backend's state plus index sizes; 503 when a backend is down."""
    passages = retrieval.passage_count()
    try:
        documents: int | None = retrieval.document_count()
    except BackendUnavailableError:
        documents = None
    if documents is None:
        down = Health(
            status="unavailable",
            backends={"chroma": "unavailable"},
            documents=None,
            passages=passages,
        )
        return unhealthy(down)
    return Health(status="ok", backends={"chroma": "ok"}, documents=documents, passages=passages)


@liveness_router.get("/livez", response_model=Liveness)
def livez() -> Liveness:
    """200 while the process runs, whatever the backends do (for container probes)."""
    return Liveness(status="ok")


def include_retrieval_routes(app: FastAPI) -> None:
    """Retrieval's routes on ``app``: reads, writes behind the key, and the probes."""
    app.include_router(read_router, dependencies=[READ_ACCESS], responses=COMMON_ERRORS)
    app.include_router(
        write_router, dependencies=[WRITE_ACCESS], responses={**COMMON_ERRORS, **WRITE_ERRORS}
    )
    app.include_router(probe_router, responses=COMMON_ERRORS)
    app.include_router(liveness_router, responses=COMMON_ERRORS)


def install_guards(app: FastAPI, settings: Settings) -> None:
    """Key checks, CORS, the request guard and the shared error shape."""
    install_security(app, settings.security)
    upload_limit = settings.retrieval.max_file_bytes + UPLOAD_OVERHEAD_BYTES
    app.add_middleware(
        RequestGuard, security=settings.security, upload_paths={"/documents": upload_limit}
    )


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
    include_retrieval_routes(app)
    install_guards(app, settings)
    install_error_handlers(app)
    protect_docs(app)
    return app
