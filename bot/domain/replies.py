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


class ClashItem(BaseModel):
    """A user point found in this turn and how the bot dealt with it."""

    point: str = Field(description="The user's point (the matched key point's text).")
    key_point_id: str | None = Field(None, description="The matched key point, if any.")
    answered_by: list[str] | None = Field(
        None, description="Ids of the bot's key points that answer it."
    )
    conceded: bool = Field(False, description="True when nothing answers it and the bot concedes.")


class Grounding(BaseModel):
    """Grounding totals for a reply."""

    claims: int = Field(description="Claim sentences in the reply as sent.")
    supported: int = Field(description="Of those, the ones the verifier accepted.")
    rate: float = Field(description="supported / claims (1.0 when there are no claims).")
    dropped: int = Field(
        0, description="Draft claims the verifier removed before sending (logged server-side)."
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
    engine: str = Field(
        "extractive",
        description='Which engine wrote the reply: "extractive" or the llm.model string '
        '(e.g. "openai:gpt-4o-mini").',
    )
    fallback_reason: str | None = Field(
        None,
        description="Why the configured language model's draft was not used and the "
        "extractive engine wrote this reply instead; null when no fallback happened.",
    )
