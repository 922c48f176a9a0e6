"""Answer selection with fake embeddings: answer kinds, duplicates, yes/no framing, parts."""

from __future__ import annotations

from typing import Any

import numpy as np

from bot.domain.evidence import EvidenceSentence, SentenceIndex, stems_of
from bot.engines.extractive.answers import (
    AnswerPlan,
    AnswerSelector,
    is_duplicate,
    polarity,
)
from bot.engines.extractive.qa import QuestionAnswerer
from bot.engines.extractive.question_types import QuestionFrame, analyze
from bot.engines.templates import TemplateSet
from retrieval.records import SearchHit
from tests.support.fake_embeddings import HashEmbeddings
from tests.support.fixtures_retrieval import REPO

TEMPLATES = TemplateSet.load(REPO / "prompts" / "extractive")


def sentence(
    text: str, doc: str = "d1", url: str | None = "https://example.org"
) -> EvidenceSentence:
    return EvidenceSentence(
        key=f"{doc}:0:{len(text)}",
        passage_id=f"p-{doc}-{abs(hash(text)) % 10_000}",
        doc_id=doc,
        title=doc,
        url=url,
        start=0,
        end=len(text),
        text=text,
        stems=stems_of(text),
    )


def test_near_copies_across_briefs_are_duplicates() -> None:
    a = sentence("Israel released 1,968 prisoners and detainees on 13 October 2025.", "a")
    b = sentence("On 13 October 2025 Israel released 1,968 prisoners and detainees.", "b")
    other = sentence("Israel released 250 prisoners serving life sentences in 2025.", "c")
    assert is_duplicate(a, b, cosine=0.5)
    assert not is_duplicate(a, other, cosine=0.5)
    assert is_duplicate(a, other, cosine=0.95)  # the embeddings say they are the same


def test_polarity_follows_a_negation_over_what_was_asked() -> None:
    question = "Did Witkoff talk to Hamas himself?"
    assert polarity(question, sentence("Witkoff did not talk to Hamas himself in May.")) == "no"
    assert polarity(question, sentence("Witkoff talked to Hamas himself in Doha in May.")) == "yes"


def test_stance_is_mixed_when_the_evidence_points_both_ways() -> None:
    question = "Was Israel consulted about the talks?"
    both = [
        sentence("The White House said Israel was consulted about the talks."),
        sentence("Israel was not consulted about the talks, officials said."),
    ]
    assert AnswerSelector.stance(question, both) == "mixed"
    assert AnswerSelector.stance(question, both[:1]) == "yes"
    assert AnswerSelector.stance(question, both[1:]) == "no"


class FakeRetriever:
    """Returns the same passages for every query."""

    def __init__(self, texts: list[tuple[str, str]]) -> None:
        self.hits = [
            SearchHit(
                passage_id=f"p{i}",
                doc_id=doc,
                title=doc.replace("-", " "),
                url="https://example.org",
                text=text,
                start=0,
                end=len(text),
                score=1.0 / (i + 1),
                metadata={"title": doc.replace("-", " "), "url": "https://example.org"},
            )
            for i, (doc, text) in enumerate(texts)
        ]

    def search(
        self, query: str, k: int = 5, where: dict[str, Any] | None = None
    ) -> list[SearchHit]:
        return self.hits[:k]


CORPUS = [
    ("carter", "Former President Jimmy Carter met exiled Hamas leader Khaled Meshaal in Damascus."),
    (
        "carter-copy",
        "Former President Jimmy Carter met exiled Hamas leader Khaled Meshaal in Damascus.",
    ),
    ("shalit", "Hamas handed over the soldier Gilad Shalit to Egypt at the Rafah crossing."),
    ("weather", "The weather in the region was hot and dry for most of the summer months."),
]


def answerer(corpus: list[tuple[str, str]] = CORPUS) -> QuestionAnswerer:
    return QuestionAnswerer(FakeRetriever(corpus), SentenceIndex(HashEmbeddings()), TEMPLATES)


def claims(reply: Any) -> list[str]:
    return [s.text for s in reply.sentences if s.kind == "claim"]


def test_the_answer_quotes_the_answering_sentence_once() -> None:
    reply = answerer().answer(
        "Where did Jimmy Carter meet the exiled Hamas leader Khaled Meshaal?", None
    )
    quoted = claims(reply)
    assert len(quoted) == 1  # the copy in a second brief is dropped as a duplicate
    assert "Damascus" in quoted[0]
    assert all(c.quote in dict(CORPUS).values() for c in reply.citations)


def test_nothing_answering_means_abstain() -> None:
    reply = answerer().answer("What did AIPAC say about the budget vote in Congress?", None)
    assert claims(reply) == []
    assert "do not answer" in reply.text


def test_a_when_question_needs_a_date() -> None:
    reply = answerer().answer(
        "When did Jimmy Carter meet the exiled Hamas leader Khaled Meshaal?", None
    )
    assert claims(reply) == []


