"""What a question asks: its kind (who, when, how much, why, yes/no, ...) and its parts.

Pure text rules, no model. A part is one thing the answer must say; "Who is X, where is he
based, and what happened to his son?" has three, "A vs B: how many ...?" has two. Each part
keeps the question's shared words, so it can be searched and scored on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.text import features as tf

QuestionKind = Literal[
    "who", "when", "where", "how_much", "why", "yes_no", "comparison", "how", "what"
]

_AUX = r"is|are|was|were|did|does|do|has|have|had|can|could|will|would|should|may|might|must"
_KIND_RULES: tuple[tuple[QuestionKind, re.Pattern[str]], ...] = (
    (
        "how_much",
        re.compile(
            r"\bhow (many|much|long|big|large|often|far)\b"
            r"|\bwhat (share|percentage|number|amount)\b|\bdeath toll\b"
        ),
    ),
    ("when", re.compile(r"\bwhen\b|\bwhat (year|date|day|month|time)\b|\bsince when\b")),
    ("where", re.compile(r"\bwhere\b|\b(which|what) (city|country|place|town)\b")),
    (
        "why",
        re.compile(r"\bwhy\b|\bwhat (reasons?|cause|motive)\b|\bfor what reason\b|\bhow come\b"),
    ),
    (
        "who",
        re.compile(
            r"\bwho(m|se)?\b|\bwhich [a-z]* ?(official|person|envoy|leader|minister|president"
            r"|country|countries|group|man|woman|guy)s?\b"
        ),
    ),
)
_YES_NO = re.compile(rf"^(?:{_AUX}|isn't|wasn't|didn't|doesn't|can't|won't)\b")
_COMPARISON = re.compile(
    r"\b(vs\.?|versus|compare[sd]?|comparison|different from|differ|difference|the same way"
    r"|each time|in each|both)\b"
)
_WH = r"who|whom|whose|when|where|why|what|which|how"
# A new question clause: after a comma or "and", a wh-word; after a comma (and "and"),
# an auxiliary and its subject ("Is X up, and did Y fall?" asks two yes/no questions).
_CLAUSE_SPLIT = re.compile(
    rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?=(?:{_WH})\b)"
    rf"|\s*,\s*(?:and\s+)?(?=(?:{_AUX})\s+[A-Z])",
    re.IGNORECASE,
)
_VERSUS = re.compile(r"\s+(?:vs\.?|versus)\s+", re.IGNORECASE)
_COMPARE_WITH = re.compile(
    r"\s+(?:compare[sd]? (?:with|to)|different from|differ from|as opposed to)\s+", re.IGNORECASE
)
_PARALLEL = re.compile(
    r"^(in|for|on|at|during) (.+?) and (?:in |for |on |at |during )?(.+?), (.+)$", re.IGNORECASE
)
_SAME_WAY = re.compile(
    r"^(.*?\b(?:about|of|for|in|on))\s+(.+?)\s+and\s+(.+?)\s+"
    r"(the same way|the same|each time|in each|both)\b(.*)$",
    re.IGNORECASE,
)
_MAX_PARTS = 3


@dataclass(frozen=True)
class QuestionPart:
    """One thing the answer must say."""

    text: str  # the part as a standalone query
    asked: str  # the part as the user worded it
    kind: QuestionKind
    anchors: frozenset[str]  # lowercased names and numbers the part asks about


@dataclass(frozen=True)
class QuestionFrame:
    """A question's kind and its parts (one part when it asks one thing)."""

    question: str
    kind: QuestionKind
    parts: tuple[QuestionPart, ...]

    @property
    def multi_part(self) -> bool:
        """Whether the answer needs more than one part."""
        return len(self.parts) > 1


def anchors_of(text: str) -> frozenset[str]:
    """Lowercased names and numbers ``text`` asks about."""
    tokens = tf.tokenize(text)
    return frozenset(
        {t.lower for t in tf.names(tokens, include_initial=False)} | tf.numbers(tokens)
    )


def kind_of(text: str) -> QuestionKind:
    """The kind of answer ``text`` asks for: the earliest question word decides."""
    low = " ".join(text.lower().split())
    low = re.sub(r"^[^:?]{0,30}:\s*", "", low) if ":" in low[:32] else low  # "Numbers check: "
    if _YES_NO.match(low):
        return "yes_no"
    found: list[tuple[int, int, QuestionKind]] = []
    for rank, (kind, pattern) in enumerate(_KIND_RULES):
        match = pattern.search(low)
        if match:
            found.append((match.start(), rank, kind))
    generic = re.search(r"\b(what|how|which)\b", low)
    if generic:
        found.append((generic.start(), len(_KIND_RULES), "how" if generic[1] == "how" else "what"))
    if any(kind == "how_much" for _, _, kind in found):
        return "how_much"  # "what's the death toll", "the number of ..." ask for a quantity
    return min(found)[2] if found else "what"


