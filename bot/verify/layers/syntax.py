"""Shared readings of a parse: content words, negation, modality and matching of words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from bot.verify.layers import nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


PREDICATE_POS = frozenset({"VERB", "ADJ"})
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
NEGATIVE_SUBJECTS = frozenset({"none", "nobody", "nothing", "neither", "no one", "nor"})
# Verbs that negate their complement: "refused to release" = did not release.
NEGATING_GOVERNORS = frozenset({"refuse", "fail", "deny", "decline", "reject", "avoid", "stop"})
HEDGE_AUXILIARIES = frozenset({"could", "may", "might", "would", "should", "can"})
# Verbs and nouns whose complement did not (yet) happen: "warned it could", "proposed to".
HEDGE_GOVERNORS = frozenset(
    [
        "warn",
        "consider",
        "propose",
        "threaten",
        "plan",
        "suggest",
        "discuss",
        "seek",
        "offer",
        "hope",
        "expect",
        "intend",
        "weigh",
        "fear",
        "aim",
        "urge",
        "recommend",
        "explore",
        "mull",
        "contemplate",
        "predict",
        "try",
        "attempt",
        "want",
        "ask",
        "demand",
        "push",
        "press",
        "vow",
        "promise",
        "pledge",
        "call",
        "float",
        "envisage",
        "risk",
        "prepare",
        "set",
        "schedule",
        "due",
    ]
)
HEDGE_NOUNS = frozenset(
    [
        "proposal",
        "plan",
        "threat",
        "possibility",
        "risk",
        "idea",
        "option",
        "offer",
        "prospect",
        "danger",
        "fear",
    ]
)


def words(span: Doc | Span | Iterable[Token]) -> Iterator[Token]:
    """Tokens that are words (no punctuation or spaces)."""
    return (t for t in span if not (t.is_punct or t.is_space))


def lemma(token: Token) -> str:
    """The lowercased lemma."""
    return token.lemma_.lower()


def is_content(token: Token) -> bool:
    """A word that carries meaning: a noun, name, verb, adjective or number, not a stopword."""
    return token.pos_ in CONTENT_POS and not token.is_stop and token.lemma_.isalnum()


def content_lemmas(span: Doc | Span | Iterable[Token]) -> set[str]:
    """Lemmas of the content words."""
    return {lemma(t) for t in span if is_content(t)}


def expand(token: Token) -> frozenset[str]:
    """The lemma with its frequent-sense synonyms and related forms."""
    base = lemma(token)
    pos = nlp.wordnet_pos(token.pos_)
    found = nlp.synonyms(base, pos) | nlp.related_forms(base)
    particle = next(
        (c.lower_ for c in token.children if c.dep_ in {"prt", "advmod"} and c.i == token.i + 1),
        None,
    )
    if particle:  # "step down" ~ resign ~ resignation
        for synonym in nlp.synonyms(f"{base} {particle}", pos):
            found |= nlp.related_forms(synonym) | {synonym}
    return found


def same_word(a: Token, b: Token) -> bool:
    """Same lemma, or synonyms/related forms of each other."""
    if lemma(a) == lemma(b) or a.lower_ == b.lower_:
        return True
    return lemma(b) in expand(a) or lemma(a) in expand(b)


def clause_head(token: Token) -> Token:
    """The verb or predicate adjective that governs ``token`` (itself for a verb)."""
    current = token
    while current.pos_ not in {"VERB", "AUX"} and current.head is not current:
        if current.dep_ == "acomp" or (current.pos_ == "ADJ" and current.dep_ == "ROOT"):
            return current
        current = current.head
    return current


def _verb_negated(verb: Token) -> bool:
    for child in verb.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ in {"nsubj", "nsubjpass"}:
            if lemma(child) in NEGATIVE_SUBJECTS:
                return True
            if any(d.dep_ == "det" and lemma(d) == "no" for d in child.children):
                return True
    # "refused to release", "failed to reach": the complement is negated.
    if verb.dep_ in {"xcomp", "ccomp"} and lemma(verb.head) in NEGATING_GOVERNORS:
        return True
    # "without consulting": a preposition negates its clause.
    if verb.dep_ == "pcomp" and verb.head.lower_ == "without":
        return True
    # The auxiliary of an "acomp"/copula clause carries the negation ("is not unanimous").
    return verb.dep_ == "acomp" and any(c.dep_ == "neg" for c in verb.head.children)


def is_negated(token: Token) -> bool:
    """Whether a predicate (verb or adjective) is negated in its clause."""
    head = clause_head(token)
    if head.pos_ not in {"VERB", "AUX", "ADJ"}:
        return False
    negated = _verb_negated(head)
    # A conjunct shares the negation of the verb it hangs on ("did not meet or call").
    if not negated and head.dep_ == "conj" and head.head.pos_ in {"VERB", "AUX"}:
        negated = _verb_negated(head.head)
    return negated


def is_hedged(token: Token) -> bool:
    """Whether a predicate is only possible, planned, proposed or threatened."""
    head = clause_head(token)
    for child in head.children:
        if child.dep_ == "aux" and lemma(child) in HEDGE_AUXILIARIES:
            return True
    parent = head.head
    if head.dep_ in {"xcomp", "ccomp", "advcl"} and lemma(parent) in HEDGE_GOVERNORS:
        return True
    # "forces were to leave": an obligation or plan, not a departure.
    to = any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)
    if head.dep_ == "xcomp" and lemma(parent) == "be" and to:
        return True
    if head.dep_ in {"acl", "relcl", "pcomp", "pobj"} and lemma(parent) in HEDGE_NOUNS:
        return True
    return head.dep_ == "pcomp" and lemma(parent.head) in HEDGE_NOUNS


def predicates(doc: Doc | Span) -> list[Token]:
    """Verbs and predicative adjectives that carry content (not auxiliaries or modifiers)."""
    return [
        t
        for t in doc
        if t.pos_ in PREDICATE_POS and is_content(t) and t.dep_ not in {"amod", "compound"}
    ]


def has_negator(token: Token) -> bool:
    """Whether the sentence of ``token`` holds any negating word at all."""
    return any(
        t.dep_ == "neg"
        or t.lower_ in NEGATIVE_SUBJECTS | {"no", "never", "without"}
        or lemma(t) in NEGATING_GOVERNORS
        for t in token.sent
    )


def snippet(token: Token, width: int = 6) -> str:
    """A short piece of the sentence around ``token``, for a finding."""
    sent = token.sent
    start = max(token.i - width, sent.start)
    end = min(token.i + width + 1, sent.end)
    return token.doc[start:end].text


def normalize(text: str) -> str:
    """Lowercased text with straight quotes and single spaces, for substring checks."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.sub(r"\s+", " ", text)
