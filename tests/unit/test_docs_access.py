"""The schema and the docs pages are reads: open by default, behind the key with protect_reads."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.settings import ChatSettings
from tests.support.fixtures_http import AUTH, KEY

SCHEMA_AND_DOCS = ["/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"]


def _client(**security: object) -> TestClient:
    settings = ChatSettings(security=security)
    return TestClient(create_app(settings), raise_server_exceptions=False)


@pytest.mark.parametrize("path", SCHEMA_AND_DOCS)
def test_schema_and_docs_need_the_key_when_reads_are_protected(path: str) -> None:
    client = _client(api_key=KEY, protect_reads=True)
    refused = client.get(path)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert refused.json()["detail"][0]["msg"] == "a valid API key is needed"
    assert client.get(path, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get(path, headers=AUTH).status_code == 200


@pytest.mark.parametrize("path", SCHEMA_AND_DOCS)
def test_schema_and_docs_stay_open_when_only_writes_are_protected(path: str) -> None:
    assert _client(api_key=KEY).get(path).status_code == 200
    assert _client().get(path).status_code == 200


def test_the_protected_schema_is_still_the_whole_api() -> None:
    schema = _client(api_key=KEY, protect_reads=True).get("/openapi.json", headers=AUTH).json()
    assert {"/debates", "/documents", "/health", "/livez"} <= set(schema["paths"])
    assert not {"/docs", "/redoc", "/openapi.json"} & set(schema["paths"])


def test_the_retrieval_service_schema_and_docs_follow_protect_reads_too() -> None:
    from retrieval.api import create_app as create_retrieval_app
    from retrieval.settings import Settings

    settings = Settings(security={"api_key": KEY, "protect_reads": True})
    client = TestClient(create_retrieval_app(settings), raise_server_exceptions=False)
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers=AUTH).status_code == 200, path
