"""Text normalization, sentence splitting and passage chunking with exact offsets.

Every span returned here is a pair ``(start, end)`` into the normalized text;
``text[start:end]`` is the sentence or passage, with no leading or trailing
whitespace. Nothing is ever dropped except whitespace between spans.
"""

from __future__ import annotations

import re
import unicodedata

Span = tuple[int, int]

# Words whose trailing period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "lt",
        "sgt",
        "st",
        "jr",
        "sr",
        "no",
        "nos",
        "vs",
        "etc",
        "al",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "inc",
        "ltd",
        "corp",
        "co",
        "dept",
        "art",
        "sec",
        "approx",
        "e.g",
        "i.e",
        "u.s",
        "u.n",
        "u.k",
    ]
)
# A terminator, optional closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*\u2022]|\d+[.)])\s)")
_WORD = re.compile(r"\S+")


def normalize_text(text: str) -> str:
    """Canonical form that offsets point into: NFC, no BOM, ``\\n`` line ends."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _strip_span(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at ``dot`` closes an abbreviation or an initial."""
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lstrip("\"'(\u201c\u2018[").lower()
    if word in _ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "J", "U.S", "D.C".
    return bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", word))


def _paragraph_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    cursor = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        stripped = _strip_span(text, cursor, match.start())
        if stripped:
            spans.append(stripped)
        cursor = match.end()
    stripped = _strip_span(text, cursor, len(text))
    if stripped:
        spans.append(stripped)
    return spans


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans of ``text[start:end]``, as offsets into ``text``."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    for para_start, para_end in _paragraph_spans(text[start:end]):
        para_start += start
        para_end += start
        cursor = para_start
        for match in _BOUNDARY.finditer(text, para_start, para_end):
            boundary = match.end()
            if not _NEXT_STARTS_SENTENCE.match(text, boundary, para_end):
                continue
            if _is_abbreviation(text, match.start()) and match.end() - match.start() == 1:
                continue
            stripped = _strip_span(text, cursor, boundary)
            if stripped:
                spans.append(stripped)
            cursor = boundary
        stripped = _strip_span(text, cursor, para_end)
        if stripped:
            spans.append(stripped)
    return spans


def _word_count(text: str, span: Span) -> int:
    return len(_WORD.findall(text, span[0], span[1]))


def _split_long(text: str, span: Span, max_words: int) -> list[Span]:
    """Cut a run-on span into windows of at most ``max_words`` words."""
    words = list(_WORD.finditer(text, span[0], span[1]))
    return [
        (words[i].start(), words[min(i + max_words, len(words)) - 1].end())
        for i in range(0, len(words), max_words)
    ]


def chunk_text(text: str, target_words: int = 60, max_words: int = 110) -> list[Span]:
    """Group sentences into passages of about ``target_words`` words.

    Passages never cross a paragraph break and never exceed ``max_words``
    unless a single unbreakable word does; long sentences are cut on spaces.
    """
    passages: list[Span] = []
    for para in _paragraph_spans(text):
        current: Span | None = None
        current_words = 0
        for sentence in split_sentences(text, *para):
            pieces = (
                _split_long(text, sentence, max_words)
                if _word_count(text, sentence) > max_words
                else [sentence]
            )
            for piece in pieces:
                words = _word_count(text, piece)
                if current is not None and (
                    current_words >= target_words or current_words + words > max_words
                ):
                    passages.append(current)
                    current, current_words = None, 0
                current = piece if current is None else (current[0], piece[1])
                current_words += words
        if current is not None:
            passages.append(current)
    return passages
