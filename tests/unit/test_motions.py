"""Motion files: validation of the argument map, loading and the runtime registry."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from bot.domain.errors import ConflictError, InvalidInputError, NotFoundError
from bot.domain.motions import FORMATS, Motion, MotionRegistry, load_motion, parse_motion
from tests.support.fixtures_motion import MOTION
from tests.support.fixtures_retrieval import SEEDS


def test_the_seed_motion_is_a_full_argument_map() -> None:
    motion = load_motion(SEEDS / "us-hamas" / "motion.yaml")
    assert motion.id == "us-hamas"
    assert (
        motion.question == "Can the United States negotiate directly with Hamas, bypassing Israel?"
    )
    for side in ("pro", "con"):
        points = motion.points(side)
        assert len(points) >= 6
        assert all(kp.rebuts for kp in points)
        assert all(motion.answers_to(kp.id) for kp in points), "every point can be answered"
    assert not any(ch.isdigit() for kp in motion.key_points for ch in kp.text)


def broken(change: str) -> dict:
    data = copy.deepcopy(MOTION)
    kps = data["key_points"]
    if change == "unknown key":
        data["colour"] = "blue"
    elif change == "rebuts unknown":
        kps[0]["rebuts"] = ["nope"]
    elif change == "rebuts own side":
        kps[0]["rebuts"] = ["pro-jobs"]
    elif change == "duplicate id":
        kps[1]["id"] = kps[0]["id"]
    elif change == "two sentences":
        kps[0]["text"] = "One sentence. Another sentence."
    elif change == "one side only":
        data["key_points"] = [k for k in kps if k["side"] == "pro"]
    elif change == "bad id":
        data["id"] = "Not A Slug"
    elif change == "bad side":
        kps[0]["side"] = "maybe"
    return data


@pytest.mark.parametrize(
    "change",
    [
        "unknown key",
        "rebuts unknown",
        "rebuts own side",
        "duplicate id",
        "two sentences",
        "one side only",
        "bad id",
        "bad side",
    ],
)
def test_invalid_motions_are_refused(change: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_motion(yaml.safe_dump(broken(change)), "test")


def test_a_motion_without_key_points_is_qa_only() -> None:
    data = {k: v for k, v in MOTION.items() if k != "key_points"}
    motion = Motion.model_validate(data)
    assert not motion.has_map


def test_the_id_must_match_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "other-name"
    folder.mkdir()
    (folder / "motion.yaml").write_text(yaml.safe_dump(MOTION))
    with pytest.raises(InvalidInputError, match="folder"):
        load_motion(folder / "motion.yaml")


def test_added_motions_survive_a_reload(tmp_path: Path) -> None:
    registry = MotionRegistry(tmp_path / "seeds", tmp_path / "motions").load()
    registry.add(Motion.model_validate(MOTION))
    with pytest.raises(ConflictError):
        registry.add(Motion.model_validate(MOTION))
    reloaded = MotionRegistry(tmp_path / "seeds", tmp_path / "motions").load()
    assert reloaded.get("bridge") == Motion.model_validate(MOTION)
    with pytest.raises(NotFoundError):
        reloaded.get("nope")


def test_turns_past_the_format_continue_as_rebuttals() -> None:
    standard = FORMATS["standard"]
    assert standard.round_for(0).name == "opening"
    assert standard.round_for(len(standard.rounds) - 1).name == "closing"
    assert standard.round_for(99).name == "rebuttal"
