"""The OpenAI-compatible use case: models per motion, and stateless chat completions.

A ``debate:<motion_id>:<bot_side>`` completion rebuilds the debate from the conversation:
the user's messages are replayed, in order, through the same :class:`DebateService` the
native API uses, on a scratch session store. The assistant messages a client sends back are
not trusted; the bot's earlier replies are recomputed, so the state is exactly the one the
native API would hold after the same speeches. ``ask:<motion_id>`` answers the last user
message with the question use case.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.domain.errors import DomainError, NotFoundError
from bot.domain.motions import DebateFormat, MotionRegistry, Side, opposite
from bot.domain.replies import Reply, Sentence
from bot.domain.sessions import Debate, Turn
from bot.services.debates import DebateService
from bot.services.events import SentenceEvent
from bot.services.questions import QuestionService

ROLES = frozenset({"system", "developer", "user", "assistant"})
# System and developer messages carry a client's instructions; the engine has its own.
IGNORED_ROLES = frozenset({"system", "developer"})
MAX_USER_TURNS = 40


class ChatRequestError(DomainError):
    """A request the endpoint cannot serve; ``param`` names the offending field."""

    status_code = 400

    def __init__(self, message: str, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.param = param
        self.code = code


class UnknownModelError(NotFoundError):
    """A model id that names no motion, side or kind."""

    param = "model"
    code = "model_not_found"


@dataclass(frozen=True)
class ModelId:
    """A parsed model id: ``debate:<motion_id>:<bot_side>`` or ``ask:<motion_id>``."""

    kind: Literal["debate", "ask"]
    motion_id: str
    bot_side: Side | None = None

    def __str__(self) -> str:
        if self.kind == "debate":
            return f"debate:{self.motion_id}:{self.bot_side}"
        return f"ask:{self.motion_id}"


@dataclass(frozen=True)
class Message:
    """One message of a conversation, its content flattened to text."""

    role: str
    content: str


@dataclass(frozen=True)
class Completion:
    """The bot's checked reply, with where it sits in the debate (``turn`` is None for ask)."""

    model: ModelId
    reply: Reply
    turn: int | None = None
    round: str | None = None


@dataclass(frozen=True)
class CompletionDone:
    """The whole checked reply; it ends a stream."""

    completion: Completion


StreamEvent = SentenceEvent | CompletionDone


class ScratchSessions:
    """A session store in memory, for one rebuilt conversation (the SessionRepository API)."""

    def __init__(self) -> None:
        self._debates: dict[str, Debate] = {}
        self._lock = threading.Lock()

    def create(self, debate: Debate) -> None:
        """Keep a new debate."""
        with self._lock:
            self._debates[debate.debate_id] = debate

    def get(self, debate_id: str) -> Debate | None:
        """The debate, or None."""
        with self._lock:
            return self._debates.get(debate_id)

    def append_turn(
        self, debate_id: str, turn: Turn, used_evidence: tuple[str, ...], advanced: tuple[str, ...]
    ) -> None:
        """Add a turn and the debate's new running state."""
        with self._lock:
            debate = self._debates[debate_id]
            self._debates[debate_id] = dataclasses.replace(
                debate,
                used_evidence=used_evidence,
                advanced_points=advanced,
                turns=(*debate.turns, turn),
            )

    def close(self) -> None:
        """Nothing to release."""


def user_turns(messages: Sequence[Message]) -> list[str]:
    """The user's speeches, oldest first; 400 for bad roles or a conversation without one.

    The conversation must end with a user message: that is the speech the bot answers.
    """
    if not messages:
        raise ChatRequestError("messages is empty; send at least one user message", "messages")
    turns: list[str] = []
    for index, message in enumerate(messages):
        if message.role not in ROLES:
            raise ChatRequestError(
                f"messages[{index}].role {message.role!r} is not supported; "
                f"use one of {sorted(ROLES)}",
                f"messages[{index}].role",
                "invalid_role",
            )
        if message.role == "user":
            turns.append(message.content)
    if not turns:
        raise ChatRequestError("messages holds no user message", "messages")
    if messages[-1].role != "user":
        raise ChatRequestError(
            f"the last message must be the user's (got {messages[-1].role!r}): "
            "the bot answers the user's latest speech",
            f"messages[{len(messages) - 1}].role",
            "invalid_role",
        )
    if len(turns) > MAX_USER_TURNS:
        raise ChatRequestError(
            f"messages holds {len(turns)} user turns; the limit is {MAX_USER_TURNS}", "messages"
        )
    return turns


