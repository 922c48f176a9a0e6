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


def test_pointing_back_takes_the_closest_earlier_point_above_the_floor_once() -> None:
    import numpy as np

    from bot.engines.extractive.debate import closest_point

    points = _points()
    scores = np.array([0.5, 0.8, 0.3])
    assert closest_point(points, scores, 0.45, set()) == points[1]
    assert closest_point(points, scores, 0.45, {"poll"}) == points[0]
    assert closest_point(points, scores, 0.45, {"poll", "air"}) is None


class _ThinMap:
    """Just what EvidencePicker reads: one card and one gated similar sentence."""

    def __init__(self, card: EvidenceSentence, similar: EvidenceSentence) -> None:
        from types import SimpleNamespace

        self.card, self.similar = card, similar
        self.rows: dict[str, int] = {}
        self._hit = SimpleNamespace(sentence=similar, score=0.6)

    def cards_for(self, kp_id: str) -> list[EvidenceSentence]:
        return [self.card]

    def evidence(self, kp_id: str) -> list:
        return [self._hit]

    def side_of(self, doc_id: str, start: int, end: int) -> None:
        return None

    def clearly_serves(self, doc_id: str, start: int, end: int, side: str) -> bool:
        return True


def test_once_a_points_cards_are_spent_gated_similar_evidence_is_used() -> None:
    from bot.engines.extractive.picker import EvidencePicker

    card = _unsourced("The card.")
    similar = EvidenceSentence(
        key="d:5:9",
        passage_id="p",
        doc_id="d",
        title="t",
        url=None,
        start=5,
        end=9,
        text="A similar sentence.",
        stems=stems_of("A similar sentence."),
    )
    thin = _ThinMap(card, similar)
    fresh = EvidencePicker(thin, [], "pro", 0.5, 0.3)  # type: ignore[arg-type]
    assert fresh.for_point("kp") == [card]  # beside a fresh card, 0.6 is not close enough
    spent = EvidencePicker(thin, [card.key], "pro", 0.5, 0.3)  # type: ignore[arg-type]
    assert spent.for_point("kp") == [similar]


def test_a_points_own_tag_words_still_name_it_in_the_users_speech() -> None:
    from bot.domain.motions import Motion
    from bot.engines.extractive.state import framing_stems

    motion = Motion(
        id="m",
        title="A car ban",
        question="Should Verrin ban cars?",
        sides={"pro": "Verrin should ban cars.", "con": "Verrin should not ban cars."},
        key_points=[
            KeyPoint(id="pro-o", side="pro", text="Ostmark did it.", tag="the Ostmark precedent"),
            KeyPoint(id="con-c", side="con", text="It costs a lot.", tag="the cost"),
        ],
    )
    common = framing_stems(motion)
    assert "ban" in common
    history = ["My opponent's Ostmark example fails."]
    assert unanswered([motion.key_points[0]], history, set(), set(), common) == []
