"""Lexical features of a sentence for the grounding verifier.

Tokens, content-word stems, numbers, proper names (with a few principled
aliases) and negation scope. Everything here is pure and deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

TokenKind = Literal["word", "number", "acronym"]

_MARKER = re.compile(r"\s*\[\d+\]")

# Spellings of the same entity, rewritten to one placeholder word before tokenizing.
# Kept deliberately small: only variants nobody would read as a different name.
_ALIASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bUnited States(?: of America)?\b"), "UnitedStates"),
    (re.compile(r"\bU\.S\.(?:A\.)?(?!\w)|\bUSA?\b"), "UnitedStates"),
    (re.compile(r"\bUnited Nations\b|\bU\.N\.(?!\w)|\bUN\b"), "UnitedNations"),
)
_MONTHS = {
    "jan": "january",
    "feb": "february",
    "mar": "march",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
}
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
    if word != "_"  # "one" is too often a pronoun to count as a number
} | {"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100"}

_TOKEN = re.compile(
    r"(?P<acronym>(?:[A-Za-z]\.){2,})"
    r"|(?P<number>\d+(?:,\d{3})*(?:\.\d+)?[A-Za-z]*)"
    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)*)"
)
_SENTENCE_END = re.compile(r"[.!?:;]\s*[\"'\u201c\u201d\u2018\u2019(]*\s*$")

STOPWORDS = frozenset(
    """a about above after again against all also although am among an and any are as at
    be because been before being below between both but by can could did do does doing
    down during each either even ever few for from further had has have having he her here
    hers herself him himself his how however i if in into is it its itself just least less
    let like made make many may me might more most much must my myself new now of off on
    once one only or other others our ours ourselves out over own per same shall she should
    since so some still such than that the their theirs them themselves then there these
    they this those though through thus to too under until up upon us very via was we were
    what when where whether which while who whom whose why will with within would yet you
    your yours yourself yourselves""".split()
)
NEGATORS = frozenset(
    """not no never without neither nor none nobody nothing cannot deny denies denied
    denying refuse refuses refused refusing""".split()
)
_SUFFIXES = (
    "ations", "ation", "ators", "ator", "ating", "ated", "ates", "ate", "ments", "ment",
    "ings", "ing", "ions", "ion", "edly", "ed", "es", "ly", "s",
)  # fmt: skip
_DEMONYM_SUFFIXES = ("i", "is", "ian", "ians", "n", "ns", "ese")
_NEGATION_WINDOW = 5  # tokens after a negator that it scopes over


@dataclass(frozen=True)
class Token:
    """One token of a sentence, with its original spelling."""

    text: str
    kind: TokenKind
    initial: bool  # first token of a sentence

    @property
    def lower(self) -> str:
        """Lowercased, with months spelled out and number words as digits."""
        if self.kind == "number":
            return normalize_number(self.text)
        low = self.text.lower()
        return _NUMBER_WORDS.get(low) or _MONTHS.get(low, low)

    @property
    def is_number(self) -> bool:
        """Digits, or a spelled-out number word."""
        return self.kind == "number" or self.text.lower() in _NUMBER_WORDS


def strip_markers(text: str) -> str:
    """Remove inline citation markers like ``[3]``."""
    return _MARKER.sub("", text).strip()


def normalize_number(text: str) -> str:
    """``"1,200"`` -> ``"1200"``, ``"18th"`` -> ``"18"``, ``"2339B"`` -> ``"2339b"``."""
    text = text.replace(",", "").lower()
    return re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", text)


def tokenize(text: str) -> list[Token]:
    """Word, number and dotted-acronym tokens, with aliases canonicalized."""
    for pattern, canonical in _ALIASES:
        text = pattern.sub(canonical, text)
    tokens: list[Token] = []
    last_end = 0
    for match in _TOKEN.finditer(text):
        kind: TokenKind = "word"
        value = match.group()
        if match.group("acronym"):
            kind, value = "acronym", value.replace(".", "")
        elif match.group("number"):
            kind = "number"
        else:
            value = re.sub(r"['\u2019]s$", "", value)  # possessive
        initial = not tokens or bool(_SENTENCE_END.search(text, last_end, match.start()))
        tokens.append(Token(value, kind, initial))
        last_end = match.end()
    return tokens


def stem(word: str) -> str:
    """Crude suffix stripping, enough to match designated/designation, talks/talk."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def is_negator(token: Token) -> bool:
    """True for not/no/never/n't/without/neither/nor/denied/refused and variants."""
    low = token.text.lower()
    return low in NEGATORS or low.endswith(("n't", "n\u2019t"))


def is_content(token: Token) -> bool:
    """A word that carries meaning: not a stopword, negator or number."""
    return not token.is_number and token.lower not in STOPWORDS and not is_negator(token)


def is_name(token: Token, include_initial: bool = True) -> bool:
    """A capitalized non-stopword, or an acronym; sentence-initial words optionally."""
    if token.kind == "acronym":
        return token.text.isupper()
    if token.kind != "word" or token.lower in STOPWORDS or is_negator(token):
        return False
    if token.initial and not include_initial:
        return False
    return token.text[0].isupper()


def content_stems(tokens: list[Token]) -> set[str]:
    """Stems of the content words."""
    return {stem(t.lower) for t in tokens if is_content(t)}


def numbers(tokens: list[Token]) -> set[str]:
    """Normalized numbers, years and number words."""
    return {t.lower for t in tokens if t.is_number}


def names(tokens: list[Token], include_initial: bool = True) -> list[Token]:
    """Proper-name tokens, in order."""
    return [t for t in tokens if is_name(t, include_initial)]


def name_in(name: Token, words: set[str]) -> bool:
    """Whether ``name`` (or a plural/demonym of it, e.g. Qatar/Qatari) is among ``words``."""
    low = name.lower
    if low in words or stem(low) in {stem(w) for w in words}:
        return True
    return any(
        (w.startswith(low) and w[len(low) :] in _DEMONYM_SUFFIXES)
        or (low.startswith(w) and low[len(w) :] in _DEMONYM_SUFFIXES)
        for w in words
        if len(w) >= 4
    )


def negated_stems(tokens: list[Token]) -> set[str]:
    """Content stems that fall within a few tokens after a negator."""
    scoped: set[str] = set()
    for i, token in enumerate(tokens):
        if is_negator(token):
            window = tokens[i + 1 : i + 1 + _NEGATION_WINDOW]
            scoped |= {stem(t.lower) for t in window if is_content(t)}
    return scoped


def has_negation(tokens: list[Token]) -> bool:
    """Whether any token negates."""
    return any(is_negator(t) for t in tokens)
