"""A real small model as the debater: ``debatebot local-llm`` serves it, the chat API uses it.

No mocks on this path: the model server is the CLI command (llama.cpp's OpenAI-compatible
server on the packaged SmolLM2), the chat app is built by ``create_app`` with
``llm.model=openai:<name>`` and ``llm.base_url`` as the command printed them, and a debate and
questions run over HTTP, streamed and not. Whatever the small model says, the guarantees hold:
every claim sent is verified and byte-exact, no reply is empty (the fallback works), ``engine``
tells the truth, and the side holds.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.settings import ChatSettings
from tests.support.fixtures_chat import MOTION_ID, Checker, chat_settings, debate_scripts
from tests.support.fixtures_servers import REPO, debatebot_command, free_port, stop_process
from tests.support.sse import check_stream, parse_sse

pytestmark = pytest.mark.e2e
USER_SIDE = "pro"


@dataclass(frozen=True)
class LocalModel:
    """What ``debatebot local-llm`` printed, and its output so far."""

    model: str
    base_url: str
    log: Path

    def completions(self) -> int:
        """Chat completions the server answered so far (its access log)."""
        return self.log.read_text(errors="replace").count("POST /v1/chat/completions")


def _read_settings(process: subprocess.Popen[str], timeout: float = 180.0) -> dict[str, str]:
    """The ``DEBATEBOT_LLM__*`` lines the command prints once its server answers."""
    assert process.stdout is not None
    found: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    while len(found) < 2 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"debatebot local-llm exited with {process.poll()}")
        name, _, value = line.strip().partition("=")
        if name.startswith("DEBATEBOT_LLM__"):
            found[name] = value
    return found


@pytest.fixture(scope="module")
def local_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalModel]:
    """``debatebot local-llm --port N`` on a free loopback port, for the whole module."""
    log = tmp_path_factory.mktemp("local-llm") / "llm.log"
    port = free_port()
    process = subprocess.Popen(
        [*debatebot_command(), "local-llm", "--port", str(port), "--log", str(log)],
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        printed = _read_settings(process)
        model = LocalModel(printed["DEBATEBOT_LLM__MODEL"], printed["DEBATEBOT_LLM__BASE_URL"], log)
        assert model.base_url == f"http://127.0.0.1:{port}/v1"
        assert model.model.startswith("openai:")
        yield model
    finally:
        stop_process(process, timeout=20)


@pytest.fixture(scope="module")
def client(
    local_model: LocalModel, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The chat app pointed at the local model server, as the command said."""
    base = chat_settings(tmp_path_factory.mktemp("chat"))
    settings = ChatSettings(
        **base.model_dump(exclude={"llm"}),
        llm={
            "model": local_model.model,
            "base_url": local_model.base_url,
            "max_tokens": 400,  # the grammar's bounds close the JSON well within this
            "timeout": 150,
        },
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def holds_guarantees(checker: Checker, reply: dict[str, Any], model: str) -> None:
    """Verified and byte-exact, never empty, the engine named truthfully, the side held."""
    assert reply["sentences"], "no reply is empty"
    assert reply["grounding"]["claims"] >= 1, reply["text"]
    checker.grounded(reply)
    assert reply["engine"] in {model, "extractive"}
    if reply["engine"] == model:
        assert reply["fallback_reason"] is None
    else:
        assert reply["fallback_reason"].startswith(f"{model}: "), reply["fallback_reason"]


def holds_side(checker: Checker, reply: dict[str, Any]) -> None:
    """No claim cites a passage of the user's side, except a concession said as one."""
    by_marker = {c["marker"]: c for c in reply["citations"]}
    for sentence in reply["sentences"]:
        if sentence["kind"] != "claim":
            continue
        for marker in sentence["citations"]:
            if checker.stance(by_marker[marker]["passage_id"]) == USER_SIDE:
                assert sentence["concession"], sentence
                assert "concede" in reply["text"].lower()


def test_a_three_turn_debate_streamed_and_not(client: TestClient, local_model: LocalModel) -> None:
    checker = Checker(client)
    created = client.post("/debates", json={"motion_id": MOTION_ID, "user_side": USER_SIDE})
    assert created.status_code == 201, created.text
    debate_id = created.json()["debate_id"]
    calls = local_model.completions()
    sent = []
    for index, message in enumerate(debate_scripts()[USER_SIDE][:3]):
        streamed = index == 1
        response = client.post(
            f"/debates/{debate_id}/turns",
            json={"message": message},
            params={"stream": "true"} if streamed else {},
        )
        assert response.status_code == 200, response.text
        reply = check_stream(parse_sse(response.text)) if streamed else response.json()
        assert reply["turn"] == index
        holds_guarantees(checker, reply, local_model.model)
        holds_side(checker, reply)
        sent.append(reply)
    assert local_model.completions() >= calls + 3, "every turn asked the model"
    stored = client.get(f"/debates/{debate_id}").json()["turns"]
    for turn, reply in zip(stored, sent, strict=True):
        assert turn["reply"] == {k: reply[k] for k in turn["reply"]}, "stored == sent"


@pytest.mark.parametrize("streamed", [False, True], ids=["as JSON", "as server-sent events"])
def test_questions_are_answered_with_verified_claims(
    client: TestClient, local_model: LocalModel, streamed: bool
) -> None:
    question = (
        "Who met Hamas officials in Doha in March 2025?"
        if streamed
        else "What does US law say about material support to Hamas?"
    )
    calls = local_model.completions()
    response = client.post(
        "/ask",
        json={"question": question, "motion_id": MOTION_ID},
        params={"stream": "true"} if streamed else {},
    )
    assert response.status_code == 200, response.text
    reply = check_stream(parse_sse(response.text)) if streamed else response.json()
    holds_guarantees(Checker(client), reply, local_model.model)
    assert local_model.completions() > calls, "the question asked the model"
