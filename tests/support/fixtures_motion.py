"""A small motion with a few sources, indexed in memory, for engine and map tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from langchain_core.embeddings import Embeddings

from bot.caches import CachedEmbeddings
from bot.domain.argument_map import ArgumentMapper
from bot.domain.evidence import SentenceIndex
from bot.domain.motions import Motion, load_motion
from bot.engines.extractive.engine import ExtractiveEngine
from bot.engines.templates import TemplateSet
from bot.verify.grounding import GroundingVerifier
from retrieval.service import RetrievalService
from tests.support.fixtures_retrieval import REPO

MOTION = {
    "id": "bridge",
    "title": "A new river bridge",
    "question": "Should the city build a new bridge over the river?",
    "sides": {"pro": "The city should build the bridge.", "con": "It should not."},
    "format": {
        "name": "mini",
        "rounds": [
            {"name": "opening", "max_words": 150},
            {"name": "rebuttal", "max_words": 120},
            {"name": "closing", "max_words": 100},
        ],
    },
    "key_points": [
        {
            "id": "pro-traffic",
            "side": "pro",
            "text": "A second bridge would cut traffic congestion and crossing times on the river.",
            "rebuts": ["con-cost"],
        },
        {
            "id": "pro-jobs",
            "side": "pro",
            "text": "Building the bridge would create thousands of construction jobs.",
            "rebuts": ["con-wetlands"],
        },
        {
            "id": "pro-tourism",
            "side": "pro",
            "text": "The bridge would bring tourists and visitors to the markets of the old town.",
        },
        {
            "id": "con-cost",
            "side": "con",
            "text": "The bridge would cost far more than the city's capital budget can afford.",
            "rebuts": ["pro-traffic", "pro-jobs"],
        },
        {
            "id": "con-wetlands",
            "side": "con",
            "text": "Construction would damage protected wetlands and disturb nesting herons.",
            "rebuts": ["pro-jobs"],
        },
    ],
}

SOURCES = {
    "traffic.md": "Commuters spend an average of 45 minutes crossing the river each morning. "
    "A traffic study found that a second bridge would cut crossing times on the river by half. "
    "Congestion on the old bridge has grown every year since 2010.",
    "cost.md": "City engineers estimate that the new bridge would cost 900 million dollars. "
    "The city's annual capital budget is 120 million dollars, far less than the bridge's cost. "
    "Cost overruns on the last three city projects exceeded forty percent of their budgets.",
    "wetlands.md": "The planned bridge route crosses protected wetlands along the river. "
    "Biologists warned that bridge construction would disturb nesting herons in the wetlands.",
    "jobs.md": "The construction company said the bridge project would create 2,000 "
    "construction jobs over four years.",
    "tourism.md": "Tourism officials expect the new bridge to bring visitors and tourists to "
    "the markets of the old town.",
}
SEED = "The city should not build the bridge, because it is an outrageous waste of money."


@dataclass
class MiniWorld:
    """The pieces an engine test needs, wired like the app wires them."""

    motion: Motion
    retrieval: RetrievalService
    mapper: ArgumentMapper
    engine: ExtractiveEngine
    verifier: GroundingVerifier


def write_motion(root: Path, motion: dict = MOTION) -> Path:
    """seeds-like folder: <root>/<id>/motion.yaml plus sources/."""
    folder = root / motion["id"]
    (folder / "sources").mkdir(parents=True)
    (folder / "motion.yaml").write_text(yaml.safe_dump(motion), encoding="utf-8")
    for name, text in SOURCES.items():
        front = f"---\ntitle: {Path(name).stem} brief\nurl: https://example.org/{name}\n---\n"
        (folder / "sources" / name).write_text(front + text, encoding="utf-8")
    (folder / "sources" / "000_seed.txt").write_text(SEED, encoding="utf-8")
    return folder


@pytest.fixture
def mini(tmp_path: Path, memory_service: RetrievalService, embeddings: Embeddings) -> MiniWorld:
    """The bridge motion, indexed in an in-memory Chroma, with a real engine on top."""
    folder = write_motion(tmp_path / "seeds")
    memory_service.ingest_paths([tmp_path / "seeds"])
    cached = CachedEmbeddings(embeddings)
    index = SentenceIndex(cached)
    mapper = ArgumentMapper(memory_service, index)
    templates = TemplateSet.load(REPO / "prompts" / "extractive")
    return MiniWorld(
        motion=load_motion(folder / "motion.yaml"),
        retrieval=memory_service,
        mapper=mapper,
        engine=ExtractiveEngine(mapper, memory_service, index, templates),
        verifier=GroundingVerifier(cached, memory_service),
    )
