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
_MONTH_NAMES = frozenset(_MONTHS.values()) | {"may"}
_SMALL_NUMBERS_TEXT = """zero _ two three four five six seven eight nine ten eleven twelve
    thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"""
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(_SMALL_NUMBERS_TEXT.split())
    if word != "_"  # "one" is too often a pronoun to count as a number
} | {"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100"}

_TOKEN = re.compile(
    r"(?P<acronym>(?:[A-Za-z]\.){2,})"
    r"|(?P<number>\d+(?:,\d{3})*(?:\.\d+)?[A-Za-z]*)"
    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)*)"
)
_SENTENCE_END = re.compile(r"[.!?:;]\s*[\"'\u201c\u201d\u2018\u2019(]*\s*$")
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\u2014]")

_STOPWORDS_TEXT = """
    a about above after again against all also although am among an and any are as at
    be because been before being below between both but by can could did do does doing
    down during each either even ever few for from further had has have having he her here
    hers herself him himself his how however i if in into is it its itself just least less
    let like made make many may me might more most much must my myself new now of off on
    once one only or other others our ours ourselves out over own per same shall she should
    since so some still such than that the their theirs them themselves then there these
    they this those though through thus to too under until up upon us very via was we were
    what when where whether which while who whom whose why will with within would yet you
    your yours yourself yourselves"""
_NEGATORS_TEXT = """not no never without neither nor none nobody nothing cannot deny denies denied
    denying refuse refuses refused refusing"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
NEGATORS = frozenset(_NEGATORS_TEXT.split())
_SUFFIXES = (
    "ations", "ation", "ators", "ator", "ating", "ated", "ates", "ate", "ments", "ment",
    "ings", "ing", "ions", "ion", "edly", "ed", "es", "ly", "s",
)  # fmt: skip
_DEMONYM_SUFFIXES = ("i", "is", "ian", "ians", "n", "ns", "ese")
_NEGATION_WINDOW = 3  # content words after a negator, within its clause, that it scopes over
_NUMBER_WINDOW = 1  # a number is bound to the words right next to it ("2016 memorandum")


@dataclass(frozen=True)
class Token:
    """One token of a sentence, with its original spelling."""

    text: str
    kind: TokenKind
    initial: bool  # first token of a sentence
    clause_start: bool = False  # first token after a comma, semicolon, dash or sentence end

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
        clause_start = initial or bool(_CLAUSE_BREAK.search(text, last_end, match.start()))
        tokens.append(Token(value, kind, initial, clause_start))
        last_end = match.end()
    return tokens


def stem(word: str) -> str:
    """Crude suffix stripping, enough to match designated/designation, conditioned/conditions."""
    word = word.lower()
    for _ in range(2):  # twice, so "conditioned" -> "condition" -> "condit"
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


def is_month(token: Token) -> bool:
    """A capitalized month name ("May" only when it cannot be a sentence-initial modal)."""
    return (
        token.kind == "word"
        and token.lower in _MONTH_NAMES
        and token.text[0].isupper()
        and not (token.lower == "may" and token.initial)
    )


def is_content(token: Token) -> bool:
    """A word that carries meaning: not a stopword, negator or number."""
    if token.is_number or is_negator(token):
        return False
    return token.lower not in STOPWORDS or is_month(token)


def is_name(token: Token, include_initial: bool = True) -> bool:
    """A capitalized non-stopword, or an acronym; sentence-initial words optionally."""
    if token.kind == "acronym":
        return token.text.isupper()
    if token.kind != "word" or not is_content(token):
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


def initials(tokens: list[Token]) -> tuple[str, str]:
    """Initial letters of all words, and of content words only (to expand acronyms)."""
    words = [t for t in tokens if t.kind == "word"]
    return (
        "".join(t.text[0] for t in words).upper(),
        "".join(t.text[0] for t in words if is_content(t)).upper(),
    )


def acronym_in(name: Token, quote_initials: tuple[str, str]) -> bool:
    """Whether an acronym (FTO) is spelled out in the quote (Foreign Terrorist Organization)."""
    return (
        name.text.isupper()
        and len(name.text) >= 3
        and any(name.text in spelled for spelled in quote_initials)
    )


def negation_profile(tokens: list[Token]) -> tuple[set[str], set[str]]:
    """(negated, plain): content stems inside a negation's scope, and stems seen outside one.

    A negator scopes over the next few content words of its own clause.
    """
    negated: set[str] = set()
    plain: set[str] = set()
    scope = 0
    for token in tokens:
        if token.clause_start:
            scope = 0
        if is_negator(token):
            scope = _NEGATION_WINDOW
        elif is_content(token):
            (negated if scope else plain).add(stem(token.lower))
            scope = max(scope - 1, 0)
    return negated, plain


def number_bindings(tokens: list[Token]) -> dict[str, set[str]]:
    """For each number, the content stems right next to it ("2016 memorandum").

    A run of numbers and months ("October 8, 1997", "2019 to 2028" is two runs) is one
    unit: its numbers share the words on either side of the run and the months in it.
    """
    bound: dict[str, set[str]] = {}
    i = 0
    while i < len(tokens):
        if not (tokens[i].is_number or is_month(tokens[i])):
            i += 1
            continue
        j = i
        while j < len(tokens) and (tokens[j].is_number or is_month(tokens[j])):
            j += 1
        unit = tokens[i:j]
        near = unit + tokens[max(i - _NUMBER_WINDOW, 0) : i] + tokens[j : j + _NUMBER_WINDOW]
        stems = {stem(t.lower) for t in near if is_content(t)}
        for token in unit:
            if token.is_number:
                bound.setdefault(token.lower, set()).update(stems)
        i = j
    return bound


def novel_runs(tokens: list[Token], known: set[str], min_length: int = 2) -> list[str]:
    """Runs of adjacent content words (stopwords between allowed) whose stems are not known.

    A close paraphrase swaps single words; a run of unknown words is an added phrase.
    """
    runs: list[str] = []
    run: list[str] = []
    for token in [*tokens, Token(".", "number", True, True)]:
        if is_content(token) and not token.clause_start and stem(token.lower) not in known:
            run.append(token.text)
            continue
        if is_content(token) and stem(token.lower) not in known:
            # A clause break ends the run, but this word may start the next one.
            if len(run) >= min_length:
                runs.append(" ".join(run))
            run = [token.text]
            continue
        if token.lower in STOPWORDS and not token.clause_start:
            continue
        if len(run) >= min_length:
            runs.append(" ".join(run))
        run = []
    return runs
