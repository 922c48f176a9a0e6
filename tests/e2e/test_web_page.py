"""The web page in a real headless Chromium against a real server: spar, cite, ask, upload.

Every test also checks that the page asked nothing of any origin but the app's own.
Screenshots go into each test's tmp_path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from tests.support.fixtures_e2e import LiveServer, WatchedPage

pytestmark = pytest.mark.e2e

SPEECHES = [
    "Of course the United States can talk to Hamas directly. It has done it before with the "
    "PLO, and in 2020 it signed a peace deal with the Taliban without the Afghan government.",
    "In March 2025 the hostage envoy Adam Boehler met Hamas leaders in Doha himself, and the "
    "White House said he had the authority to do it.",
]
QUESTION = "Since when has the United States designated Hamas a terrorist organization?"
HOSTILE = """---
title: "Hostile <img src=x onerror=\\"document.title='pwned'\\"> title"
sources:
  - outlet: "<b>Bold outlet</b>"
    date: "2025-01-01"
    url: "javascript:document.title='pwned'"
---
A source with <script>document.title = 'pwned'; alert(1)</script> inside it, and an image
<img src=x onerror="document.title='pwned'; alert(2)"> too.

A second paragraph says that envoys met in Doha.
"""
TIMEOUT_MS = 90_000


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def open_page(watch: WatchedPage) -> Page:
    """The app's page, once the motions have loaded."""
    page = watch.page
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(watch.origin + "/")
    page.locator("[data-testid=format] option").first.wait_for(state="attached")
    return page


def start_debate(page: Page, origin: str, side: str = "pro") -> dict[str, Any]:
    """Pick the side and start; the debate the server created."""
    page.get_by_test_id("side").select_option(side)
    with page.expect_response(
        lambda r: r.url == f"{origin}/debates" and r.request.method == "POST"
    ) as created:
        page.get_by_test_id("start").click()
    debate: dict[str, Any] = created.value.json()
    return debate


def send_speech(page: Page, speech: str, count: int) -> None:
    """Type and send a speech; wait until the ``count``-th reply is complete."""
    page.get_by_test_id("speech").fill(speech)
    page.get_by_test_id("send").click()
    page.locator("[data-testid=bot-reply][aria-busy=false]").nth(count - 1).wait_for()


def turns_stream(origin: str) -> bool:
    """Whether the server streams POST /debates/{id}/turns (the page then shows it streamed)."""
    with httpx.Client(base_url=origin, timeout=60) as http:
        debate = http.post("/debates", json={"motion_id": "us-hamas", "user_side": "pro"}).json()
        response = http.post(
            f"/debates/{debate['debate_id']}/turns?stream=true",
            json={"message": SPEECHES[0]},
            headers={"Accept": "text/event-stream, application/json"},
        )
        assert response.status_code == 200, response.text
        return response.headers["content-type"].startswith("text/event-stream")


def transcript(origin: str, debate_id: str) -> dict[str, Any]:
    """GET /debates/{id}."""
    response = httpx.get(f"{origin}/debates/{debate_id}", timeout=30)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def debate_two_speeches(watch: WatchedPage) -> tuple[Page, dict[str, Any]]:
    """A debate with two speeches sent through the page; the server's transcript of it."""
    page = open_page(watch)
    debate = start_debate(page, watch.origin)
    for count, speech in enumerate(SPEECHES, start=1):
        send_speech(page, speech, count)
    return page, transcript(watch.origin, debate["debate_id"])


def assert_only_own_origin(watch: WatchedPage) -> None:
    """No request left the app's origin, and no script failed."""
    assert watch.requests, "the page made no request at all"
    assert watch.foreign_requests() == []
    assert watch.page_errors == []
    assert watch.dialogs == []


