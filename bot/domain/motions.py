"""Motions and their argument maps: Pydantic models, YAML loading and the registry.

A motion lives in ``seeds/<id>/motion.yaml`` (its sources sit below that folder) or,
when added at runtime through the API, in ``<data_dir>/motions/<id>.yaml``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.domain.errors import ConflictError, InvalidInputError, NotFoundError
from retrieval.ingest.chunking import split_sentences
from retrieval.ingest.discovery import MOTION_FILE

log = logging.getLogger(__name__)

Side = Literal["pro", "con"]
RoundKind = Literal["opening", "rebuttal", "closing"]
SLUG = r"^[a-z0-9][a-z0-9_-]{0,63}$"
# Keeps a passage's key_points label (ids joined by commas) within retrieval's size limit.
MAX_KEY_POINTS = 100


def opposite(side: Side) -> Side:
    """The other side."""
    return "con" if side == "pro" else "pro"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Round(_Strict):
    """One speech of a debate format."""

    name: RoundKind = Field(description="opening, rebuttal or closing.")
    max_words: int = Field(ge=30, le=2000, description="Word limit of the bot's speech.")


class DebateFormat(_Strict):
    """The sequence of speeches; turns past the last round continue as rebuttals."""

    name: str = Field("standard", min_length=1, max_length=64, description="Format name.")
    rounds: list[Round] = Field(min_length=1, description="Speeches in order.")

    def round_for(self, turn: int) -> Round:
        """The round of the bot's ``turn``-th reply (0-based)."""
        if turn < len(self.rounds):
            return self.rounds[turn]
        rebuttals = [r for r in self.rounds if r.name == "rebuttal"]
        return rebuttals[-1] if rebuttals else Round(name="rebuttal", max_words=180)


FORMATS: dict[str, DebateFormat] = {
    "standard": DebateFormat(
        name="standard",
        rounds=[
            Round(name="opening", max_words=230),
            *[Round(name="rebuttal", max_words=190)] * 4,
            Round(name="closing", max_words=160),
        ],
    ),
    "short": DebateFormat(
        name="short",
        rounds=[
            Round(name="opening", max_words=140),
            *[Round(name="rebuttal", max_words=120)] * 2,
            Round(name="closing", max_words=100),
        ],
    ),
}


class Card(_Strict):
    """A piece of evidence in the debate sense: an exact quote from one source document."""

    doc: str = Field(min_length=1, max_length=200, description="File name of the source document.")
    quote: str = Field(
        min_length=10,
        max_length=1500,
        description="Exact words of the document; resolved to offsets when the map loads.",
    )


class StanceLabel(Card):
    """A source sentence filed under the side it serves, so it never backs the other side."""

    side: Side = Field(description="The side the quoted words serve.")


class KeyPoint(_Strict):
    """One argument of the map: a single sentence for one side, with its evidence cards."""

    id: str = Field(pattern=SLUG, description="Unique id within the motion.")
    side: Side = Field(description="The side this point argues for.")
    text: str = Field(min_length=5, max_length=600, description="The point, in one sentence.")
    tag: str | None = Field(
        None,
        min_length=3,
        max_length=80,
        description="A short label for the point, used to refer back to it once it is made.",
    )
    rebuts: list[str] = Field(
        default_factory=list, description="Ids of opposing key points this one answers."
    )
    cards: list[Card] = Field(
        default_factory=list, description="Curated evidence for this point, strongest first."
    )

    @property
    def label(self) -> str:
        """How the bot refers to the point once made: its tag, or a neutral stand-in."""
        return self.tag or "that point"

    @model_validator(mode="after")
    def _one_sentence(self) -> KeyPoint:
        self.text = " ".join(self.text.split())
        if len(split_sentences(self.text)) != 1:
            raise ValueError(f"key point {self.id!r} must be one sentence")
        return self


class Sides(_Strict):
    """What each side argues."""

    pro: str = Field(min_length=1, description="The proposition's claim.")
    con: str = Field(min_length=1, description="The opposition's claim.")


