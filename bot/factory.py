"""Builds the chat use cases from settings and a retriever (the only place wiring bot parts)."""

from __future__ import annotations

from typing import Any

from langchain_core.embeddings import Embeddings

from bot.caches import CachedDocuments, CachedEmbeddings
from bot.domain.argument_map import ArgumentMapper
from bot.domain.evidence import SentenceIndex
from bot.domain.motions import MotionRegistry
from bot.domain.sessions import SQLiteSessionRepository
from bot.engines.llm.chat_model import judge_chat_model
from bot.engines.registry import EngineParts, build_engine
from bot.services import ChatServices
from bot.services.cases import CaseService
from bot.services.checks import CheckService
from bot.services.debates import DebateService
from bot.services.motions import MotionService
from bot.services.questions import QuestionService
from bot.settings import ChatSettings
from bot.verify.calibration import calibration_for
from bot.verify.grounding import GroundingVerifier, default_chain


def build_chat_services(
    settings: ChatSettings, retriever: Any, embeddings: Embeddings
) -> ChatServices:
    """Motions, argument maps (labelled now if stale), engine, verifier and sessions."""
    calibration = calibration_for(settings.embedding.grounding_model)
    motions = MotionRegistry(
        settings.seeds_dir, settings.motions_dir or settings.data_dir / "motions"
    ).load()
    embeddings = CachedEmbeddings(embeddings)
    index = SentenceIndex(embeddings, calibration)
    mapper = ArgumentMapper(retriever, index)
    for motion in motions.list():
        if motion.has_map:
            mapper.get(motion)
    documents = CachedDocuments(retriever)
    llm = settings.llm
    judge = judge_chat_model(
        settings.verify.llm_judge, llm.model, llm.model_dump(exclude={"model"})
    )  # the LLM-judge layer asks the chat model llm.model names (None while it is off)
    chain = default_chain(embeddings, calibration, settings.verify, judge)
    verifier = GroundingVerifier(embeddings, documents, calibration, chain)
    verifier.warm()
    if llm.model != "extractive":
        # A chat model paraphrases: load spaCy and WordNet now, not on its first claim.
        verifier.warm_chain()
    engine = build_engine(
        EngineParts(
            model=llm.model,
            retriever=retriever,
            mapper=mapper,
            index=index,
            prompts_dir=settings.prompts_dir,
            options=llm.model_dump(exclude={"model"}),
            verifier=verifier,
        )
    )
    sessions = SQLiteSessionRepository(settings.sessions_db or settings.data_dir / "sessions.db")
    limit = settings.api.max_message_chars
    return ChatServices(
        motions=MotionService(motions, check_map=mapper.get),
        debates=DebateService(motions, engine, verifier, sessions, limit, stances=mapper.get),
        cases=CaseService(motions, engine, verifier, mapper),
        questions=QuestionService(motions, engine, verifier, limit),
        checks=CheckService(verifier, documents, retriever, limit),
        sessions=sessions,
    )
