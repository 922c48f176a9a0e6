"""Dependencies handed to the routers (overridable in tests via dependency_overrides)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bot.services import ChatService
from retrieval.models import Retriever


def get_chat(request: Request) -> ChatService:
    """The chat service built in the app's lifespan."""
    service: ChatService = request.app.state.chat
    return service


ChatDep = Annotated[ChatService, Depends(get_chat)]


def get_retriever(request: Request) -> Retriever:
    """The retriever (in-process service or HTTP client) built in the lifespan."""
    retriever: Retriever = request.app.state.retriever
    return retriever


RetrieverDep = Annotated[Retriever, Depends(get_retriever)]
