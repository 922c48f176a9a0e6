"""Sparring guarantees on labelled debates from the blind dev set, over the real chat API.

Whatever the wording, every reply must: name each of the user's moves it answers with a span
of the user's own speech; handle every question (answered, conceded or declared
unanswerable); cite no evidence the map files under the user's side outside a concession;
never repeat a sentence; cite the seed essay at most once per speech; keep to the word limit.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from bench.bench_debate import DEBATES, Tally, _seed_doc, _user_side_spans, run_debate, score
from bot.engines.extractive.composer import sentence_key
from bot.engines.extractive.debate import ENGAGE_MIN
from bot.engines.templates import TemplateSet
from tests.support.fixtures_chat import chat_client
from tests.support.fixtures_retrieval import REPO

pytestmark = pytest.mark.integration
__all__ = ["chat_client"]  # the fixture, re-exported for pytest


def dev_debates() -> list[dict[str, Any]]:
    debates = [d for d in yaml.safe_load(DEBATES.read_text()) if d["split"] == "dev"]
    return [next(d for d in debates if d["user_side"] == side) for side in ("pro", "con")]


@pytest.mark.parametrize("debate", dev_debates(), ids=lambda d: f"user argues {d['user_side']}")
def test_a_labelled_debate_keeps_every_sparring_guarantee(
    chat_client: TestClient, debate: dict[str, Any]
) -> None:
    replies = run_debate(chat_client, debate)
    tally = Tally()
    spans = _user_side_spans(chat_client, debate["user_side"])
    seed = _seed_doc(chat_client)
    score(debate, replies, tally, spans, seed)
    assert tally.own_goals == 0
    assert tally.repeats == 0
    assert tally.questions_handled == tally.questions
    assert tally.over_limit == 0
    assert tally.moves_found / tally.moves >= 0.8
    said: Counter[str] = Counter()
    for turn, reply in zip(debate["turns"], replies, strict=True):
        assert reply["grounding"]["rate"] == 1.0
        for item in reply["clash"]:
            assert item["point"] in turn["speech"]
        seed_cites = [c for c in reply["citations"] if c["doc_id"] in seed]
        assert len(seed_cites) <= 1
        said.update(sentence_key(s["text"]) for s in reply["sentences"])
    assert max(said.values()) == 1


def test_evidence_said_to_bear_on_a_question_meets_the_questions_words(
    chat_client: TestClient,
) -> None:
    """ "The sources do not answer that directly, but this bears on it" must introduce a
    quote that relates to the question asked, not only to its topic."""
    bears = TemplateSet.load(REPO / "prompts" / "extractive").get("question_bears").variants
    embed = chat_client.app.state.services.debates.engine.index.embed  # type: ignore[attr-defined]
    for debate in dev_debates():
        for reply in run_debate(chat_client, debate):
            questions = [i["point"] for i in reply["clash"] if i["kind"] == "question"]
            sentences = reply["sentences"]
            for n, sentence in enumerate(sentences[:-1]):
                if sentence["text"] not in bears or sentences[n + 1]["kind"] != "claim":
                    continue
                quote = sentences[n + 1]["text"]
                vectors = embed([quote, *questions])
                closest = max(float(vectors[0] @ v) for v in vectors[1:])
                assert closest >= ENGAGE_MIN, (quote, questions)


def test_the_shipped_cards_all_resolve(chat_client: TestClient) -> None:
    case = chat_client.get("/motions/us-hamas/case", params={"side": "con"})
    assert case.status_code == 200
    body = case.json()
    empty = [point["key_point_id"] for point in body["points"] if not point["citations"]]
    assert not empty, "every key point has a card"
    texts = [s["text"] for s in body["reply"]["sentences"] if s["kind"] == "claim"]
    assert len(texts) == len(set(texts)), "no sentence twice in a case"


def test_a_posted_motion_whose_card_is_not_in_the_sources_is_refused(
    chat_client: TestClient,
) -> None:
    point = {"side": "pro", "text": "Bridges cut commutes.", "rebuts": []}
    card = {"doc": "nowhere.md", "quote": "This sentence is in no source at all."}
    motion = {
        "id": "carded",
        "title": "A motion with a bad card",
        "question": "Should the city build a bridge?",
        "sides": {"pro": "Yes.", "con": "No."},
        "key_points": [
            {**point, "id": "pro-a", "cards": [card]},
            {**point, "id": "con-a", "side": "con", "text": "Bridges cost a lot."},
        ],
    }
    refused = chat_client.post("/motions", json=motion)
    assert refused.status_code == 422
    assert "card 1 of pro-a" in refused.text
    assert chat_client.get("/motions/carded").status_code == 404
