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
_PREP_SLOTS = {"to": "to", "from": "from", "by": "doer", "against": "against", "toward": "to"}
# Verbs of saying and judging take many speakers and topics: their slots are not compared.
_SKIP = frozenset({"say", "report", "add", "note", "write", "state", "include"})


def _key(token: Token) -> str:
    from bot.verify.layers.roles import participant_key

    return participant_key(token)


def _phrase(token: Token) -> set[str]:
    """The participants a noun phrase names: its nouns and names, not inside clauses or the
    phrases of other prepositions it governs ("the case in Chicago" is "case", "chicago")."""
    found = {_key(token)} if token.pos_ in _NOMINAL else set()
    for child in token.children:
        if child.dep_ in _CLAUSES or child.dep_ in {"appos", "relcl"}:
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
        if best < 2:  # too little shared to say the two verbs are the same event
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


def doer_swaps(claim: Doc, evidence: Doc) -> list[Finding]:
    """Two doers traded between two verbs: the claim has X ask and Y give where the evidence
    has Y ask and X give."""

    def doers(doc: Doc) -> list[tuple[Token, set[str]]]:
        return [(v, slots(v).get("doer", set())) for v in _verbs(doc)]

    claim_doers, evidence_doers = doers(claim), doers(evidence)
    for i, (first, mine_first) in enumerate(claim_doers):
        for second, mine_second in claim_doers[i + 1 :]:
            if not mine_first or not mine_second or mine_first & mine_second:
                continue
            for a, theirs_a in evidence_doers:
                if lemma(a) != lemma(first) or not theirs_a & mine_second or theirs_a & mine_first:
                    continue
                for b, theirs_b in evidence_doers:
                    if (
                        lemma(b) == lemma(second)
                        and theirs_b & mine_first
                        and not (theirs_b & mine_second)
                    ):
                        return [
                            Finding(
                                CHECK,
                                snippet(first),
                                snippet(a),
                                f"the claim has {', '.join(sorted(mine_first))} '{first.text}'"
                                f" and {', '.join(sorted(mine_second))} '{second.text}'; the "
                                "evidence has them the other way round",
                            )
                        ]
    return []
