"""The question use case: an answer quoted from the sources, checked before it leaves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bot.domain.motions import MotionRegistry, motion_terms
from bot.domain.replies import Reply
from bot.engines.base import DebateEngine
from bot.services.common import clean_text, verified
from bot.services.events import DoneEvent, StreamEvent, StreamingEngine, VerifiedPrefix, relay
from bot.verify.base import ReplyVerifier


@dataclass
class QuestionService:
    """Answers questions, on one motion's sources or on all of them."""

    motions: MotionRegistry
    engine: DebateEngine
    verifier: ReplyVerifier
    max_message_chars: int = 4000

    def ask(self, question: str, motion_id: str | None = None) -> Reply:
        """A cited answer from the sources, or a plain statement that they do not answer."""
        question = clean_text(question, "question", self.max_message_chars)
        motion = self.motions.get(motion_id) if motion_id else None
        allowed = frozenset([question, *(motion_terms(motion) if motion else [])])
        return verified(self.verifier, self.engine.answer(question, motion), allowed)

    def stream_ask(self, question: str, motion_id: str | None = None) -> Iterator[StreamEvent]:
        """``ask`` as events: each verified sentence, then the whole answer.

        As :meth:`bot.services.debates.DebateService.stream_turn`: with an engine that writes
        progressively, each sentence is sent as soon as its verdict is final. Bad input (an
        empty question, an unknown motion) raises here, before the stream starts.
        """
        question = clean_text(question, "question", self.max_message_chars)
        motion = self.motions.get(motion_id) if motion_id else None
        allowed = frozenset([question, *(motion_terms(motion) if motion else [])])

        def verify(draft: Reply) -> Reply:
            return verified(self.verifier, draft, allowed)

        def events() -> Iterator[StreamEvent]:
            prefix = VerifiedPrefix(verify)
            if isinstance(self.engine, StreamingEngine):
                draft = yield from relay(self.engine.stream_answer(question, motion), prefix)
            else:
                draft = self.engine.answer(question, motion)
            reply = verify(draft)
            yield from prefix.finish(reply)
            yield DoneEvent(reply)

        return events()
