"""Chunking keeps exact offsets: passage.text == document.text[start:end], always."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.ingest.chunking import chunk_text, normalize_text, split_sentences

# Arbitrary Unicode plus the characters that drive sentence and paragraph logic.
_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(list(" \n\t.!?\"')U.S.Mr. \u00a0\u2026\u201d")),
    ),
    max_size=600,
)


def _assert_exact_cover(text: str, spans: list[tuple[int, int]]) -> None:
    previous_end = 0
    for start, end in spans:
        assert 0 <= previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip(), "spans carry no outer whitespace"
        assert text[previous_end:start].strip() == "", "only whitespace lies between spans"
        previous_end = end
    assert text[previous_end:].strip() == ""


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(1, 40), st.integers(0, 40))
def test_passages_are_exact_spans_and_lose_nothing(raw: str, target: int, extra: int) -> None:
    text = normalize_text(raw)
    passages = chunk_text(text, target_words=target, max_words=target + extra)
    _assert_exact_cover(text, passages)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_sentences_are_exact_spans_and_lose_nothing(raw: str) -> None:
    text = normalize_text(raw)
    _assert_exact_cover(text, split_sentences(text))


@settings(max_examples=100, deadline=None)
@given(_TEXT)
def test_normalization_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert "\r" not in once


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        pytest.param(
            "The U.S. State Department acted. Hamas replied.",
            ["The U.S. State Department acted.", "Hamas replied."],
            id="dotted acronyms do not end a sentence",
        ),
        pytest.param(
            "Mr. Boehler met them in Doha. Talks went on.",
            ["Mr. Boehler met them in Doha.", "Talks went on."],
            id="titles do not end a sentence",
        ),
        pytest.param(
            'He said "no." Then he left!',
            ['He said "no."', "Then he left!"],
            id="closing quotes stay with their sentence",
        ),
        pytest.param(
            "Under 18 U.S.C. 2339B it is a crime. Courts agreed.",
            ["Under 18 U.S.C. 2339B it is a crime.", "Courts agreed."],
            id="a period before a lower-case or numeric word is not a boundary",
        ),
        pytest.param(
            "First paragraph without a stop\n\nSecond one.",
            ["First paragraph without a stop", "Second one."],
            id="a blank line always ends a sentence",
        ),
    ],
)
def test_sentence_boundaries(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in split_sentences(text)] == sentences


def test_passages_respect_the_word_budget() -> None:
    text = " ".join(f"Sentence number {i} has five words." for i in range(60))
    passages = chunk_text(text, target_words=20, max_words=30)
    counts = [len(re.findall(r"\S+", text[s:e])) for s, e in passages]
    assert all(c <= 30 for c in counts)
    assert all(c >= 20 for c in counts[:-1])


def test_a_run_on_sentence_is_cut_on_spaces_not_dropped() -> None:
    text = " ".join(["word"] * 250)
    passages = chunk_text(text, target_words=60, max_words=100)
    assert len(passages) == 3
    assert sum(len(text[s:e].split()) for s, e in passages) == 250


def test_normalization_canonicalizes_line_ends_bom_and_unicode() -> None:
    assert normalize_text("\ufeffe\u0301\r\nx\ry") == "\u00e9\nx\ny"
