"""Readings that carry over to unseen claims: negating verbs across inserted phrases, the state
a linking verb names, antonyms about the same subject, "no longer" against "remained", deals
that were only discussed or proposed, events only expected, and shares on the wrong side of
one half. Each reading refuses its hard negative and lets the faithful claim through; the
sentences are made up for these tests."""

from __future__ import annotations

import pytest

from bot.verify.layers import nlp
from bot.verify.layers.polarity import ended_or_continued
from bot.verify.layers.quantifiers import shares
from bot.verify.layers.syntax import is_hedged, is_negated
from tests.support.readings import case, reading_tests

# fmt: off
CASES = [
    # negation
    case("negation", True, "a negating verb negates its infinitive across an inserted phrase",
         "The minister signed the loan agreement.",
         "The minister declined on Friday to sign the loan agreement."),
    case("negation", False, "the same refusal passes",
         "On Friday the minister refused to sign the loan agreement.",
         "The minister declined on Friday to sign the loan agreement."),
    case("negation", True, "a linking verb's state against its opposite",
         "The journalist remained a captive after June.",
         "The journalist was freed in June."),
    case("negation", True, "an antonym about the same subject despite a match about another",
         "The two pilots were killed in the crash.",
         "The two pilots survived the crash, but three passengers were killed."),
    case("negation", False, "an antonym about another subject does not contradict",
         "Three passengers were killed in the crash.",
         "The two pilots survived the crash, but three passengers were killed."),
    case("negation", True, "disputed is the opposite of confirmed",
         "The airline confirmed the union's account.",
         "The airline disputed the union's account."),
    case("negation", True, "no longer against remained",
         "The coach was no longer in charge of the team when the season ended.",
         "The coach remained in charge of the team until the season ended."),
    case("negation", False, "stayed for remained passes",
         "The coach stayed in charge of the team until the season ended.",
         "The coach remained in charge of the team until the season ended."),
    case("negation", False, "an antonym about another object does not contradict",
         "The sailor, who held a foreign passport, was released in March.",
         "The sailor was freed in March."),
    case("negation", True, "an antonym about the claim's object still contradicts",
         "The rebels still held the sailor in March.",
         "The sailor was freed in March."),
    case("negation", False, "rather than a verb rules the act out",
         "The buyer paid through an agent rather than meeting the seller in person.",
         "The buyer paid through an agent and did not meet the seller in person."),
    case("negation", False, "far from an adjective negates it",
         "The coach said he was far from pleased with the result.",
         "The coach said he was not pleased with the result."),
    case("negation", False, "ever under a negation matches never",
         "No tenant had ever been evicted for a late payment.",
         "The landlord had never evicted a tenant for a late payment."),
    # modality
    case("modality", True, "a merger the evidence only discusses was not reached",
         "The two unions reached a merger.",
         "The two unions discussed a merger at their spring meeting."),
    case("modality", True, "a freeze the evidence only floats was not agreed",
         "The landlord agreed to a rent freeze.",
         "The landlord floated a rent freeze for two years."),
    case("modality", False, "a freeze the evidence says was accepted passes",
         "The landlord agreed to a rent freeze.",
         "The landlord accepted a rent freeze for two years."),
    case("modality", True, "a budget named only inside a proposal was not approved",
         "The council approved a new budget.",
         "The council debated the mayor's proposal for a new budget."),
    case("modality", True, "an event noun that is only expected to happen did not happen",
         "The delegation visited Oslo in May.",
         "Officials expected the delegation's visit to Oslo to take place in May."),
    # quantifiers
    case("quantifiers", True, "a minority where the evidence gives more than half",
         "The party won a minority of the seats.",
         "The party won 61 of the 100 seats."),
    case("quantifiers", False, "a majority where the evidence gives more than half",
         "The party won a majority of the seats.",
         "The party won 61 of the 100 seats."),
    case("quantifiers", True, "a majority where the evidence gives a share under half",
         "A majority of the members backed the motion.",
         "Some 38% of the members backed the motion."),
]
# fmt: on


(
    test_each_reading_refuses_its_hard_negative_and_passes_the_faithful_claim,
    test_no_rule_refuses_the_faithful_claims,
) = reading_tests(CASES)


def test_a_negating_verb_negates_an_infinitive_parsed_as_an_adverbial_clause() -> None:
    doc = nlp.parse("The minister declined on Friday to sign the loan agreement.")
    sign = next(t for t in doc if t.text == "sign")
    assert is_negated(sign)


def test_still_against_no_longer_is_found_in_either_direction() -> None:
    still = nlp.parse("The factory still employed the workers in 2020.")
    ended = nlp.parse("The factory no longer employed the workers in 2020.")
    assert ended_or_continued(still, ended)
    assert ended_or_continued(ended, nlp.parse("The factory kept the workers in 2020."))
    assert not ended_or_continued(still, nlp.parse("The factory employed the workers in 2020."))


def test_shares_are_read_from_counts_and_percentages() -> None:
    assert shares("61 of the 100 seats and 38% of the vote") == pytest.approx([0.61, 0.38])
    assert shares("the 2020 vote") == []


def test_a_clause_of_reason_is_not_hedged_by_its_governor() -> None:
    doc = nlp.parse("Critics called the ruling historic, because the firm had never paid a fine.")
    paid = next(t for t in doc if t.text == "paid")
    assert not is_hedged(paid)
    planned = nlp.parse("The union called for the firm to pay the fine.")
    assert is_hedged(next(t for t in planned if t.text == "pay"))
