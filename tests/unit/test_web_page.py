"""The web page: served at /, assets load, strict CSP, offline, safe rendering habits."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.web import install_web
from bot.web.router import STATIC_DIR

TEST_IDS_IN_HTML = [
    "motion",
    "side",
    "format",
    "start",
    "speech",
    "send",
    "source-panel",
    "clash",
    "export",
    "tab-spar",
    "tab-case",
    "tab-ask",
    "tab-sources",
    "ask-input",
    "ask-send",
    "answer",
]
TEST_IDS_IN_JS = ["bot-reply", "citation", "highlight", "grounding"]
ASSET_FILES = sorted(p for p in STATIC_DIR.rglob("*") if p.suffix in {".html", ".js", ".css"})


class _Tags(HTMLParser):
    """Collects every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_bodies.append(data)


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def directives(policy: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    install_web(app)
    return TestClient(app)


def test_root_serves_the_page_with_a_strict_csp(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = directives(response.headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_page_has_no_inline_script_or_handler(client: TestClient) -> None:
    page = parse(client.get("/").text)
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert scripts, "the page loads its script"
    assert all(attrs.get("src") for attrs in scripts)
    assert page.script_bodies == []
    handlers = [(tag, name) for tag, attrs in page.tags for name in attrs if name.startswith("on")]
    assert handlers == []
    assert not any("style" in attrs for _, attrs in page.tags)


@pytest.mark.parametrize("test_id", TEST_IDS_IN_HTML)
def test_the_page_carries_each_test_hook(client: TestClient, test_id: str) -> None:
    page = parse(client.get("/").text)
    assert [tag for tag, attrs in page.tags if attrs.get("data-testid") == test_id]


def test_the_selects_are_real_select_elements(client: TestClient) -> None:
    page = parse(client.get("/").text)
    kinds = {attrs.get("data-testid"): tag for tag, attrs in page.tags}
    assert kinds["motion"] == kinds["side"] == kinds["format"] == "select"
    assert kinds["start"] == kinds["send"] == kinds["export"] == kinds["ask-send"] == "button"
    assert kinds["speech"] == "textarea"
    sides = [attrs.get("value") for tag, attrs in page.tags if tag == "option"]
    assert sides == ["pro", "con"]


@pytest.mark.parametrize("test_id", TEST_IDS_IN_JS)
def test_the_scripts_create_each_dynamic_test_hook(test_id: str) -> None:
    scripts = "".join(p.read_text() for p in STATIC_DIR.rglob("*.js"))
    assert f'"data-testid": "{test_id}"' in scripts


def test_every_asset_the_page_names_loads(client: TestClient) -> None:
    page = parse(client.get("/").text)
    urls = [
        attrs.get("src") or attrs.get("href")
        for tag, attrs in page.tags
        if tag in {"script", "link"}
    ]
    local = [u for u in urls if u and u.startswith("/static/")]
    assert len(local) == 2
    for url in local:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "content-security-policy" in response.headers


def test_every_module_import_resolves(client: TestClient) -> None:
    imported = set()
    for script in STATIC_DIR.rglob("*.js"):
        for name in re.findall(r'from "\./([\w-]+\.js)"', script.read_text()):
            imported.add(name)
    assert imported
    for name in sorted(imported):
        response = client.get(f"/static/js/{name}")
        assert response.status_code == 200, name
        assert "javascript" in response.headers["content-type"]


@pytest.mark.parametrize("path", ASSET_FILES, ids=lambda p: str(p.relative_to(STATIC_DIR)))
def test_no_asset_names_another_origin(path: Path) -> None:
    assert re.findall(r"https?://", path.read_text()) == [], (
        "the page must not load or link anything from another origin"
    )


@pytest.mark.parametrize(
    "path", [p for p in ASSET_FILES if p.suffix == ".js"], ids=lambda p: p.name
)
def test_scripts_never_write_html(path: Path) -> None:
    code = path.read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in code, f"{path.name} uses {sink}"


def test_links_are_made_only_for_web_urls() -> None:
    dom = (STATIC_DIR / "js" / "dom.js").read_text()
    assert r"/^https?:\/\/[^\s]+$/i" in dom
    builders = [p.name for p in STATIC_DIR.rglob("*.js") if 'el("a"' in p.read_text()]
    assert builders == ["dom.js"], "every link goes through safeLink"


def test_other_responses_get_the_csp_too(client: TestClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "script-src 'self'" in response.headers["content-security-policy"]
