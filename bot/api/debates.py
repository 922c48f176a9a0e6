"""Debate routes: start a debate, take a turn, read the transcript."""

from __future__ import annotations

from fastapi import APIRouter, status

from bot.api.deps import DebatesDep
from bot.api.schemas import DebateCreate, DebatePublic, TranscriptPublic, TurnPublic, TurnRequest

router = APIRouter(prefix="/debates", tags=["debates"])


@router.post("", response_model=DebatePublic, status_code=status.HTTP_201_CREATED)
def create_debate(body: DebateCreate, debates: DebatesDep) -> DebatePublic:
    """Start a debate; the bot argues the side you did not pick."""
    return DebatePublic.of(debates.create_debate(body.motion_id, body.user_side, body.format))


@router.post("/{debate_id}/turns", response_model=TurnPublic)
def take_turn(debate_id: str, body: TurnRequest, debates: DebatesDep) -> TurnPublic:
    """Your speech in; the bot's grounded reply out."""
    return TurnPublic.of(debate_id, debates.take_turn(debate_id, body.message))


@router.get("/{debate_id}", response_model=TranscriptPublic)
def get_debate(debate_id: str, debates: DebatesDep) -> TranscriptPublic:
    """The debate with every turn."""
    return TranscriptPublic.of(debates.transcript(debate_id))
