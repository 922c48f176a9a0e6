"""Small reading rules of the sparring writer: questions about the bot's own position, and
concessions recalled once."""

from __future__ import annotations

import pytest

from bot.engines.extractive.debate import _ASKS_POSITION, _same_fact, bare_question


def test_a_question_about_what_the_opponent_holds_asks_for_a_position() -> None:
    assert _ASKS_POSITION.search("Is it my opponent's position that the envoy broke the law?")
    assert _ASKS_POSITION.search("Do you deny that the meeting took place?")
    assert not _ASKS_POSITION.search("Which statute forbids an official from meeting them?")


def test_two_wordings_of_one_concession_are_one_fact() -> None:
    assert _same_fact(
        "Israel's cabinet ratified the ceasefire", ["Israel's cabinet voted before the ceasefire"]
    )
    assert not _same_fact("the alliance is unusually deep", ["Israel's cabinet voted first"])


@pytest.mark.parametrize(
    ("move", "asked"),
    [
        (
            "So my question to the house: which statute forbids a meeting with the envoy?",
            "Which statute forbids a meeting with the envoy?",
        ),
        ("Two: why did the bridge close in May?", "Why did the bridge close in May?"),
        (
            "The council met twice. So did the mayor attend either meeting?",
            "Did the mayor attend either meeting?",
        ),
        ("My opponent, how many buses run at night?", "How many buses run at night?"),
        ("So which is it: did the fares rise or fall?", "Did the fares rise or fall?"),
        (
            "Name one route that the council cut: the plan lists none.",
            "Name one route that the council cut: the plan lists none.",
        ),
    ],
)
def test_a_question_is_asked_of_the_sources_without_its_lead_in(move: str, asked: str) -> None:
    assert bare_question(move) == asked
