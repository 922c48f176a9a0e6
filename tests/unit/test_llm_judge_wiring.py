"""The verifier's LLM-judge layer, switched on by ``verify.llm_judge``, asks the chat model that
``llm.model`` / ``llm.base_url`` configure: one factory for the engine and the judge.

The app wiring is real (``build_chat_services`` over the mini motion, in-memory Chroma, fake
embeddings; building an OpenAI client makes no request). The judging itself runs on a scripted
fake chat model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langchain_core.embeddings import Embeddings
from langchain_openai import ChatOpenAI

from bot.engines.llm.chat_model import configured_chat_model, judge_chat_model
from bot.engines.llm.engine import LLMEngine
from bot.factory import build_chat_services
from bot.settings import ChatSettings
from bot.verify.grounding import GroundingVerifier, default_chain
from bot.verify.layers import LLMJudge, VerifyLayerSettings
from tests.support.fake_chat import ScriptedChatModel
from tests.support.fixtures_motion import MiniWorld, mini
from tests.support.fixtures_retrieval import REPO
from tests.unit.test_llm_engine import COST

__all__ = ["mini"]
LLM = {"model": "openai:judge-model", "base_url": "http://127.0.0.1:9/v1", "max_tokens": 300}
# COST without its "that": every word is in the quote, so no rule objects and the judge decides.
PARAPHRASE = "City engineers estimate the new bridge would cost 900 million dollars."


def settings(world_root: Path, llm_judge: bool, **llm: Any) -> ChatSettings:
    return ChatSettings(
        data_dir=world_root / "data",
        seeds_dir=world_root / "seeds",
        prompts_dir=REPO / "prompts",
        llm=llm or LLM,  # type: ignore[arg-type]
        verify={"llm_judge": llm_judge},  # type: ignore[arg-type]
    )


def config(model: Any) -> tuple[Any, ...]:
    assert isinstance(model, ChatOpenAI)
    return (model.model_name, model.openai_api_base, model.max_tokens, model.temperature)


def test_the_judge_is_off_by_default(
    mini: MiniWorld, tmp_path: Path, embeddings: Embeddings
) -> None:
    assert VerifyLayerSettings().llm_judge is False
    services = build_chat_services(settings(tmp_path, False), mini.retrieval, embeddings)
    verifier = services.debates.verifier
    assert isinstance(verifier, GroundingVerifier)
    assert verifier.chain.judges == []


def test_switched_on_the_judge_asks_the_model_llm_model_configures(
    mini: MiniWorld, tmp_path: Path, embeddings: Embeddings
) -> None:
    services = build_chat_services(settings(tmp_path, True), mini.retrieval, embeddings)
    verifier = services.debates.verifier
    assert isinstance(verifier, GroundingVerifier)
    (judge,) = verifier.chain.judges
    assert isinstance(judge, LLMJudge)
    engine = services.debates.engine
    assert isinstance(engine, LLMEngine)
    assert config(judge.model) == config(engine.model)
    assert config(judge.model) == ("judge-model", "http://127.0.0.1:9/v1", 300, 0.0)


def test_a_judge_without_a_chat_model_fails_at_start_saying_what_to_set() -> None:
    assert judge_chat_model(False, "extractive", {}) is None
    with pytest.raises(ValueError, match="set llm.model to a chat model"):
        judge_chat_model(True, "extractive", {})
    built = judge_chat_model(True, LLM["model"], LLM)
    assert config(built) == config(configured_chat_model(LLM["model"], LLM))


def _verifier(
    world: MiniWorld, embeddings: Embeddings, model: ScriptedChatModel
) -> GroundingVerifier:
    chain = default_chain(
        embeddings, settings=VerifyLayerSettings(llm_judge=True), chat_model=model
    )
    return GroundingVerifier(embeddings, world.retrieval, chain=chain)


@pytest.mark.parametrize(
    ("verdict", "supported"),
    [
        ('{"verdict": "supported", "reason": "a paraphrase"}', True),
        ('{"verdict": "not_supported", "reason": "the figure is an estimate"}', False),
    ],
    ids=["the judge says yes", "the judge says no"],
)
def test_the_judge_decides_and_is_asked_once_per_claim(
    mini: MiniWorld, embeddings: Embeddings, verdict: str, supported: bool
) -> None:
    model = ScriptedChatModel(script=[verdict])
    verifier = _verifier(mini, embeddings, model)
    quote = COST
    result = verifier.check_claim(PARAPHRASE, quote)
    assert result.supported is supported
    assert len(model.history) == 1
    sent = str(model.history[0][-1].content)
    assert PARAPHRASE in sent
    assert quote in sent
    if not supported:
        assert any("estimate" in r for r in result.reasons)
    # The engine's check, the service's check and every streamed prefix judge the same claim
    # against the same quote: the model is asked once.
    assert verifier.check_claim(f"{PARAPHRASE} [1]", quote).supported is supported
    assert len(model.history) == 1
