"""A scripted LangChain chat model for unit tests: it answers from a script and records calls.

Each scripted step is a string or a function of the prompt (so a step can pick passages by
their text, whatever number they got). Built on LangChain's ``FakeListChatModel``; like
simonw/llm's ``MockModel``, every call's messages are kept in ``history``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from pydantic import Field

Step = str | Callable[[str], str] | Exception

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

    def _call(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> str:
        self.history.append(list(messages))
        step = self.script[min(len(self.history), len(self.script)) - 1]
        if isinstance(step, Exception):
            raise step
        prompt = "\n".join(str(m.content) for m in messages)
        return step(prompt) if callable(step) else str(step)
