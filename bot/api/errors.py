"""Maps domain errors to HTTP answers with a readable ``detail``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bot.errors import DomainError


def domain_error_handler(_: Request, exc: Exception) -> JSONResponse:
    """404 for unknown ids, 422 for unusable input, 409 for duplicates."""
    code = exc.status_code if isinstance(exc, DomainError) else 400
    return JSONResponse(status_code=code, content={"detail": str(exc)})


def install_chat_error_handlers(app: FastAPI) -> None:
    """Register the chat layer's error mapping."""
    app.add_exception_handler(DomainError, domain_error_handler)
