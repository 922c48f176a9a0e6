"""Request and response models of the chat API, in families (Create / Public / Request)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.domain.motions import DebateFormat, Motion, Side, Sides
from bot.domain.replies import Reply
from bot.domain.sessions import Debate, Turn
from bot.engines.base import Case


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MotionSummary(BaseModel):
    """A motion in a listing."""

    id: str = Field(description="Motion id.")
    title: str = Field(description="Short title.")
    question: str = Field(description="The question debated.")
    sides: Sides = Field(description="What pro and con argue.")
    key_points: int = Field(description="Number of key points in the argument map.")
    debatable: bool = Field(description="False when the motion has no map (Q&A only).")

    @classmethod
    def of(cls, motion: Motion) -> MotionSummary:
        """Summarize a motion."""
        return cls(
            id=motion.id,
            title=motion.title,
            question=motion.question,
            sides=motion.sides,
            key_points=len(motion.key_points),
            debatable=motion.has_map,
        )


class MotionList(BaseModel):
    """All motions."""

    motions: list[MotionSummary] = Field(description="Motions by id.")


class DebateCreate(_Request):
    """Start a debate on a motion."""

    motion_id: str = Field(min_length=1, max_length=64, description="The motion to debate.")
    user_side: Side = Field(description="The side you argue: pro or con. The bot takes the other.")
    format: str | DebateFormat | None = Field(
        None, description="A format name (standard, short) or rounds; default: the motion's."
    )


class DebatePublic(BaseModel):
    """A debate without its turns."""

    debate_id: str = Field(description="Use it to post turns.")
    motion_id: str = Field(description="The motion debated.")
    user_side: Side = Field(description="Your side.")
    bot_side: Side = Field(description="The bot's side.")
    format: DebateFormat = Field(description="Rounds and word limits of the bot's speeches.")
    created_at: str = Field(description="ISO timestamp (UTC).")

    @classmethod
    def of(cls, debate: Debate) -> DebatePublic:
        """From the domain object."""
        return cls(
            debate_id=debate.debate_id,
            motion_id=debate.motion_id,
            user_side=debate.user_side,
            bot_side=debate.bot_side,
            format=debate.format,
            created_at=debate.created_at,
        )


class TurnRequest(_Request):
    """Your speech in the debate."""

    message: str = Field(description="Your argument (1 to api.max_message_chars characters).")


class TurnPublic(Reply):
    """The bot's reply to a turn: a grounded Reply plus where it sits in the debate."""

    debate_id: str = Field(description="The debate.")
    turn: int = Field(description="0-based index of this exchange.")
    round: str = Field(description="opening, rebuttal or closing.")

    @classmethod
    def of(cls, debate_id: str, turn: Turn) -> TurnPublic:
        """From the stored turn."""
        return cls(
            **turn.reply.model_dump(), debate_id=debate_id, turn=turn.index, round=turn.round
        )


class TurnRecord(BaseModel):
    """One exchange of a transcript."""

    index: int = Field(description="0-based index.")
    round: str = Field(description="opening, rebuttal or closing.")
    message: str = Field(description="What you said.")
    reply: Reply = Field(description="What the bot answered.")
    created_at: str = Field(description="ISO timestamp (UTC).")


class TranscriptPublic(DebatePublic):
    """A debate with all its turns."""

    turns: list[TurnRecord] = Field(description="Exchanges, oldest first.")

    @classmethod
    def of(cls, debate: Debate) -> TranscriptPublic:
        """From the domain object."""
        base = DebatePublic.of(debate).model_dump()
        turns = [
            TurnRecord(
                index=t.index,
                round=t.round,
                message=t.message,
                reply=t.reply,
                created_at=t.created_at,
            )
            for t in debate.turns
        ]
        return cls(**base, turns=turns)


class AskRequest(_Request):
    """A factual question about the sources."""

    question: str = Field(max_length=2000, description="The question.")
    motion_id: str | None = Field(
        None, max_length=64, description="Only search this motion's sources."
    )


class VerifyRequest(_Request):
    """A claim and the span to check it against: a passage, or a document range."""

    claim: str = Field(max_length=2000, description="The sentence to check.")
    passage_id: str | None = Field(None, max_length=64, description="Check against this passage.")
    doc_id: str | None = Field(None, max_length=64, description="Or against this document ...")
    start: int | None = Field(None, ge=0, description="... from this offset ...")
    end: int | None = Field(None, ge=0, description="... to this offset (exclusive).")

    @model_validator(mode="after")
    def _one_target(self) -> VerifyRequest:
        span = (self.doc_id, self.start, self.end)
        if self.passage_id is not None and any(v is not None for v in span):
            raise ValueError("give either passage_id or doc_id/start/end, not both")
        if self.passage_id is None and any(v is None for v in span):
            raise ValueError("give passage_id, or all of doc_id, start and end")
        return self


class FindingPublic(BaseModel):
    """One failed check: what it compared, and why the claim does not hold."""

    check: str = Field(description='The check that failed ("numbers", "roles", "semantic", ...).')
    claim_part: str = Field(description="The part of the claim it compared.")
    evidence_part: str = Field(description="The part of the passage it compared.")
    message: str = Field(description="Why the claim is not supported.")


class VerifyPublic(BaseModel):
    """The verifier's verdict."""

    supported: bool = Field(description="Whether the span supports the claim.")
    support: float = Field(description="Support score, 0..1.")
    findings: list[FindingPublic] = Field(
        default_factory=list, description="The checks that failed, when unsupported."
    )
    reasons: list[str] = Field(description="The findings as sentences (kept for old clients).")


class CasePublic(Case):
    """A side's case (see Case)."""
