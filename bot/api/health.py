"""Health of the chat API when retrieval runs as a separate service."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from bot.api.deps import MotionsDep, RetrieverDep
from retrieval.errors import BackendError
from retrieval.http_errors import unhealthy

router = APIRouter(tags=["health"])


class ChatHealth(BaseModel):
    """Chat API health: each backend's state."""

    status: Literal["ok", "unavailable"] = Field(
        description="ok when the chat service and its retrieval answer."
    )
    backends: dict[str, Literal["ok", "unavailable"]] = Field(
        description="State of each backend, by name."
    )
    motions: int = Field(description="Motions loaded.")
    documents: int | None = Field(
        description="Documents the retrieval service holds (None when it is down)."
    )


@router.get(
    "/health",
    response_model=ChatHealth,
    responses={503: {"model": ChatHealth, "description": "The retrieval service is down."}},
)
def health(motions: MotionsDep, retriever: RetrieverDep) -> ChatHealth | JSONResponse:
    """Readiness, checked through to the retrieval service; 503 while it is down."""
    count = len(motions.list_motions())
    try:
        documents = len(retriever.list_documents())
    except BackendError:  # the remote service is down, unreachable or failing
        down = ChatHealth(
            status="unavailable",
            backends={"retrieval": "unavailable"},
            motions=count,
            documents=None,
        )
        return unhealthy(down)
    return ChatHealth(status="ok", backends={"retrieval": "ok"}, motions=count, documents=documents)
