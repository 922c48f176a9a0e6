"""Stance assignment: labels on passages, fingerprints, recomputation only on change."""

from __future__ import annotations

from typing import Any

from bot.domain.argument_map import ArgumentMapper
from bot.domain.motions import Motion
from retrieval.records import MetadataValue
from tests.support.fixtures_motion import MiniWorld, mini

__all__ = ["mini"]


class CountingSource:
    """A passage source that counts metadata writes."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.writes = 0

    def passages(self, where: dict[str, object] | None = None) -> list:
        return self.inner.passages(where)

    def update_passage_metadata(self, updates: dict[str, dict[str, MetadataValue]]) -> None:
        self.writes += 1
        self.inner.update_passage_metadata(updates)


def label_of(world: MiniWorld, needle: str) -> dict[str, MetadataValue]:
    """Metadata of the passage containing ``needle``."""
    return next(
        p for p in world.retrieval.passages({"motion": "bridge"}) if needle in p.text
    ).metadata


def test_passages_get_stance_and_key_points(mini: MiniWorld) -> None:
    amap = mini.mapper.get(mini.motion)
    cost = label_of(mini, "900 million")
    traffic = label_of(mini, "crossing times")
    assert cost["stance"] == "con"
    assert "con-cost" in str(cost["key_points"]).split(",")
    assert traffic["stance"] == "pro"
    assert "pro-traffic" in str(traffic["key_points"]).split(",")
    assert cost["argmap"] == amap.fingerprint
    assert all(isinstance(v, str | int | float | bool) for v in cost.values())


def test_evidence_never_comes_from_a_passage_of_the_other_side(mini: MiniWorld) -> None:
    amap = mini.mapper.get(mini.motion)
    for kp in mini.motion.key_points:
        for backing in amap.evidence(kp.id):
            assert amap.stance(backing.sentence) in (kp.side, "neutral")


def test_labels_are_recomputed_only_when_sources_or_map_change(mini: MiniWorld) -> None:
    mini.mapper.get(mini.motion)  # labels the passages, as a first start would
    source = CountingSource(mini.retrieval)
    mapper = ArgumentMapper(source, mini.mapper.index)  # a restart: new mapper, same store
    first = mapper.get(mini.motion)
    assert source.writes == 0, "the stored labels are still current"
    assert mapper.get(mini.motion) is first
    data = mini.motion.model_dump()
    data["key_points"][0]["text"] = "A second bridge would shorten commutes for everyone."
    changed = Motion.model_validate(data)
    second = mapper.get(changed)
    assert second.fingerprint != first.fingerprint
    assert source.writes == 1
    assert label_of(mini, "crossing times")["argmap"] == second.fingerprint
