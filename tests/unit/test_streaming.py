"""Streamed turns and answers over HTTP: only verified sentences, then the stored result.

The app runs in-process without its lifespan; the services are real (the mini motion in an
in-memory Chroma, the grounding verifier, SQLite sessions) and the model is a scripted fake.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.api.deps import get_debates, get_questions
from bot.app import create_app
from bot.domain.motions import MotionRegistry
from bot.domain.sessions import SQLiteSessionRepository
from bot.engines.base import DebateEngine
from bot.services.debates import DebateService
from bot.services.questions import QuestionService
from bot.settings import ChatSettings
from tests.support.fake_chat import draft, passage_with
from tests.support.fixtures_motion import MiniWorld, mini
from tests.support.sse import check_stream, parse_sse
from tests.unit.test_llm_engine import COST, MESSAGE, MODEL, build

__all__ = ["mini"]


def grounded(prompt: str) -> str:
    """A draft with a framing sentence and one verbatim claim."""
    number = passage_with(prompt, "900 million").number
    return draft(
        {"text": "The cost argument answers this.", "cites": []},
        {"text": COST, "cites": [{"passage": number, "quote": COST}]},
    )


class _Broken:
    """An engine whose every reply fails (a bug, not a client error)."""

    def reply_turn(self, ctx: object, message: str) -> object:
        raise RuntimeError("secret internal detail")


def app_with(world: MiniWorld, engine: DebateEngine, tmp_path: Path) -> TestClient:
    """The chat app with real services over ``world`` and ``engine``, lifespan not run."""
    motions = MotionRegistry(tmp_path / "seeds-unused", tmp_path / "motions")
    motions.add(world.motion)
    sessions = SQLiteSessionRepository(tmp_path / "sessions.db")
    debates = DebateService(motions, engine, world.verifier, sessions)
    questions = QuestionService(motions, engine, world.verifier)
    app = create_app(ChatSettings(retrieval={"remote_url": "http://unused.test"}))  # type: ignore[arg-type]
    app.dependency_overrides[get_debates] = lambda: debates
    app.dependency_overrides[get_questions] = lambda: questions
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(mini: MiniWorld, tmp_path: Path) -> TestClient:
    engine, _ = build(mini, grounded)
    return app_with(mini, engine, tmp_path)


def start(client: TestClient) -> str:
    response = client.post("/debates", json={"motion_id": "bridge", "user_side": "pro"})
    assert response.status_code == 201, response.text
    return str(response.json()["debate_id"])


@pytest.mark.parametrize(
    ("params", "headers"),
    [({"stream": "true"}, {}), ({}, {"accept": "text/event-stream"})],
    ids=["asked with ?stream=true", "asked with Accept: text/event-stream"],
)
def test_a_streamed_turn_sends_verified_sentences_then_the_stored_turn(
    client: TestClient, params: dict[str, str], headers: dict[str, str]
) -> None:
    debate_id = start(client)
    response = client.post(
        f"/debates/{debate_id}/turns", json={"message": MESSAGE}, params=params, headers=headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    done = check_stream(parse_sse(response.text))
    assert done["engine"] == MODEL
    assert [s["kind"] for s in done["sentences"]] == ["framing", "claim"]
    stored = client.get(f"/debates/{debate_id}").json()["turns"][-1]["reply"]
    assert stored == {k: done[k] for k in stored}


def test_json_is_still_the_default(client: TestClient) -> None:
    debate_id = start(client)
    response = client.post(f"/debates/{debate_id}/turns", json={"message": MESSAGE})
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["engine"] == MODEL


def test_a_streamed_answer_ends_with_the_whole_reply(client: TestClient) -> None:
    response = client.post(
        "/ask", json={"question": "What would the bridge cost?"}, params={"stream": "true"}
    )
    done = check_stream(parse_sse(response.text))
    assert done["engine"] == MODEL
    assert done["citations"][0]["quote"] in COST


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/debates/nope/turns", {"message": "hello there"}, 404),
        ("/ask", {"question": "  "}, 422),
        ("/ask", {"question": "cost?", "motion_id": "nope"}, 404),
    ],
    ids=["unknown debate", "empty question", "unknown motion"],
)
def test_bad_input_is_a_plain_4xx_before_any_stream(
    client: TestClient, path: str, body: dict[str, str], status: int
) -> None:
    response = client.post(path, json=body, params={"stream": "true"})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")


def test_a_failure_mid_stream_is_an_error_event_without_internals(
    mini: MiniWorld, tmp_path: Path
) -> None:
    client = app_with(mini, _Broken(), tmp_path)  # type: ignore[arg-type]
    debate_id = start(client)
    response = client.post(
        f"/debates/{debate_id}/turns", json={"message": MESSAGE}, params={"stream": "true"}
    )
    events = parse_sse(response.text)
    assert [name for name, _ in events] == ["error"]
    assert "secret" not in events[0][1]["error"]
    assert client.get(f"/debates/{debate_id}").json()["turns"] == []
