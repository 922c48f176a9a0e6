"""The engine interface: what any reply writer (extractive today, a chat model later) offers.

An LLM engine would take a LangChain ``BaseChatModel`` in its constructor and implement
the same three methods; the services and the API do not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from pydantic import BaseModel, Field

from bot.domain.motions import Motion, Round, Side
from bot.domain.replies import Reply


@dataclass(frozen=True)
class TurnContext:
    """Everything an engine needs to write the bot's next debate reply."""

    motion: Motion
    user_side: Side
    bot_side: Side
    turn: int  # 0-based index of this bot reply in the debate
    round: Round
    used_evidence: frozenset[str] = frozenset()  # evidence keys cited earlier
    advanced_points: tuple[str, ...] = ()  # the bot's key points already made
    history: tuple[str, ...] = field(default=())  # earlier user messages, oldest first
    previous: tuple[Reply, ...] = field(default=())  # the bot's earlier replies, oldest first


@dataclass(frozen=True)
class TurnResult:
    """The reply plus what it used, to be remembered by the session."""

    reply: Reply
    used_evidence: tuple[str, ...]
    advanced_points: tuple[str, ...]


class CaseRebuttal(BaseModel):
    """An expected rebuttal to one key point of a case."""

    key_point_id: str = Field(description="The opposing key point.")
    text: str = Field(description="Its text.")
    citations: list[int] = Field(default_factory=list, description="Markers of its evidence.")
    answered_by: list[str] = Field(
        default_factory=list, description="Key points of the case's side that answer it."
    )
    answer_citations: list[int] = Field(
        default_factory=list, description="Markers of the card that answers it."
    )


class CasePoint(BaseModel):
    """One key point of a case with its best evidence."""

    key_point_id: str = Field(description="The key point.")
    text: str = Field(description="Its text.")
    citations: list[int] = Field(default_factory=list, description="Markers of its evidence.")
    rebuttals: list[CaseRebuttal] = Field(
        default_factory=list, description="What the other side will answer."
    )


class Case(BaseModel):
    """A side's case: key points with evidence, as a checked reply plus a structured outline."""

    motion_id: str = Field(description="The motion.")
    side: Side = Field(description="The side the case argues.")
    reply: Reply = Field(description="The case as a grounded reply with citations.")
    points: list[CasePoint] = Field(description="Outline; citations refer to reply markers.")


class DebateEngine(Protocol):
    """Writes debate turns, cases and answers from the sources."""

    def reply_turn(self, ctx: TurnContext, message: str) -> TurnResult:
        """The bot's reply to the user's ``message`` in a debate."""
        ...

    def build_case(self, motion: Motion, side: Side) -> Case:
        """Key points of ``side`` with their best evidence and expected rebuttals."""
        ...

    def answer(self, question: str, motion: Motion | None) -> Reply:
        """Answer from the sources with citations, or say plainly that they do not answer."""
        ...
