"""Argument slots: who is the doer, who is done to, and where to, of each verb.

Passives are read as actives ("was transferred by X" has X as the doer, the subject as the
one done to; "a committee supervised by X" likewise), the dative and "to" are one slot. A
participant that sits in one slot of a verb in the claim and only in another slot of the
same verb in the evidence has swapped roles ("Qatar told Washington" for "Washington told
Qatar", "the Chicago case went to New York" for "the New York case went to Chicago").
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from bot.verify.layers.base import Finding
from bot.verify.layers.syntax import closest, lemma, snippet

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CHECK = "roles"
_NOMINAL = frozenset({"NOUN", "PROPN"})
_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "csubj", "acl"})
# Prepositions whose object is a participant, by the slot it fills.
_PREP_SLOTS = {
    "to": "to",
    "from": "from",
    "by": "doer",
    "against": "against",
    "toward": "to",
    "in": "in",
}
# Verbs of saying and judging take many speakers and topics: their slots are not compared.
_SKIP = frozenset({"say", "report", "add", "note", "write", "state", "include"})
_GIVING = frozenset(
    ["give", "send", "hand", "provide", "offer", "pay", "sell", "transfer", "lend", "deliver"]
)
_SPEECH = frozenset(
    [
        "say",
        "tell",
        "report",
        "announce",
        "add",
        "note",
        "write",
        "state",
        "claim",
        "argue",
        "confirm",
        "deny",
        "ask",
    ]
)


def _key(token: Token) -> str:
    from bot.verify.layers.roles import participant_key

    return participant_key(token)


def _phrase(token: Token) -> set[str]:
    """The participants a noun phrase names: its nouns and names, not inside clauses or the
    phrases of other prepositions it governs ("the case in Chicago" is "case", "chicago")."""
    found = {_key(token)} if token.pos_ in _NOMINAL else set()
    for child in token.children:
        if child.dep_ == "acl" and child.lemma_.lower() in {"call", "name", "know"}:
            for name in child.children:
                if name.dep_ in {"oprd", "attr", "dobj", "xcomp"} and name.pos_ in _NOMINAL:
                    found |= _phrase(name)
            continue
        if child.dep_ in (_CLAUSES - {"conj"}) | {"appos", "relcl"}:
            continue
        if child.dep_ != "conj" or child.pos_ in _NOMINAL:
            found |= _phrase(child)
    return found


def slots(verb: Token) -> dict[str, set[str]]:
    """The participants of a verb by slot: "doer", "done" (object, passive subject), "to",
    "from", "against"."""
    found: dict[str, set[str]] = defaultdict(set)
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
    for child in verb.children:
        dep = child.dep_
        if dep == "nsubj" and child.pos_ in _NOMINAL:
            found["doer"] |= _phrase(child)
        elif dep in {"nsubjpass", "dobj"} and child.pos_ in _NOMINAL:
            found["done"] |= _phrase(child)
        elif dep == "dative" and child.pos_ in _NOMINAL:
            found["to"] |= _phrase(child)
        elif dep in {"agent", "prep"} and child.lower_ in _PREP_SLOTS:
            slot = "doer" if dep == "agent" else _PREP_SLOTS[child.lower_]
            if slot == "doer" and dep != "agent":
                continue
            for noun in child.children:
                if noun.dep_ == "pobj" and noun.pos_ in _NOMINAL:
                    found[slot] |= _phrase(noun)
    # "a committee supervised by X" (the noun is done to), "a committee running Gaza" (doer).
    if verb.dep_ == "acl" and verb.head.pos_ in _NOMINAL:
        slot = "done" if verb.tag_ == "VBN" or passive else "doer"
        found[slot].add(_key(verb.head))
    return found


def _verbs(doc: Doc) -> list[Token]:
    return [t for t in doc if t.pos_ == "VERB" and t.lemma_.lower() not in _SKIP]


def _participants(found: dict[str, set[str]]) -> set[str]:
    return {key for keys in found.values() for key in keys}


def slot_swaps(claim: Doc, evidence: Doc) -> list[Finding]:
    """Participants the claim puts in another slot of the same verb than the evidence does,
    the evidence's verb being the one of that lemma that shares the most participants."""
    findings: list[Finding] = []
    evidence_verbs = _verbs(evidence)
    for verb in _verbs(claim):
        mine = slots(verb)
        everyone = _participants(mine)
        scored = [
            (len(everyone & _participants(slots(m))), m) for m in closest(verb, evidence_verbs)
        ]
        best = max((score for score, _ in scored), default=0)
        if best < 1:
            continue
        for match in (m for score, m in scored if score == best):
            theirs = slots(match)
            for slot, keys in mine.items():
                for key in sorted(keys):
                    elsewhere = {s for s, ks in theirs.items() if key in ks}
                    if not elsewhere or slot in elsewhere:
                        continue
                    # A real swap: another participant of the claim fills the slot it left.
                    if not any(
                        (mine.get(other, set()) - {key}) & theirs.get(slot, set())
                        for other in elsewhere
                    ):
                        continue
                    findings.append(
                        Finding(
                            CHECK,
                            snippet(verb),
                            snippet(match),
                            f"the claim has {key} as the {slot} of '{verb.text}'; in the "
                            f"evidence {key} is its {', '.join(sorted(elsewhere))}",
                        )
                    )
                    return findings
    return findings


