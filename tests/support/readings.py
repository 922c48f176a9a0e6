"""The verifier's reading tables: each case is a claim, its evidence, the rule layer under test
and whether that layer must refuse it. :func:`reading_tests` makes a table's two tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest

from bot.verify.layers.base import Judge


@dataclass(frozen=True)
class Case:
    """A claim, its evidence, the check under test and whether it must refuse."""

    id: str
    check: str
    claim: str
    evidence: str
    refuses: bool


def case(check: str, refuses: bool, id: str, claim: str, evidence: str) -> Case:
    return Case(id, check, claim, evidence, refuses)


def check_reading(item: Case, judges: dict[str, Judge]) -> None:
    """The case's own check refuses its hard negative, with its reasons, and has no objection
    to the faithful claim."""
    verdict = judges[item.check].judge(item.claim, item.evidence)
    assert verdict.check == item.check
    if item.refuses:
        assert verdict.supported is False, f"{item.check} let through: {item.claim}"
        assert verdict.reasons, "a refusal must say why"
        assert all(f.check == item.check and f.message for f in verdict.reasons)
    else:
        assert verdict.supported is None, [str(f) for f in verdict.reasons]


def check_no_rule_refuses(item: Case, judges: dict[str, Judge]) -> None:
    """No rule layer gives a firm no to a faithful claim."""
    verdicts = [judge.judge(item.claim, item.evidence) for judge in judges.values()]
    assert [str(f) for v in verdicts if v.firm_no for f in v.reasons] == []


TableTest = Callable[[Case, dict[str, Judge]], None]


def reading_tests(cases: Sequence[Case]) -> tuple[TableTest, TableTest]:
    """A table's two tests (assign them to ``test_...`` names in the test module): each case's
    own check reads it right, and no rule refuses a faithful claim. Both use the ``judges``
    fixture (the rule layers by name)."""
    faithful = [c for c in cases if not c.refuses]

    @pytest.mark.parametrize("item", cases, ids=[c.id for c in cases])
    def each_reading(item: Case, judges: dict[str, Judge]) -> None:
        check_reading(item, judges)

    @pytest.mark.parametrize("item", faithful, ids=[c.id for c in faithful])
    def no_rule_refuses(item: Case, judges: dict[str, Judge]) -> None:
        check_no_rule_refuses(item, judges)

    return each_reading, no_rule_refuses
