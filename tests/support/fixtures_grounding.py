"""Test data for the grounding verifier: the labelled table and a small in-memory document."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.domain.replies import Citation
from retrieval.ingest.chunking import normalize_text
from retrieval.records import Document

CASES_PATH = Path(__file__).parent / "data" / "grounding_cases.yaml"


@dataclass(frozen=True)
class ContentCase:
    """One labelled claim/quote pair."""

    id: str
    sentence: str
    passage: str
    supported: bool
    kind: str
    title: str = ""


def load_content_cases() -> list[ContentCase]:
    """The labelled table, with passages resolved."""
    raw: dict[str, Any] = yaml.safe_load(CASES_PATH.read_text(encoding="utf-8"))
    return [ContentCase(**case) for case in raw["cases"]]


DOC_ID = "seed-boehler"
DOC_TITLE = "Seed: US engagement with Hamas"
# Normalized (NFC) text with a double space, a newline, a curly apostrophe and an "é".
DOC_TEXT = normalize_text(
    "In March 2025, US hostage envoy Adam Boehler held direct talks with Hamas officials in "
    "Doha.  Boehler\u2019s meetings broke with the long-standing US policy of not engaging\n"
    "the group directly. Hamas released Edan Alexander on May 12, 2025, in a handover run by "
    "the Comit\u00e9 international de la Croix-Rouge."
)
DOCUMENT = Document(doc_id=DOC_ID, title=DOC_TITLE, text=DOC_TEXT, source="seed.md")


def span_of(fragment: str) -> tuple[int, int]:
    """Offsets of ``fragment`` in the document text."""
    start = DOC_TEXT.index(fragment)
    return start, start + len(fragment)


# The document's three sentences and the claims they support.
TALKS = (
    "In March 2025, US hostage envoy Adam Boehler held direct talks with Hamas officials in Doha."
)
POLICY = (
    "Boehler\u2019s meetings broke with the long-standing US policy of not engaging\n"
    "the group directly."
)
RELEASE = (
    "Hamas released Edan Alexander on May 12, 2025, in a handover run by the Comit\u00e9 "
    "international de la Croix-Rouge."
)
TALKS_CLAIM = "US envoy Adam Boehler held direct talks with Hamas officials in Doha in March 2025."
POLICY_CLAIM = (
    "Boehler\u2019s meetings broke with the US policy of not engaging the group directly."
)
RELEASE_CLAIM = "Hamas released Edan Alexander on May 12, 2025."


class InMemoryDocuments:
    """A DocumentSource over a dict."""

    def __init__(self, *documents: Document) -> None:
        self._documents = {d.doc_id: d for d in documents}

    def get_document(self, doc_id: str) -> Document | None:
        """The document, or None."""
        return self._documents.get(doc_id)


def citation(
    marker: int,
    fragment: str,
    *,
    quote: str | None = None,
    shift: tuple[int, int] = (0, 0),
    doc_id: str = DOC_ID,
) -> Citation:
    """A citation of ``fragment``, optionally with a different quote or shifted offsets."""
    start, end = span_of(fragment)
    return Citation(
        marker=marker,
        passage_id=f"{doc_id}:{start}",
        doc_id=doc_id,
        title=DOC_TITLE,
        start=start + shift[0],
        end=end + shift[1],
        quote=fragment if quote is None else quote,
    )
