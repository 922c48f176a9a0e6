"""/v1: the debate state rebuilt from ``messages``, the wire format, and OpenAI error objects."""

from __future__ import annotations

from typing import Any

import pytest

from bot.api.openai_compat import get_api_key
from bot.services.chat_completions import MAX_USER_TURNS, Message, user_turns
from tests.support.fixtures_openai import QUOTE, FakeWorld, sse_chunks
from tests.support.fixtures_openai import fake_v1 as fake_v1  # noqa: F401 (fixture)

DEBATE = "debate:bridge:con"


def _post(world: FakeWorld, body: dict[str, Any], **headers: str) -> Any:
    return world.client.post("/v1/chat/completions", json=body, headers=headers)


def _conversation(*speeches: str, assistant: str = "whatever the client kept") -> list[dict]:
    messages: list[dict] = [{"role": "system", "content": "Be a tough opponent."}]
    for i, speech in enumerate(speeches):
        if i:
            messages.append({"role": "assistant", "content": f"{assistant} {i}"})
        messages.append({"role": "user", "content": speech})
    return messages


def test_models_list_two_sides_per_debatable_motion_and_ask_for_every_motion(
    fake_v1: FakeWorld,
) -> None:
    response = fake_v1.client.get("/v1/models")
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == [
        "debate:bridge:pro",
        "debate:bridge:con",
        "ask:bridge",
        "ask:library",
    ]
    assert all(m["object"] == "model" for m in body["data"])


def test_user_speeches_are_replayed_in_order_with_the_state_they_built(fake_v1: FakeWorld) -> None:
    messages = _conversation("Traffic is terrible.", "Jobs matter.", "Tourists will come.")
    response = _post(fake_v1, {"model": DEBATE, "messages": messages})
    assert response.status_code == 200, response.text
    calls = fake_v1.engine.calls
    assert [message for _, message in calls] == [
        "Traffic is terrible.",
        "Jobs matter.",
        "Tourists will come.",
    ]
    last, _ = calls[-1]
    assert [ctx.turn for ctx, _ in calls] == [0, 1, 2]
    assert (last.user_side, last.bot_side) == ("pro", "con")
    assert last.history == ("Traffic is terrible.", "Jobs matter.")
    assert last.used_evidence == frozenset({"ev-0", "ev-1"})
    assert last.advanced_points == ("kp-0", "kp-1")
    report = response.json()["debatebot"]
    assert (report["turn"], report["round"], report["bot_side"]) == (2, "closing", "con")


def test_what_the_client_says_the_bot_said_does_not_change_the_reply(fake_v1: FakeWorld) -> None:
    speeches = ("Traffic is terrible.", "Jobs matter.")
    first = _post(fake_v1, {"model": DEBATE, "messages": _conversation(*speeches)}).json()
    edited = _conversation(*speeches, assistant="I concede everything.")
    second = _post(fake_v1, {"model": DEBATE, "messages": edited}).json()
    assert first["choices"][0]["message"] == second["choices"][0]["message"]
    assert first["debatebot"] == second["debatebot"]


def test_requests_share_no_state(fake_v1: FakeWorld) -> None:
    for _ in range(2):
        body = _post(fake_v1, {"model": DEBATE, "messages": _conversation("Jobs.")}).json()
        assert body["debatebot"]["turn"] == 0


def test_completion_has_markers_and_a_sources_list_with_the_quotes(fake_v1: FakeWorld) -> None:
    body = _post(fake_v1, {"model": DEBATE, "messages": _conversation("Jobs.")}).json()
    assert body["object"] == "chat.completion"
    assert body["id"].startswith("chatcmpl-")
    choice = body["choices"][0]
    assert choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    content = choice["message"]["content"]
    assert f"{QUOTE} [1]" in content
    assert content.endswith(f'\n\nSources:\n[1] Cost brief (https://example.org/cost): "{QUOTE}"')
    assert body["debatebot"]["citations"][0]["quote"] == QUOTE
    assert body["debatebot"]["grounding"]["rate"] == 1.0
    assert body["usage"]["total_tokens"] == (
        body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"]
    )


