"""The judge interface: a layer reads a claim and its evidence and returns a verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Finding:
    """One reason: which check compared which part of the claim with which part of the evidence."""

    check: str
    claim_part: str
    evidence_part: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


@dataclass(frozen=True)
class Verdict:
    """A layer's opinion: True supported, False not supported, None no firm opinion."""

    supported: bool | None
    check: str
    reasons: list[Finding] = field(default_factory=list)
    score: float | None = None

    @property
    def firm_no(self) -> bool:
        """The layer is sure the evidence does not support the claim."""
        return self.supported is False


class Judge(Protocol):
    """A layer of the verifier (a rule, the semantic score, an LLM or an NLI model)."""

    name: str

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Whether ``evidence`` supports ``claim``, with the reasons."""
        ...


@runtime_checkable
class PreparesEvidence(Protocol):
    """A layer that can do its evidence-only work ahead of the checks (parse, embed)."""

    def prepare(self, evidence: Sequence[str]) -> None:
        """Cache what this layer derives from each evidence text."""
        ...


def no_opinion(check: str, *reasons: Finding) -> Verdict:
    """A verdict that leaves the decision to the other layers."""
    return Verdict(supported=None, check=check, reasons=list(reasons))


def refuse(check: str, *reasons: Finding) -> Verdict:
    """A firm "not supported", with the findings that prove it."""
    return Verdict(supported=False, check=check, reasons=list(reasons))
