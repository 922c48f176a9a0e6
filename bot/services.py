"""The chat use cases: motions, debates and turns, Q&A, cases and claim checks.

Every reply an engine writes passes through :meth:`GroundingVerifier.verify` here,
before it is stored or returned.
"""

from __future__ import annotations

import threading
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from bot.argument_map import ArgumentMapper
from bot.engine.base import Case, DebateEngine, TurnContext
from bot.engine.extractive import motion_terms
from bot.errors import InvalidInputError, NotFoundError
from bot.grounding import GroundingVerifier, SupportResult
from bot.motions import FORMATS, DebateFormat, Motion, MotionRegistry, Side, opposite
from bot.replies import Reply
from bot.sessions import Debate, SessionRepository, Turn
from retrieval.models import Passage

_LOCK_STRIPES = 64


class PassageLookup(Protocol):
    """Resolving a passage id for claim checks."""

    def get_passage(self, passage_id: str) -> Passage | None:
        """One passage, or None."""
        ...


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class ChatService:
    """Use cases of the chat API; holds no HTTP and no storage details."""

    motions: MotionRegistry
    engine: DebateEngine
    verifier: GroundingVerifier
    sessions: SessionRepository
    passages: PassageLookup
    mapper: ArgumentMapper
    max_message_chars: int = 4000

    def __post_init__(self) -> None:
        # Turns of one debate run one at a time; striped locks keep memory bounded.
        self._debate_locks = [threading.Lock() for _ in range(_LOCK_STRIPES)]
        self._cases: dict[tuple[str, str, str], Case] = {}
        self._cases_lock = threading.Lock()

    # -- motions -----------------------------------------------------------
    def list_motions(self) -> list[Motion]:
        """Every motion."""
        return self.motions.list()

    def get_motion(self, motion_id: str) -> Motion:
        """One motion (404 when unknown)."""
        return self.motions.get(motion_id)

    def add_motion(self, motion: Motion) -> Motion:
        """Register a motion; it survives restarts."""
        return self.motions.add(motion)

    def _debatable(self, motion_id: str) -> Motion:
        motion = self.motions.get(motion_id)
        if not motion.has_map:
            raise InvalidInputError(
                f"motion {motion_id!r} has no key points; it supports questions (POST /ask) only"
            )
        return motion

    # -- debates -----------------------------------------------------------
    def create_debate(
        self, motion_id: str, user_side: Side, format: str | DebateFormat | None = None
    ) -> Debate:
        """Start a debate; the bot takes the other side."""
        motion = self._debatable(motion_id)
        if format is None:
            chosen = motion.format
        elif isinstance(format, str):
            if format not in FORMATS:
                raise InvalidInputError(f"unknown format {format!r}; known: {sorted(FORMATS)}")
            chosen = FORMATS[format]
        else:
            chosen = format
        debate = Debate(
            debate_id=uuid.uuid4().hex,
            motion_id=motion.id,
            user_side=user_side,
            bot_side=opposite(user_side),
            format=chosen,
            created_at=_now(),
        )
        self.sessions.create(debate)
        return debate

    def transcript(self, debate_id: str) -> Debate:
        """The debate with every turn (404 when unknown)."""
        debate = self.sessions.get(debate_id)
        if debate is None:
            raise NotFoundError(f"no debate {debate_id!r}")
        return debate

    def take_turn(self, debate_id: str, message: str) -> Turn:
        """The bot's checked reply to ``message``, stored with the turn."""
        message = self._clean(message, "message")
        lock = self._debate_locks[zlib.crc32(debate_id.encode()) % _LOCK_STRIPES]
        with lock:
            debate = self.transcript(debate_id)
            motion = self._debatable(debate.motion_id)
            index = len(debate.turns)
            round_ = debate.format.round_for(index)
            ctx = TurnContext(
                motion=motion,
                user_side=debate.user_side,
                bot_side=debate.bot_side,
                turn=index,
                round=round_,
                used_evidence=frozenset(debate.used_evidence),
                advanced_points=debate.advanced_points,
                history=tuple(t.message for t in debate.turns),
            )
            result = self.engine.reply_turn(ctx, message)
            reply = self._verify(result.reply, [*motion_terms(motion), message])
            turn = Turn(index, round_.name, message, reply, _now())
            self.sessions.append_turn(debate_id, turn, result.used_evidence, result.advanced_points)
        return turn

    # -- questions, cases, checks -------------------------------------------
    def ask(self, question: str, motion_id: str | None = None) -> Reply:
        """A cited answer from the sources, or a plain statement that they do not answer."""
        question = self._clean(question, "question")
        motion = self.motions.get(motion_id) if motion_id else None
        reply = self.engine.answer(question, motion)
        return self._verify(reply, [question, *(motion_terms(motion) if motion else [])])

    def case(self, motion_id: str, side: Side) -> Case:
        """The case for ``side``: key points, evidence, expected rebuttals (cached)."""
        motion = self._debatable(motion_id)
        key = (motion.id, side, self.mapper.get(motion).fingerprint)
        with self._cases_lock:
            cached = self._cases.get(key)
        if cached is not None:
            return cached
        case = self.engine.build_case(motion, side)
        reply = self._verify(case.reply, motion_terms(motion))
        kept = {c.marker for c in reply.citations}
        for point in case.points:
            point.citations = [m for m in point.citations if m in kept]
            for rebuttal in point.rebuttals:
                rebuttal.citations = [m for m in rebuttal.citations if m in kept]
        case = case.model_copy(update={"reply": reply})
        with self._cases_lock:
            self._cases[key] = case
        return case

    def verify_passage(self, claim: str, passage_id: str) -> SupportResult:
        """Whether the passage supports ``claim``."""
        claim = self._clean(claim, "claim")
        passage = self.passages.get_passage(passage_id)
        if passage is None:
            raise NotFoundError(f"no passage {passage_id!r}")
        return self.verifier.check_span(claim, passage.doc_id, passage.start, passage.end)

    def verify_span(self, claim: str, doc_id: str, start: int, end: int) -> SupportResult:
        """Whether ``document.text[start:end]`` supports ``claim``."""
        claim = self._clean(claim, "claim")
        document = self.verifier.documents.get_document(doc_id)
        if document is None:
            raise NotFoundError(f"no document {doc_id!r}")
        if not 0 <= start < end <= len(document.text):
            raise InvalidInputError(
                f"span [{start}, {end}) is outside document {doc_id!r} "
                f"of length {len(document.text)}"
            )
        return self.verifier.check_span(claim, doc_id, start, end)

    # -- helpers ----------------------------------------------------------
    def _clean(self, text: str, name: str) -> str:
        if not text or not text.strip():
            raise InvalidInputError(f"{name} is empty")
        if len(text) > self.max_message_chars:
            raise InvalidInputError(
                f"{name} has {len(text)} characters; the limit is {self.max_message_chars}"
            )
        return text.strip()

    def _verify(self, reply: Reply, allowed: list[str]) -> Reply:
        return self.verifier.verify(reply, allowed_terms=frozenset(allowed))
