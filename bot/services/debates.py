"""The debate use cases: start a debate, take a turn, read the transcript.

Every reply the engine writes passes through the verifier here, before it is stored.
"""

from __future__ import annotations

import threading
import uuid
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.errors import InvalidInputError, NotFoundError
from bot.domain.motions import (
    FORMATS,
    DebateFormat,
    Motion,
    MotionRegistry,
    Side,
    motion_terms,
    opposite,
)
from bot.domain.replies import Reply
from bot.domain.sessions import Debate, SessionRepository, Turn
from bot.engines.base import DebateEngine, TurnContext
from bot.services.common import clean_text, debatable, verified
from bot.services.events import (
    DoneEvent,
    SentenceEvent,
    StreamEvent,
    StreamingEngine,
    VerifiedPrefix,
    relay,
)
from bot.verify.base import ReplyVerifier
from bot.verify.moves import StanceLookup

_LOCK_STRIPES = 64


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class DebateService:
    """Debates and their turns; holds no HTTP and no storage details."""

    motions: MotionRegistry
    engine: DebateEngine
    verifier: ReplyVerifier
    sessions: SessionRepository
    max_message_chars: int = 4000
    stances: Callable[[Motion], StanceLookup] | None = None  # which side a cited span serves

    def __post_init__(self) -> None:
        # Turns of one debate run one at a time; striped locks keep memory bounded.
        self._debate_locks = [threading.Lock() for _ in range(_LOCK_STRIPES)]

    def create_debate(
        self, motion_id: str, user_side: Side, format: str | DebateFormat | None = None
    ) -> Debate:
        """Start a debate; the bot takes the other side."""
        motion = debatable(self.motions, motion_id)
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
        message = clean_text(message, "message", self.max_message_chars)
        events = self._turn(debate_id, message, streamed=False)
        while True:
            try:
                next(events)
            except StopIteration as stop:
                return stop.value

    def stream_turn(self, debate_id: str, message: str) -> Iterator[StreamEvent]:
        """``take_turn`` as events: each verified sentence, then the stored turn.

        With an engine that writes progressively (the LLM engine), each sentence is sent as
        soon as the verifier's verdict on it is final, while the rest is still being written;
        otherwise the sentences follow the whole reply. Either way the sentences sent are
        exactly the stored turn's. Bad input (an empty message, an unknown debate) raises
        here, before the stream starts.
        """
        message = clean_text(message, "message", self.max_message_chars)
        debatable(self.motions, self.transcript(debate_id).motion_id)

        def events() -> Iterator[StreamEvent]:
            turn = yield from self._turn(debate_id, message, streamed=True)
            yield DoneEvent(turn)

        return events()

    def _turn(
        self, debate_id: str, message: str, streamed: bool
    ) -> Generator[SentenceEvent, None, Turn]:
        """Write, verify and store one turn; with ``streamed``, yield its sentences."""
        lock = self._debate_locks[zlib.crc32(debate_id.encode()) % _LOCK_STRIPES]
        with lock:
            debate = self.transcript(debate_id)
            motion = debatable(self.motions, debate.motion_id)
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
                previous=tuple(t.reply for t in debate.turns),
            )
            allowed = frozenset([*motion_terms(motion), message, *ctx.history])
            stance = self.stances(motion) if self.stances else None

            def verify(draft: Reply) -> Reply:
                return verified(self.verifier, draft, allowed, side=debate.bot_side, stance=stance)

            prefix = VerifiedPrefix(verify)
            if streamed and isinstance(self.engine, StreamingEngine):
                result = yield from relay(self.engine.stream_reply_turn(ctx, message), prefix)
            else:
                result = self.engine.reply_turn(ctx, message)
            reply = verify(result.reply)
            turn = Turn(index, round_.name, message, reply, _now())
            self.sessions.append_turn(debate_id, turn, result.used_evidence, result.advanced_points)
            if streamed:
                yield from prefix.finish(reply)
        return turn
