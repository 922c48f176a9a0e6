"""Fixtures and checks shared by the chat API tests (real ONNX model, real Chroma)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.settings import ChatSettings
from tests.support.fixtures_servers import REPO

MOTION_ID = "us-hamas"
DATA = Path(__file__).parent / "data"
QUESTIONS = yaml.safe_load((DATA / "chat_questions.yaml").read_text())

Client = TestClient | httpx.Client


def chat_settings(data_dir: Path, chroma_mode: str = "memory") -> ChatSettings:
    """Settings for a test app: the repo's seeds and prompts, state under ``data_dir``."""
    return ChatSettings(
        data_dir=data_dir,
        seeds_dir=REPO / "seeds",
        prompts_dir=REPO / "prompts",
        chroma={"mode": chroma_mode},
    )


@pytest.fixture(scope="module")
def chat_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The whole app in-process (embedded Chroma in memory, sessions in a temp dir)."""
    settings = chat_settings(tmp_path_factory.mktemp("chat"))
    with TestClient(create_app(settings)) as client:
        yield client


class Checker:
    """Checks every reply against the documents and passage stances the API serves."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self._documents: dict[str, str] = {}
        self._stances: dict[str, str] = {}

    def document_text(self, doc_id: str) -> str:
        """GET /documents/{doc_id} text (cached)."""
        if doc_id not in self._documents:
            response = self.client.get(f"/documents/{doc_id}")
            assert response.status_code == 200, response.text
            self._documents[doc_id] = response.json()["text"]
        return self._documents[doc_id]

    def stance(self, passage_id: str) -> str:
        """The stance label stored on a passage."""
        if passage_id not in self._stances:
            response = self.client.get(f"/passages/{passage_id}")
            assert response.status_code == 200, response.text
            self._stances[passage_id] = str(response.json()["metadata"].get("stance", ""))
        return self._stances[passage_id]

    def grounded(self, reply: dict[str, Any]) -> None:
        """Grounding rate 1.0 and every quote byte-exact at its offsets."""
        assert reply["grounding"]["rate"] == 1.0, reply["grounding"]
        markers = {c["marker"] for c in reply["citations"]}
        for citation in reply["citations"]:
            text = self.document_text(citation["doc_id"])
            assert citation["quote"] == text[citation["start"] : citation["end"]]
        by_marker = {c["marker"]: c for c in reply["citations"]}
        for sentence in reply["sentences"]:
            if sentence["kind"] == "claim":
                assert sentence["citations"], sentence
                assert set(sentence["citations"]) <= markers
                for marker in sentence["citations"]:
                    self.supported(sentence["text"], by_marker[marker])
            else:
                assert not sentence["citations"], sentence

    def supported(self, claim: str, citation: dict[str, Any]) -> None:
        """Re-check a sent claim against its cited span through POST /verify."""
        span = {k: citation[k] for k in ("doc_id", "start", "end")}
        response = self.client.post("/verify", json={"claim": claim, **span})
        assert response.status_code == 200, response.text
        assert response.json()["supported"], (claim, response.json())

    def holds_side(self, reply: dict[str, Any], user_side: str) -> None:
        """No claim cites a passage of the user's side, except a marked concession."""
        by_marker = {c["marker"]: c for c in reply["citations"]}
        conceded = any(item["conceded"] for item in reply["clash"])
        for sentence in reply["sentences"]:
            if sentence["kind"] != "claim":
                continue
            for marker in sentence["citations"]:
                stance = self.stance(by_marker[marker]["passage_id"])
                if stance == user_side:
                    assert sentence["concession"], sentence
                    assert conceded
                    assert "concede" in reply["text"].lower()

    def clash_answered(self, reply: dict[str, Any]) -> None:
        """Each matched user point gets a rebuttal or an explicit concession."""
        for item in reply["clash"]:
            assert item["key_point_id"], item
            assert item["conceded"] or item["answered_by"], item
            if item["conceded"]:
                assert "concede" in reply["text"].lower()


@cache
def debate_scripts() -> dict[str, list[str]]:
    """Six-turn scripts per user side (plain arguments, as a debater would type them)."""
    return yaml.safe_load((DATA / "debate_scripts.yaml").read_text())
