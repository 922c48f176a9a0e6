"""The OpenAI wire format for /v1: requests, completions, stream chunks, models, errors.

Only the fields standard clients read are produced, plus one extra ``debatebot`` field with
the full citations and grounding report (standard clients ignore unknown fields).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.domain.motions import DebateFormat, Side
from bot.domain.replies import Citation, ClashItem, Grounding, Reply, Sentence
from bot.services.chat_completions import (
    Completion,
    CompletionDone,
    Message,
    ModelId,
    StreamEvent,
    verified_sentences,
)


class ChatMessageIn(BaseModel):
    """One message of the conversation."""

    model_config = ConfigDict(extra="allow")

    role: str = Field(description="user (your speeches), assistant (the bot's), or system.")
    content: str = Field(
        "", description="The text, or a list of text parts ({type: text, text}); null is empty."
    )

    @field_validator("content", mode="before")
    @classmethod
    def _flatten(cls, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, list):
            texts = []
            for part in value:
                if not isinstance(part, dict) or part.get("type") != "text":
                    kind = part.get("type") if isinstance(part, dict) else type(part).__name__
                    raise ValueError(f"only text content parts are supported, not {kind!r}")
                texts.append(str(part.get("text", "")))
            return "\n".join(texts)
        return value

    def message(self) -> Message:
        """As the service takes it."""
        return Message(self.role, self.content)


class ChatCompletionRequest(BaseModel):
    """The standard request; fields this bot has no use for (temperature, ...) are ignored."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(description="debate:<motion_id>:<bot_side> or ask:<motion_id>.")
    messages: list[ChatMessageIn] = Field(description="The conversation, oldest first.")
    stream: bool = Field(False, description="Send chat.completion.chunk events, one per sentence.")
    n: int = Field(1, ge=1, le=1, description="Only one choice is produced.")
    format: str | DebateFormat | None = Field(
        None, description="debatebot extra: the debate format name (standard, short) or rounds."
    )


class ChatMessageOut(BaseModel):
    """The bot's message."""

    role: Literal["assistant"] = Field("assistant", description="Always assistant.")
    content: str = Field(description="The reply with [n] markers, then a Sources list.")


class Choice(BaseModel):
    """The one choice."""

    index: int = Field(0, description="Always 0.")
    message: ChatMessageOut = Field(description="The bot's reply.")
    logprobs: None = Field(None, description="Not produced.")
    finish_reason: Literal["stop"] = Field("stop", description="The reply is complete.")


class Usage(BaseModel):
    """Sizes in whitespace-separated words (the extractive engine has no tokenizer)."""

    prompt_tokens: int = Field(description="Words in the messages.")
    completion_tokens: int = Field(description="Words in the reply.")
    total_tokens: int = Field(description="Their sum.")


class DebatebotReport(BaseModel):
    """The grounding behind a reply: what standard clients do not show."""

    kind: Literal["debate", "ask"] = Field(description="Which use case answered.")
    motion_id: str = Field(description="The motion.")
    bot_side: Side | None = Field(None, description="The side the bot argues (debate only).")
    turn: int | None = Field(None, description="0-based index of this exchange (debate only).")
    round: str | None = Field(None, description="opening, rebuttal or closing (debate only).")
    sentences: list[Sentence] = Field(description="The reply's sentences, each verified.")
    citations: list[Citation] = Field(description="Every marker with its exact quote.")
    clash: list[ClashItem] = Field(description="The user's points and what the bot did.")
    grounding: Grounding = Field(description="Grounding totals.")

    @classmethod
    def of(cls, completion: Completion) -> DebatebotReport:
        """From the service's completion."""
        model, reply = completion.model, completion.reply
        return cls(
            kind=model.kind,
            motion_id=model.motion_id,
            bot_side=model.bot_side,
            turn=completion.turn,
            round=completion.round,
            sentences=list(verified_sentences(reply)),
            citations=reply.citations,
            clash=reply.clash,
            grounding=reply.grounding,
        )


class ChatCompletion(BaseModel):
    """A standard chat completion plus the ``debatebot`` report."""

    id: str = Field(description="chatcmpl-...")
    object: Literal["chat.completion"] = Field("chat.completion", description="The kind.")
    created: int = Field(description="Unix time.")
    model: str = Field(description="The model asked for.")
    choices: list[Choice] = Field(description="One choice.")
    usage: Usage = Field(description="Sizes in words.")
    debatebot: DebatebotReport = Field(description="Citations and grounding (extra field).")