@dataclass
class ChatCompletionService:
    """Lists the models and answers chat completions through the native use cases."""

    motions: MotionRegistry
    debates: DebateService
    questions: QuestionService

    def models(self) -> list[ModelId]:
        """Two debate models (one per bot side) per debatable motion, one ask model per motion."""
        found: list[ModelId] = []
        for motion in self.motions.list():
            if motion.has_map:
                found += [ModelId("debate", motion.id, "pro"), ModelId("debate", motion.id, "con")]
            found.append(ModelId("ask", motion.id))
        return found

    def parse_model(self, model: str) -> ModelId:
        """The model a request names; 404 with the known models when it names none."""
        known = {str(m): m for m in self.models()}
        if model not in known:
            raise UnknownModelError(
                f"the model {model!r} does not exist; known models: {sorted(known)} "
                "(GET /v1/models)"
            )
        return known[model]

    def rebuild(
        self, model: ModelId, speeches: Sequence[str], format: str | DebateFormat | None = None
    ) -> tuple[DebateService, Debate]:
        """A scratch debate holding the state after every speech but the last one."""
        if model.bot_side is None:
            raise ChatRequestError(f"{model} is not a debate model", "model")
        scratch = dataclasses.replace(self.debates, sessions=ScratchSessions())
        debate = scratch.create_debate(model.motion_id, opposite(model.bot_side), format)
        for speech in speeches[:-1]:
            scratch.take_turn(debate.debate_id, speech)
        return scratch, scratch.transcript(debate.debate_id)

    def complete(
        self, model: str, messages: Sequence[Message], format: str | DebateFormat | None = None
    ) -> Completion:
        """The checked reply to the conversation's last user message."""
        model_id = self.parse_model(model)
        speeches = user_turns(messages)
        if model_id.kind == "ask":
            return Completion(model_id, self.questions.ask(speeches[-1], model_id.motion_id))
        scratch, debate = self.rebuild(model_id, speeches, format)
        turn = scratch.take_turn(debate.debate_id, speeches[-1])
        return Completion(model_id, turn.reply, turn.index, turn.round)

    def stream(
        self, model: str, messages: Sequence[Message], format: str | DebateFormat | None = None
    ) -> Iterator[StreamEvent]:
        """The reply sentence by sentence, each one verified before it is yielded, then done.

        The native streams are relayed, so an engine that writes progressively (the LLM
        engine) gets its first verified sentence out while the rest is still being written.

        Bad requests raise before the first event, so a caller that takes the first event
        before it starts sending can still answer with an HTTP error.
        """
        model_id = self.parse_model(model)
        speeches = user_turns(messages)
        if model_id.kind == "ask":
            events = self.questions.stream_ask(speeches[-1], model_id.motion_id)
        else:
            scratch, debate = self.rebuild(model_id, speeches, format)
            events = scratch.stream_turn(debate.debate_id, speeches[-1])
        for event in events:
            if isinstance(event, SentenceEvent):
                yield event
            elif isinstance(event.result, Turn):
                turn = event.result
                yield CompletionDone(Completion(model_id, turn.reply, turn.index, turn.round))
            else:
                yield CompletionDone(Completion(model_id, event.result))


def verified_sentences(reply: Reply) -> Iterator[Sentence]:
    """The sentences of a checked reply that may be sent: framing, and claims the verifier kept."""
    for sentence in reply.sentences:
        if sentence.kind == "framing" or sentence.supported:
            yield sentence


def completion_id() -> str:
    """A fresh id in OpenAI's style."""
    return f"chatcmpl-{uuid.uuid4().hex}"
