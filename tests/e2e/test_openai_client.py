"""The official ``openai`` client against a real server: debates, streaming, errors, the key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest

from tests.support.fixtures_chat import Checker
from tests.support.fixtures_e2e import E2E_KEY, LiveServer

pytestmark = pytest.mark.e2e

MODEL = "debate:us-hamas:con"  # the bot argues con, so the user argues pro
SPEECHES = [
    "Of course the United States can talk to Hamas directly. It has done it before with the "
    "PLO, and in 2020 it signed a peace deal with the Taliban without the Afghan government.",
    "A terrorist listing only blocks money, visas and assets. Nothing in the law forbids a US "
    "diplomat from sitting down with Hamas.",
    "In March 2025 the hostage envoy Adam Boehler met Hamas leaders in Doha himself, and the "
    "White House said he had the authority to do it.",
]


@pytest.fixture(scope="module")
def client(keyed_server: LiveServer) -> openai.OpenAI:
    """The OpenAI client pointed at the server, with the key as OpenAI clients send it."""
    return openai.OpenAI(base_url=f"{keyed_server.base_url}/v1", api_key=E2E_KEY, max_retries=0)


@pytest.fixture(scope="module")
def http(keyed_server: LiveServer) -> Iterator[httpx.Client]:
    """Plain HTTP to the same server (native API, documents, /verify)."""
    headers = {"Authorization": f"Bearer {E2E_KEY}"}
    with httpx.Client(base_url=keyed_server.base_url, headers=headers, timeout=60) as session:
        yield session


def _reply(client: openai.OpenAI, messages: list[Any], stream: bool) -> tuple[str, dict, int]:
    """The content, the debatebot report and the number of content chunks (1 unstreamed)."""
    if not stream:
        completion = client.chat.completions.create(model=MODEL, messages=messages)
        assert completion.object == "chat.completion"
        assert completion.choices[0].finish_reason == "stop"
        extra = completion.model_extra or {}
        return completion.choices[0].message.content or "", extra["debatebot"], 1
    pieces: list[str] = []
    report: dict | None = None
    for chunk in client.chat.completions.create(model=MODEL, messages=messages, stream=True):
        assert chunk.object == "chat.completion.chunk"
        choice = chunk.choices[0]
        if choice.delta.content:
            pieces.append(choice.delta.content)
        if choice.finish_reason == "stop":
            report = (chunk.model_extra or {})["debatebot"]
    assert report is not None, "the stream ended without a final chunk"
    return "".join(pieces), report, len(pieces)


def test_models_are_listed_per_motion_and_side(client: openai.OpenAI) -> None:
    ids = {model.id for model in client.models.list()}
    assert {"debate:us-hamas:pro", "debate:us-hamas:con", "ask:us-hamas"} <= ids


@pytest.mark.parametrize("stream", [False, True], ids=["whole replies", "streamed replies"])
def test_a_three_turn_debate_gets_grounded_replies(
    client: openai.OpenAI, http: httpx.Client, stream: bool
) -> None:
    checker = Checker(http)
    messages: list[Any] = [{"role": "system", "content": "You are my sparring partner."}]
    for turn, speech in enumerate(SPEECHES):
        messages.append({"role": "user", "content": speech})
        content, report, chunks = _reply(client, messages, stream)
        assert (report["turn"], report["bot_side"]) == (turn, "con")
        checker.grounded(report)
        checker.holds_side(report, "pro")
        assert report["citations"], report
        assert "\n\nSources:\n" in content
        for citation in report["citations"]:
            assert f"[{citation['marker']}]" in content
            assert f'"{citation["quote"]}"' in content
        if stream:  # one chunk per sentence, then the Sources list
            assert chunks == len(report["sentences"]) + 1
        messages.append({"role": "assistant", "content": content})


def test_the_same_conversation_gives_the_native_api_s_replies(
    client: openai.OpenAI, http: httpx.Client
) -> None:
    debate = http.post("/debates", json={"motion_id": "us-hamas", "user_side": "pro"})
    assert debate.status_code == 201, debate.text
    debate_id = debate.json()["debate_id"]
    messages: list[Any] = []
    for speech in SPEECHES:
        native = http.post(f"/debates/{debate_id}/turns", json={"message": speech})
        assert native.status_code == 200, native.text
        expected = native.json()
        messages.append({"role": "user", "content": speech})
        for stream in (False, True):
            content, report, _ = _reply(client, messages, stream)
            assert report["sentences"] == expected["sentences"]
            assert report["citations"] == expected["citations"]
            assert report["clash"] == expected["clash"]
            assert report["grounding"] == expected["grounding"]
            assert content.startswith(expected["text"])
        messages.append({"role": "assistant", "content": content})


def test_the_ask_model_answers_with_citations(client: openai.OpenAI, http: httpx.Client) -> None:
    question = "Since when has the United States designated Hamas a terrorist organization?"
    completion = client.chat.completions.create(
        model="ask:us-hamas", messages=[{"role": "user", "content": question}]
    )
    report = (completion.model_extra or {})["debatebot"]
    Checker(http).grounded(report)
    assert report["citations"]
    assert "1997" in (completion.choices[0].message.content or "")


ERRORS = [
    pytest.param(
        {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello"}]},
        openai.NotFoundError,
        404,
        id="an unknown model raises NotFoundError",
    ),
    pytest.param(
        {"model": MODEL, "messages": [{"role": "tool", "content": "42", "tool_call_id": "t1"}]},
        openai.BadRequestError,
        400,
        id="a bad role raises BadRequestError",
    ),
    pytest.param(
        {"model": MODEL, "messages": []},
        openai.BadRequestError,
        400,
        id="empty messages raise BadRequestError",
    ),
]


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "streamed"])
@pytest.mark.parametrize(("request_body", "error", "status"), ERRORS)
def test_errors_raise_the_client_s_own_exceptions(
    client: openai.OpenAI,
    request_body: dict[str, Any],
    error: type[openai.APIStatusError],
    status: int,
    stream: bool,
) -> None:
    with pytest.raises(error) as raised:
        client.chat.completions.create(**request_body, stream=stream)
    assert raised.value.status_code == status
    body = raised.value.body
    assert isinstance(body, dict)
    assert body["message"]
    assert body["type"] == "invalid_request_error"


@pytest.mark.parametrize("key", ["wrong-key", ""], ids=["a wrong key", "no key"])
def test_a_wrong_key_raises_authentication_error(keyed_server: LiveServer, key: str) -> None:
    stranger = openai.OpenAI(
        base_url=f"{keyed_server.base_url}/v1", api_key=key or "unused", max_retries=0
    )
    if not key:
        stranger = stranger.with_options(default_headers={"Authorization": ""})
    with pytest.raises(openai.AuthenticationError) as raised:
        stranger.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": SPEECHES[0]}]
        )
    assert raised.value.status_code == 401
    with pytest.raises(openai.AuthenticationError):
        stranger.models.list()
