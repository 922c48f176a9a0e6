"""Reciprocal rank fusion."""

from __future__ import annotations

import pytest

from retrieval.fusion import reciprocal_rank_fusion


def test_an_item_ranked_by_both_lists_beats_items_ranked_by_one() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["d", "b", "e"]], k=60)
    assert fused[0][0] == "b"


def test_scores_follow_the_formula() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b"], ["b"]], k=10))
    assert fused["a"] == pytest.approx(1 / 11)
    assert fused["b"] == pytest.approx(1 / 12 + 1 / 11)


def test_ties_keep_first_seen_order_and_empty_lists_are_fine() -> None:
    assert [i for i, _ in reciprocal_rank_fusion([["x"], ["y"], []])] == ["x", "y"]
    assert reciprocal_rank_fusion([]) == []


def test_weights_scale_each_list() -> None:
    fused = reciprocal_rank_fusion([["a"], ["b"]], k=0, weights=[1.0, 2.0])
    assert [i for i, _ in fused] == ["b", "a"]
