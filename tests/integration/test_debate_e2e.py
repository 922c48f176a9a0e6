"""Scripted debates, Q&A, manipulation and error cases over HTTP (in-process app)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.fixtures_chat import (
    MOTION_ID,
    QUESTIONS,
    Checker,
    chat_client,
    debate_scripts,
)

pytestmark = pytest.mark.integration
__all__ = ["chat_client"]  # the fixture, re-exported for pytest


def start(client: TestClient, user_side: str, **extra: Any) -> dict[str, Any]:
    """POST /debates and return the body."""
    response = client.post(
        "/debates", json={"motion_id": MOTION_ID, "user_side": user_side, **extra}
    )
    assert response.status_code == 201, response.text
    return response.json()


def turn(client: TestClient, debate_id: str, message: str) -> dict[str, Any]:
    """POST a turn and return the reply."""
    response = client.post(f"/debates/{debate_id}/turns", json={"message": message})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("user_side", ["pro", "con"], ids=["user argues pro", "user argues con"])
def test_six_turn_debate_is_grounded_holds_side_and_clashes(
    chat_client: TestClient, user_side: str
) -> None:
    checker = Checker(chat_client)
    debate = start(chat_client, user_side)
    assert debate["bot_side"] != user_side
    rounds = debate["format"]["rounds"]
    cited: list[str] = []
    clashes = 0
    for index, message in enumerate(debate_scripts()[user_side]):
        reply = turn(chat_client, debate["debate_id"], message)
        assert reply["turn"] == index
        assert reply["round"] == rounds[index]["name"]
        assert len(reply["text"].split()) <= rounds[index]["max_words"]
        assert reply["grounding"]["claims"] >= 1
        checker.grounded(reply)
        checker.holds_side(reply, user_side)
        checker.clash_answered(reply)
        clashes += len(reply["clash"])
        cited += [f"{c['doc_id']}:{c['start']}" for c in reply["citations"]]
    assert clashes >= 4, "most scripted speeches make a recognisable point"
    assert len(cited) == len(set(cited)), "evidence is not repeated while unused evidence remains"
    transcript = chat_client.get(f"/debates/{debate['debate_id']}").json()
    assert [t["message"] for t in transcript["turns"]] == debate_scripts()[user_side]


@pytest.mark.parametrize("user_side", ["pro", "con"])
def test_manipulation_does_not_move_the_bot(chat_client: TestClient, user_side: str) -> None:
    checker = Checker(chat_client)
    debate = start(chat_client, user_side)
    for message in debate_scripts()["manipulation"]:
        reply = turn(chat_client, debate["debate_id"], message)
        checker.grounded(reply)
        checker.holds_side(reply, user_side)
        assert f"{debate['bot_side']} side" in reply["text"]
        assert not any(s["concession"] for s in reply["sentences"])


@pytest.mark.parametrize("question", QUESTIONS["answerable"])
def test_questions_are_answered_with_exact_citations(
    chat_client: TestClient, question: str
) -> None:
    response = chat_client.post("/ask", json={"question": question, "motion_id": MOTION_ID})
    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["grounding"]["claims"] >= 1, reply["text"]
    Checker(chat_client).grounded(reply)


@pytest.mark.parametrize("question", QUESTIONS["unanswerable"])
def test_questions_the_sources_do_not_answer_get_an_abstention(
    chat_client: TestClient, question: str
) -> None:
    reply = chat_client.post("/ask", json={"question": question}).json()
    assert reply["grounding"]["claims"] == 0
    assert reply["citations"] == []
    assert "do not answer" in reply["text"]


@pytest.mark.parametrize("side", ["pro", "con"])
def test_case_lists_key_points_with_evidence_and_rebuttals(
    chat_client: TestClient, side: str
) -> None:
    case = chat_client.get(f"/motions/{MOTION_ID}/case", params={"side": side}).json()
    Checker(chat_client).grounded(case["reply"])
    assert len(case["points"]) >= 6
    assert sum(bool(p["citations"]) for p in case["points"]) >= 5
    assert any(p["rebuttals"] for p in case["points"])


def test_verify_accepts_a_quote_and_rejects_a_distortion(chat_client: TestClient) -> None:
    hit = chat_client.post("/search", json={"query": "Boehler met Hamas in Doha", "k": 1}).json()
    passage = hit["results"][0]
    sentence = passage["text"].split(". ")[0] + "."
    ok = chat_client.post("/verify", json={"claim": sentence, "passage_id": passage["passage_id"]})
    assert ok.json()["supported"] is True
    bad = chat_client.post(
        "/verify",
        json={
            "claim": "Boehler met Hezbollah leaders in Beirut in 1983.",
            "doc_id": passage["doc_id"],
            "start": passage["start"],
            "end": passage["end"],
        },
    )
    assert bad.status_code == 200
    assert bad.json()["supported"] is False
    assert bad.json()["reasons"]
    finding = bad.json()["findings"][0]
    assert finding["check"]
    assert finding["claim_part"]
    assert finding["evidence_part"]


def test_motions_are_listed_and_added(chat_client: TestClient) -> None:
    listed = chat_client.get("/motions").json()["motions"]
    assert any(m["id"] == MOTION_ID and m["debatable"] for m in listed)
    motion = chat_client.get(f"/motions/{MOTION_ID}").json()
    assert len([k for k in motion["key_points"] if k["side"] == "pro"]) >= 6
    new = {
        "id": "qa-only",
        "title": "A question-only motion",
        "question": "Is this motion debatable?",
        "sides": {"pro": "Yes.", "con": "No."},
    }
    assert chat_client.post("/motions", json=new).status_code == 201
    assert chat_client.post("/motions", json=new).status_code == 409
    assert chat_client.get("/motions/qa-only").json()["key_points"] == []
    refused = chat_client.post("/debates", json={"motion_id": "qa-only", "user_side": "pro"})
    assert refused.status_code == 422


LONG = "x" * 4001


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/motions/nope", None, 404),
        ("get", "/debates/nope", None, 404),
        ("post", "/debates", {"motion_id": "nope", "user_side": "pro"}, 404),
        ("post", "/debates", {"motion_id": MOTION_ID, "user_side": "maybe"}, 422),
        ("post", "/debates", {"motion_id": MOTION_ID}, 422),
        ("post", "/debates", {"motion_id": MOTION_ID, "user_side": "pro", "format": "x"}, 422),
        ("post", "/debates/nope/turns", {"message": "hello there"}, 404),
        ("post", "/ask", {"question": ""}, 422),
        ("post", "/ask", {"question": "What?", "motion_id": "nope"}, 404),
        ("get", f"/motions/{MOTION_ID}/case?side=both", None, 422),
        ("get", "/motions/nope/case?side=pro", None, 404),
        ("post", "/verify", {"claim": "x", "passage_id": "nope"}, 404),
        ("post", "/verify", {"claim": "x"}, 422),
        ("post", "/verify", {"claim": "x", "doc_id": "nope", "start": 0, "end": 5}, 404),
        ("post", "/motions", {"id": "Bad Id!", "title": "t", "question": "q"}, 422),
        (
            "post",
            "/motions",
            {
                "id": "ok",
                "title": "t",
                "question": "q",
                "sides": {"pro": "a", "con": "b"},
                "extra": 1,
            },
            422,
        ),  # noqa: E501
    ],
    ids=lambda v: v if isinstance(v, str) and v.startswith("/") else None,
)
def test_bad_requests_get_4xx_never_500(
    chat_client: TestClient, method: str, path: str, body: Any, status: int
) -> None:
    response = getattr(chat_client, method)(path, **({"json": body} if body is not None else {}))
    assert response.status_code == status, response.text
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "message", ["", "   \n ", LONG], ids=["empty message", "blank message", "message over limit"]
)
def test_bad_turn_messages_get_422(chat_client: TestClient, message: str) -> None:
    debate = start(chat_client, "pro")
    response = chat_client.post(f"/debates/{debate['debate_id']}/turns", json={"message": message})
    assert response.status_code == 422
    assert "message" in str(response.json()["detail"])


def test_malformed_json_gets_422(chat_client: TestClient) -> None:
    response = chat_client.post(
        "/debates", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
