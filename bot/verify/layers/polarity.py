"""Negation and antonyms: the claim must not flip what the evidence states."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.syntax import (
    has_negator,
    is_negated,
    lemma,
    predicates,
    same_word,
    snippet,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

CHECK = "negation"
# Opposites WordNet does not pair (or pairs only under a rare sense), for this domain.
_DOMAIN_PAIRS = [
    "release:hold",
    "free:hold",
    "release:detain",
    "free:detain",
    "release:capture",
    "accept:reject",
    "approve:reject",
    "convict:acquit",
    "allow:ban",
    "allow:prohibit",
    "permit:prohibit",
    "permit:ban",
    "lift:impose",
    "agree:refuse",
    "support:oppose",
    "uphold:overturn",
    "uphold:strike",
    "confirm:deny",
    "win:lose",
    "succeed:fail",
    "include:exclude",
    "grant:deny",
    "legal:illegal",
    "open:close",
    "increase:decrease",
    "rise:fall",
    "begin:end",
    "start:end",
    "ratify:reject",
    "unanimous:divided",
    "resume:suspend",
    "continue:stop",
    "expand:restrict",
]
DOMAIN_ANTONYMS: dict[str, set[str]] = {}
for _pair in _DOMAIN_PAIRS:
    _a, _b = _pair.split(":")
    DOMAIN_ANTONYMS.setdefault(_a, set()).add(_b)
    DOMAIN_ANTONYMS.setdefault(_b, set()).add(_a)


def opposites(token: Token) -> set[str]:
    """Antonyms of a predicate: WordNet's and the domain lexicon's."""
    base = lemma(token)
    return set(nlp.antonyms(base, nlp.wordnet_pos(token.pos_))) | DOMAIN_ANTONYMS.get(base, set())


def _polarity(token: Token) -> str:
    return "negated" if is_negated(token) else "affirmed"


class NegationJudge:
    """Refuses a claim that negates what the evidence affirms, or swaps in an antonym."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Same predicate with the other polarity, or its antonym with the same one."""
        claim_doc, evidence_doc = nlp.parse(claim), nlp.parse(evidence)
        evidence_preds = predicates(evidence_doc)
        findings: list[Finding] = []
        for token in predicates(claim_doc):
            negated = is_negated(token)
            matches = [e for e in evidence_preds if same_word(token, e)]
            flipped = matches and all(is_negated(e) != negated for e in matches)
            # The parse may misplace a negation; a flip counts only when the affirmed side's
            # sentence holds no negating word at all.
            affirmed = [e for e in matches if not is_negated(e)] if negated else [token]
            if flipped and all(not has_negator(a) for a in affirmed):
                other = matches[0]
                findings.append(
                    Finding(
                        CHECK,
                        snippet(token),
                        snippet(other),
                        f"the claim has '{token.text}' {_polarity(token)}, "
                        f"the evidence has it {_polarity(other)}",
                    )
                )
                continue
            still = any(c.lower_ == "still" for c in token.children)
            if matches and not still:
                continue
            opposite = opposites(token)
            rivals = [
                e for e in evidence_preds if lemma(e) in opposite and is_negated(e) == negated
            ]
            if rivals:
                findings.append(
                    Finding(
                        CHECK,
                        snippet(token),
                        snippet(rivals[0]),
                        f"the claim says '{token.text}' where the evidence says the opposite, "
                        f"'{rivals[0].text}'",
                    )
                )
        return refuse(CHECK, *findings) if findings else no_opinion(CHECK)
