"""The chat app's settings: retrieval's (retrieval/settings.py) plus the bot's sections.

Read from the environment with the prefix ``DEBATEBOT_`` and ``__`` for nested sections.
Nothing is read at import time: call :func:`get_settings`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from bot.verify.layers.settings import VerifyLayerSettings
from retrieval.settings import EmbeddingSettings, ServerSettings, Settings


class GroundingEmbeddingSettings(EmbeddingSettings):
    """Retrieval's models plus the one the bot compares sentences with."""

    grounding_model: str = Field(
        "onnx:all-MiniLM-L6-v2-int8",
        description="The model the grounding verifier, the argument map and the clash finder "
        "compare sentences with; it must have calibrated thresholds (bot/verify/calibration.py).",
    )

    @field_validator("grounding_model")
    @classmethod
    def _calibrated(cls, value: str) -> str:
        from bot.verify.calibration import calibration_for

        calibration_for(value)  # raises, naming the calibrated models
        return value


class LLMSettings(BaseModel):
    """Which engine writes the bot's replies."""

    model: str = Field(
        "extractive",
        description='The reply engine: "extractive" (offline, deterministic; the default) or '
        '"provider:model" of a registered engine. Unknown values fail with the known ones.',
    )
    base_url: str | None = Field(None, description="OpenAI-compatible server base URL.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")

    @field_validator("model")
    @classmethod
    def _registered(cls, value: str) -> str:
        from bot.engines.registry import engine_name, known_engines

        if engine_name(value) not in known_engines():
            raise ValueError(f"unknown llm.model {value!r}; known engines: {known_engines()}")
        return value


class APISettings(ServerSettings):
    """The chat API's server settings."""

    max_message_chars: int = Field(4000, ge=1, description="Longest user message accepted.")


class ChatSettings(Settings):
    """All configuration of the chat app, from the environment (prefix ``DEBATEBOT_``)."""

    prompts_dir: Path = Field(Path("prompts"), description="Prompt templates.")
    sessions_db: Path | None = Field(
        None, description="SQLite file of debate sessions; unset means <data_dir>/sessions.db."
    )
    motions_dir: Path | None = Field(
        None, description="Where motions added through the API are kept; unset: <data_dir>/motions."
    )
    embedding: GroundingEmbeddingSettings = Field(default_factory=GroundingEmbeddingSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    api: APISettings = Field(default_factory=APISettings)
    verify: VerifyLayerSettings = Field(
        default_factory=VerifyLayerSettings,
        description="The verifier's optional judges (an LLM, a local NLI model); off by default.",
    )


@lru_cache(maxsize=1)
def get_settings() -> ChatSettings:
    """The settings read from the environment, built once on first call."""
    return ChatSettings()
