"""Builds the chat service from settings and a retriever (the only place wiring bot parts)."""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.embeddings import Embeddings

from bot.argument_map import ArgumentMapper
from bot.caches import CachedDocuments, CachedEmbeddings
from bot.engine.base import DebateEngine
from bot.engine.extractive import ExtractiveEngine
from bot.engine.templates import TemplateSet
from bot.evidence import SentenceIndex
from bot.grounding import GroundingVerifier
from bot.motions import MotionRegistry
from bot.services import ChatService
from bot.sessions import SQLiteSessionRepository
from retrieval.settings import Settings

log = logging.getLogger(__name__)


def build_engine(
    settings: Settings, retriever: Any, mapper: ArgumentMapper, index: SentenceIndex
) -> DebateEngine:
    """The engine the settings name; only the extractive one exists so far."""
    if settings.llm.engine != "extractive":
        raise ValueError(
            f"engine {settings.llm.engine!r} is not available yet; use llm.engine=extractive"
        )
    templates = TemplateSet.load(settings.prompts_dir / "extractive")
    return ExtractiveEngine(mapper, retriever, index, templates)


def build_chat_service(settings: Settings, retriever: Any, embeddings: Embeddings) -> ChatService:
    """Motions, argument maps (labelled now if stale), engine, verifier and sessions."""
    motions = MotionRegistry(
        settings.seeds_dir, settings.motions_dir or settings.data_dir / "motions"
    ).load()
    embeddings = CachedEmbeddings(embeddings)
    index = SentenceIndex(embeddings)
    mapper = ArgumentMapper(retriever, index)
    for motion in motions.list():
        if motion.has_map:
            mapper.get(motion)
    sessions = SQLiteSessionRepository(settings.sessions_db or settings.data_dir / "sessions.db")
    return ChatService(
        motions=motions,
        engine=build_engine(settings, retriever, mapper, index),
        verifier=GroundingVerifier(embeddings, CachedDocuments(retriever)),
        sessions=sessions,
        passages=retriever,
        mapper=mapper,
        max_message_chars=settings.api.max_message_chars,
    )
