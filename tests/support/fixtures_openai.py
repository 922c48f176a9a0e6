"""A recording fake engine and an app whose /v1 routes run on it (unit tests of the endpoint)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from bot.api.openai_compat import get_completions
from bot.app import create_app
from bot.domain.motions import Motion, MotionRegistry, Side
from bot.domain.replies import Citation, Reply, Sentence
from bot.engines.base import Case, TurnContext, TurnResult
from bot.services.chat_completions import ChatCompletionService, ScratchSessions
from bot.services.debates import DebateService
from bot.services.questions import QuestionService
from bot.settings import ChatSettings
from bot.verify.base import SupportResult
from tests.support.fixtures_motion import MOTION

QA_ONLY = {
    "id": "library",
    "title": "A city library",
    "question": "What does the library hold?",
    "sides": {"pro": "It holds a lot.", "con": "It holds little."},
}
QUOTE = "The bridge would cost 900 million dollars."


def _citation(marker: int) -> Citation:
    return Citation(
        marker=marker,
        passage_id=f"p{marker}",
        doc_id="d1",
        title="Cost brief",
        url="https://example.org/cost",
        start=0,
        end=len(QUOTE),
        quote=QUOTE,
    )


@dataclass
class RecordingEngine:
    """Replies built from the context it was given; keeps every (context, message) call."""

    calls: list[tuple[TurnContext, str]] = field(default_factory=list)

    def reply_turn(self, ctx: TurnContext, message: str) -> TurnResult:
        """A framing sentence naming the turn and a claim citing marker 1."""
        self.calls.append((ctx, message))
        framing = f"Turn {ctx.turn} ({ctx.round.name}) for {ctx.bot_side}, answering: {message}."
        claim = f"{QUOTE} [1]"
        reply = Reply(
            text=f"{framing} {claim}",
            sentences=[
                Sentence(text=framing, kind="framing", supported=True, support=1.0),
                Sentence(text=claim, kind="claim", citations=[1], supported=True, support=1.0),
            ],
            citations=[_citation(1)],
        )
        used = (*sorted(ctx.used_evidence), f"ev-{ctx.turn}")
        return TurnResult(reply, used, (*ctx.advanced_points, f"kp-{ctx.turn}"))

    def build_case(self, motion: Motion, side: Side) -> Case:
        """Not used by /v1."""
        raise NotImplementedError

    def answer(self, question: str, motion: Motion | None) -> Reply:
        """One framing sentence echoing the question."""
        text = f"Asked about {motion.id if motion else 'all'}: {question}"
        return Reply(text=text, sentences=[Sentence(text=text, kind="framing", supported=True)])


class PassThroughVerifier:
    """Accepts every reply as it is."""

    def verify(
        self,
        reply: Reply,
        allowed_terms: frozenset[str] = frozenset(),
        side: Side | None = None,
        stance: Any = None,
    ) -> Reply:
        """The reply unchanged."""
        return reply

    def check_span(self, claim: str, doc_id: str, start: int, end: int) -> SupportResult:
        """Always supported."""
        return SupportResult(True, 1.0)

    def prepare(self, evidence: Sequence[str]) -> None:
        """Nothing to prepare."""

    def prepare_claim(self, claim: str) -> None:
        """Nothing to prepare."""


@dataclass
class FakeWorld:
    """The /v1 app over the recording engine, and the engine to inspect."""

    client: TestClient
    engine: RecordingEngine
    app: Any


def motions_in(root: Path) -> MotionRegistry:
    """The bridge motion (with a map) and a Q&A-only motion."""
    for data in (MOTION, QA_ONLY):
        folder = root / "seeds" / data["id"]
        folder.mkdir(parents=True)
        (folder / "motion.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return MotionRegistry(root / "seeds", root / "store").load()


@pytest.fixture
def fake_v1(tmp_path: Path) -> Iterator[FakeWorld]:
    """The real app (routes, error mapping) with /v1 served by fakes; no lifespan runs."""
    motions = motions_in(tmp_path)
    engine = RecordingEngine()
    verifier = PassThroughVerifier()
    debates = DebateService(motions, engine, verifier, ScratchSessions())
    service = ChatCompletionService(motions, debates, QuestionService(motions, engine, verifier))
    app = create_app(ChatSettings(data_dir=tmp_path / "data", chroma={"mode": "memory"}))  # type: ignore[arg-type]
    app.dependency_overrides[get_completions] = lambda: service
    yield FakeWorld(TestClient(app), engine, app)
    app.dependency_overrides.clear()


def sse_chunks(text: str) -> list[Any]:
    """The ``data:`` payloads of an SSE body, JSON-decoded except the final ``[DONE]``."""
    payloads = [line[len("data: ") :] for line in text.splitlines() if line.startswith("data: ")]
    return [p if p == "[DONE]" else json.loads(p) for p in payloads]
