"""Health of the chat API when retrieval runs as a separate service."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from bot.api.deps import MotionsDep, RetrieverDep
from retrieval.errors import BackendError

router = APIRouter(tags=["health"])


class ChatHealth(BaseModel):
    """Chat API health."""

    status: str = Field(description="ok when the chat service and its retrieval answer.")
    motions: int = Field(description="Motions loaded.")
    documents: int = Field(description="Documents the retrieval service holds.")


@router.get("/health", response_model=ChatHealth)
def health(motions: MotionsDep, retriever: RetrieverDep) -> ChatHealth:
    """Liveness, checked through to the retrieval service."""
    try:
        documents = len(retriever.list_documents())
    except BackendError as exc:  # the remote service is down, unreachable or failing
        raise HTTPException(503, f"retrieval service unavailable: {exc}") from exc
    return ChatHealth(status="ok", motions=len(motions.list_motions()), documents=documents)