def _comparison_parts(question: str) -> list[str]:
    """The compared halves of a comparison, each with the question's shared words."""
    body = question.strip().rstrip("?").strip()
    head, colon, tail = body.partition(":")
    if colon and _VERSUS.search(head):  # "A vs B: how many ... each time"
        return [f"{side.strip()}: {tail.strip()}" for side in _VERSUS.split(head, maxsplit=1)]
    if _VERSUS.search(body):
        return [side.strip() for side in _VERSUS.split(body, maxsplit=1)]
    match = _PARALLEL.match(body)
    if match:
        prep, a, b, rest = match.groups()
        return [f"{prep} {a}, {rest}", f"{prep} {b}, {rest}"]
    match = _SAME_WAY.match(body)
    if match:
        head_words, a, b, _, rest = match.groups()
        return [f"{head_words} {a}{rest}", f"{head_words} {b}{rest}"]
    parts = _COMPARE_WITH.split(body, maxsplit=1)
    if len(parts) == 2:
        return [p.strip() for p in parts]
    return []


def _asks(text: str) -> bool:
    """Whether ``text`` is itself a question clause (starts with a question word)."""
    return bool(re.match(rf"(?:{_WH}|{_AUX})\b", text, re.IGNORECASE))


def _merge_clauses(clauses: list[str], joiner: str) -> list[str]:
    """Join a clause that asks nothing to its neighbour ("After X, how ...", "examples please")."""
    out: list[str] = []
    carry = ""
    for i, clause in enumerate(clauses):
        clause = f"{carry}{joiner}{clause}" if carry else clause
        carry = ""
        if _asks(clause) or (not out and i == len(clauses) - 1):
            out.append(clause)
        elif out:
            out[-1] = f"{out[-1]}{joiner}{clause}"
        else:
            carry = clause
    return out


_LABEL = re.compile(r"^((?:[\w'-]+\s+){0,2}[\w'-]+):\s+(?=\S)")


def strip_label(text: str) -> str:
    """``text`` without a short run-in label ("Numbers check: ..."), which asks nothing;
    "A vs B: how many ...?" keeps its compared head."""
    match = _LABEL.match(text)
    if match and not _VERSUS.search(f" {match[1]} ") and not _asks(match[1]):
        return text[match.end() :]
    return text


def split_parts(question: str) -> list[tuple[str, str]]:
    """The question's parts (at most three): each as a standalone query and as worded."""
    text = strip_label(" ".join(question.split()))
    pieces = _merge_clauses([p.strip() for p in re.split(r"\?\s+", text) if p.strip()], " ")
    parts: list[str] = []
    for piece in pieces:
        cue = _COMPARISON.search(piece.lower()) or _PARALLEL.match(piece.rstrip("?"))
        compared = _comparison_parts(piece) if cue else []
        if compared:
            parts.extend(compared)
            continue
        clauses = [c.strip() for c in _CLAUSE_SPLIT.split(piece.rstrip("?")) if c.strip()]
        parts.extend(_merge_clauses(clauses, ", "))
    parts = [p.rstrip("?").strip() for p in parts if len(p.split()) >= 2] or [text.rstrip("?")]
    # A later clause that names nothing ("where is he based") borrows the first one's names.
    first_names = " ".join(t.text for t in tf.names(tf.tokenize(parts[0]), include_initial=False))
    out = [(parts[0], parts[0])]
    for part in parts[1:]:
        borrow = not anchors_of(part) and first_names
        out.append((f"{first_names} {part}" if borrow else part, part))
    return out[:_MAX_PARTS]


def analyze(question: str) -> QuestionFrame:
    """The kind of ``question`` and its parts, each with its own kind and anchors."""
    texts = split_parts(question)
    comparison = bool(_COMPARISON.search(question.lower())) and len(texts) > 1
    kind: QuestionKind = "comparison" if comparison else kind_of(question)
    parts = tuple(
        QuestionPart(
            text=query,
            asked=asked,
            kind=kind_of(asked) if len(texts) > 1 else kind_of(question),
            anchors=anchors_of(query),
        )
        for query, asked in texts
    )
    return QuestionFrame(question=question, kind=kind, parts=parts)
