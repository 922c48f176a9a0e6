"""Debate routes: start a debate, take a turn, read the transcript."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from bot.api.deps import DebatesDep
from bot.api.schemas import DebateCreate, DebatePublic, TranscriptPublic, TurnPublic, TurnRequest
from bot.api.sse import STREAM_RESPONSES, StreamQuery, sse_response, wants_stream

router = APIRouter(prefix="/debates", tags=["debates"])


@router.post("", response_model=DebatePublic, status_code=status.HTTP_201_CREATED)
def create_debate(body: DebateCreate, debates: DebatesDep) -> DebatePublic:
    """Start a debate; the bot argues the side you did not pick."""
    return DebatePublic.of(debates.create_debate(body.motion_id, body.user_side, body.format))


@router.post("/{debate_id}/turns", response_model=TurnPublic, responses=STREAM_RESPONSES)
def take_turn(
    debate_id: str,
    body: TurnRequest,
    debates: DebatesDep,
    request: Request,
    stream: StreamQuery = False,
) -> TurnPublic | Response:
    """Your speech in; the bot's grounded reply out (as JSON, or streamed sentence by sentence)."""
    if wants_stream(request, stream):
        events = debates.stream_turn(debate_id, body.message)
        return sse_response(events, lambda turn: TurnPublic.of(debate_id, turn))
    return TurnPublic.of(debate_id, debates.take_turn(debate_id, body.message))


@router.get("/{debate_id}", response_model=TranscriptPublic)
def get_debate(debate_id: str, debates: DebatesDep) -> TranscriptPublic:
    """The debate with every turn."""
    return TranscriptPublic.of(debates.transcript(debate_id))
