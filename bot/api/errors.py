"""Maps domain, ingest and retrieval-backend errors to HTTP answers with a readable ``detail``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bot.domain.errors import DomainError
from retrieval.errors import BackendError
from retrieval.ingest.loaders import IngestError


def error_response(_: Request, exc: Exception) -> JSONResponse:
    """The error's own status: 404 unknown ids, 422 unusable input, 409 duplicates,
    503 an unreachable retrieval service, its 4xx passed through."""
    code = getattr(exc, "status_code", 422 if isinstance(exc, IngestError) else 400)
    return JSONResponse(status_code=code, content={"detail": str(exc)})


def install_chat_error_handlers(app: FastAPI) -> None:
    """Register the chat app's error mapping."""
    for kind in (DomainError, IngestError, BackendError):
        app.add_exception_handler(kind, error_response)
