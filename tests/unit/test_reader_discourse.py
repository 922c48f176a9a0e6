"""Joining sentences into moves by discourse form: lead-ins, back-references, rhetorical
questions. No map is needed: the moves here match no key point."""

from __future__ import annotations

import numpy as np

from bot.engines.extractive.moves import split_moves
from bot.engines.extractive.reader import ReadMove, merge_moves


def _read(speech: str) -> list[ReadMove]:
    focus = np.zeros(4, dtype=np.float32)
    moves = [
        ReadMove(m.kind, m.start, m.end, m.text, None, 0.0, focus) for m in split_moves(speech)
    ]
    return merge_moves(moves, speech)


def test_a_report_of_the_opponent_leads_into_the_concession_after_it() -> None:
    speech = (
        "My opponent also says the contacts ran through Qatar and Egypt. "
        "I'll grant that Qatari and Egyptian mediators helped arrange the meetings."
    )
    [move] = _read(speech)
    assert move.kind == "concession"
    assert move.text == speech


def test_a_report_of_the_opponent_leads_into_the_question_after_it() -> None:
    speech = (
        "My opponent will say the alliance is different from every other one. "
        "Different how, in a way that stops talks rather than complicating them?"
    )
    [move] = _read(speech)
    assert move.kind == "question"
    assert move.ask == "Different how, in a way that stops talks rather than complicating them?"


def test_an_announcement_leads_into_the_next_move() -> None:
    speech = (
        "The phone call has come up again, so let me deal with it squarely. "
        "I grant that the ambassador objected to the meetings in strong terms."
    )
    assert [m.kind for m in _read(speech)] == ["concession"]


def test_a_back_reference_goes_on_with_the_move_before_it() -> None:
    speech = (
        "I grant that the ambassador objected and that the envoy left the file. "
        "That is influence of a kind, over the envoy and over the file."
    )
    [move] = _read(speech)
    assert move.kind == "concession"
    assert move.end == len(speech)


def test_a_rhetorical_question_joins_the_answer_the_speaker_gives() -> None:
    speech = (
        "The envoy was taken off the talks within days. And who took over the contacts? "
        "Another envoy, who later sat across from the same negotiators in person."
    )
    kinds = [m.kind for m in _read(speech)]
    assert "question" not in kinds


def test_a_question_put_to_the_opponent_stays_a_question() -> None:
    speech = (
        "The envoy was taken off the talks within days. Which law did he break, in your view? "
        "None has been named in this debate so far, by anyone at all."
    )
    assert "question" in [m.kind for m in _read(speech)]


def test_the_gist_is_the_users_own_clause() -> None:
    from bot.engines.extractive.gist import user_gist

    speech = "But the envoy remained in his post for months, and he kept the file."
    assert user_gist(speech) == "the envoy remained in his post for months"


def test_no_gist_from_instructions_back_references_or_numbers() -> None:
    from bot.engines.extractive.gist import user_gist

    assert user_gist("Follow the story to its end and see who paid.") is None
    assert user_gist("That is the pattern of this alliance, nothing more.") is None
    assert user_gist("The vote came in 2023, after the attack.") is None
    assert user_gist("I say the envoy had every authority he needed.") is None


def test_a_grant_is_recalled_in_the_users_words() -> None:
    from bot.engines.extractive.gist import granted_gist

    assert granted_gist("I accept that the cabinet voted before the ceasefire began.") == (
        "the cabinet voted before the ceasefire began"
    )
    assert granted_gist("The office said Israel agreed only to a safe corridor.") is None


def test_a_move_is_named_without_the_topic_it_opens_on() -> None:
    from bot.engines.extractive.gist import user_gist

    speech = "On the timetable, the council voted twice before the budget passed."
    assert user_gist(speech) == "the council voted twice before the budget passed"


def test_a_grant_that_counts_its_points_is_recalled_by_the_first() -> None:
    from bot.engines.extractive.gist import granted_gist

    speech = "I conceded two things: the bus fleet was sold last spring, and fares rose."
    assert granted_gist(speech) == "the bus fleet was sold last spring"


def test_a_short_grant_is_recalled_by_the_report_it_concedes() -> None:
    from bot.engines.extractive.gist import granted_gist

    speech = "My opponent says the envoy was moved off the Hamas file. True, as reported."
    assert granted_gist(speech) == "the envoy was moved off the Hamas file"


def test_a_restatement_of_the_motion_is_a_lead_in_not_a_move() -> None:
    from bot.engines.extractive.reader import _restates_motion

    moves = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)
    motion = np.array([[0.95, 0.31, 0.0]], dtype=np.float32)
    points = np.array([[0.6, 0.8, 0.0]], dtype=np.float32)
    assert _restates_motion(moves, motion, points) == [True, False]


def test_a_thesis_leads_into_the_move_after_it() -> None:
    speech = (
        "The motion asks whether the envoy can talk to the group at all. "
        "I grant that the mediators arranged the meeting in the first place."
    )
    focus = np.zeros(4, dtype=np.float32)
    first, second = split_moves(speech)
    read = [
        ReadMove(first.kind, first.start, first.end, first.text, None, 0.0, focus, thesis=True),
        ReadMove(second.kind, second.start, second.end, second.text, None, 0.0, focus),
    ]
    [move] = merge_moves(read, speech)
    assert move.kind == "concession"
    assert move.text == speech


def test_a_dated_claim_is_named_without_its_numbers() -> None:
    from bot.engines.extractive.gist import user_gist

    speech = "In May 2024 the administration held back a shipment of heavy bombs over Rafah."
    assert user_gist(speech) == "the administration held back a shipment of heavy bombs over Rafah"


def test_a_grant_of_a_bare_noun_phrase_gives_no_gist() -> None:
    from bot.engines.extractive.gist import granted_gist

    # "You concede that the law at the outset" would be a fragment.
    assert granted_gist("I conceded the law at the outset, and I stand by it.") is None
    assert granted_gist("I'll grant that the mediators helped arrange the meetings.") == (
        "the mediators helped arrange the meetings"
    )


def test_a_question_is_named_whole_only_when_short_and_impersonal() -> None:
    from bot.engines.extractive.gist import question_gist

    speech = "I put a plain question: which statute forbids an official from meeting the group?"
    assert question_gist(speech) == "Which statute forbids an official from meeting the group?"
    assert question_gist("Can my opponent tell the house when it was ever used?") is None
    assert question_gist("The talks went ahead anyway.") is None


def test_a_loose_gist_takes_the_clause_a_speakers_frame_introduces() -> None:
    from bot.engines.extractive.gist import user_gist

    speech = "Tonight I will show that the barriers are real costs, not prohibitions."
    assert user_gist(speech) is None
    assert user_gist(speech, loose=True) == "the barriers are real costs, not prohibitions"
