"""Modality: what could, might or was proposed is not what did happen, and back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.syntax import (
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


class ModalityJudge:
    """Refuses a claim that states as done what the evidence only says could happen (or back)."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Each shared predicate must carry the same modality on both sides."""
        evidence_doc = nlp.parse(evidence)
        evidence_preds = [t for t in predicates(evidence_doc) if t.pos_ == "VERB"]
        findings: list[Finding] = []
        for token in predicates(nlp.parse(claim)):
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
        return refuse(CHECK, *findings) if findings else no_opinion(CHECK)
