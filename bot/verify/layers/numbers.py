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


def _is_month(token: Token) -> bool:
    low = token.lower_.rstrip(".")
    return low in MONTHS and token.text[:1].isupper() and (low != "may" or bool(token.ent_type_))


def _day(token: Token) -> int | None:
    """The day of the month a token next to a month name writes ("13 January"), or None."""
    parsed = _number(token)
    if parsed is None or parsed[1] not in {"number", "ordinal"} or not 1 <= parsed[0] <= 31:
        return None
    doc = token.doc
    near = [doc[i] for i in (token.i - 1, token.i + 1) if 0 <= i < len(doc)]
    return int(parsed[0]) if any(_is_month(t) for t in near) else None


def _next_to_month(token: Token) -> bool:
    return _day(token) is not None


def _year(token: Token) -> int | None:
    parsed = _number(token)
    return int(parsed[0]) if parsed is not None and parsed[1] == "year" else None


def dates(doc: Doc) -> set[tuple[int, int, int | None]]:
    """Full dates written in ``doc`` as (day, month, year), year None when not written
    ("13 January 2026", "January 13, 2026", "on 5 October")."""
    found: set[tuple[int, int, int | None]] = set()
    for token in doc:
        if not _is_month(token):
            continue
        month = MONTHS[token.lower_.rstrip(".")]
        days = [d for i in (token.i - 1, token.i + 1) if 0 <= i < len(doc) and (d := _day(doc[i]))]
        if not days:
            continue
        years = [y for t in doc[token.i + 1 : token.i + 4] if (y := _year(t)) is not None]
        found.add((days[0], month, years[0] if years else None))
    return found


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
        if kind in {"number", "ordinal"} and _next_to_month(token):
            kind = "day"  # "13 January", "December 15": a day of the month, not a count
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


# Units of time in hours: "three days" is "72 hours".
HOURS = {"minute": 1 / 60, "hour": 1, "day": 24, "week": 168}
# Words that state a count without a digit.
COUNT_WORDS = {"twice": 2, "both": 2, "once": 1, "single": 1, "dozen": 12}
_KINDS = {"day": {"day", "ordinal"}, "ordinal": {"ordinal", "day"}}


def _same_unit(a: str, b: str) -> bool:
    if not a or not b or a == b:
        return True
    return b in nlp.synonyms(a, "n") or a in nlp.synonyms(b, "n")


def same_value(claim: Value, evidence: Value) -> bool:
    """The same number of the same kind ("two weeks" is not "February"), or the same span of
    time in other units ("three days", "72 hours")."""
    if claim.kind != evidence.kind and evidence.kind not in _KINDS.get(claim.kind, ()):
        return False
    return claim.value == evidence.value or _same_time(claim, evidence)


def _same_time(claim: Value, evidence: Value) -> bool:
    """The same span of time in two units ("three days", "72 hours")."""
    if claim.unit not in HOURS or evidence.unit not in HOURS:
        return False
    return abs(claim.value * HOURS[claim.unit] - evidence.value * HOURS[evidence.unit]) < 1e-6


def _counts(doc: Doc) -> list[Value]:
    """Counts written as words ("twice", "both"): they license the claim's "two"."""
    return [
        Value(float(COUNT_WORDS[t.lower_]), "number", "", t.text)
        for t in doc
        if t.lower_ in COUNT_WORDS
    ]


class NumbersJudge:
    """Refuses a claim with a number, year, month or ordinal the evidence does not state."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Each claim value must be in the evidence, counting the same thing."""
        evidence_doc, claim_doc = nlp.parse(evidence), nlp.parse(claim)
        evidence_values = values(evidence_doc)
        counted = evidence_values + _counts(evidence_doc)
        findings: list[Finding] = []
        evidence_dates = dates(evidence_doc)
        for day, month, year in dates(claim_doc):
            known = [d for d in evidence_dates if d[:2] == (day, month)]
            if year is not None and known and all(d[2] not in {year, None} for d in known):
                findings.append(
                    Finding(
                        CHECK,
                        f"{day}/{month}/{year}",
                        ", ".join(f"{d}/{m}/{y}" for d, m, y in sorted(known, key=str)),
                        f"the date {day}/{month}/{year} has another year in the evidence",
                    )
                )
        for value in values(claim_doc):
            same = [v for v in counted if same_value(value, v)]
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
            # A year, month or day dates something ("the 1997 consequences"): it counts nothing.
            dating = value.kind in {"year", "month", "day"}
            if not dating and not any(
                _same_unit(value.unit, v.unit) or _same_time(value, v) for v in same
            ):
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
