"""Bad or oversized input gets a clear 4xx in the shared error shape, never a 500."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from retrieval.guard import RateLimiter
from retrieval.service import RetrievalService
from tests.support.fixtures_http import retrieval_client

JSON_ROUTES = ["/search", "/documents", "/passages/metadata"]


@pytest.fixture
def client(memory_service: RetrievalService, corpus_dir: Path) -> TestClient:
    memory_service.ingest_paths([corpus_dir])
    return retrieval_client(memory_service)


def _is_error_shape(body: dict) -> bool:
    items = body.get("detail")
    return isinstance(items, list) and all({"loc", "msg", "type"} <= set(i) for i in items)


def _post_raw(client: TestClient, path: str, raw: bytes, content_type: str = "application/json"):
    return client.post(path, content=raw, headers={"content-type": content_type})


@pytest.mark.parametrize("path", JSON_ROUTES)
@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b'{"query": NaN, "title": NaN}', id="NaN"),
        pytest.param(b'{"query": Infinity}', id="Infinity"),
        pytest.param(b'{"query": "\\ud800", "title": "\\ud800", "text": "x"}', id="lone surrogate"),
        pytest.param(b'{"updates": {"\\udfff": {}}}', id="lone surrogate in a key"),
        pytest.param(b'{"query": "talks",', id="truncated JSON"),
        pytest.param(b"\xff\xfe{not json at all \x80", id="raw bytes that are not UTF-8"),
        pytest.param(b"[" * 100_000, id="deeply nested"),
    ],
)
def test_malformed_json_is_a_clear_422(client: TestClient, path: str, raw: bytes) -> None:
    response = _post_raw(client, path, raw)
    assert response.status_code == 422, response.text
    assert _is_error_shape(response.json())


@pytest.mark.parametrize("path", JSON_ROUTES)
@pytest.mark.parametrize(
    "content_type", ["application/jsonx", "text/plain", "application/x-www-form-urlencoded", ""]
)
def test_other_content_types_are_415(client: TestClient, path: str, content_type: str) -> None:
    response = _post_raw(client, path, b'{"query": "talks"}', content_type)
    assert response.status_code == 415, response.text
    assert _is_error_shape(response.json())


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/search", {"query": "talks", "unknown": 1}),
        ("/documents", {"title": "T", "text": "Some text.", "role": "seed"}),
        ("/passages/metadata", {"updates": {}, "extra": True}),
    ],
)
def test_unknown_fields_are_refused(client: TestClient, path: str, body: dict) -> None:
    assert client.post(path, json=body).status_code == 422


def test_a_body_over_the_limit_is_413_before_it_is_parsed(client: TestClient) -> None:
    big = json.dumps({"query": "x" * 2_000_000}).encode()
    assert _post_raw(client, "/search", big).status_code == 413

    def chunks():  # no content-length: the guard counts what streams in
        yield b'{"query": "'
        for _ in range(30):
            yield b"x" * 100_000
        yield b'"}'

    streamed = client.post(
        "/search", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413


def test_uploads_keep_their_own_file_limit(client: TestClient) -> None:
    small_enough = b"Talks resumed in Cairo. " * 60_000  # 1.4 MB: over the JSON limit, fine here
    ok = client.post("/documents", files={"file": ("big.txt", small_enough, "text/plain")})
    assert ok.status_code == 201, ok.text
    too_big = b"x" * 5_100_000
    refused = client.post("/documents", files={"file": ("huge.txt", too_big, "text/plain")})
    assert refused.status_code == 413


def test_errors_never_echo_a_long_input_back(client: TestClient) -> None:
    long_id = "A" * 100_000
    for response in (
        client.get(f"/documents/{long_id[:5000]}"),
        client.get(f"/passages/{long_id[:5000]}"),
        client.post("/search", json={"query": long_id[:900_000]}),
        client.post("/passages/metadata", json={"updates": {long_id[:5000]: {"stance": "pro"}}}),
        client.get("/documents/not-a-real-id"),
    ):
        assert 400 <= response.status_code < 500
        assert len(response.content) < 2000, response.text[:300]
        assert "AAAAAAAAAA" not in response.text
        assert _is_error_shape(response.json())


def test_invalid_json_to_documents_is_422_without_raw_bytes(client: TestClient) -> None:
    response = _post_raw(client, "/documents", b'{"title": "T", "text": \xff\xfe}')
    assert response.status_code == 422
    assert "input" not in response.json()["detail"][0]


def test_validation_errors_drop_their_input(client: TestClient) -> None:
    response = client.post("/search", json={"query": "talks", "k": "many" * 100})
    assert response.status_code == 422
    assert all(set(item) == {"loc", "msg", "type"} for item in response.json()["detail"])
    assert "manymany" not in response.text


def test_rate_limiting_is_off_by_default_and_429s_when_on(
    memory_service: RetrievalService,
) -> None:
    unlimited = retrieval_client(memory_service)
    assert all(unlimited.get("/documents").status_code == 200 for _ in range(30))
    limited = retrieval_client(memory_service, security={"rate_limit_per_minute": 3})
    assert [limited.get("/documents").status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = limited.get("/documents")
    assert int(refused.headers["retry-after"]) >= 1
    assert _is_error_shape(refused.json())
    assert limited.get("/livez").status_code == 200  # probes are never limited


def test_the_rate_limiter_resets_each_minute() -> None:
    limiter = RateLimiter(2)
    assert [limiter.retry_after("a", now=0.0) for _ in range(3)][-1] > 0
    assert limiter.retry_after("b", now=0.0) == 0
    assert limiter.retry_after("a", now=61.0) == 0


def test_liveness_stays_200(client: TestClient) -> None:
    assert client.get("/livez").json() == {"status": "ok"}
    health = client.get("/health").json()
    assert health["status"] == "ok"
    assert health["backends"] == {"chroma": "ok"}


def test_a_domain_error_never_echoes_a_long_value() -> None:
    from bot.domain.errors import NotFoundError
    from retrieval.http_errors import status_error

    long_id = "B" * 5000
    response = status_error(None, NotFoundError(f"no debate {long_id!r}"))  # type: ignore[arg-type]
    assert response.status_code == 404
    assert b"BBBBBBBBBB" not in response.body
    assert b"no debate" in response.body
