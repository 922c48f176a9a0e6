"""Who said it, which way a verb points, and what the evidence denies or excepts: a source
prefix must name a clause, the speaker it names must be the evidence's, a particle's
opposite ("kept on" / "taken off") contradicts, and so do affirming a denied or excepted
thing, adding an object, direct for indirect, ending for going on and giving for withholding.
The sentences are made up for these tests."""

from __future__ import annotations

from bot.verify.grounding import source_prefix
from bot.verify.layers import nlp
from bot.verify.layers.attribution import names_a_clause, speaker_mismatches
from bot.verify.layers.directions import opposite_directions
from tests.support.readings import case, reading_tests

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
    case("negation", True, "a thing the evidence denies is not affirmed",
         "The settlement included an agreement for the firm to repay the loan.",
         "The settlement came with no agreement for the firm to repay the loan."),
    case("negation", False, "a thing denied both ways passes",
         "The settlement included no deal for the firm to repay the loan.",
         "The settlement came with no agreement for the firm to repay the loan."),
    case("negation", True, "a thing the evidence excepts is not included",
         "The union was open to talks with every employer, the city included.",
         "The union was open to talks with every employer except the city."),
    case("negation", False, "the exception kept passes",
         "The union would talk with any employer other than the city.",
         "The union was open to talks with every employer except the city."),
    case("negation", True, "a name added to a verb's objects",
         "The mayor thanked Oslo, Bergen and Paris in her speech.",
         "The mayor thanked Oslo and Bergen in her speech and did not mention Paris."),
    case("negation", True, "direct contact where the evidence says through others",
         "The buyer talked to the seller face to face about the price.",
         "The buyer talked to the seller through intermediaries about the price."),
    case("negation", True, "an ending where the evidence has the policy go on",
         "The mayor said the parking policy had been dropped.",
         "The mayor said the parking policy remained in force."),
    case("negation", True, "giving where the evidence has withholding",
         "In May the ministry sent a shipment of vaccines to the region.",
         "In May the ministry held back a shipment of vaccines because of a dispute."),
    case("negation", False, "withholding for holding back passes",
         "In May the ministry withheld a shipment of vaccines because of a dispute.",
         "In May the ministry held back a shipment of vaccines because of a dispute."),
    case("negation", True, "closing where the evidence has the office run since then",
         "The charity closed its office in Lyon in 2015.",
         "The charity has run an office in Lyon since 2015."),
    case("negation", True, "excepting what the evidence's definition covers",
         "The policy covers every cost except food, fuel and lodging.",
         "The policy covers travel, fuel and lodging, with food and drink as the only exceptions."),
    case("negation", False, "excepting what the evidence excepts passes",
         "Apart from food and drink, the policy covers travel, fuel and lodging.",
         "The policy covers travel, fuel and lodging, with food and drink as the only exceptions."),
    case("causal", True, "a causative verb the evidence states no link for",
         "The strike led the ministry to cancel the contract.",
         "The ministry cancelled the contract in May, a week after the strike."),
    case("causal", False, "a causative verb the evidence states passes",
         "The strike led the ministry to cancel the contract.",
         "The strike forced the ministry to cancel the contract in May."),
    case("negation", True, "a noun object of describe leaves the verb to be compared",
         "On Monday the spokesman described the terms of the loan.",
         "The spokesman declined on Monday to describe the terms of the loan."),
]
# fmt: on


(
    test_each_reading_refuses_its_hard_negative_and_passes_the_faithful_claim,
    test_no_rule_refuses_the_faithful_claims,
) = reading_tests(CASES)


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
