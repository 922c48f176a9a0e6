"""Evidence cards resolve to exact spans, or fail the load naming the card."""

from __future__ import annotations

import copy

import pytest

from bot.domain.cards import CardError, find_quote, resolve_cards
from bot.domain.motions import Motion
from retrieval.records import Document, Passage
from tests.support.fixtures_motion import MOTION

TEXT = "The bridge would cut the commute by half.  It would cost a fortune\nto build."
DOC = Document(doc_id="d1", title="Bridge brief", text=TEXT, source="bridge/sources/brief.md")
PASSAGES = [Passage("p1", "d1", 0, 41, TEXT[:41]), Passage("p2", "d1", 43, len(TEXT), TEXT[43:])]


class Lookup:
    def get_document(self, doc_id: str) -> Document | None:
        return DOC if doc_id == "d1" else None


def motion_with(cards: list[dict[str, str]], labels: list[dict[str, str]] = ()) -> Motion:
    data = copy.deepcopy(MOTION)
    data["key_points"][0]["cards"] = cards
    data["stance_labels"] = list(labels)
    return Motion.model_validate(data)


def test_a_card_resolves_to_the_exact_span_of_its_document() -> None:
    motion = motion_with([{"doc": "brief.md", "quote": "It would cost a fortune to build."}])
    resolved = resolve_cards(motion, PASSAGES, Lookup())
    [card] = resolved.by_point[motion.key_points[0].id]
    assert TEXT[card.start : card.end] == card.text
    assert card.passage_id == "p2"
    assert resolved.side_of("d1", card.start, card.end) == motion.key_points[0].side


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ({"doc": "missing.md", "quote": "It would cost a fortune to build."}, "no document"),
        ({"doc": "brief.md", "quote": "It would cost nothing at all to build."}, "not found"),
    ],
    ids=["unknown document", "quote not in the document"],
)
def test_a_card_that_does_not_resolve_fails_the_load_naming_it(
    card: dict[str, str], message: str
) -> None:
    motion = motion_with([card])
    with pytest.raises(CardError, match=message) as error:
        resolve_cards(motion, PASSAGES, Lookup())
    assert f"card 1 of {motion.key_points[0].id}" in str(error.value)


def test_spans_filed_both_ways_have_no_side() -> None:
    quote = "The bridge would cut the commute by half."
    motion = motion_with(
        [{"doc": "brief.md", "quote": quote}],
        [{"doc": "brief.md", "quote": quote, "side": "con"}],
    )
    resolved = resolve_cards(motion, PASSAGES, Lookup())
    assert resolved.side_of("d1", 0, 10) is None


def test_whitespace_differences_are_tolerated_but_the_span_is_exact() -> None:
    start, end = find_quote(TEXT, "half. It would")  # two spaces in the text
    assert TEXT[start:end] == "half.  It would"
