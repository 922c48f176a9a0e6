"""Opposite directions of a phrasal verb: "kept him on the talks" against "took him off"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.verify.layers.base import Finding
from bot.verify.layers.syntax import is_negated, lemma, snippet

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CHECK = "negation"
# Particles that are each other's opposite, and the prepositions that are (a preposition's
# sense is mostly place or topic, so fewer of them count: "in response" is no direction).
PARTICLE_OPPOSITES = {"on": "off", "off": "on", "in": "out", "out": "in", "up": "down",
                      "down": "up"}  # fmt: skip
PREPOSITION_OPPOSITES = {"on": "off", "off": "on", "onto": "off", "into": "out", "out": "into"}
_NOMINAL = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "dative"})


def _participants(verb: Token) -> set[str]:
    """Lemmas of the nominals the verb takes, directly or through a preposition."""
    found: set[str] = set()
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    for child in [*verb.children, *(c for o in objects for c in o.children if c.dep_ == "prep")]:
        if child.dep_ in _NOMINAL:
            found.add(lemma(child))
        elif child.dep_ in {"prep", "prt"}:
            found |= {lemma(c) for c in child.children if c.dep_ == "pobj"}
    return found


def directions(verb: Token) -> list[tuple[str, str, set[str]]]:
    """The verb's directions: (word, kind, what the direction applies to). A particle applies
    to the verb's objects, a preposition to its own object."""
    found: list[tuple[str, str, set[str]]] = []
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    # The parse may hang the preposition on the object ("kept [the striker on the squad]").
    for child in [*verb.children, *(c for o in objects for c in o.children)]:
        word = child.lower_
        if child.dep_ == "prt" and word in PARTICLE_OPPOSITES:
            found.append((word, "prt", {lemma(o) for o in objects}))
        elif child.dep_ == "prep" and word in PREPOSITION_OPPOSITES:
            found.append((word, "prep", {lemma(c) for c in child.children if c.dep_ == "pobj"}))
    return found


def _opposite(word: str, kind: str, other: str, other_kind: str) -> bool:
    table = PARTICLE_OPPOSITES if "prt" in {kind, other_kind} else PREPOSITION_OPPOSITES
    return table.get(word) == other


def opposite_directions(claim: Doc, evidence: Doc) -> list[Finding]:
    """A claim verb whose particle or preposition points the other way from the evidence
    verb's, for the same participants ("kept Boehler on the negotiations" where the evidence
    has "taken Boehler off the negotiations")."""
    findings: list[Finding] = []
    evidence_verbs = [(e, directions(e)) for e in evidence if e.pos_ == "VERB"]
    for verb in (t for t in claim if t.pos_ == "VERB"):
        mine = directions(verb)
        if not mine:
            continue
        shared_base = _participants(verb)
        for rival, theirs in evidence_verbs:
            if is_negated(rival) != is_negated(verb):
                continue
            shared = shared_base & _participants(rival)
            hit = next(
                (
                    (word, other)
                    for word, kind, applies in mine
                    for other, other_kind, rival_applies in theirs
                    if _opposite(word, kind, other, other_kind)
                    and applies & rival_applies
                    and len(shared) >= 2
                ),
                None,
            )
            if hit is not None:
                findings.append(
                    Finding(
                        CHECK,
                        snippet(verb),
                        snippet(rival),
                        f"the claim says '{verb.text} ... {hit[0]}' where the evidence says "
                        f"the opposite, '{rival.text} ... {hit[1]}'",
                    )
                )
                break
    return findings
