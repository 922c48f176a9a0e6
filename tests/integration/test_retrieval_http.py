"""The retrieval service over real HTTP: `debatebot retrieval serve` on a free loopback port."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.fixtures_retrieval import SEEDS
from tests.support.fixtures_servers import debatebot_command, free_port, running
from tests.unit.test_loaders import make_pdf

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A retrieval service indexing a copy of seeds/ into a fresh data dir."""
    root = tmp_path_factory.mktemp("retrieval-http")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    port = free_port()
    env = {"DEBATEBOT_DATA_DIR": str(root / "data"), "DEBATEBOT_SEEDS_DIR": str(seeds)}
    command = [*debatebot_command(), "retrieval", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with running(command, f"{url}/health", env=env, log=root / "server.log"):
        yield url


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        yield client


def test_search_returns_exact_spans_of_stored_documents(http: httpx.Client) -> None:
    response = http.post("/search", json={"query": "Quartet conditions for Hamas", "k": 3})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 3
    for r in results:
        assert set(r) >= {"passage_id", "doc_id", "title", "url", "text", "start", "end", "score"}
        doc = http.get(f"/documents/{r['doc_id']}").json()
        assert doc["text"][r["start"] : r["end"]] == r["text"]
        passage = http.get(f"/passages/{r['passage_id']}").json()
        assert passage["text"] == r["text"]


def test_document_lifecycle_json_upload_and_delete(http: httpx.Client) -> None:
    body = {
        "title": "Test note",
        "text": "The negotiators met in Cairo on a Tuesday. They agreed to meet again.",
        "url": "https://example.org/note",
    }
    created = http.post("/documents", json=body)
    assert created.status_code == 201, created.text
    doc_id = created.json()["doc_id"]
    assert created.json()["passages"] >= 1
    assert any(d["doc_id"] == doc_id for d in http.get("/documents").json()["documents"])
    where = {"doc_id": doc_id}
    hits = http.post("/search", json={"query": "Cairo", "where": where}).json()["results"]
    assert hits
    assert hits[0]["doc_id"] == doc_id
    assert http.delete(f"/documents/{doc_id}").status_code == 204
    assert http.get(f"/documents/{doc_id}").status_code == 404
    hits = http.post("/search", json={"query": "Cairo", "where": where}).json()["results"]
    assert hits == []


def test_file_upload_of_a_pdf(http: httpx.Client) -> None:
    pdf = make_pdf("The envoy travelled to Muscat for consultations in 2024.")
    response = http.post("/documents", files={"file": ("note.pdf", pdf, "application/pdf")})
    assert response.status_code == 201, response.text
    doc = http.get(f"/documents/{response.json()['doc_id']}").json()
    assert "Muscat" in doc["text"]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        pytest.param("post", "/search", {"json": {"query": ""}}, 422, id="an empty query"),
        pytest.param("post", "/search", {"json": {"query": "x", "k": 0}}, 422, id="k of zero"),
        pytest.param(
            "post", "/search", {"json": {"query": "x", "k": 10_000}}, 422, id="k far too large"
        ),
        pytest.param(
            "post",
            "/search",
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            422,
            id="broken JSON",
        ),
        pytest.param(
            "post",
            "/documents",
            {"json": {"title": "t", "text": ""}},
            422,
            id="an empty JSON document",
        ),
        pytest.param(
            "post",
            "/documents",
            {"files": {"file": ("a.exe", b"MZ", "x/y")}},
            415,
            id="an unsupported upload type",
        ),
        pytest.param(
            "post",
            "/documents",
            {"files": {"file": ("a.pdf", b"%PDF-1.4 junk", "x")}},
            422,
            id="a corrupt PDF upload",
        ),
        pytest.param(
            "post",
            "/documents",
            {"files": {"file": ("a.txt", "\u00e9".encode("latin-1"), "text/plain")}},
            422,
            id="a non-UTF-8 text upload",
        ),
        pytest.param(
            "post",
            "/documents",
            {"content": b"x", "headers": {"content-type": "text/x"}},
            415,
            id="a body that is neither JSON nor multipart",
        ),
        pytest.param("get", "/documents/nope", {}, 404, id="an unknown document"),
        pytest.param("delete", "/documents/nope", {}, 404, id="deleting an unknown document"),
        pytest.param("get", "/passages/nope", {}, 404, id="an unknown passage"),
        pytest.param("get", "/passages", {"params": {"where": "[1"}}, 422, id="a broken filter"),
    ],
)
def test_bad_requests_get_a_4xx_with_a_message(
    http: httpx.Client, method: str, path: str, kwargs: dict[str, object], status: int
) -> None:
    response = getattr(http, method)(path, **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["detail"]


def test_an_oversized_upload_is_refused_not_truncated(http: httpx.Client) -> None:
    big = b"word " * 1_100_000
    response = http.post("/documents", files={"file": ("big.txt", big, "text/plain")})
    assert response.status_code == 413
    assert "limit" in response.json()["detail"][0]["msg"]


def test_openapi_describes_every_field(http: httpx.Client) -> None:
    schemas = http.get("/openapi.json").json()["components"]["schemas"]
    ours = [s for name, s in schemas.items() if not name.startswith(("HTTPValidation", "Valid"))]
    missing = [
        (schema.get("title"), field)
        for schema in ours
        for field, spec in schema.get("properties", {}).items()
        if "description" not in spec
    ]
    assert missing == []


def test_restart_skips_unchanged_seeds_quickly(base_url: str, tmp_path: Path) -> None:
    health = httpx.get(f"{base_url}/health").json()
    assert health["status"] == "ok"
    assert health["documents"] >= 15
