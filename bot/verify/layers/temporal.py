"""Temporal order: "A after B" in the claim needs B before A in the evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.numbers import dates, values
from bot.verify.layers.syntax import clause_head, lemma, same_word, snippet

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


CHECK = "temporal"
# The main event comes before the event under the marker ("left before the vote").
BEFORE = frozenset({"before", "until", "till", "prior", "ahead", "preceding"})
# The main event comes after the event under the marker ("left after the vote").
AFTER = frozenset({"after", "following", "since", "once"})
# The verb they modify comes after the previous event ("..., then left").
SEQUENCE = frozenset({"then", "later", "subsequently", "afterwards", "afterward", "next"})


def _object(marker: Token) -> Token | None:
    """The event under a marker: its clause's verb, or the noun or gerund it governs."""
    if marker.dep_ == "mark":
        return marker.head
    for child in marker.children:
        if child.dep_ in {"pobj", "pcomp"}:
            return child
        if child.dep_ == "prep":  # "prior to X", "ahead of X"
            return _object(child)
    # A misparse left the preposition without its object: the first noun after it, up to
    # the clause's comma ("After the July plea, ..." read with "plea" as a subject).
    for token in marker.doc[marker.i + 1 : marker.sent.end]:
        if token.is_punct:
            break
        if token.pos_ == "NOUN":
            return token
    return None


def _sequence_pair(marker: Token) -> tuple[Token, Token] | None:
    """For "A, then B": the nearest verbs on either side (the parse often hangs "then" on A)."""
    sent = marker.sent
    after = [t for t in marker.doc[marker.i + 1 : sent.end] if t.pos_ == "VERB"]
    before = [t for t in marker.doc[sent.start : marker.i] if t.pos_ == "VERB"]
    later = after[0] if after else clause_head(marker)
    if before and before[-1] is not later:
        return before[-1], later
    if sent.start == 0:
        return None
    earlier = marker.doc[sent.start - 1].sent.root
    return (earlier, later) if earlier is not later else None


_TIME_WORDS = frozenset(
    [
        "second",
        "minute",
        "hour",
        "day",
        "week",
        "month",
        "year",
        "decade",
        "century",
        "period",
        "while",
        "time",
    ]
)


def _is_time(token: Token) -> bool:
    """A duration or date ("after 584 days", "before 2020"), not an event."""
    # "the July 2025 plea" is an event inside a date's entity; only a time word or a number is
    # a time.
    named_time = token.ent_type_ in {"DATE", "TIME"} and token.pos_ in {"PROPN", "NUM"}
    return token.lemma_.lower() in _TIME_WORDS or named_time or token.like_num


# Verbs that carry no event of their own: "the resignation came after ..." is the resignation.
LIGHT_VERBS = frozenset({"come", "happen", "occur", "take", "be", "follow", "precede"})


def _event(token: Token) -> Token:
    """The word that names the event: the subject of a light verb, else the token."""
    if token.lemma_.lower() in LIGHT_VERBS:
        subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None:
            return subject
    return token


def _verb_pair(verb: Token) -> tuple[Token, Token] | None:
    """ "A followed B" (B first) and "A preceded B" (A first)."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if subject is None or obj is None:
        return None
    return (obj, subject) if verb.lemma_.lower() == "follow" else (subject, obj)


def order_pairs(doc: Doc) -> list[tuple[Token, Token]]:
    """Pairs (earlier event, later event) stated by the connectives of ``doc``."""
    return [(_event(a), _event(b)) for a, b in _raw_pairs(doc)]


def _raw_pairs(doc: Doc) -> list[tuple[Token, Token]]:
    pairs: list[tuple[Token, Token]] = []
    for token in doc:
        word = token.lower_
        if token.pos_ == "VERB" and token.lemma_.lower() in {"follow", "precede"}:
            pair = _verb_pair(token)
            if pair is not None:
                pairs.append(pair)
            continue
        if word in SEQUENCE and token.dep_ == "advmod":
            pair = _sequence_pair(token)
            if pair is not None:
                pairs.append(pair)
            continue
        if word not in BEFORE | AFTER:
            continue
        if word == "once" and token.i > 0 and doc[token.i - 1].lower_ == "at":
            continue  # "at once" is "immediately", not "after"
        sub = _object(token)
        main = clause_head(token.head if token.dep_ != "mark" else token.head.head)
        if sub is None or main is sub or _is_time(sub):
            continue
        pairs.append((main, sub) if word in BEFORE else (sub, main))
    return pairs


def _when(token: Token) -> tuple[int, int, int] | None:
    """When the event happened, from its sentence's only date: (year, month, day), a full
    date when written ("5 October 2025"), else the year alone (month and day 0)."""
    sentence = token.sent.as_doc()
    full = {d for d in dates(sentence) if d[2] is not None}
    years = {int(v.value) for v in values(sentence) if v.kind == "year"}
    if len(full) == 1:
        day, month, year = full.pop()
        return (int(year or 0), month, day)
    return (years.pop(), 0, 0) if len(years) == 1 and not full else None


def _same_event(a: Token, b: Token) -> bool:
    """Same word, synonym or related form, or words of one sense ("plea" ~ "plead")."""
    if same_word(a, b):
        return True
    forms_a = nlp.related_forms(lemma(a)) | {lemma(a)}
    forms_b = nlp.related_forms(lemma(b)) | {lemma(b)}
    return bool(forms_a & forms_b)


def _matches(event: Token, doc: Doc) -> list[Token]:
    return [t for t in doc if t.pos_ in {"VERB", "NOUN"} and _same_event(event, t)]


def _before(first: tuple[int, int, int], second: tuple[int, int, int]) -> bool:
    """Strictly earlier, comparing only as finely as both dates are written."""
    if first[1] and second[1]:
        return first < second
    return first[0] < second[0]


class TemporalJudge:
    """Refuses a claim whose stated order of events the evidence reverses or does not state."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Compare each (earlier, later) pair of the claim with the evidence's pairs and years."""
        claim_pairs = order_pairs(nlp.parse(claim))
        if not claim_pairs:
            return no_opinion(CHECK)
        evidence_doc = nlp.parse(evidence)
        evidence_pairs = order_pairs(evidence_doc)
        findings: list[Finding] = []
        for earlier, later in claim_pairs:
            stated = f"'{earlier.text}' before '{later.text}'"
            if any(_same_event(earlier, a) and _same_event(later, b) for a, b in evidence_pairs):
                continue
            reversed_pair = next(
                (
                    (a, b)
                    for a, b in evidence_pairs
                    if _same_event(later, a) and _same_event(earlier, b)
                ),
                None,
            )
            if reversed_pair:
                findings.append(
                    Finding(
                        CHECK,
                        snippet(later),
                        snippet(reversed_pair[1]),
                        f"the claim puts {stated}; the evidence has the reverse order",
                    )
                )
                continue
            first = [w for w in map(_when, _matches(earlier, evidence_doc)) if w is not None]
            second = [w for w in map(_when, _matches(later, evidence_doc)) if w is not None]
            if first and second and all(_before(a, b) for a in first for b in second):
                continue
            message = (
                f"the claim puts {stated}; the evidence's dates say otherwise"
                if first and second
                else f"the claim puts {stated}; the evidence does not state that order"
            )
            findings.append(Finding(CHECK, snippet(earlier), "", message))
        return refuse(CHECK, *findings) if findings else no_opinion(CHECK)
