"""Maps domain, ingest and retrieval-backend errors to HTTP answers in the shared error shape.

The shape and the handlers are retrieval's (``retrieval/http_errors.py``); the chat app adds
its domain errors, each answered with its own status: 404 unknown ids, 422 unusable input,
409 duplicates, 503 an unreachable backend (with Retry-After), a backend's 4xx passed through.
"""

from __future__ import annotations

from fastapi import FastAPI

from bot.domain.errors import DomainError
from retrieval.http_errors import install_error_handlers


def install_chat_error_handlers(app: FastAPI) -> None:
    """Register the chat app's error mapping."""
    install_error_handlers(app, DomainError)
