"""Sparring reply logic that needs no index: attributions, closings' bookkeeping, variants."""

from __future__ import annotations

import pytest

from bot.domain.evidence import EvidenceSentence, stems_of
from bot.domain.motions import KeyPoint
from bot.domain.replies import ClashItem, Reply
from bot.engines.extractive.composer import ReplyBuilder
from bot.engines.extractive.state import DebateState, unanswered
from bot.engines.templates import TemplateSet
from bot.verify.grounding import quotes_verbatim, source_prefix
from tests.support.fixtures_retrieval import REPO

TEMPLATES = TemplateSet.load(REPO / "prompts" / "extractive")


def _unsourced(text: str, title: str = "bus-network.md") -> EvidenceSentence:
    return EvidenceSentence(
        key="d:0:1",
        passage_id="p",
        doc_id="d",
        title=title,
        url=None,
        start=0,
        end=1,
        text=text,
        stems=stems_of(text),
    )


@pytest.mark.parametrize(
    "body",
    [
        "However, the outer suburbs saw no change in service.",
        "Buses crossing the centre became four minutes faster.",
        "the permit scheme took three months to start.",
    ],
)
def test_a_titled_attribution_keeps_the_body_verbatim_and_the_verifier_accepts_it(
    body: str,
) -> None:
    claim = ReplyBuilder(TEMPLATES).claim_text(_unsourced(body))
    assert claim == f'The document "bus-network.md" says: {body}'
    assert "says that However" not in claim
    assert quotes_verbatim(claim, body, "bus-network.md")
    assert source_prefix(claim) == ('The document "bus-network.md" says:', body)


def test_the_older_titled_attribution_is_still_recognised() -> None:
    body, title = "buses became faster.", "bus-network.md"
    assert quotes_verbatim(f'The document "{title}" says that {body}', body, title)


def test_a_template_used_twice_in_one_reply_rotates_its_variant() -> None:
    b = ReplyBuilder(TEMPLATES, variant=3)
    first = b.fresh("claim_unanswerable", said="one claim")
    second = b.fresh_at("claim_unanswerable", 1, said="another claim")
    assert first
    assert second
    assert first.replace("one claim", "X") != second.replace("another claim", "X")


def test_taking_up_a_concession_varies_with_the_users_words() -> None:
    from bot.engines.extractive.debate import text_shift

    b = ReplyBuilder(TEMPLATES, variant=2)
    speeches = [f"I accept that point number {n} is right." for n in range(12)]
    leads = {b.fresh_at("concession_used", text_shift(s), tag="T") for s in speeches}
    assert len(TEMPLATES.get("concession_used").variants) >= 6
    assert len(leads) >= 4
    assert text_shift("I  accept it") == text_shift("i accept it")


def _points() -> list[KeyPoint]:
    return [
        KeyPoint(id="air", side="pro", text="The pilot cut air pollution.", tag="the cleaner air"),
        KeyPoint(id="poll", side="pro", text="Most residents back it.", tag="public support"),
        KeyPoint(id="walk", side="pro", text="More people walked.", tag="the rise in footfall"),
    ]


def test_a_point_the_user_named_in_any_turn_is_not_dropped() -> None:
    history = ["My opponent cites cleaner air, but one year proves nothing."]
    left = unanswered(_points(), history, set(), set(), set())
    assert [kp.id for kp in left] == ["poll", "walk"]


def test_a_point_matched_or_conceded_is_not_dropped() -> None:
    left = unanswered(_points(), ["Nothing relevant here."], {"poll"}, {"walk"}, set())
    assert [kp.id for kp in left] == ["air"]


def test_the_motions_own_words_name_no_point() -> None:
    points = [KeyPoint(id="ban", side="pro", text="The ban works.", tag="the ban's record")]
    left = unanswered(points, ["The ban is bad."], set(), set(), {"ban"})
    assert [kp.id for kp in left] == ["ban"]


def test_the_state_remembers_every_point_a_user_move_touched() -> None:
    reply = Reply(
        text="x",
        sentences=[],
        citations=[],
        clash=[
            ClashItem(point="A challenge.", kind="challenge", key_point_id="air"),
            ClashItem(point="A question.", kind="question", key_point_id="poll"),
            ClashItem(point="Unanswerable.", kind="claim", status="unanswerable"),
            ClashItem(point="I accept it.", kind="concession", key_point_id="walk"),
        ],
    )
    state = DebateState.of((reply,))
    assert state.touched == {"air", "poll"}
    assert "Unanswerable." in state.user_moves
