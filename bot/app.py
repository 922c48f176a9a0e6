"""The chat API's app factory: wires retrieval (in-process or remote) and the bot routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from langchain_core.embeddings import Embeddings

from bot.api import debates, health, motions, qa
from bot.api.errors import install_chat_error_handlers
from bot.web import install_web
from retrieval.api import install_error_handlers, seed_index
from retrieval.api import router as retrieval_router
from retrieval.service import RetrievalService
from retrieval.settings import Settings

log = logging.getLogger(__name__)


def grounding_embeddings(settings: Settings, retrieval: RetrievalService | None) -> Embeddings:
    """The grounding model: shared with in-process retrieval when it is one of its models."""
    from retrieval.embeddings import build_embeddings, space_name

    spec = settings.embedding.grounding_model
    if retrieval is not None:
        if spec == settings.embedding.model:
            return retrieval.embeddings
        if spec in settings.embedding.extra_models:
            return retrieval.spaces[space_name(spec)]
    return build_embeddings(spec, batch_size=settings.embedding.batch_size)


def create_app(settings: Settings) -> FastAPI:
    """The main app: chat routes, plus the retrieval routes when retrieval runs in-process."""
    in_process = settings.retrieval.remote_url is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        if in_process:
            from retrieval.factory import build_retrieval_service

            service = build_retrieval_service(settings)
            seed_index(service, settings)
            app.state.retrieval = service
            app.state.retriever = service
        else:
            from retrieval.client import RemoteRetriever

            assert settings.retrieval.remote_url is not None
            app.state.retriever = RemoteRetriever(settings.retrieval.remote_url)
        from bot.factory import build_chat_service

        embeddings = grounding_embeddings(settings, app.state.retrieval if in_process else None)
        app.state.chat = build_chat_service(settings, app.state.retriever, embeddings)
        yield
        app.state.chat.sessions.close()
        if not in_process:
            app.state.retriever.close()

    app = FastAPI(title="debatebot", version="0.1.0", lifespan=lifespan)
    if in_process:
        app.include_router(retrieval_router)  # its /health covers the in-process indexes
    else:
        app.include_router(health.router)
    for module in (motions, debates, qa):
        app.include_router(module.router)
    install_error_handlers(app)
    install_chat_error_handlers(app)
    install_web(app)
    return app
