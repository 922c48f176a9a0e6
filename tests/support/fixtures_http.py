"""Retrieval's HTTP layer on a given service, without a lifespan (unit tests use fakes)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from retrieval.api import include_retrieval_routes, install_guards
from retrieval.http_errors import install_error_handlers
from retrieval.service import RetrievalService
from retrieval.settings import Settings

KEY = "test-key-0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}


def retrieval_app(service: RetrievalService, **settings: Any) -> FastAPI:
    """The retrieval routes, guards and error shape of ``create_app`` on ``service``."""
    config = Settings(**settings)
    app = FastAPI()
    include_retrieval_routes(app)
    install_guards(app, config)
    install_error_handlers(app)
    app.state.retrieval = service
    return app


def retrieval_client(service: RetrievalService, **settings: Any) -> TestClient:
    """A test client on :func:`retrieval_app`; server errors answer 500, not raise."""
    return TestClient(retrieval_app(service, **settings), raise_server_exceptions=False)