def heads(verb: Token) -> dict[str, str]:
    """The head noun of each slot of a verb ("doer": "speech", "done": "statement")."""
    found: dict[str, str] = {}
    for child in verb.children:
        if child.pos_ not in _NOMINAL:
            continue
        if child.dep_ == "nsubj":
            found["doer"] = _key(child)
        elif child.dep_ in {"nsubjpass", "dobj"}:
            found["done"] = _key(child)
    for child in verb.children:
        if child.dep_ == "agent":
            noun = next((n for n in child.children if n.pos_ in _NOMINAL), None)
            if noun is not None:
                found["doer"] = _key(noun)
    return found


def doer_swaps(claim: Doc, evidence: Doc) -> list[Finding]:
    """Two participants traded between two verbs: the claim has X ask and Y give where the
    evidence has Y ask and X give; or "judged the statement ... the speech met" for "judged
    the speech ... the statement met"."""
    claim_heads = [(v, heads(v)) for v in _verbs(claim)]
    evidence_heads = [(v, heads(v)) for v in _verbs(evidence)]
    for i, (first, mine_first) in enumerate(claim_heads):
        for second, mine_second in claim_heads[i + 1 :]:
            for s1, x in mine_first.items():
                for s2, y in mine_second.items():
                    if x == y:
                        continue
                    a = any(lemma(v) == lemma(first) and h.get(s1) == y for v, h in evidence_heads)
                    b = any(lemma(v) == lemma(second) and h.get(s2) == x for v, h in evidence_heads)
                    if a and b:
                        return [
                            Finding(
                                CHECK,
                                snippet(first),
                                snippet(second),
                                f"the claim has {x} with '{first.text}' and {y} with "
                                f"'{second.text}'; the evidence has them the other way round",
                            )
                        ]
    return []


def _stated_doers(verb: Token) -> set[str]:
    """The doers a verb's own subject or "by" phrase names (not one read off a modifier)."""
    found: set[str] = set()
    for child in verb.children:
        if child.dep_ == "nsubj" and child.pos_ in _NOMINAL:
            found |= _phrase(child)
        elif child.dep_ == "agent":
            for noun in child.children:
                if noun.pos_ in _NOMINAL:
                    found |= _phrase(noun)
    return found


def other_doers(claim: Doc, evidence: Doc) -> list[Finding]:
    """A named doer where the evidence's same act, done to the same thing, has another doer
    ("Israel accepted" for "both sides accepted", "raised by Netanyahu" for "raised by
    Dermer"). Verbs of saying are left out: many speakers say many things."""
    evidence_verbs = [v for v in _verbs(evidence) if lemma(v) not in _SPEECH]
    for verb in _verbs(claim):
        if lemma(verb) in _SPEECH:
            continue
        named = {
            _key(t)
            for t in [
                *verb.children,
                *(n for c in verb.children if c.dep_ == "agent" for n in c.children),
            ]
            if t.pos_ == "PROPN" and t.dep_ in {"nsubj", "pobj"}
        }
        if not named:
            continue
        done = slots(verb).get("done", set())
        matches = [
            m
            for m in evidence_verbs
            if lemma(m) == lemma(verb) and (not done or done & slots(m).get("done", set()))
        ]
        doers = [_stated_doers(m) for m in matches]
        if not matches or not all(doers) or any(named & d for d in doers):
            continue
        return [
            Finding(
                CHECK,
                snippet(verb),
                snippet(matches[0]),
                f"the claim has {', '.join(sorted(named))} as the one who '{verb.text}'; in "
                f"the evidence it is {', '.join(sorted(doers[0]))}",
            )
        ]
    return []


def promoted_modifiers(claim: Doc, evidence: Doc) -> list[Finding]:
    """The claim's object is only a modifier of the evidence's object: "supported Bowman"
    where the evidence says "supported the challengers to Bowman"."""
    claim_words = {_key(t) for t in claim if t.pos_ in _NOMINAL} | {
        lemma(t) for t in claim if t.pos_ in _NOMINAL
    }
    evidence_verbs = _verbs(evidence)
    for verb in _verbs(claim):
        mine = heads(verb).get("done")
        if mine is None:
            continue
        for match in (m for m in evidence_verbs if lemma(m) == lemma(verb)):
            object_ = next((c for c in match.children if c.dep_ in {"dobj", "nsubjpass"}), None)
            if object_ is None or object_.pos_ not in _NOMINAL or _key(object_) == mine:
                continue
            # Only a relation to another party ("challengers to Bowman"), not "of" or a
            # compound ("a group of Americans", "the Hamas delegation" still are them).
            # The parse may hang "to Bowman" on the verb; a verb of giving takes its "to".
            holders = [object_] if lemma(match) in _GIVING else [object_, match]
            inside = {
                _key(n)
                for holder in holders
                for prep in holder.children
                if prep.dep_ in {"prep", "dative"}
                and prep.lower_ in {"to", "for", "against", "with"}
                for n in prep.subtree
                if n.pos_ in _NOMINAL
            }
            if mine in inside and _key(object_) not in claim_words:
                return [
                    Finding(
                        CHECK,
                        snippet(verb),
                        snippet(match),
                        f"the claim has {mine} as what '{verb.text}' acts on; in the "
                        f"evidence it acts on {object_.text}, with {mine} only under it",
                    )
                ]
    return []
