"""What the services need from a verifier; the grounding verifier implements it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.domain.motions import Side
from bot.domain.replies import Reply
from bot.verify.layers.base import Finding
from bot.verify.moves import StanceLookup


@dataclass(frozen=True)
class SupportResult:
    """The verdict on one sentence against one quote (or span, or citation)."""

    supported: bool
    support: float
    reasons: list[str] = field(default_factory=list)
    # What each failed check compared: the check, the claim's part and the evidence's part.
    findings: list[Finding] = field(default_factory=list)


class ReplyVerifier(Protocol):
    """Checks replies before they leave, and single claims against a span."""

    def verify(
        self,
        reply: Reply,
        allowed_terms: frozenset[str] = frozenset(),
        side: Side | None = None,
        stance: StanceLookup | None = None,
    ) -> Reply:
        """The reply without its unsupported claims (and, given the speaker's ``side`` and a
        ``stance`` lookup, without misfit moves), with its grounding summary."""
        ...

    def check_span(self, claim: str, doc_id: str, start: int, end: int) -> SupportResult:
        """Whether ``document.text[start:end]`` supports ``claim``."""
        ...

    def prepare(self, evidence: Sequence[str]) -> None:
        """Do now the work that depends on the evidence alone (parsing, embedding), so that
        later checks against these texts are faster; verdicts do not change."""
        ...

    def prepare_claim(self, claim: str) -> None:
        """Do now the work that depends on the claim alone (its evidence is not known yet)."""
        ...
