"""Small reading rules of the sparring writer: questions about the bot's own position, and
concessions recalled once."""

from __future__ import annotations

from bot.engines.extractive.debate import _ASKS_POSITION, _same_fact


def test_a_question_about_what_the_opponent_holds_asks_for_a_position() -> None:
    assert _ASKS_POSITION.search("Is it my opponent's position that the envoy broke the law?")
    assert _ASKS_POSITION.search("Do you deny that the meeting took place?")
    assert not _ASKS_POSITION.search("Which statute forbids an official from meeting them?")


def test_two_wordings_of_one_concession_are_one_fact() -> None:
    assert _same_fact(
        "Israel's cabinet ratified the ceasefire", ["Israel's cabinet voted before the ceasefire"]
    )
    assert not _same_fact("the alliance is unusually deep", ["Israel's cabinet voted first"])