def test_spar_two_speeches_cite_clash_and_export(
    desktop: WatchedPage, web_server: LiveServer, tmp_path: Path
) -> None:
    streams = turns_stream(web_server.base_url)
    page, record = debate_two_speeches(desktop)
    replies = page.get_by_test_id("bot-reply")
    assert replies.count() == 2
    status = page.locator("#status").text_content() or ""
    assert status == f"Reply 2 received{' (streamed)' if streams else ''}."

    for index, turn in enumerate(record["turns"]):
        reply = turn["reply"]
        g = reply["grounding"]
        assert g["rate"] == 1.0
        grounding = replies.nth(index).get_by_test_id("grounding").text_content() or ""
        assert grounding.startswith(f"Grounding: {g['supported']} of {g['claims']} claims verified")
        markers = replies.nth(index).get_by_test_id("citation")
        shown = {int(m) for m in markers.evaluate_all("els => els.map(e => e.dataset.marker)")}
        assert shown == {c["marker"] for c in reply["citations"]}
    page.screenshot(path=str(tmp_path / "spar-replies.png"), full_page=True)

    second = record["turns"][1]["reply"]
    assert second["citations"], "the second reply cites nothing"
    for citation in second["citations"][:3]:
        replies.nth(1).locator(
            f"[data-testid=citation][data-marker='{citation['marker']}']"
        ).first.click()
        panel = page.get_by_test_id("source-panel")
        panel.wait_for(state="visible")
        highlight = panel.get_by_test_id("highlight")
        assert highlight.text_content() == citation["quote"]
        assert citation["title"] in (page.locator("#source-title").text_content() or "")
        assert "characters" in (page.locator("#source-check").text_content() or "")
    page.screenshot(path=str(tmp_path / "spar-citation.png"))

    clash = second["clash"]
    assert clash, "the second speech matched no key point"
    items = page.locator("#clash-list li.clash-item")
    assert items.count() == len(clash)
    for i, item in enumerate(clash):
        expected = "answered" if item["answered_by"] else "conceded" if item["conceded"] else None
        if expected:
            assert items.nth(i).get_attribute("data-outcome") == expected
        assert item["point"] in (items.nth(i).text_content() or "")
    page.get_by_test_id("clash").screenshot(path=str(tmp_path / "clash.png"))

    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    saved = tmp_path / "transcript.md"
    download.value.save_as(saved)
    markdown = saved.read_text(encoding="utf-8")
    assert markdown.startswith("# Debate transcript:")
    for speech in SPEECHES:
        assert speech in markdown
    for r, turn in enumerate(record["turns"], start=1):
        for c in turn["reply"]["citations"]:
            assert f'[^r{r}-{c["marker"]}]: "{_one_line(c["quote"])}"' in markdown
    assert_only_own_origin(desktop)


def test_ask_tab_answers_with_a_checked_citation(
    desktop: WatchedPage, web_server: LiveServer, tmp_path: Path
) -> None:
    expected = httpx.post(
        f"{web_server.base_url}/ask",
        json={"question": QUESTION, "motion_id": "us-hamas"},
        timeout=60,
    ).json()
    assert expected["citations"], expected
    page = open_page(desktop)
    page.get_by_test_id("tab-ask").click()
    page.get_by_test_id("ask-input").fill(QUESTION)
    page.get_by_test_id("ask-send").click()
    answer = page.get_by_test_id("answer").locator("article[aria-busy=false]").first
    answer.wait_for()
    assert QUESTION in (answer.text_content() or "")
    first = expected["citations"][0]
    answer.locator(f"[data-testid=citation][data-marker='{first['marker']}']").first.click()
    highlight = page.get_by_test_id("source-panel").get_by_test_id("highlight")
    highlight.wait_for()
    assert highlight.text_content() == first["quote"]
    page.screenshot(path=str(tmp_path / "ask.png"))
    assert_only_own_origin(desktop)


def test_every_tab_and_the_api_docs_load_from_the_app_alone(
    desktop: WatchedPage, tmp_path: Path
) -> None:
    page = open_page(desktop)
    page.get_by_test_id("tab-case").click()
    page.locator("#case-pro .case-point, #case-pro li, #case-pro p").first.wait_for()
    page.get_by_test_id("tab-sources").click()
    page.locator("#doc-list button").first.wait_for()
    page.screenshot(path=str(tmp_path / "tabs.png"))
    page.goto(desktop.origin + "/docs")
    page.locator(".swagger-ui .info .title").first.wait_for()
    page.goto(desktop.origin + "/redoc")
    page.locator("redoc h1, #redoc-container h1, h1").first.wait_for()
    page.screenshot(path=str(tmp_path / "redoc.png"))
    assert_only_own_origin(desktop)


def test_phone_width_debate_fits_the_screen(phone: WatchedPage, tmp_path: Path) -> None:
    page, record = debate_two_speeches(phone)
    assert len(record["turns"]) == 2
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375
    page.get_by_test_id("bot-reply").nth(1).scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "phone.png"))
    assert_only_own_origin(phone)


# Last in this module: the upload adds a document to the server's index.
def test_hostile_upload_is_shown_as_text_and_runs_nothing(
    desktop: WatchedPage, tmp_path: Path
) -> None:
    hostile = tmp_path / "hostile.md"
    hostile.write_text(HOSTILE, encoding="utf-8")
    page = open_page(desktop)
    title = page.title()
    page.get_by_test_id("tab-sources").click()
    page.get_by_test_id("upload-file").set_input_files(str(hostile))
    page.get_by_test_id("upload-send").click()
    page.locator("#upload-result", has_text="Stored as").wait_for()
    entry = page.locator("#doc-list button", has_text="Hostile")
    entry.click()
    reader = page.locator("#doc-reader")
    reader.wait_for(state="visible")
    assert "<img src=x onerror=" in (page.locator("#doc-reader-title").text_content() or "")
    text = page.locator("#doc-reader-text").text_content() or ""
    assert "<script>document.title = 'pwned'; alert(1)</script>" in text
    assert 'onerror="document.title=' in text
    assert reader.locator("script, img, iframe, object").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    for link in page.locator("#doc-reader-meta a").all():  # the javascript: URL is no link
        assert (link.get_attribute("href") or "").startswith(("http://", "https://"))
    page.wait_for_timeout(500)  # give any handler that slipped through the time to run
    assert page.title() == title
    assert desktop.dialogs == []
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    assert_only_own_origin(desktop)
