"""Write protection: one key for every state change, reads open unless asked, no open bind."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bot.app import create_app
from bot.cli import app as cli
from bot.settings import ChatSettings
from retrieval.security import is_loopback, open_bind_problem
from retrieval.service import RetrievalService
from retrieval.settings import SecuritySettings
from tests.support.fixtures_http import AUTH, KEY, retrieval_client

MOTION = """\
id: tiny
title: Tiny
question: Is this tiny?
sides: {pro: It is., con: It is not.}
seed_documents: [seed.txt]
"""


@pytest.fixture
def seeded(memory_service: RetrievalService, tmp_path: Path) -> RetrievalService:
    """A motion folder with a seed document and a brief."""
    folder = tmp_path / "tiny"
    (folder / "sources").mkdir(parents=True)
    (folder / "motion.yaml").write_text(MOTION, "utf-8")
    (folder / "sources" / "seed.txt").write_text("The seed says talks in Doha failed.", "utf-8")
    (folder / "sources" / "brief.txt").write_text("A brief on talks in Cairo in 2024.", "utf-8")
    memory_service.ingest_paths([folder])
    return memory_service


def _doc_by_role(service: RetrievalService, seed: bool) -> str:
    docs = service.list_documents()
    return next(d.doc_id for d in docs if (d.metadata.get("role") == "seed") == seed)


WRITES = [
    pytest.param("post", "/documents", {"json": {"title": "T", "text": "Some text."}}, id="upload"),
    pytest.param(
        "post",
        "/documents",
        {"files": {"file": ("a.txt", b"Some uploaded text.", "text/plain")}},
        id="multipart upload",
    ),
    pytest.param("delete", "/documents/abc", {}, id="delete"),
    pytest.param("post", "/passages/metadata", {"json": {"updates": {}}}, id="metadata"),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), WRITES)
def test_every_write_needs_the_key_when_one_is_set(
    seeded: RetrievalService, method: str, path: str, kwargs: dict
) -> None:
    client = retrieval_client(seeded, security={"api_key": KEY})
    refused = getattr(client, method)(path, **kwargs)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    wrong = getattr(client, method)(path, headers={"Authorization": "Bearer nope"}, **kwargs)
    assert wrong.status_code == 401
    allowed = getattr(client, method)(path, headers=AUTH, **kwargs)
    assert allowed.status_code in (201, 204, 404), allowed.text


def test_reads_and_search_stay_open_unless_protected(seeded: RetrievalService) -> None:
    open_client = retrieval_client(seeded, security={"api_key": KEY})
    assert open_client.get("/documents").status_code == 200
    assert open_client.post("/search", json={"query": "talks"}).status_code == 200
    closed = retrieval_client(seeded, security={"api_key": KEY, "protect_reads": True})
    assert closed.get("/documents").status_code == 401
    assert closed.post("/search", json={"query": "talks"}).status_code == 401
    assert closed.get("/documents", headers=AUTH).status_code == 200
    assert closed.get("/livez").status_code == 200


def test_protecting_reads_without_a_key_is_a_settings_error() -> None:
    with pytest.raises(ValueError, match="protect_reads needs"):
        SecuritySettings(protect_reads=True)


def test_a_cross_site_form_post_is_refused_even_without_a_key(seeded: RetrievalService) -> None:
    client = retrieval_client(seeded)
    upload = {"files": {"file": ("a.txt", b"Posted by another page.", "text/plain")}}
    evil = client.post("/documents", headers={"Origin": "http://evil.example"}, **upload)
    assert evil.status_code == 403
    same = client.post("/documents", headers={"Origin": "http://testserver"}, **upload)
    assert same.status_code == 201
    allowed = retrieval_client(seeded, security={"cors_origins": ["http://app.example"]})
    ok = allowed.post("/documents", headers={"Origin": "http://app.example"}, **upload)
    assert ok.status_code in (200, 201)


def test_cors_is_closed_by_default_and_opens_to_configured_origins(
    seeded: RetrievalService,
) -> None:
    preflight = {
        "Origin": "http://app.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    closed = retrieval_client(seeded).options("/search", headers=preflight)
    assert "access-control-allow-origin" not in closed.headers
    opened = retrieval_client(seeded, security={"cors_origins": ["http://app.example"]})
    answer = opened.options("/search", headers=preflight)
    assert answer.headers["access-control-allow-origin"] == "http://app.example"


def test_seed_documents_cannot_be_deleted_through_the_api(seeded: RetrievalService) -> None:
    client = retrieval_client(seeded)
    seed_id = _doc_by_role(seeded, seed=True)
    assert client.delete(f"/documents/{seed_id}").status_code == 403
    assert seeded.get_document(seed_id) is not None
    brief_id = _doc_by_role(seeded, seed=False)
    assert client.delete(f"/documents/{brief_id}").status_code == 204


@pytest.mark.parametrize(
    "front_matter",
    [
        pytest.param("role: seed", id="role seed"),
        pytest.param("motion: us-hamas", id="a motion"),
        pytest.param("flags: none", id="the injection flag"),
        pytest.param("url: javascript:alert(1)", id="a javascript url"),
        pytest.param("url: file:///etc/passwd", id="a file url"),
    ],
)
def test_upload_front_matter_cannot_set_reserved_fields(
    seeded: RetrievalService, front_matter: str
) -> None:
    body = f"---\ntitle: Sneaky\n{front_matter}\n---\nA brief about talks in Doha.\n".encode()
    client = retrieval_client(seeded)
    response = client.post("/documents", files={"file": ("x.md", body, "text/markdown")})
    assert response.status_code == 422, response.text
    assert not any(d.title == "Sneaky" for d in seeded.list_documents())


def test_only_http_source_urls_are_kept(seeded: RetrievalService) -> None:
    body = (
        b"---\ntitle: Kept\nsources:\n  - {outlet: A, url: 'javascript:alert(1)'}\n"
        b"  - {outlet: B, url: 'https://example.org/b'}\n---\nTalks resumed in Cairo.\n"
    )
    client = retrieval_client(seeded)
    assert client.post("/documents", files={"file": ("k.md", body)}).status_code == 201
    kept = next(d for d in seeded.list_documents() if d.title == "Kept")
    assert kept.url == "https://example.org/b"
    assert "javascript" not in str(kept.metadata)


def test_chat_app_motion_writes_need_the_key_and_debates_stay_open() -> None:
    settings = ChatSettings(security={"api_key": KEY})  # type: ignore[arg-type]
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    motion = {"id": "m", "title": "M", "question": "Q?", "sides": {"pro": "Y.", "con": "N."}}
    assert client.post("/motions", json=motion).status_code == 401
    # No lifespan ran, so an open route fails later (no services), but never with 401.
    assert client.post("/debates", json={"motion_id": "m", "user_side": "pro"}).status_code != 401


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_an_open_bind_needs_a_key_or_an_explicit_opt_out() -> None:
    problem = open_bind_problem("0.0.0.0", SecuritySettings())
    assert problem is not None
    assert "DEBATEBOT_SECURITY__API_KEY" in problem
    assert "DEBATEBOT_SECURITY__ALLOW_OPEN_BIND" in problem
    assert open_bind_problem("0.0.0.0", SecuritySettings(api_key=KEY)) is None  # type: ignore[arg-type]
    assert open_bind_problem("0.0.0.0", SecuritySettings(allow_open_bind=True)) is None
    assert open_bind_problem("127.0.0.1", SecuritySettings()) is None


@pytest.mark.parametrize("command", [["serve"], ["retrieval", "serve"]])
def test_serve_refuses_a_public_address_without_a_key(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.settings import get_settings as chat_settings
    from retrieval.settings import get_settings

    monkeypatch.delenv("DEBATEBOT_SECURITY__API_KEY", raising=False)
    get_settings.cache_clear()
    chat_settings.cache_clear()
    result = CliRunner().invoke(cli, [*command, "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code == 2
    assert "DEBATEBOT_SECURITY__API_KEY" in result.output
