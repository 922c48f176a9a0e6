"""What the services need from a verifier; the grounding verifier implements it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bot.domain.replies import Reply


@dataclass(frozen=True)
class SupportResult:
    """The verdict on one sentence against one quote (or span, or citation)."""

    supported: bool
    support: float
    reasons: list[str] = field(default_factory=list)


class ReplyVerifier(Protocol):
    """Checks replies before they leave, and single claims against a span."""

    def verify(self, reply: Reply, allowed_terms: frozenset[str] = frozenset()) -> Reply:
        """The reply without its unsupported claims, with its grounding summary."""
        ...

    def check_span(self, claim: str, doc_id: str, start: int, end: int) -> SupportResult:
        """Whether ``document.text[start:end]`` supports ``claim``."""
        ...