def test_an_unanswered_part_is_named() -> None:
    reply = answerer().answer(
        "Where did Jimmy Carter meet the exiled Hamas leader Khaled Meshaal, and who is AIPAC?",
        None,
    )
    assert any("Damascus" in c for c in claims(reply))
    assert "The sources do not say: who is AIPAC?" in reply.text


def test_yes_no_answers_open_with_a_verdict_without_facts() -> None:
    corpus = [
        ("witkoff", "Witkoff did not hold direct talks with Hamas himself during the back channel.")
    ]
    reply = answerer(corpus).answer(
        "Did Witkoff hold direct talks with Hamas himself during the back channel?", None
    )
    assert reply.sentences[0].kind == "framing"
    assert reply.sentences[0].text == "No, according to the sources:"
    assert not any(ch.isdigit() for ch in reply.sentences[0].text)


def test_selector_picks_one_sentence_per_part() -> None:
    index = SentenceIndex(HashEmbeddings())
    frame = analyze(
        "Where did Jimmy Carter meet the exiled Hamas leader Khaled Meshaal, "
        "and where did Hamas hand over the soldier Gilad Shalit?"
    )
    sentences = [sentence(t, d) for d, t in CORPUS]
    vectors = index.embed([s.text for s in sentences])
    part_vectors = index.embed([p.text for p in frame.parts])
    plan = AnswerSelector(index.calibration).select(frame, part_vectors, sentences, vectors)
    texts = [s.text for s in plan.claims]
    assert any("Damascus" in t for t in texts)
    assert any("Rafah" in t for t in texts)
    assert not any("weather" in t for t in texts)
    assert not plan.unanswered
    assert np.isfinite(part_vectors).all()


def test_a_negation_the_question_itself_makes_decides_nothing() -> None:
    question = "Was the meeting a break with the old 'we don't negotiate with terrorists' rule?"
    evidence = sentence(
        "The meeting was a break from the old policy of not negotiating with terrorists."
    )
    assert polarity(question, evidence) == "yes"


def test_no_verdict_rests_on_an_unsourced_view() -> None:
    question = "Does Israel have a veto over the talks?"
    view = sentence("The essay argues that Israel has a veto over the talks.", url=None)
    assert AnswerSelector.stance(question, [view]) is None


def test_polarity_is_no_when_the_sentence_sets_the_asked_words_aside() -> None:
    question = "Did the council hear of the plan from the mayor?"
    aside = "The council heard of the plan from a local newspaper rather than from the mayor."
    assert polarity(question, sentence(aside)) == "no"
    plain = "The council heard of the plan from the mayor, rather than from a newspaper."
    assert polarity(question, sentence(plain)) == "yes"


def test_polarity_is_no_when_the_sentence_states_the_predicates_antonym() -> None:
    question = "Was the journalist released?"
    assert polarity(question, sentence("The journalist is still held in the capital.")) == "no"
    assert polarity(question, sentence("The journalist was freed in the capital.")) == "yes"


def test_no_verdict_without_a_predicate_to_confirm() -> None:
    question = "Was the envoy kept in charge of the file?"
    evidence = [sentence("The envoy met the delegation twice about the file.")]
    assert AnswerSelector.stance(question, evidence) is None


def select(question: str, texts: list[str]) -> tuple[QuestionFrame, AnswerPlan]:
    """The question's frame and the selector's plan over ``texts`` (one document each)."""
    index = SentenceIndex(HashEmbeddings())
    frame = analyze(question)
    sentences = [sentence(t, f"d{i}") for i, t in enumerate(texts)]
    vectors = index.embed(texts)
    part_vectors = index.embed([p.text for p in frame.parts])
    return frame, AnswerSelector(index.calibration).select(frame, part_vectors, sentences, vectors)


def test_a_second_sentence_for_a_part_covers_its_focus_as_well_as_the_first() -> None:
    texts = [
        "Main Street and Harbour Road were closed for the marathon on Sunday.",
        "A shop on Elm Street closed early.",
    ]
    _, plan = select("Which streets were closed for the marathon on Sunday?", texts)
    assert [s.text for s in plan.claims][:1] == [texts[0]]
    assert texts[1] not in [s.text for s in plan.claims]


def test_two_yes_no_parts_get_no_single_verdict() -> None:
    texts = [
        "The council approved the budget on 4 May.",
        "The mayor did not sign the budget.",
    ]
    frame, plan = select(
        "Did the council approve the budget, and did the mayor sign the budget?", texts
    )
    assert len(frame.parts) == 2
    assert plan.stance is None


def test_a_yes_no_answer_states_the_predicate_however_much_else_it_covers() -> None:
    index = SentenceIndex(HashEmbeddings())
    part = analyze("Did the city council give up the stadium plan for the harbour?").parts[0]
    texts = [
        "The city council discussed the stadium plan for the harbour.",
        "The city council gave up the stadium plan for the harbour.",
        *(f"Rain fell on day {n} of the fair." for n in range(4)),
    ]
    sentences = [sentence(t, f"d{i}") for i, t in enumerate(texts)]
    _, eligible = AnswerSelector(index.calibration).part_scores(
        part, index.embed([part.text])[0], sentences, index.embed(texts)
    )
    assert eligible.tolist()[:2] == [False, True]