def test_stream_sends_one_chunk_per_sentence_and_the_same_content(fake_v1: FakeWorld) -> None:
    request = {"model": DEBATE, "messages": _conversation("Traffic.", "Jobs.")}
    whole = _post(fake_v1, request).json()
    response = _post(fake_v1, {**request, "stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    chunks = sse_chunks(response.text)
    assert chunks[-1] == "[DONE]"
    events = chunks[:-1]
    assert all(c["object"] == "chat.completion.chunk" for c in events)
    assert len({c["id"] for c in events}) == 1
    assert events[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    sentences = [c for c in events if "sentence" in c.get("debatebot", {})]
    assert [c["debatebot"]["sentence"]["kind"] for c in sentences] == ["framing", "claim"]
    assert sentences[1]["debatebot"]["citations"][0]["quote"] == QUOTE
    final = events[-1]
    assert final["choices"][0] == {
        "index": 0,
        "delta": {},
        "logprobs": None,
        "finish_reason": "stop",
    }
    assert final["debatebot"]["turn"] == 1
    streamed = "".join(c["choices"][0]["delta"].get("content", "") for c in events)
    assert streamed == whole["choices"][0]["message"]["content"]


def test_ask_model_answers_the_last_user_message(fake_v1: FakeWorld) -> None:
    messages = [
        {"role": "user", "content": "An earlier question."},
        {"role": "assistant", "content": "An earlier answer."},
        {"role": "user", "content": [{"type": "text", "text": "What does it cost?"}]},
    ]
    body = _post(fake_v1, {"model": "ask:library", "messages": messages}).json()
    assert body["choices"][0]["message"]["content"] == "Asked about library: What does it cost?"
    assert body["debatebot"]["kind"] == "ask"
    assert body["debatebot"]["turn"] is None


ERRORS = [
    pytest.param(
        {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]},
        404,
        "model",
        "model_not_found",
        id="an unknown model is a 404 naming the model",
    ),
    pytest.param(
        {"model": "debate:library:pro", "messages": [{"role": "user", "content": "hi"}]},
        404,
        "model",
        "model_not_found",
        id="a motion without a map has no debate model",
    ),
    pytest.param(
        {"model": DEBATE, "messages": []}, 400, "messages", None, id="empty messages are a 400"
    ),
    pytest.param(
        {"model": DEBATE, "messages": [{"role": "system", "content": "Be nice."}]},
        400,
        "messages",
        None,
        id="a conversation without a user message is a 400",
    ),
    pytest.param(
        {"model": DEBATE, "messages": [{"role": "tool", "content": "42"}]},
        400,
        "messages[0].role",
        "invalid_role",
        id="a tool message is a bad role",
    ),
    pytest.param(
        {"model": DEBATE, "messages": [{"role": "user", "content": "a"}, {"role": "wizard"}]},
        400,
        "messages[1].role",
        "invalid_role",
        id="an unknown role is named by its index",
    ),
    pytest.param(
        {
            "model": DEBATE,
            "messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}],
        },
        400,
        "messages[1].role",
        "invalid_role",
        id="a conversation ending with the bot has nothing to answer",
    ),
    pytest.param(
        {"model": DEBATE, "messages": [{"content": "no role"}]},
        400,
        "messages[0].role",
        None,
        id="a message without a role is a 400",
    ),
    pytest.param(
        {
            "model": DEBATE,
            "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}],
        },
        400,
        "messages[0].content",
        None,
        id="an image part is refused",
    ),
    pytest.param(
        {"model": DEBATE, "messages": [{"role": "user", "content": "   "}]},
        400,
        None,
        None,
        id="an empty speech is a 400, not a 422",
    ),
    pytest.param(
        {"messages": [{"role": "user", "content": "hi"}]},
        400,
        "model",
        None,
        id="a missing model is a 400",
    ),
    pytest.param(
        {"model": DEBATE, "n": 2, "messages": [{"role": "user", "content": "hi"}]},
        400,
        "n",
        None,
        id="more than one choice is a 400",
    ),
    pytest.param(
        {"model": DEBATE, "format": "marathon", "messages": [{"role": "user", "content": "hi"}]},
        400,
        None,
        None,
        id="an unknown debate format is a 400",
    ),
]


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "streamed"])
@pytest.mark.parametrize(("body", "status", "param", "code"), ERRORS)
def test_errors_are_openai_error_objects(
    fake_v1: FakeWorld,
    body: dict[str, Any],
    status: int,
    param: str | None,
    code: str | None,
    stream: bool,
) -> None:
    response = _post(fake_v1, {**body, "stream": stream})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["message"]
    assert error["type"] == "invalid_request_error"
    assert (error["param"], error["code"]) == (param, code)


def test_too_many_turns_are_refused() -> None:
    messages = [Message("user", f"speech {i}") for i in range(MAX_USER_TURNS + 1)]
    with pytest.raises(Exception, match="limit"):
        user_turns(messages)


def test_a_body_that_is_not_json_is_refused_by_the_request_guard(fake_v1: FakeWorld) -> None:
    response = fake_v1.client.post(
        "/v1/chat/completions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422  # the app-wide guard answers before the route
    assert response.json()["detail"]


KEYS = [
    pytest.param({}, 401, id="no Authorization header"),
    pytest.param({"Authorization": "Bearer wrong"}, 401, id="a wrong key"),
    pytest.param({"Authorization": "Basic s3cret"}, 401, id="the key in another scheme"),
    pytest.param({"Authorization": "Bearer s3cret"}, 200, id="the right bearer key"),
]


@pytest.mark.parametrize(("headers", "status"), KEYS)
@pytest.mark.parametrize("path", ["/v1/models", "/v1/chat/completions"])
def test_a_configured_key_is_checked_as_a_bearer_token(
    fake_v1: FakeWorld, headers: dict[str, str], status: int, path: str
) -> None:
    fake_v1.app.dependency_overrides[get_api_key] = lambda: "s3cret"
    if path.endswith("models"):
        response = fake_v1.client.get(path, headers=headers)
    else:
        response = _post(fake_v1, {"model": DEBATE, "messages": _conversation("Jobs.")}, **headers)
    assert response.status_code == status
    if status == 401:
        assert response.json()["error"]["type"] == "authentication_error"
        assert response.headers["www-authenticate"] == "Bearer"


def test_without_a_key_the_endpoint_is_open(fake_v1: FakeWorld) -> None:
    assert fake_v1.client.get("/v1/models").status_code == 200
