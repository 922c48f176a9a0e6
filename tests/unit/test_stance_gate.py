"""The strict stance gate for evidence no card files: clear lean, not two-edged, no echo."""

from __future__ import annotations

import numpy as np

from bot.domain.argument_map import ArgumentMap
from bot.domain.cards import FiledSpan, ResolvedCards
from bot.domain.evidence import EvidenceSentence
from bot.domain.motions import KeyPoint, Motion, Side, Sides


def _sentence(n: int) -> EvidenceSentence:
    return EvidenceSentence(
        f"d:{n * 10}:{n * 10 + 9}", "p", "d", "t", None, n * 10, n * 10 + 9, f"s{n}", frozenset()
    )


def _map(scores: list[list[float]], vectors: list[list[float]]) -> ArgumentMap:
    motion = Motion(
        id="m",
        title="m",
        question="q?",
        sides=Sides(pro="yes", con="no"),
        key_points=[
            KeyPoint(id="pro-a", side="pro", text="The pro point."),
            KeyPoint(id="con-a", side="con", text="The con point."),
        ],
    )
    sentences = [_sentence(n) for n in range(len(vectors))]
    card = sentences[0]  # sentence 0 is a con card
    cards = ResolvedCards(
        {"pro-a": [], "con-a": [card]}, [FiledSpan("d", card.start, card.end, "con")]
    )
    return ArgumentMap(
        motion=motion,
        fingerprint="f",
        sentences=sentences,
        vectors=np.array(vectors, dtype=np.float32),
        kp_vectors=np.zeros((2, 2), dtype=np.float32),
        kp_stems=[frozenset(), frozenset()],
        sentence_side=[None] * len(sentences),
        passage_stance={},
        support={},
        rows={s.key: i for i, s in enumerate(sentences)},
        cards=cards,
        kp_scores=np.array(scores, dtype=np.float32),
    )


def _serves(amap: ArgumentMap, n: int, side: Side) -> bool:
    s = amap.sentences[n]
    return amap.clearly_serves(s.doc_id, s.start, s.end, side)


def test_a_card_serves_its_own_side_only() -> None:
    amap = _map([[0.9], [0.1]], [[1.0, 0.0]])
    assert _serves(amap, 0, "con")
    assert not _serves(amap, 0, "pro")


def test_unfiled_evidence_needs_a_clear_lean() -> None:
    # rows: pro-a, con-a; columns: sentences 0 (card), 1 (clear pro), 2 (close call)
    amap = _map([[0.1, 0.8, 0.55], [0.9, 0.3, 0.5]], [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    assert _serves(amap, 1, "pro")
    assert not _serves(amap, 2, "pro")


def test_two_edged_evidence_serves_neither_side() -> None:
    # sentence 1 fits pro best, but states the con point by itself as well
    amap = _map([[0.1, 1.0], [0.9, 0.65]], [[1.0, 0.0], [0.0, 1.0]])
    assert not _serves(amap, 1, "pro")


def test_evidence_restating_the_other_sides_card_does_not_serve() -> None:
    # sentence 1 leans pro by similarity but is nearly the con card's vector
    amap = _map([[0.1, 0.9], [0.9, 0.3]], [[1.0, 0.0], [0.99, 0.14]])
    assert not _serves(amap, 1, "pro")


def test_unfiled_evidence_that_negates_is_too_unsure_to_argue_a_side() -> None:
    amap = _map([[0.1, 0.8], [0.9, 0.3]], [[1.0, 0.0], [0.0, 1.0]])
    turned = EvidenceSentence("d:10:19", "p", "d", "t", None, 10, 19, "no progress", frozenset())
    amap.sentences[1] = turned
    assert not _serves(amap, 1, "pro")
