"""/docs and /redoc served from an installed package, with nothing from another origin."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.web import install_web
from bot.web.docs import ASSETS_PATH, docs_policy
from retrieval.settings import Settings

SRC_OR_HREF = re.compile(r"""(?:src|href|spec-url)=["']([^"']+)["']""")
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI(title="t")
    install_web(app)
    return TestClient(app)


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_doc_pages_reference_only_local_assets(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    references = SRC_OR_HREF.findall(response.text)
    assert references
    assert all(ref.startswith("/") and not ref.startswith("//") for ref in references), references
    assert "http://" not in response.text
    assert "https://" not in response.text
    for ref in references:
        assert client.get(ref).status_code == 200, ref


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_doc_pages_allow_only_their_own_inline_scripts(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "default-src 'self'" in policy
    for body in INLINE_SCRIPT.findall(response.text):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src


def test_the_swagger_bundle_is_the_real_file(client: TestClient) -> None:
    response = client.get(f"{ASSETS_PATH}/swagger-ui-bundle.js")
    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.text
    redoc = client.get(f"{ASSETS_PATH}/redoc.standalone.js")
    assert redoc.status_code == 200
    assert "cdn.redoc.ly" not in redoc.text
    assert f"{ASSETS_PATH}/favicon.png" in redoc.text


def test_docs_policy_hashes_each_inline_script() -> None:
    policy = docs_policy("<script>a()</script><script src='/x.js'></script><script>b()</script>")
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert script_src.count("'sha256-") == 2


def test_the_chat_app_serves_the_page_and_one_docs_route(tmp_path) -> None:  # noqa: ANN001
    app = create_app(Settings(data_dir=tmp_path, index_seeds_on_start=False))
    paths = [getattr(route, "path", None) for route in app.routes]
    assert paths.count("/docs") == 1
    assert paths.count("/redoc") == 1
    client = TestClient(app)  # no lifespan: the page and docs need no services
    page = client.get("/")
    assert page.status_code == 200
    assert 'data-testid="motion"' in page.text
    assert "/docs-assets/" in client.get("/docs").text
    schema = client.get("/openapi.json").json()
    assert "/" not in schema["paths"]
