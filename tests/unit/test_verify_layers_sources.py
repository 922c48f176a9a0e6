"""Who said it and which way a verb points: a source prefix must name a clause, the speaker
it names must be the evidence's, and a particle's opposite ("kept on" / "taken off")
contradicts. The sentences are made up for these tests."""

from __future__ import annotations

import pytest

from bot.verify.grounding import source_prefix
from bot.verify.layers import nlp, rule_judges
from bot.verify.layers.attribution import names_a_clause, speaker_mismatches
from bot.verify.layers.base import Judge
from bot.verify.layers.directions import opposite_directions
from tests.unit.test_verify_layers import Case, case, check_no_rule_refuses, check_reading

# fmt: off
CASES = [
    case("negation", True, "a particle against its opposite for the same participants",
         "The club kept the striker on the match squad.",
         "The club took the striker off the match squad."),
    case("negation", True, "a preposition against the opposite particle",
         "The coach put the veteran back on the roster.",
         "The coach had taken the veteran off the roster."),
    case("negation", False, "the same direction passes",
         "The club left the striker off the match squad.",
         "The club took the striker off the match squad."),
    case("negation", True, "a noun object of describe leaves the verb to be compared",
         "On Monday the spokesman described the terms of the loan.",
         "The spokesman declined on Monday to describe the terms of the loan."),
]
# fmt: on


@pytest.fixture(scope="module")
def judges() -> dict[str, Judge]:
    return {judge.name: judge for judge in rule_judges()}


@pytest.mark.parametrize("item", CASES, ids=[c.id for c in CASES])
def test_each_reading_refuses_its_hard_negative_and_passes_the_faithful_claim(
    item: Case, judges: dict[str, Judge]
) -> None:
    check_reading(item, judges)


@pytest.mark.parametrize(
    "item", [c for c in CASES if not c.refuses], ids=[c.id for c in CASES if not c.refuses]
)
def test_no_rule_refuses_the_faithful_claims(item: Case, judges: dict[str, Judge]) -> None:
    check_no_rule_refuses(item, judges)


def test_an_attribution_verb_with_a_noun_object_is_no_source_prefix() -> None:
    claim = "The spokesman described the terms of the loan."
    assert source_prefix(claim) == ("", claim)
    assert not names_a_clause(claim, "The spokesman described")
    said = "The spokesman said the terms were fair."
    assert source_prefix(said) == ("The spokesman said", "the terms were fair.")


def test_a_named_speaker_must_be_the_one_the_evidence_has_say_it() -> None:
    evidence = (
        "The mayor said he closed the bridge because of the storm, which the union had predicted."
    )
    claim = "The union said it closed the bridge because of the storm."
    findings = speaker_mismatches(claim, "The union said", evidence)
    assert [f.claim_part for f in findings] == ["union"]
    assert "mayor" in findings[0].evidence_part
    same = "The mayor said he shut the bridge because of the storm."
    assert speaker_mismatches(same, "The mayor said", evidence) == []


def test_the_outlet_a_speaker_told_is_a_source_too() -> None:
    evidence = "A council official told the Gazette that the bridge would reopen in May."
    claim = "The Gazette reported that the bridge would reopen in May."
    assert speaker_mismatches(claim, "The Gazette reported that", evidence) == []


def test_a_document_as_source_is_not_compared_with_speakers() -> None:
    evidence = "The mayor said he closed the bridge."
    claim = "The brief says the mayor closed the bridge."
    assert speaker_mismatches(claim, "The brief says", evidence) == []


def test_directions_need_shared_participants() -> None:
    claim = nlp.parse("The club kept the striker on the squad.")
    assert opposite_directions(claim, nlp.parse("The club took the striker off the squad."))
    assert not opposite_directions(claim, nlp.parse("The band took the stage off the coast."))
    carried = nlp.parse("The firm carried out the audit in March.")
    assert not opposite_directions(
        carried, nlp.parse("The firm ordered the audit in response to the complaint.")
    )
