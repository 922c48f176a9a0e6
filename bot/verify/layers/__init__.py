"""Entailment in layers: rules that always run, a semantic score, and optional judges.

Importing this package loads no model: spaCy and WordNet load on the first judgement.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from bot.verify.layers.attribution import AttributionJudge
from bot.verify.layers.base import Finding, Judge, Verdict
from bot.verify.layers.causal import CausalJudge
from bot.verify.layers.chain import JudgeChain
from bot.verify.layers.errors import MissingExtraError
from bot.verify.layers.llm import LLMJudge
from bot.verify.layers.modality import ModalityJudge
from bot.verify.layers.names import NamesJudge
from bot.verify.layers.nli import NLIJudge
from bot.verify.layers.numbers import NumbersJudge
from bot.verify.layers.polarity import NegationJudge
from bot.verify.layers.quantifiers import QuantifiersJudge
from bot.verify.layers.roles import RolesJudge
from bot.verify.layers.semantic import SemanticJudge, SemanticThresholds
from bot.verify.layers.settings import VerifyLayerSettings
from bot.verify.layers.temporal import TemporalJudge

__all__ = [
    "Finding", "Judge", "JudgeChain", "MissingExtraError", "Verdict", "VerifyLayerSettings",
    "SemanticJudge", "SemanticThresholds", "LLMJudge", "NLIJudge", "rule_judges", "build_chain",
]  # fmt: skip


def rule_judges() -> list[Judge]:
    """The rules that always run, cheapest first."""
    return [
        NumbersJudge(),
        NamesJudge(),
        QuantifiersJudge(),
        CausalJudge(),
        NegationJudge(),
        ModalityJudge(),
        TemporalJudge(),
        AttributionJudge(),
        RolesJudge(),
    ]


def build_chain(
    settings: VerifyLayerSettings,
    embeddings: Embeddings,
    chat_model: BaseChatModel | None = None,
    thresholds: SemanticThresholds | None = None,
) -> JudgeChain:
    """The chain the settings ask for; the LLM judge needs ``chat_model`` when it is on."""
    judges: list[Judge] = []
    if settings.nli_model_path is not None:
        judges.append(
            NLIJudge(settings.nli_model_path, settings.nli_backend, settings.nli_threshold)
        )
    if settings.llm_judge:
        if chat_model is None:
            raise ValueError("verify.llm_judge is on but no chat model is configured")
        judges.append(LLMJudge(chat_model))
    return JudgeChain(rule_judges(), SemanticJudge(embeddings, thresholds), judges)
