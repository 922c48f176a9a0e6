"""Modality: what could, might or was proposed is not what did happen, and back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.syntax import (
    DISCUSSING_VERBS,
    HEDGE_GOVERNORS,
    HEDGE_NOUNS,
    closest,
    is_backgrounded,
    is_hedged,
    lemma,
    modal_force,
    noun_hedged,
    predicates,
    snippet,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CHECK = "modality"
# Verbs too general to compare alone ("be", "have", "do").
LIGHT = frozenset({"be", "have", "do"})


def _mode(hedged: bool) -> str:
    return "only possible or proposed" if hedged else "done"


def planned_nouns(verb: Token, evidence: Doc) -> list[Token]:
    """Evidence nouns naming the verb's event ("sentencing" for "sentenced"), when every one
    of them is only planned."""
    base = lemma(verb)
    forms = nlp.related_forms(base) | {base + "ing", base.removesuffix("e") + "ing"}
    nouns = [t for t in evidence if t.pos_ == "NOUN" and lemma(t) in forms]
    return nouns if nouns and all(noun_hedged(n) for n in nouns) else []


# Verbs that bring an agreement about ("reached a truce", "signed the deal").
CONCLUDING_VERBS = frozenset(
    {"agree", "accept", "reach", "sign", "conclude", "approve", "secure", "strike", "finalize",
     "seal", "achieve", "adopt", "ratify", "clinch", "broker"}
)  # fmt: skip
# Words that make their object only a topic or a proposal: "touched on a deal", "floated a
# truce", "the proposal for a ceasefire".
TOPIC_WORDS = (
    DISCUSSING_VERBS
    | HEDGE_NOUNS
    | (HEDGE_GOVERNORS - CONCLUDING_VERBS - {"commit", "decide", "undertake"})
    | {"touch", "raise", "mention", "address", "talk", "talks", "discussion", "negotiation"}
)


def _governor(noun: Token) -> Token | None:
    """The first verb or topic noun above a noun, through prepositions and compounds."""
    current = noun
    for _ in range(4):
        if current.head.i == current.i:
            return None
        current = current.head
        if current.pos_ in {"VERB", "AUX"} or lemma(current) in TOPIC_WORDS:
            return current
    return None


def _objects(verb: Token) -> list[Token]:
    found = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"to", "on"}):
        found += [c for c in prep.children if c.dep_ == "pobj"]
    return [t for t in found if t.pos_ == "NOUN"]


def only_discussed(claim: Doc, evidence: Doc) -> list[Finding]:
    """ "reached a truce" where the evidence only discusses, floats or proposes the truce."""
    findings: list[Finding] = []
    for verb in claim:
        if verb.pos_ != "VERB" or lemma(verb) not in CONCLUDING_VERBS or is_hedged(verb):
            continue
        for obj in _objects(verb):
            same = [t for t in evidence if t.pos_ == "NOUN" and lemma(t) == lemma(obj)]
            governors = [_governor(t) for t in same]
            if not same or any(g is None or lemma(g) not in TOPIC_WORDS for g in governors):
                continue
            topic = governors[0]
            assert topic is not None
            findings.append(
                Finding(
                    CHECK,
                    snippet(verb),
                    snippet(topic),
                    f"the claim says '{verb.text} ... {obj.text}'; the evidence has "
                    f"'{obj.text}' only as a topic or proposal ('{topic.text}')",
                )
            )
    return findings


class ModalityJudge:
    """Refuses a claim that states as done what the evidence only says could happen (or back)."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Each shared predicate must carry the same modality on both sides."""
        evidence_doc = nlp.parse(evidence)
        evidence_preds = [t for t in predicates(evidence_doc) if t.pos_ == "VERB"]
        findings: list[Finding] = []
        claim_doc = nlp.parse(claim)
        for token in predicates(claim_doc):
            if token.pos_ != "VERB" or is_backgrounded(token) or lemma(token) in LIGHT:
                continue
            matches = [e for e in closest(token, evidence_preds) if not is_backgrounded(e)]
            hedged = is_hedged(token)
            if not matches and not hedged:
                planned = planned_nouns(token, evidence_doc)
                if planned:
                    findings.append(
                        Finding(
                            CHECK,
                            snippet(token),
                            snippet(planned[0]),
                            f"'{token.text}' is done in the claim; the evidence has "
                            f"'{planned[0].text}' only planned",
                        )
                    )
                    continue
            force = modal_force(token)
            forces = {modal_force(e) for e in matches}
            if matches and force == "necessary" and forces == {"possible"}:
                findings.append(
                    Finding(
                        CHECK,
                        snippet(token),
                        snippet(matches[0]),
                        f"the claim says '{token.text}' must or will happen; the evidence "
                        "says only that it can",
                    )
                )
                continue
            if matches and all(is_hedged(e) != hedged for e in matches):
                findings.append(
                    Finding(
                        CHECK,
                        snippet(token),
                        snippet(matches[0]),
                        f"'{token.text}' is {_mode(hedged)} in the claim but "
                        f"{_mode(not hedged)} in the evidence",
                    )
                )
        if not findings:
            findings = only_discussed(claim_doc, evidence_doc)
        return refuse(CHECK, *findings) if findings else no_opinion(CHECK)
