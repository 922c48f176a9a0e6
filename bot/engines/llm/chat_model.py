"""Builds the LangChain chat model ``llm.model`` names, with LangChain's ``init_chat_model``.

``llm.model`` is ``provider:model`` (``openai:gpt-4o-mini``, ``anthropic:...``, ``ollama:...``,
or any provider ``init_chat_model`` knows). ``llm.base_url`` points the OpenAI client at any
OpenAI-compatible server. Imports are lazy; a missing provider package raises an error that
names the extra to install. API keys are read from the environment by the provider package
itself; they are never logged, echoed or put in an error message.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib.util import find_spec
from typing import Any

from langchain_core.language_models import BaseChatModel

# The providers ``init_chat_model`` knows, with the module each one needs and the project extra
# (or the package) that installs it.
PROVIDERS: dict[str, tuple[str, str]] = {
    "openai": ("langchain_openai", "openai"),
    "azure_openai": ("langchain_openai", "openai"),
    "anthropic": ("langchain_anthropic", "anthropic"),
    "ollama": ("langchain_ollama", "ollama"),
    "google_vertexai": ("langchain_google_vertexai", "langchain-google-vertexai"),
    "google_genai": ("langchain_google_genai", "langchain-google-genai"),
    "bedrock": ("langchain_aws", "langchain-aws"),
    "bedrock_converse": ("langchain_aws", "langchain-aws"),
    "cohere": ("langchain_cohere", "langchain-cohere"),
    "fireworks": ("langchain_fireworks", "langchain-fireworks"),
    "together": ("langchain_together", "langchain-together"),
    "mistralai": ("langchain_mistralai", "langchain-mistralai"),
    "huggingface": ("langchain_huggingface", "langchain-huggingface"),
    "groq": ("langchain_groq", "langchain-groq"),
    "deepseek": ("langchain_deepseek", "langchain-deepseek"),
    "xai": ("langchain_xai", "langchain-xai"),
    "perplexity": ("langchain_perplexity", "langchain-perplexity"),
    "nvidia": ("langchain_nvidia_ai_endpoints", "langchain-nvidia-ai-endpoints"),
    "ibm": ("langchain_ibm", "langchain-ibm"),
}
EXTRAS = frozenset({"openai", "anthropic", "ollama"})
# A local OpenAI-compatible server takes any key; the client refuses to start without one.
LOCAL_KEY = "not-needed"


class ChatModelUnavailableError(RuntimeError):
    """The provider's package (or LangChain's ``init_chat_model``) is not installed."""


def install_hint(provider: str) -> str:
    """What to install for ``provider``: the project extra, or the provider's package."""
    _, extra = PROVIDERS.get(provider, ("", f"langchain-{provider}"))
    if extra in EXTRAS:
        return f"pip install 'debatebot[{extra}]'"
    return f"pip install 'debatebot[openai]' {extra}"


def split_model(model: str) -> tuple[str, str]:
    """``provider:name`` -> (provider, name); a clear error when either part is empty."""
    provider, _, name = model.partition(":")
    if not provider or not name:
        raise ValueError(f"llm.model {model!r} must be provider:model, e.g. openai:gpt-4o-mini")
    return provider, name


def build_chat_model(
    model: str,
    *,
    base_url: str | None = None,
    temperature: float = 0.0,
    max_tokens: int | None = None,
    timeout: float | None = None,
) -> BaseChatModel:
    """The chat model for ``provider:name``, built with ``init_chat_model`` (imported lazily)."""
    provider, name = split_model(model)
    if base_url is not None and provider not in {"openai", "ollama"}:
        raise ValueError(
            f"llm.base_url works with openai:<model> (any OpenAI-compatible server) "
            f"or ollama:<model>, not {provider!r}"
        )
    module, _ = PROVIDERS.get(provider, (f"langchain_{provider}", ""))
    if find_spec("langchain") is None or find_spec(module) is None:
        raise ChatModelUnavailableError(
            f"llm.model {model!r} needs the {provider!r} provider package; "
            f"install it with: {install_hint(provider)}"
        )
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {"temperature": temperature}
    if max_tokens is not None:
        kwargs["max_tokens"] = max_tokens
    if timeout is not None and provider != "ollama":
        kwargs["timeout"] = timeout
    if base_url is not None:
        kwargs["base_url"] = base_url
        if provider == "openai":
            kwargs["max_retries"] = 0
            if not os.environ.get("OPENAI_API_KEY"):
                kwargs["api_key"] = LOCAL_KEY
    chat = init_chat_model(name, model_provider=provider, **kwargs)
    if not isinstance(chat, BaseChatModel):  # init_chat_model may return a configurable wrapper
        raise TypeError(f"llm.model {model!r} did not build a chat model")
    return chat


def configured_chat_model(model: str, options: Mapping[str, Any]) -> BaseChatModel:
    """The chat model the ``llm`` settings name: ``model`` is ``llm.model``, ``options`` the
    rest of the section (``base_url``, ``temperature``, ``max_tokens``, ``timeout``).

    The one place the settings become a model: the LLM engine writes with it and, with
    ``verify.llm_judge`` on, the verifier's judge asks it.
    """
    return build_chat_model(
        model,
        base_url=options.get("base_url"),
        temperature=float(options.get("temperature", 0.0)),
        max_tokens=options.get("max_tokens"),
        timeout=options.get("timeout"),
    )


def judge_chat_model(
    llm_judge: bool, model: str, options: Mapping[str, Any]
) -> BaseChatModel | None:
    """The chat model for the verifier's LLM-judge layer: None while ``verify.llm_judge`` is
    off; the configured model when it is on; a clear error when no model is configured."""
    if not llm_judge:
        return None
    if ":" not in model:
        raise ValueError(
            f"verify.llm_judge is on but llm.model is {model!r}; set llm.model to a chat "
            "model (provider:model, e.g. openai:gpt-4o-mini) for the judge to ask"
        )
    return configured_chat_model(model, options)
