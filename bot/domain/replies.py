"""The shape of every bot reply: text with inline markers, sentences, citations.

These models are shared by the engines, the grounding verifier and the chat API.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Citation(BaseModel):
    """A citation marker resolved to an exact span of a source document."""

    marker: int = Field(description="The number shown inline as [marker].")
    passage_id: str = Field(description="The retrieved passage the quote comes from.")
    doc_id: str = Field(description="The document the offsets point into.")
    title: str = Field(description="Document title.")
    url: str | None = Field(None, description="Where the document's facts come from.")
    start: int = Field(ge=0, description="Start offset in the document's normalized text.")
    end: int = Field(ge=0, description="End offset (exclusive).")
    quote: str = Field(description="Exactly document.text[start:end].")


class Sentence(BaseModel):
    """One sentence of a reply."""

    text: str = Field(description="The sentence, with its inline markers.")
    kind: Literal["claim", "framing"] = Field(
        description="claim: states facts and must cite; framing: connective, no facts."
    )
    citations: list[int] = Field(default_factory=list, description="Markers this sentence cites.")
    support: float = Field(0.0, ge=0, le=1, description="Verifier support score, 0..1.")
    supported: bool = Field(False, description="Whether the verifier accepted the sentence.")
    concession: bool = Field(
        False,
        description="A claim the bot concedes: it quotes evidence for the user's side.",
    )
    move: int | None = Field(
        None,
        description="The move (a lead-in and the evidence it introduces) this sentence belongs "
        "to; the verifier checks each move as a whole.",
    )


MoveKind = Literal["claim", "question", "precedent", "concession", "challenge", "pressure"]
ClashStatus = Literal["answered", "conceded", "unanswerable"]


class ClashItem(BaseModel):
    """One move of the user's speech and what the bot did with it."""

    point: str = Field(description="The user's move, in the user's own words.")
    kind: MoveKind = Field("claim", description="What kind of move the user made.")
    status: ClashStatus = Field(
        "answered",
        description="answered (rebutted, defended, or the question answered), conceded, or "
        "unanswerable from the sources (said so plainly).",
    )
    key_point_id: str | None = Field(
        None, description="The key point the move makes, or the bot's point it targets."
    )
    answered_by: list[str] | None = Field(
        None, description="Ids of the bot's key points used in the answer."
    )
    conceded: bool = Field(False, description="True when the bot concedes the move.")


class Grounding(BaseModel):
    """Grounding totals for a reply."""

    claims: int = Field(description="Claim sentences in the reply as sent.")
    supported: int = Field(description="Of those, the ones the verifier accepted.")
    rate: float = Field(description="supported / claims (1.0 when there are no claims).")
    dropped: int = Field(
        0, description="Draft claims the verifier removed before sending (logged server-side)."
    )
    moves: int = Field(0, description="Moves (a lead-in with its evidence) checked as a whole.")
    moves_dropped: int = Field(
        0,
        description="Moves removed as misfits: a lead-in its evidence does not back, or the "
        "other side's evidence outside an explicit concession.",
    )


class Reply(BaseModel):
    """A bot reply, checked by the grounding verifier before it is sent."""

    text: str = Field(description="The reply with inline [n] markers.")
    sentences: list[Sentence] = Field(default_factory=list, description="The reply's sentences.")
    citations: list[Citation] = Field(default_factory=list, description="Resolved citations.")
    clash: list[ClashItem] = Field(default_factory=list, description="User points in this turn.")
    grounding: Grounding = Field(
        default_factory=lambda: Grounding(claims=0, supported=0, rate=1.0),
        description="Grounding totals.",
    )
