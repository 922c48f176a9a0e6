"""Argument-level grounding: a move is dropped whole when its evidence serves the other side."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.domain.motions import Side
from bot.domain.replies import Citation, Sentence
from bot.verify.moves import check_moves


@dataclass
class FakeStances:
    """Sides by document id, as an argument map would file them."""

    sides: dict[str, Side | None]

    def side_of(self, doc_id: str, start: int, end: int) -> Side | None:
        return self.sides.get(doc_id)


def citation(marker: int, doc_id: str) -> Citation:
    return Citation(
        marker=marker, passage_id="p", doc_id=doc_id, title="t", start=0, end=4, quote="text"
    )


def lead(text: str, move: int) -> Sentence:
    return Sentence(text=text, kind="framing", move=move)


def claim(marker: int, move: int | None, concession: bool = False) -> Sentence:
    return Sentence(
        text=f"Quoted evidence [{marker}]",
        kind="claim",
        citations=[marker],
        move=move,
        concession=concession,
    )


STANCES = FakeStances({"con-doc": "con", "pro-doc": "pro", "neutral-doc": None})
CITES = {1: citation(1, "con-doc"), 2: citation(2, "pro-doc"), 3: citation(3, "neutral-doc")}


@pytest.mark.parametrize(
    ("sentences", "dropped"),
    [
        pytest.param(
            [lead("The record shows otherwise.", 1), claim(1, 1)], set(), id="own evidence passes"
        ),
        pytest.param(
            [lead("The record shows otherwise.", 1), claim(2, 1)],
            {0, 1},
            id="a lead-in its evidence contradicts",
        ),
        pytest.param(
            [lead("Consider this.", 1), claim(2, 1)],
            {0, 1},
            id="an own goal without a claim of support",
        ),
        pytest.param(
            [lead("Granted, the sources support you.", 1), claim(2, 1, concession=True)],
            set(),
            id="the other side's evidence inside a concession",
        ),
        pytest.param([claim(2, None)], {0}, id="a lone claim citing the other side"),
        pytest.param(
            [lead("Here is what the sources say.", 1), claim(3, 1)], set(), id="neutral evidence"
        ),
        pytest.param(
            [lead("My point stands.", 1), claim(1, 1), lead("Next.", 2), claim(2, 2)],
            {2, 3},
            id="only the misfit move goes",
        ),
    ],
)
def test_misfit_moves_are_dropped_whole(sentences: list[Sentence], dropped: set[int]) -> None:
    verdict = check_moves(sentences, lambda i: True, CITES, "con", STANCES)
    assert set(verdict.dropped_sentences) == dropped
    assert verdict.moves_dropped == (1 if dropped else 0)


def test_a_lead_in_whose_evidence_failed_goes_with_it() -> None:
    sentences = [lead("My next point rests on the record below.", 1), claim(1, 1)]
    verdict = check_moves(sentences, lambda i: i != 1, CITES, "con", STANCES)
    assert set(verdict.dropped_sentences) == {0, 1}
    assert "lead-in goes too" in verdict.reasons[0]
