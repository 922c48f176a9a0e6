"""Modality: what could, might or was proposed is not what did happen, and back."""

from __future__ import annotations

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Verdict, no_opinion, refuse
from bot.verify.layers.syntax import is_hedged, predicates, same_word, snippet

CHECK = "modality"


def _mode(hedged: bool) -> str:
    return "only possible or proposed" if hedged else "done"


class ModalityJudge:
    """Refuses a claim that states as done what the evidence only says could happen (or back)."""

    name = CHECK

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Each shared predicate must carry the same modality on both sides."""
        evidence_preds = [t for t in predicates(nlp.parse(evidence)) if t.pos_ == "VERB"]
        findings: list[Finding] = []
        for token in predicates(nlp.parse(claim)):
            if token.pos_ != "VERB":
                continue
            matches = [e for e in evidence_preds if same_word(token, e)]
            hedged = is_hedged(token)
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
