"""Numbers and dates: every value, year, month and ordinal of the claim is in the evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.syntax import lemma

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


CHECK = "numbers"
_UNITS_TEXT = """zero one two three four five six seven eight nine ten eleven twelve thirteen
    fourteen fifteen sixteen seventeen eighteen nineteen"""
_TENS_TEXT = "twenty thirty forty fifty sixty seventy eighty ninety"
_ORDINALS_TEXT = """zeroth first second third fourth fifth sixth seventh eighth ninth tenth
    eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth
    nineteenth twentieth"""
NUMBER_WORDS = {w: i for i, w in enumerate(_UNITS_TEXT.split())} | {
    w: 20 + 10 * i for i, w in enumerate(_TENS_TEXT.split())
}
# "first" is left to the quantifier check ("the first to ...").
ORDINAL_WORDS = {w: i for i, w in enumerate(_ORDINALS_TEXT.split()) if w != "first"}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
MONTHS = (
    {m: i + 1 for i, m in enumerate(_MONTH_NAMES)}
    | {m[:3]: i + 1 for i, m in enumerate(_MONTH_NAMES) if m != "may"}
    | {"sept": 9}
)
_DIGITS = re.compile(r"^\$?(\d+(?:,\d{3})*(?:\.\d+)?)(st|nd|rd|th|s)?%?$", re.IGNORECASE)
_NUMBER_ENTS = {"DATE", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "TIME"}


@dataclass(frozen=True)
class Value:
    """A number as written: its value, kind and the noun it counts (if any)."""

    value: float
    kind: str  # "number", "ordinal", "year", "month"
    unit: str
    text: str
    owner: str = ""  # the named subject of the clause: "Fatah" in "Fatah won 45"


def _number(token: Token) -> tuple[float, str] | None:
    low = token.lower_.replace("\u2019", "'")
    if low in NUMBER_WORDS and (low != "one" or token.dep_ == "nummod"):
        return float(NUMBER_WORDS[low]), "number"
    if low in ORDINAL_WORDS:
        return float(ORDINAL_WORDS[low]), "ordinal"
    if "-" in low and all(p in NUMBER_WORDS for p in low.split("-")):
        return float(sum(NUMBER_WORDS[p] for p in low.split("-"))), "number"
    match = _DIGITS.match(low)
    if not match:
        return None
    value = float(match.group(1).replace(",", ""))
    suffix = (match.group(2) or "").lower()
    if suffix in {"st", "nd", "rd", "th"}:
        return value, "ordinal"
    if value.is_integer() and 1900 <= value <= 2100 and "," not in match.group(1):
        return value, "year"
    return value, "number"


def _unit(token: Token) -> str:
    """The noun a number counts: "three consequences" -> "consequence"; "40%" -> "percent"."""
    if token.text.endswith("%") or (token.i + 1 < len(token.doc) and token.nbor().text == "%"):
        return "percent"
    if token.dep_ in {"nummod", "amod", "quantmod", "compound"} and token.head.pos_ == "NOUN":
        head = token.head
        return "percent" if lemma(head) in {"percent", "per cent"} else lemma(head)
    return ""


def _owner(token: Token) -> str:
    """The named subject of the verb whose object the number is ("Fatah won 45 seats")."""
    if token.dep_ == "dobj":
        verb = token.head
    elif token.dep_ == "nummod" and token.head.dep_ == "dobj":
        verb = token.head.head
    else:
        return ""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject.lower_ if subject is not None and subject.pos_ == "PROPN" else ""


def values(doc: Doc) -> list[Value]:
    """The numbers, ordinals, years and months written in ``doc``, scales applied."""
    found: list[Value] = []
    for token in doc:
        low = token.lower_.rstrip(".")
        if low in MONTHS and token.text[0].isupper() and (low != "may" or token.ent_type_):
            found.append(Value(MONTHS[low], "month", "", token.text))
            continue
        parsed = _number(token)
        if parsed is None or (
            parsed[1] == "number"
            and low in NUMBER_WORDS
            and not (token.ent_type_ in _NUMBER_ENTS or token.dep_ == "nummod" or token.like_num)
        ):
            continue
        value, kind = parsed
        following = token.nbor() if token.i + 1 < len(doc) else None
        if following is not None and following.lower_ in SCALES:
            value *= SCALES[following.lower_]
            unit = _unit(following)
        else:
            unit = _unit(token)
        if token.lower_ in SCALES:
            continue
        found.append(Value(value, kind, unit, token.text, _owner(token)))
    return found


def _same_unit(a: str, b: str) -> bool:
    if not a or not b or a == b:
        return True
    return b in nlp.synonyms(a, "n") or a in nlp.synonyms(b, "n")


class NumbersJudge:
    """Refuses a claim with a number, year, month or ordinal the evidence does not state."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Each claim value must be in the evidence, counting the same thing."""
        evidence_values = values(nlp.parse(evidence))
        findings: list[Finding] = []
        for value in values(nlp.parse(claim)):
            same = [v for v in evidence_values if v.value == value.value]
            if not same:
                findings.append(
                    Finding(
                        CHECK, value.text, "", f"{value.kind} {value.text} is not in the evidence"
                    )
                )
                continue
            owners = {v.owner for v in same}
            if value.owner and "" not in owners and value.owner not in owners:
                findings.append(
                    Finding(
                        CHECK,
                        f"{value.owner} ... {value.text}",
                        f"{same[0].owner} ... {same[0].text}",
                        f"{value.text} goes with {same[0].owner} in the evidence, "
                        f"not {value.owner}",
                    )
                )
                continue
            if not any(_same_unit(value.unit, v.unit) for v in same):
                other = same[0]
                findings.append(
                    Finding(
                        CHECK,
                        f"{value.text} {value.unit}",
                        f"{other.text} {other.unit}",
                        f"{value.text} counts {value.unit} in the claim but "
                        f"{other.unit} in the evidence",
                    )
                )
        return refuse(CHECK, *findings) if findings else no_opinion(CHECK)