class ModelCard(BaseModel):
    """One model."""

    id: str = Field(description="debate:<motion_id>:<bot_side> or ask:<motion_id>.")
    object: Literal["model"] = Field("model", description="The kind.")
    created: int = Field(0, description="Unix time (0: built in).")
    owned_by: str = Field("debatebot", description="Who serves it.")


class ModelList(BaseModel):
    """Every model."""

    object: Literal["list"] = Field("list", description="The kind.")
    data: list[ModelCard] = Field(description="The models.")

    @classmethod
    def of(cls, models: list[ModelId]) -> ModelList:
        """From the service's model ids."""
        return cls(data=[ModelCard(id=str(m)) for m in models])


class OpenAIErrorBody(BaseModel):
    """What went wrong."""

    message: str = Field(description="Readable explanation.")
    type: str = Field(description="invalid_request_error, authentication_error, ...")
    param: str | None = Field(None, description="The request field at fault.")
    code: str | None = Field(None, description="A machine-readable code.")


class OpenAIErrorResponse(BaseModel):
    """OpenAI's error envelope."""

    error: OpenAIErrorBody = Field(description="The error.")


def sources_block(citations: list[Citation]) -> str:
    """The "Sources" list appended to the content: marker, title, URL and the exact quote."""
    if not citations:
        return ""
    lines = ["", "", "Sources:"]
    for c in citations:
        where = f"{c.title} ({c.url})" if c.url else c.title
        lines.append(f'[{c.marker}] {where}: "{c.quote}"')
    return "\n".join(lines)


def content_pieces(reply: Reply) -> list[str]:
    """The content in the order it streams: each sentence, then the Sources list."""
    sentences = [s.text for s in verified_sentences(reply)]
    pieces = [text if i == 0 else f" {text}" for i, text in enumerate(sentences)]
    if not pieces:
        pieces = [reply.text]
    sources = sources_block(reply.citations)
    return [*pieces, sources] if sources else pieces


def _words(text: str) -> int:
    return len(text.split())


def completion_body(
    completion: Completion, request: ChatCompletionRequest, completion_id: str
) -> ChatCompletion:
    """The whole completion."""
    content = "".join(content_pieces(completion.reply))
    prompt = sum(_words(m.content) for m in request.messages)
    reply = _words(content)
    return ChatCompletion(
        id=completion_id,
        created=int(time.time()),
        model=request.model,
        choices=[Choice(message=ChatMessageOut(content=content))],
        usage=Usage(prompt_tokens=prompt, completion_tokens=reply, total_tokens=prompt + reply),
        debatebot=DebatebotReport.of(completion),
    )


def chunk(
    completion_id: str,
    model: str,
    delta: dict[str, str],
    finish_reason: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One ``chat.completion.chunk``."""
    body: dict[str, Any] = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }
    if extra is not None:
        body["debatebot"] = extra
    return body


def _sse(body: dict[str, Any]) -> str:
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


def stream_body(events: Iterable[StreamEvent], model: str, completion_id: str) -> Iterator[str]:
    """Server-sent chunks: the role, one chunk per verified sentence, the Sources list, a
    final chunk with ``finish_reason`` and the report, then ``[DONE]``.

    The text of the chunks joined is the content of the non-streamed completion.
    """
    yield _sse(chunk(completion_id, model, {"role": "assistant", "content": ""}))
    sent = False
    for event in events:
        if isinstance(event, CompletionDone):
            reply = event.completion.reply
            pieces = content_pieces(reply)
            if not sent and pieces:  # a reply without sentences (plain text) goes whole
                yield _sse(chunk(completion_id, model, {"content": pieces[0]}))
            sources = sources_block(reply.citations)
            if sources:
                yield _sse(chunk(completion_id, model, {"content": sources}))
            report = DebatebotReport.of(event.completion).model_dump(mode="json")
            yield _sse(chunk(completion_id, model, {}, "stop", report))
            break
        text = event.sentence.text if not sent else f" {event.sentence.text}"
        extra = {
            "sentence": event.sentence.model_dump(mode="json"),
            "citations": [c.model_dump(mode="json") for c in event.citations],
        }
        yield _sse(chunk(completion_id, model, {"content": text}, extra=extra))
        sent = True
    yield "data: [DONE]\n\n"


def error_chunk(message: str, kind: str = "server_error") -> str:
    """An error inside a stream that has already started, as OpenAI sends it."""
    error = OpenAIErrorBody(message=message, type=kind).model_dump()
    return _sse({"error": error})
