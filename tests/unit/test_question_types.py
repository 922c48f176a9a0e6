"""Question typing and part splitting: what a question asks, and in how many parts."""

from __future__ import annotations

import pytest

from bot.engines.extractive.question_types import analyze, kind_of, split_parts


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When did the October ceasefire actually kick in?", "when"),
        ("where was haniyeh when he was killed?", "where"),
        ("how long was edan alexander held?", "how_much"),
        ("What's the death toll in Gaza so far?", "how_much"),
        ("What reason did Netanyahu give for bombing Doha?", "why"),
        ("why did bush senior stop talking to the PLO in 1990?", "why"),
        ("Which Qatari official hosted the meetings?", "who"),
        ("Who signed the Doha agreement for the US?", "who"),
        ("Did Netanyahu ever say sorry to Qatar for the strike?", "yes_no"),
        ("Is it illegal for a US envoy to talk to Hamas?", "yes_no"),
        ("How were the talks set up?", "how"),
        ("what's this Board of Peace in the Trump plan?", "what"),
    ],
)
def test_kind_of(question: str, kind: str) -> None:
    assert kind_of(question) == kind


def test_clauses_split_and_later_clauses_borrow_the_subject() -> None:
    frame = analyze("Who is Khalil al-Hayya, where is he based, and what happened to his son?")
    assert [p.kind for p in frame.parts] == ["who", "where", "what"]
    assert frame.parts[1].asked == "where is he based"
    assert "Khalil" in frame.parts[1].text  # the query names who "he" is
    assert "hayya" in frame.parts[2].anchors


def test_two_when_clauses() -> None:
    parts = split_parts("When did Hamas announce it would free Alexander, and when did Trump fly?")
    assert [asked for _, asked in parts] == [
        "When did Hamas announce it would free Alexander",
        "when did Trump fly",
    ]


def test_a_relative_clause_is_not_a_part() -> None:
    frame = analyze("Who was the Arab Americans for Trump guy who passed messages to Hamas?")
    assert len(frame.parts) == 1
    assert frame.kind == "who"


def test_a_leading_subordinate_clause_stays_with_its_question() -> None:
    frame = analyze("After the US cut aid in 2006, how did any of that money still reach people?")
    assert len(frame.parts) == 1
    assert frame.kind == "how"


@pytest.mark.parametrize(
    ("question", "first", "second"),
    [
        (
            "Shalit deal vs the October 2025 exchange: how many prisoners did Israel free?",
            "Shalit deal: how many prisoners did Israel free",
            "the October 2025 exchange: how many prisoners did Israel free",
        ),
        (
            "How do Kissinger's conditions for the PLO compare with the Quartet's conditions?",
            "How do Kissinger's conditions for the PLO",
            "the Quartet's conditions",
        ),
        (
            "In the Taliban deal and in the Boehler talks, was the ally involved?",
            "In the Taliban deal, was the ally involved",
            "In the Boehler talks, was the ally involved",
        ),
        (
            "Did Israel hear about the Boehler talks and the back channel the same way?",
            "Did Israel hear about the Boehler talks",
            "Did Israel hear about the back channel",
        ),
    ],
)
def test_comparisons_split_into_their_halves(question: str, first: str, second: str) -> None:
    frame = analyze(question)
    assert frame.kind == "comparison" or len(frame.parts) == 2
    assert [p.text for p in frame.parts] == [first, second]


def test_one_thing_asked_is_one_part() -> None:
    frame = analyze("how many seats did hamas win in 2006?")
    assert not frame.multi_part
    assert frame.parts[0].kind == "how_much"
    assert frame.parts[0].anchors == {"2006"}


def test_two_yes_no_questions_joined_by_and_are_two_parts() -> None:
    frame = analyze("Is bus ridership up, and did road injuries fall?")
    assert frame.kind == "yes_no"
    assert [p.asked for p in frame.parts] == ["Is bus ridership up", "did road injuries fall"]
    assert [p.kind for p in frame.parts] == ["yes_no", "yes_no"]


def test_a_run_in_label_is_not_part_of_what_is_asked() -> None:
    frame = analyze("Numbers check: jobs lost in 2008 vs jobs lost in 2020?")
    assert [p.text for p in frame.parts] == ["jobs lost in 2008", "jobs lost in 2020"]
    compared = analyze("Plan A vs plan B: how many jobs does each create?")
    assert [p.text for p in compared.parts][0].startswith("Plan A:")
