"""Sparring framing that must be true of the transcript, over the real chat API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support.fixtures_chat import chat_client

pytestmark = pytest.mark.integration
__all__ = ["chat_client"]  # the fixture, re-exported for pytest

DEFENCE = ("survives your challenge", "still holds", "still stands", "i stand by what i said")


def _debate(client: TestClient, user_side: str) -> str:
    created = client.post("/debates", json={"motion_id": "us-hamas", "user_side": user_side})
    assert created.status_code == 201
    return str(created.json()["debate_id"])


def _turn(client: TestClient, debate_id: str, message: str) -> dict:
    reply = client.post(f"/debates/{debate_id}/turns", json={"message": message})
    assert reply.status_code == 200
    return dict(reply.json())


def test_no_point_is_defended_before_the_bot_made_it(chat_client: TestClient) -> None:
    motion = chat_client.get("/motions/us-hamas").json()
    point = next(kp for kp in motion["key_points"] if kp["side"] == "pro")
    debate = _debate(chat_client, "con")
    speech = (
        f"My opponent will say that {point['text'][0].lower()}{point['text'][1:]} That is wrong."
    )
    reply = _turn(chat_client, debate, speech)
    text = reply["text"].lower()
    assert not any(phrase in text for phrase in DEFENCE), reply["text"]
