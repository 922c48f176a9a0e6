"""The chat API's app factory: wires retrieval (in-process or remote) and the bot routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from langchain_core.embeddings import Embeddings

from bot.api import debates, health, motions, openai_compat, questions
from bot.api.errors import install_chat_error_handlers
from bot.api.retrieval import include_retrieval_routes
from bot.settings import ChatSettings
from bot.web import install_web
from retrieval.api import install_guards, liveness_router
from retrieval.docs_access import protect_docs
from retrieval.http_errors import COMMON_ERRORS, WRITE_ERRORS
from retrieval.security import READ_ACCESS, WRITE_ACCESS


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
            key = settings.security.service_key
            app.state.retriever = RemoteRetriever(
                settings.retrieval.remote_url,
                timeout=settings.retrieval.remote_timeout_s,
                api_key=key.get_secret_value() if key else None,
            )
        embeddings = grounding_embeddings(settings, service)
        app.state.services = build_chat_services(settings, app.state.retriever, embeddings)
        yield
        app.state.services.close()
        if not in_process:
            app.state.retriever.close()

    app = FastAPI(title="debatebot", version="0.1.0", lifespan=lifespan)
    install_guards(app, settings)
    if in_process:
        include_retrieval_routes(app)  # its /health covers the in-process indexes
    else:
        app.include_router(health.router, responses=COMMON_ERRORS)
        app.include_router(liveness_router, responses=COMMON_ERRORS)
    # Sparring, asking and reading are open unless security.protect_reads; changes need the key.
    for module in (motions, debates, questions):
        app.include_router(module.router, dependencies=[READ_ACCESS], responses=COMMON_ERRORS)
    write_errors = {**COMMON_ERRORS, **WRITE_ERRORS}
    app.include_router(motions.write_router, dependencies=[WRITE_ACCESS], responses=write_errors)
    # /v1 checks the key itself, as OpenAI clients send it, and answers with OpenAI errors.
    app.include_router(openai_compat.router)
    install_chat_error_handlers(app)
    install_web(app)
    protect_docs(app)  # after install_web, which adds the docs pages
    return app