class Motion(_Strict):
    """A debate motion with an optional argument map (key points per side)."""

    id: str = Field(pattern=SLUG, description="Equals the seeds folder name of its sources.")
    title: str = Field(min_length=1, max_length=200, description="Short title.")
    question: str = Field(min_length=1, max_length=500, description="The question debated.")
    sides: Sides = Field(description="What pro and con argue.")
    format: DebateFormat = Field(
        default_factory=lambda: FORMATS["standard"], description="Default debate format."
    )
    key_points: list[KeyPoint] = Field(
        default_factory=list,
        max_length=MAX_KEY_POINTS,
        description="The argument map; empty means Q&A only.",
    )
    seed_documents: list[str] = Field(
        default_factory=list,
        description="File names of the motion's seed documents; the bot attributes their "
        'sentences to "the seed document" instead of asserting them.',
    )
    stance_labels: list[StanceLabel] = Field(
        default_factory=list,
        description="Further source sentences filed under the side they serve (beyond cards).",
    )

    @model_validator(mode="after")
    def _consistent_map(self) -> Motion:
        ids = [kp.id for kp in self.key_points]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate key point ids: {duplicates}")
        by_id = {kp.id: kp for kp in self.key_points}
        for kp in self.key_points:
            for target in kp.rebuts:
                if target not in by_id:
                    raise ValueError(f"{kp.id} rebuts unknown key point {target!r}")
                if by_id[target].side == kp.side:
                    raise ValueError(f"{kp.id} rebuts {target!r}, a point of its own side")
        if self.key_points and {kp.side for kp in self.key_points} != {"pro", "con"}:
            raise ValueError("an argument map needs key points for both sides")
        return self

    @property
    def has_map(self) -> bool:
        """Whether the motion can be debated (it has key points)."""
        return bool(self.key_points)

    def points(self, side: Side) -> list[KeyPoint]:
        """The key points of one side, in file order."""
        return [kp for kp in self.key_points if kp.side == side]

    def key_point(self, kp_id: str) -> KeyPoint:
        """One key point by id."""
        return next(kp for kp in self.key_points if kp.id == kp_id)

    def answers_to(self, kp_id: str) -> list[KeyPoint]:
        """Opposing key points that rebut ``kp_id``."""
        return [kp for kp in self.key_points if kp_id in kp.rebuts]

    def fingerprint(self) -> str:
        """A short hash of the argument map (changes when any key point changes)."""
        blob = json.dumps(
            [
                [kp.model_dump() for kp in self.key_points],
                [label.model_dump() for label in self.stance_labels],
            ],
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def parse_motion(text: str, origin: str) -> Motion:
    """Validate YAML text as a motion; errors name the origin."""
    try:
        data = yaml.safe_load(text)
        return Motion.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise InvalidInputError(f"{origin}: invalid motion: {exc}") from exc


def load_motion(path: Path) -> Motion:
    """Load ``seeds/<id>/motion.yaml``; the id must equal the folder name."""
    motion = parse_motion(path.read_text(encoding="utf-8"), str(path))
    if motion.id != path.parent.name:
        raise InvalidInputError(
            f"{path}: motion id {motion.id!r} differs from its folder {path.parent.name!r}"
        )
    return motion


def motion_terms(motion: Motion) -> list[str]:
    """Words framing may use freely: the motion's title, question, sides and key point tags."""
    tags = [kp.tag for kp in motion.key_points if kp.tag]
    return [motion.title, motion.question, motion.sides.pro, motion.sides.con, *tags]


class MotionRegistry:
    """All known motions: seeds plus the ones added at runtime (persisted in ``store_dir``)."""

    def __init__(self, seeds_dir: Path, store_dir: Path) -> None:
        self.seeds_dir = seeds_dir
        self.store_dir = store_dir
        self._motions: dict[str, Motion] = {}
        self._lock = threading.Lock()

    def load(self) -> MotionRegistry:
        """(Re)read every motion file; a broken file is an error, not a silent skip."""
        found: dict[str, Motion] = {}
        if self.seeds_dir.is_dir():
            for path in sorted(self.seeds_dir.glob(f"*/{MOTION_FILE}")):
                motion = load_motion(path)
                found[motion.id] = motion
        if self.store_dir.is_dir():
            for path in sorted(self.store_dir.glob("*.yaml")):
                motion = parse_motion(path.read_text(encoding="utf-8"), str(path))
                found.setdefault(motion.id, motion)
        with self._lock:
            self._motions = found
        log.info("motions: %s", ", ".join(sorted(found)) or "(none)")
        return self

    def list(self) -> list[Motion]:
        """Every motion, by id."""
        with self._lock:
            return [self._motions[k] for k in sorted(self._motions)]

    def get(self, motion_id: str) -> Motion:
        """One motion; NotFoundError when unknown."""
        with self._lock:
            motion = self._motions.get(motion_id)
        if motion is None:
            raise NotFoundError(f"no motion {motion_id!r}")
        return motion

    def add(self, motion: Motion) -> Motion:
        """Register a new motion and persist it so that it survives a restart."""
        with self._lock:
            if motion.id in self._motions:
                raise ConflictError(f"motion {motion.id!r} exists already")
            self.store_dir.mkdir(parents=True, exist_ok=True)
            path = self.store_dir / f"{motion.id}.yaml"
            tmp = path.with_suffix(".tmp")
            tmp.write_text(
                yaml.safe_dump(motion.model_dump(), sort_keys=False, allow_unicode=True),
                encoding="utf-8",
            )
            tmp.replace(path)
            self._motions[motion.id] = motion
        return motion
