"""One model answer, read token by token: the text as it streams in, then the draft it makes.

The draft is asked for by the configured structured-output method:

- ``native`` / ``json_schema``: the provider's ``with_structured_output`` (tool calling or its
  own JSON-schema mode). The chat model it binds is streamed, the tool-call arguments or the
  JSON text are handed out as they arrive, and the provider's own parser reads the whole
  message at the end. A runnable of another shape is invoked whole.
- ``llama_cpp``: the schema as llama.cpp's ``response_format`` (enforced with a grammar).
- ``json_mode``: the schema is in the prompt; the text is parsed.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, BaseMessageChunk
from langchain_core.runnables import Runnable, RunnableParallel, RunnableSequence

from bot.engines.llm.draft import DraftError, DraftReply, draft_schema, parse_draft, validate_draft

StructuredOutput = Literal["native", "json_schema", "llama_cpp", "json_mode"]


class NoStructuredOutputError(Exception):
    """The model has no ``with_structured_output``: use JSON mode."""


class ModelAnswer:
    """The answer's text pieces as they stream in (:meth:`pieces`), then its :meth:`draft`."""

    def __init__(
        self,
        model: BaseChatModel,
        method: StructuredOutput,
        messages: list[BaseMessage],
        passage_count: int,
    ) -> None:
        self.model = model
        self.method = method
        self.messages = messages
        self.passage_count = passage_count
        self.text = ""
        self._parsed: Any = None
        self._native = method in {"native", "json_schema"}
        self._runnable: Runnable[Any, Any] | None = None
        if self._native:
            extra = {"method": "json_schema"} if method == "json_schema" else {}
            try:
                self._runnable = model.with_structured_output(DraftReply, include_raw=True, **extra)
            except (NotImplementedError, ValueError) as exc:
                raise NoStructuredOutputError(str(exc)) from exc

    def pieces(self) -> Generator[str, None, None]:
        """The answer's text (JSON, or tool-call arguments) piece by piece."""
        if self._runnable is not None:
            yield from self._native_pieces(self._runnable)
            return
        if self.method == "llama_cpp":
            schema = {"type": "json_object", "schema": draft_schema(self.passage_count)}
            chat: Runnable[Any, Any] = self.model.bind(response_format=schema)
        else:
            chat = self.model
        for chunk in chat.stream(self.messages):
            yield self._add(chunk_text(chunk))

    def _native_pieces(self, runnable: Runnable[Any, Any]) -> Generator[str, None, None]:
        bound = _raw_model(runnable)
        if bound is None or not isinstance(runnable, RunnableSequence):
            out: Any = runnable.invoke(self.messages)
            raw = out.get("raw")
            yield self._add(chunk_text(raw) if isinstance(raw, BaseMessage) else "")
            self._parsed = out.get("parsed")
            return
        message: BaseMessageChunk | None = None
        for chunk in bound.stream(self.messages):
            if isinstance(chunk, BaseMessageChunk):
                message = chunk if message is None else message + chunk
                yield self._add(chunk_text(chunk))
        if message is not None:
            out = runnable.last.invoke({"raw": message})
            self._parsed = out.get("parsed") if isinstance(out, dict) else None

    def _add(self, piece: str) -> str:
        self.text += piece
        return piece

    def draft(self) -> DraftReply:
        """The whole answer as a draft; :class:`DraftError` when it is not one."""
        if self._parsed is not None:
            return validate_draft(self._parsed)
        if self._native and not self.text:
            raise DraftError("the structured output did not parse")
        return parse_draft(self.text)


def chunk_text(message: BaseMessage) -> str:
    """A message's text: its content and the arguments of any tool calls in it."""
    content = message.content
    if isinstance(content, str):
        text = content
    else:
        text = "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in content)
    if isinstance(message, AIMessage):
        chunks = getattr(message, "tool_call_chunks", None) or []
        text += "".join(str(c.get("args") or "") for c in chunks)
    return text


def _raw_model(runnable: Runnable[Any, Any]) -> Runnable[Any, Any] | None:
    """The chat model ``with_structured_output(include_raw=True)`` binds, when it has the
    usual shape (the raw model in parallel with nothing else, then the parser)."""
    if not isinstance(runnable, RunnableSequence):
        return None
    first = runnable.first
    if isinstance(first, RunnableParallel) and set(first.steps__) == {"raw"}:
        return first.steps__["raw"]
    return None
