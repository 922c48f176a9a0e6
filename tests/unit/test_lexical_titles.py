"""BM25 indexes each passage after its document title, like the dense side embeds it."""

from __future__ import annotations

from retrieval.records import Passage
from retrieval.view import PassageView, lexical_text


def passage(pid: str, text: str, title: str) -> Passage:
    return Passage(pid, f"doc-{pid}", 0, len(text), text, {"title": title})


def test_the_lexical_text_is_the_title_then_the_text_and_the_text_alone_without_one() -> None:
    assert lexical_text(passage("a", "He met them.", "Doha talks")) == "Doha talks\nHe met them."
    assert lexical_text(Passage("b", "d", 0, 5, "Plain", {})) == "Plain"


def test_a_query_naming_only_the_documents_subject_finds_its_passages() -> None:
    view = PassageView.build(
        [
            passage("a", "The envoy met them twice in the spring.", "Qatar mediation"),
            passage("b", "The envoy stayed home in the spring.", "Weather notes"),
        ]
    )
    top = view.index.top("envoy Qatar", 2)
    assert top[0][0] == "a"
    assert top[0][1] > top[1][1]
