"""End-to-end fixtures: a real ``debatebot serve`` on a free loopback port, and the system
Chromium driven by Python Playwright, with every request the page makes recorded.

Playwright's own browser download is never used: the browser is Debian's /usr/bin/chromium
(``.ci/run`` installs it with apt-get when it is missing).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from tests.support.fixtures_servers import debatebot_command, free_port, running

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class LiveServer:
    """A running chat server."""

    base_url: str
    api_key: str | None = None


@contextmanager
def debatebot_server(data_dir: Path, api_key: str | None = None) -> Iterator[LiveServer]:
    """``debatebot serve`` as a subprocess, indexing seeds into ``data_dir``, for the block."""
    port = free_port()
    env = {
        "DEBATEBOT_DATA_DIR": str(data_dir),
        "DEBATEBOT_API__HOST": "127.0.0.1",
        "DEBATEBOT_API__PORT": str(port),
    }
    if api_key:
        env["DEBATEBOT_SECURITY__API_KEY"] = api_key
    base = f"http://127.0.0.1:{port}"
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir.parent / f"{data_dir.name}-server.log"
    with running([*debatebot_command(), "serve"], f"{base}/motions", env=env, log=log):
        yield LiveServer(base, api_key)


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The server the browser tests use (no API key)."""
    with debatebot_server(tmp_path_factory.mktemp("web") / "data") as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless system Chromium; a missing browser fails the run, it never skips."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@dataclass
class WatchedPage:
    """A page plus what it did: requests, dialogs, script errors, console errors."""

    page: Page
    origin: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests to anywhere but the app's own origin (blob: and data: URLs are local)."""
        own = (self.origin + "/", "data:", "blob:")
        return [url for url in self.requests + self.blocked if not url.startswith(own)]


def watched_page(
    browser: Browser, origin: str, width: int = 1280, height: int = 900
) -> Iterator[WatchedPage]:
    """A fresh context and page whose requests outside ``origin`` are recorded and aborted."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        accept_downloads=True,
        device_scale_factor=2 if width < 500 else 1,
    )
    page = context.new_page()
    watch = WatchedPage(page, origin)

    def outside(url: str) -> bool:
        return not url.startswith((origin + "/", "data:", "blob:"))

    def abort(route: Route) -> None:
        watch.blocked.append(route.request.url)
        route.abort()

    context.route(outside, abort)
    page.on("request", lambda request: watch.requests.append(request.url))
    page.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            watch.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    try:
        yield watch
    finally:
        context.close()


@pytest.fixture
def desktop(browser: Browser, web_server: LiveServer) -> Iterator[WatchedPage]:
    """A 1280-px-wide page on the web server."""
    yield from watched_page(browser, web_server.base_url)


@pytest.fixture
def phone(browser: Browser, web_server: LiveServer) -> Iterator[WatchedPage]:
    """A 375-px-wide page on the web server."""
    yield from watched_page(browser, web_server.base_url, 375, 812)


E2E_KEY = "e2e-secret-key"


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with ``security.api_key`` set, for the OpenAI client tests."""
    with debatebot_server(tmp_path_factory.mktemp("keyed") / "data", api_key=E2E_KEY) as server:
        yield server
