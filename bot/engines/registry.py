"""The one registry of reply engines, keyed by the name ``llm.model`` starts with.

``llm.model`` is an engine name (``extractive``) or ``provider:model``; the part before the
colon picks the factory. An engine registers itself with :func:`register_engine`; factories
import their engine lazily, so this module is cheap to import (settings validate against it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.domain.argument_map import ArgumentMapper
from bot.domain.evidence import SentenceIndex
from bot.engines.base import DebateEngine
from bot.verify.base import ReplyVerifier


@dataclass(frozen=True)
class EngineParts:
    """What any engine may be built from."""

    model: str  # the full llm.model value
    retriever: Any  # searches passages (in-process service or HTTP client)
    mapper: ArgumentMapper
    index: SentenceIndex
    prompts_dir: Path
    options: dict[str, Any]  # the rest of the llm settings (base_url, temperature, ...)
    verifier: ReplyVerifier | None = None  # what a generating engine checks its drafts with


EngineFactory = Callable[[EngineParts], DebateEngine]
_ENGINES: dict[str, EngineFactory] = {}


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make ``llm.model=<name>`` (or ``<name>:<model>``) build an engine with ``factory``."""
    _ENGINES[name] = factory


def engine_name(model: str) -> str:
    """The registry key of an ``llm.model`` value: the part before any colon."""
    return model.partition(":")[0]


def known_engines() -> list[str]:
    """The registered engine names, sorted."""
    return sorted(_ENGINES)


def build_engine(parts: EngineParts) -> DebateEngine:
    """The engine ``parts.model`` names; a clear error for an unknown one."""
    name = engine_name(parts.model)
    if name not in _ENGINES:
        raise ValueError(f"unknown llm.model {parts.model!r}; known engines: {known_engines()}")
    return _ENGINES[name](parts)


def _extractive(parts: EngineParts) -> DebateEngine:
    from bot.engines.extractive.engine import ExtractiveEngine
    from bot.engines.templates import TemplateSet

    templates = TemplateSet.load(parts.prompts_dir / "extractive")
    return ExtractiveEngine(parts.mapper, parts.retriever, parts.index, templates)


register_engine("extractive", _extractive)


def _llm(parts: EngineParts) -> DebateEngine:
    """Any LangChain chat model (``provider:model``), checked, with the extractive fallback."""
    from bot.engines.llm.chat_model import configured_chat_model, split_model
    from bot.engines.llm.engine import LLMEngine
    from bot.engines.llm.prompts import PromptSet

    options = parts.options
    provider, _ = split_model(parts.model)
    base_url = options.get("base_url")
    method = options.get("structured_output", "auto")
    if method == "auto":
        method = "llama_cpp" if base_url and provider == "openai" else "native"
    if parts.verifier is None:
        raise ValueError("the LLM engine needs the reply verifier in EngineParts")
    chat = configured_chat_model(parts.model, options)
    return LLMEngine(
        chat,
        parts.model,
        mapper=parts.mapper,
        retriever=parts.retriever,
        index=parts.index,
        verifier=parts.verifier,
        prompts=PromptSet.load(parts.prompts_dir / "llm"),
        fallback=_extractive(parts),
        structured_output=method,
    )


def _register_providers() -> None:
    from bot.engines.llm.chat_model import PROVIDERS

    for provider in PROVIDERS:
        register_engine(provider, _llm)


_register_providers()
