"""What the evidence denies, excepts or leaves out, read against what the claim affirms.

- A thing the evidence denies ("came with no agreement") is not affirmed ("included an
  agreement").
- A thing the evidence excepts ("every party except Israel", "except in a major war") is not
  included ("every party, Israel included", "received money during a major war").
- A verb's list of objects is the evidence's list: "thanked Egypt and Qatar" does not
  support "thanked Egypt, Qatar and Israel".
- Direct and indirect manner ("face to face" against "through other people").
- A verb that ends something against one that keeps it going ("was dropped" / "remained in
  force"), and giving against withholding ("sent the shipment" / "held back the
  shipment"), when the evidence does not name the claim's own verb.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.verify.layers.base import Finding
from bot.verify.layers.syntax import (
    NEGATING_GOVERNORS,
    closest,
    has_negator,
    is_hedged,
    is_negated,
    lemma,
    noun_negated,
    predicates,
    snippet,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CHECK = "negation"
# Verbs that deny their object without a "not": "lacked an agreement", "excluded Israel".
PRIVATIVE_VERBS = NEGATING_GOVERNORS | frozenset(
    ["lack", "exclude", "omit", "forgo", "waive", "drop", "abandon", "rule", "bar", "ban",
     "withhold", "miss", "leave"]
)  # fmt: skip
EXCEPTING = ("except", "excluding", "other than", "apart from", "save for", "but for")
_OBJECTS = frozenset({"dobj", "dative"})
# Manner of contact: direct against through others.
DIRECT = ("directly", "face to face", "face-to-face", "in person", "one on one")
INDIRECT = (
    "indirectly", "through other people", "through mediators", "through intermediaries",
    "through go-betweens", "through third parties", "via mediators", "via intermediaries",
)  # fmt: skip
ENDING_VERBS = frozenset(
    ["close", "shut", "dissolve", "disband", "dismantle", "drop", "end", "abandon", "scrap",
     "revoke", "cancel", "abolish", "terminate", "rescind",
     "repeal", "lift", "halt", "cease", "stop", "suspend", "discontinue", "reverse"]
)  # fmt: skip
CONTINUING_VERBS = frozenset(["remain", "continue", "stay", "persist", "endure", "keep"])
GIVING_VERBS = frozenset(
    ["send", "deliver", "ship", "provide", "supply", "transfer", "give", "release", "approve"]
)
WITHHOLDING_VERBS = frozenset(
    ["withhold", "block", "halt", "freeze", "pause", "suspend", "delay", "stop", "hold"]
)


def _flat(doc: Doc) -> str:
    return " " + " ".join(t.lower_ for t in doc) + " "


def _denied(noun: Token) -> bool:
    """ "no agreement", "without conditions", "did not seek money": the evidence denies the
    thing itself (a subject of a negated verb is not denied: "the statement did not
    mention")."""
    if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
        return True
    if noun.dep_ == "pobj" and noun.head.lower_ == "without":
        return True
    return noun.dep_ in {"dobj", "attr"} and noun.head.pos_ == "VERB" and is_negated(noun.head)


def _denied_by_claim(token: Token) -> bool:
    """Whether the claim itself denies or excepts the noun (so it cannot affirm it)."""
    if noun_negated(token) or has_negator(token):
        return True
    return any(lemma(a) in PRIVATIVE_VERBS for a in token.ancestors)


def denied_things(claim: Doc, evidence: Doc) -> list[Finding]:
    """A noun the evidence only denies ("no agreement", "without conditions") that the claim
    affirms."""
    findings: list[Finding] = []
    for noun in (t for t in claim if t.pos_ == "NOUN"):
        same = [t for t in evidence if t.pos_ == "NOUN" and lemma(t) == lemma(noun)]
        denied = [t for t in same if _denied(t)]
        if not denied or len(denied) < len(same) or _denied_by_claim(noun):
            continue
        # "went unmentioned" denies what "did not mention" denies.
        verbs = {lemma(t.head) for t in denied if t.head.pos_ == "VERB"}
        if any(t.lower_.startswith("un") and any(v in t.lower_ for v in verbs) for t in claim):
            continue
        findings.append(
            Finding(
                CHECK,
                snippet(noun),
                snippet(denied[0]),
                f"the claim affirms '{noun.text}'; the evidence denies it",
            )
        )
    return findings


def _excepted(evidence: Doc) -> list[Token]:
    """Nouns and names inside an exception ("every party except Israel")."""
    text = evidence.text.lower()
    found: list[Token] = []
    for phrase in EXCEPTING:
        start = text.find(f" {phrase} ")
        while start >= 0:
            first = next(t for t in evidence if t.idx > start)
            stop = first.i + len(phrase.split())
            for t in evidence[stop : stop + 8]:
                if t.is_punct or t.lower_ in {"and", "but", "or"}:
                    break
                if t.pos_ in {"NOUN", "PROPN"}:
                    found.append(t)
            start = text.find(f" {phrase} ", start + 1)
    return found


def _exempted(evidence: Doc) -> set[str]:
    """Lemmas the evidence excepts, by "except X" or "with X as the only exceptions"."""
    found = {lemma(t) for t in _excepted(evidence)}
    for token in evidence:
        if lemma(token) in {"exception", "exemption"}:
            # "with food and drink as the only exceptions": every phrase around it.
            for phrase in [token, *(a for a in token.ancestors if a.dep_ == "prep")]:
                found |= {lemma(t) for t in phrase.subtree if t.pos_ in {"NOUN", "PROPN"}}
    return found


def wrongly_excepted(claim: Doc, evidence: Doc) -> list[Finding]:
    """A claim that excepts what the evidence includes ("everything except transportation"
    where the evidence's definition covers transportation)."""
    exempt = _exempted(evidence)
    for noun in _excepted(claim):
        same = [t for t in evidence if t.pos_ in {"NOUN", "PROPN"} and lemma(t) == lemma(noun)]
        if same and lemma(noun) not in exempt and not any(_denied(t) for t in same):
            return [
                Finding(
                    CHECK,
                    snippet(noun),
                    snippet(same[0]),
                    f"the claim excepts '{noun.text}'; the evidence includes it",
                )
            ]
    return []


def excepted_things(claim: Doc, evidence: Doc) -> list[Finding]:
    """A claim that includes what the evidence excepts."""
    flat = _flat(claim)
    if any(f" {p} " in flat for p in EXCEPTING) or " not " in flat or " but " in flat:
        return []
    for noun in _excepted(evidence):
        mine = [
            t
            for t in claim
            if t.pos_ in {"NOUN", "PROPN"}
            and lemma(t) == lemma(noun)
            and not _denied_by_claim(t)
            and not is_negated(t.head)
        ]
        if mine:
            return [
                Finding(
                    CHECK,
                    snippet(mine[0]),
                    snippet(noun),
                    f"the claim includes '{mine[0].text}', which the evidence excepts",
                )
            ]
    return []


def _object_names(verb: Token) -> list[Token]:
    """The names a verb takes as objects, with their conjuncts ("thanked Egypt and Qatar")."""
    names: list[Token] = []
    for child in verb.children:
        if child.dep_ in _OBJECTS:
            names += [
                t for t in child.subtree if t.pos_ == "PROPN" and t.dep_ in {*_OBJECTS, "conj"}
            ]
    return names


def added_objects(claim: Doc, evidence: Doc) -> list[Finding]:
    """A name the claim adds to the objects of a verb the evidence has with its own objects."""
    findings: list[Finding] = []
    evidence_verbs = [t for t in evidence if t.pos_ == "VERB" and _object_names(t)]
    for verb in (t for t in claim if t.pos_ == "VERB"):
        mine = _object_names(verb)
        matches = [e for e in evidence_verbs if lemma(e) == lemma(verb)]
        if not mine or not matches or is_negated(verb):
            continue
        theirs = {lemma(t) for m in matches for c in m.children if c.dep_ in _OBJECTS
                  for t in c.subtree}  # fmt: skip
        extra = [t for t in mine if lemma(t) not in theirs]
        if extra and len(extra) < len(mine):
            findings.append(
                Finding(
                    CHECK,
                    snippet(extra[0]),
                    snippet(matches[0]),
                    f"the claim has '{verb.text}' take '{extra[0].text}'; the evidence's "
                    f"'{matches[0].text}' does not",
                )
            )
    return findings


def _manner(doc: Doc) -> set[str]:
    flat = _flat(doc)
    found = set()
    if any(f" {p} " in flat for p in DIRECT) and " not directly " not in flat:
        found.add("directly")
    if any(f" {p} " in flat for p in INDIRECT) or " not directly " in flat:
        found.add("indirectly")
    return found


def manner_flips(claim: Doc, evidence: Doc) -> list[Finding]:
    """Contact the claim calls direct where the evidence says it went through others (and
    back)."""
    mine, theirs = _manner(claim), _manner(evidence)
    if len(mine) != 1 or len(theirs) != 1 or mine == theirs:
        return []
    return [
        Finding(
            CHECK,
            next(iter(mine)),
            next(iter(theirs)),
            f"the claim says the contact was {next(iter(mine))}; the evidence says "
            f"{next(iter(theirs))}",
        )
    ]


def _participants(token: Token) -> set[str]:
    found: set[str] = set()
    for child in token.children:
        if child.dep_ in {"nsubj", "nsubjpass", "dobj"}:
            found |= {lemma(t) for t in child.subtree if t.pos_ in {"NOUN", "PROPN"}}
    return found


def _ongoing(token: Token) -> bool:
    """ "has run the office since 2012": a perfect with "since" says the state goes on."""
    perfect = any(c.dep_ == "aux" and lemma(c) == "have" for c in token.children)
    return perfect and any(c.lower_ == "since" for c in token.children)


def _verb_key(token: Token) -> str:
    """The verb's lemma, or "withhold" for "hold back"/"hold up"."""
    if lemma(token) == "hold":
        particle = {c.lower_ for c in token.children if c.dep_ in {"prt", "advmod"}}
        return "withhold" if particle & {"back", "up", "off"} else "hold"
    return lemma(token)


def reversed_courses(claim: Doc, evidence: Doc) -> list[Finding]:
    """An ending where the evidence has the thing go on, giving where it has withholding
    (and back), for the same participants, when the evidence does not name the claim's verb."""
    pairs = [(ENDING_VERBS, CONTINUING_VERBS), (GIVING_VERBS, WITHHOLDING_VERBS - {"hold"})]
    findings: list[Finding] = []
    evidence_preds = predicates(evidence)
    for verb in (t for t in claim if t.pos_ == "VERB"):
        key = _verb_key(verb)
        if closest(verb, evidence_preds) or is_negated(verb) or is_hedged(verb):
            continue
        for one, other in pairs:
            wanted = other if key in one else one if key in other else frozenset()
            rivals = [
                e
                for e in evidence
                if e.pos_ == "VERB"
                and (_verb_key(e) in wanted or (wanted is CONTINUING_VERBS and _ongoing(e)))
                and not is_negated(e)
                and _participants(verb) & _participants(e)
            ]
            if rivals:
                findings.append(
                    Finding(
                        CHECK,
                        snippet(verb),
                        snippet(rivals[0]),
                        f"the claim says '{verb.text}' where the evidence says the "
                        f"opposite, '{rivals[0].text}'",
                    )
                )
                break
    return findings


def contrasts(claim: Doc, evidence: Doc) -> list[Finding]:
    """Every finding of this module."""
    return [
        *denied_things(claim, evidence),
        *excepted_things(claim, evidence),
        *wrongly_excepted(claim, evidence),
        *added_objects(claim, evidence),
        *manner_flips(claim, evidence),
        *reversed_courses(claim, evidence),
    ]
