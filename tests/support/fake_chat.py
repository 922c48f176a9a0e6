"""A scripted LangChain chat model for unit tests: it answers from a script and records calls.

Each scripted step is a string or a function of the prompt (so a step can pick passages by
their text, whatever number they got). Built on LangChain's ``FakeListChatModel``; like
simonw/llm's ``MockModel``, every call's messages are kept in ``history``. Streamed, an answer
arrives in pieces of ``chunk_size`` characters (so JSON objects split mid-string), and a
:class:`BreaksOff` step stops with an error after some characters, as a dropped connection.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk
from pydantic import Field


@dataclass(frozen=True)
class BreaksOff:
    """A step whose answer stops with ``error`` after ``after`` characters (when streamed;
    invoked, it raises at once)."""

    step: str | Callable[[str], str]
    after: int
    error: Exception = ConnectionError("the connection dropped")


Step = str | Callable[[str], str] | Exception | BreaksOff

_PASSAGE = re.compile(r'<passage number="(\d+)" side="(\w+)" title="[^"]*">\n(.*?)\n</passage>')


@dataclass(frozen=True)
class Shown:
    """A passage as the prompt showed it."""

    number: int
    side: str
    text: str


def shown_passages(prompt: str) -> list[Shown]:
    """The numbered passages in a prompt."""
    return [Shown(int(n), side, text) for n, side, text in _PASSAGE.findall(prompt)]


def passage_with(prompt: str, words: str) -> Shown:
    """The shown passage containing ``words``."""
    for shown in shown_passages(prompt):
        if words in shown.text:
            return shown
    raise AssertionError(f"no passage with {words!r} in the prompt")


def draft(*sentences: dict[str, Any]) -> str:
    """A draft as JSON text."""
    return json.dumps({"sentences": list(sentences)})


class ScriptedChatModel(FakeListChatModel):
    """Answers with the next step of ``script`` (the last one repeats); records every call."""

    script: list[Any] = Field(default_factory=list)
    history: list[list[BaseMessage]] = Field(default_factory=list)
    responses: list[str] = Field(default_factory=lambda: [""])
    chunk_size: int = 7
    delay: float = 0.0  # seconds before each streamed piece (a model's pace, for benchmarks)
    streamed: int = 0  # calls answered by streaming
    streamed_chars: int = 0  # characters handed out by streaming, over all calls

    def _next(self, messages: list[BaseMessage]) -> tuple[str, BreaksOff | None]:
        self.history.append(list(messages))
        step = self.script[min(len(self.history), len(self.script)) - 1]
        if isinstance(step, Exception):
            raise step
        broken = step if isinstance(step, BreaksOff) else None
        step = broken.step if broken else step
        prompt = "\n".join(str(m.content) for m in messages)
        return (step(prompt) if callable(step) else str(step)), broken

    def _call(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> str:
        text, broken = self._next(messages)
        if broken:
            raise broken.error
        return text

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        text, broken = self._next(messages)
        self.streamed += 1
        end = broken.after if broken else len(text)
        for at in range(0, end, self.chunk_size):
            piece = text[at : min(at + self.chunk_size, end)]
            if self.delay:
                time.sleep(self.delay)
            self.streamed_chars += len(piece)
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
        if broken:
            raise broken.error
