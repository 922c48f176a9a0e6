"""Causal links: "because", "led to", "in exchange for" must be stated by the evidence."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.syntax import content_lemmas, normalize

if TYPE_CHECKING:
    from spacy.tokens import Token

CHECK = "causal"
# Families of connectives: a claim's link is licensed by any marker of its own family.
MARKERS: dict[str, tuple[str, ...]] = {
    "exchange": ("in exchange for", "in exchange", "in return for", "in return", "swap",
                 "traded for", "trade for", "quid pro quo", "exchange"),
    "purpose": ("so that", "in order to", "in order that", "aimed at", "aim of", "intended to",
                "designed to", "purpose", "so as to"),
    "cause": ("because of", "because", "due to", "led to", "lead to", "leads to", "leading to",
              "caused", "causes", "cause", "causing", "resulted in", "result in", "results in",
              "as a result", "as a consequence", "consequently", "therefore", "thus", "hence",
              "prompted", "prompting", "triggered", "owing to", "thanks to", "in response to",
              "in retaliation for", "forced", "drove", "spurred", "reason", "so"),
}  # fmt: skip
# Verbs that make their object do something: "the talks led the mediators to step aside".
CAUSATIVE_VERBS = frozenset(
    ["lead", "cause", "prompt", "force", "drive", "push", "spur", "trigger", "compel", "move"]
)
_STRONG = {m for family in MARKERS.values() for m in family if m not in {"so", "reason",
           "exchange", "purpose", "cause"}}  # fmt: skip


def _find(text: str, phrase: str) -> int:
    match = re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)
    return match.start() if match else -1


def _causative(token: Token) -> bool:
    """A causative verb with an infinitive ("led the mediators to step aside")."""
    return token.lemma_.lower() in CAUSATIVE_VERBS and any(
        c.dep_ in {"xcomp", "ccomp"} and any(a.lower_ == "to" for a in c.children)
        for c in token.children
    )


def claim_links(claim: str) -> list[tuple[str, str, int]]:
    """(family, marker, offset) for each causal connective of the claim."""
    text = normalize(claim)
    found: list[tuple[str, str, int]] = []
    taken: list[range] = []
    for family, markers in MARKERS.items():
        for marker in markers:
            if marker not in _STRONG:
                continue
            at = _find(text, marker)
            if at >= 0 and not any(at in r for r in taken):
                found.append((family, marker, at))
                taken.append(range(at, at + len(marker)))
    for token in nlp.parse(claim):
        if _causative(token):
            at = _find(text, token.lower_)
            if at >= 0 and not any(at in r for r in taken):
                found.append(("cause", token.lower_, at))
    return found


class CausalJudge:
    """Refuses a claim that links two facts causally when the evidence states no such link."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """A linking sentence of the same family must mention both sides of the claim's link."""
        links = claim_links(claim)
        if not links:
            return no_opinion(CHECK)
        text = normalize(claim)
        sentences = list(nlp.parse(evidence).sents)
        findings: list[Finding] = []
        for family, marker, at in links:
            cause_side = content_lemmas(nlp.parse(text[:at]))
            effect_side = content_lemmas(nlp.parse(text[at + len(marker) :]))
            licensed = False
            for sent in sentences:
                sent_text = normalize(sent.text)
                causative = family == "cause" and any(_causative(t) for t in sent)
                if not causative and not any(_find(sent_text, m) >= 0 for m in MARKERS[family]):
                    continue
                lemmas = content_lemmas(sent)
                if (not cause_side or cause_side & lemmas) and (
                    not effect_side or effect_side & lemmas
                ):
                    licensed = True
                    break
            if not licensed:
                findings.append(
                    Finding(
                        CHECK,
                        marker,
                        "",
                        f"the claim links its facts with '{marker}'; "
                        "the evidence states no such link",
                    )
                )
        return refuse(CHECK, *findings) if findings else no_opinion(CHECK)
