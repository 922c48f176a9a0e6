"""The chain: rules first (cheapest), then the semantic score, then optional judges."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.verify.layers import nlp
from bot.verify.layers.base import Finding, Judge, PreparesEvidence, Verdict

logger = logging.getLogger(__name__)
CHECK = "chain"


class JudgeChain:
    """Runs layers cheapest first and stops at the first firm "no".

    Any firm no means not supported. With no rule objecting, the claim is supported only when
    the semantic layer says yes, or says nothing firm and an optional judge says yes. When
    unsure, the answer is "not supported", with the reason.
    """

    name = CHECK

    def __init__(
        self, rules: Sequence[Judge], semantic: Judge, judges: Sequence[Judge] = ()
    ) -> None:
        self.rules = list(rules)
        self.semantic = semantic
        self.judges = list(judges)

    def prepare(self, evidence: Sequence[str]) -> None:
        """Parse the evidence texts and embed them (and their sentences) now: the rules and
        the semantic score then find them in their caches."""
        for text in evidence:
            nlp.look_up_words(nlp.parse(text))
        for layer in [*self.rules, self.semantic, *self.judges]:
            if isinstance(layer, PreparesEvidence):
                layer.prepare(evidence)

    def judge(self, claim: str, evidence: str) -> Verdict:
        """The chain's verdict: firm True or False, never None."""
        for rule in self.rules:
            verdict = rule.judge(claim, evidence)
            if verdict.firm_no:
                return verdict
        semantic = self.semantic.judge(claim, evidence)
        if semantic.firm_no:
            return semantic
        decided: Verdict | None = semantic if semantic.supported else None
        notes = list(semantic.reasons)
        for layer in self.judges:
            try:
                verdict = layer.judge(claim, evidence)
            except Exception as error:  # an optional judge failing must not pass a claim
                logger.warning("judge %s failed: %s", layer.name, error)
                notes.append(Finding(layer.name, "", "", f"judge failed: {error}"))
                continue
            if verdict.firm_no:
                return Verdict(False, verdict.check, verdict.reasons + notes, semantic.score)
            notes += verdict.reasons
            if decided is None and verdict.supported:
                decided = verdict
        if decided is not None:
            return Verdict(True, decided.check, notes, semantic.score)
        unsure = Finding(
            self.semantic.name, "", "", "no layer is sure the evidence supports the claim"
        )
        return Verdict(False, self.semantic.name, [unsure, *notes], semantic.score)
