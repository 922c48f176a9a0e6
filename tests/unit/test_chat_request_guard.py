"""Every POST route of the chat app refuses NaN, lone surrogates and foreign content types."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.settings import ChatSettings

CHAT_POSTS = ["/debates", "/debates/abc/turns", "/ask", "/verify", "/motions"]


@pytest.fixture(scope="module")
def client() -> TestClient:
    """The chat app without its lifespan: the guard answers before any service is needed."""
    return TestClient(create_app(ChatSettings()), raise_server_exceptions=False)


@pytest.mark.parametrize("path", CHAT_POSTS)
@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b'{"message": NaN, "question": NaN}', id="NaN"),
        pytest.param(b'{"message": "\\ud800", "question": "\\ud800"}', id="lone surrogate"),
        pytest.param(b'{"message": "unterminated', id="invalid JSON"),
    ],
)
def test_bad_json_is_422_on_every_post_route(client: TestClient, path: str, raw: bytes) -> None:
    response = client.post(path, content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


@pytest.mark.parametrize("path", CHAT_POSTS)
def test_a_json_lookalike_content_type_is_415(client: TestClient, path: str) -> None:
    response = client.post(path, content=b"{}", headers={"content-type": "application/jsonx"})
    assert response.status_code == 415


def test_every_operation_declares_its_error_statuses_with_one_model(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in ("404", "413", "415", "422", "429", "503"):
                assert status in responses, (method, path, status)
                schema = responses[status]["content"]["application/json"]["schema"]
                # /v1 answers its own errors as OpenAI error objects.
                own = "OpenAIErrorResponse" if path.startswith("/v1") and status == "404" else None
                if own:
                    assert schema == {"$ref": f"#/components/schemas/{own}"}, (path, status)
                elif status != "503" or path != "/health":
                    assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (path, status)
