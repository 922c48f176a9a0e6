"""The chat API's app factory: wires retrieval (in-process or remote) and the bot routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from langchain_core.embeddings import Embeddings

from bot.api import debates, health, motions, openai_compat, questions
from bot.api import retrieval as retrieval_routes
from bot.api.errors import install_chat_error_handlers
from bot.settings import ChatSettings
from bot.web import install_web


def grounding_embeddings(settings: ChatSettings, retrieval: Any | None) -> Embeddings:
    """The grounding model: shared with in-process retrieval when it is one of its models."""
    from retrieval.embeddings import build_embeddings, space_name

    spec = settings.embedding.grounding_model
    if retrieval is not None:
        if spec == settings.embedding.model:
            embeddings: Embeddings = retrieval.embeddings
            return embeddings
        if spec in settings.embedding.extra_models:
            shared: Embeddings = retrieval.spaces[space_name(spec)]
            return shared
    return build_embeddings(spec, batch_size=settings.embedding.batch_size)


def create_app(settings: ChatSettings) -> FastAPI:
    """The main app: chat routes, plus the retrieval routes when retrieval runs in-process."""
    in_process = settings.retrieval.remote_url is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from bot.factory import build_chat_services

        app.state.settings = settings
        service: Any = None
        if in_process:
            from retrieval.factory import build_retrieval_service, seed_index

            service = build_retrieval_service(settings)
            seed_index(service, settings)
            app.state.retrieval = service
            app.state.retriever = service
        else:
            from retrieval.client import RemoteRetriever

            assert settings.retrieval.remote_url is not None
            app.state.retriever = RemoteRetriever(settings.retrieval.remote_url)
        embeddings = grounding_embeddings(settings, service)
        app.state.services = build_chat_services(settings, app.state.retriever, embeddings)
        yield
        app.state.services.close()
        if not in_process:
            app.state.retriever.close()

    app = FastAPI(title="debatebot", version="0.1.0", lifespan=lifespan)
    if in_process:
        app.include_router(retrieval_routes.router)  # its /health covers the in-process indexes
    else:
        app.include_router(health.router)
    for module in (motions, debates, questions, openai_compat):
        app.include_router(module.router)
    install_chat_error_handlers(app)
    install_web(app)
    return app
