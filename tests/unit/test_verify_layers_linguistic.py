"""The linguistic readings behind the rule layers: negation scope, modality, argument slots,
dates, attribution and event naming. Each check refuses its hard negative and lets the
faithful version through; the sentences are made up for these tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.events import unnamed_events
from bot.verify.layers.numbers import dates
from bot.verify.layers.syntax import is_hedged, is_negated
from tests.support.readings import case, reading_tests

if TYPE_CHECKING:
    from spacy.tokens import Token

# fmt: off
CASES = [
    # negation scope
    case("negation", True, "an object with no denies the verb",
         "The ministry had regular contact with the union.",
         "The ministry had no contact with the union."),
    case("negation", True, "a denied event noun against the claim's verb",
         "The council had committed to rebuild the bridge.",
         "The council had made no commitment to rebuild the bridge."),
    case("negation", True, "neither ... nor denies the verb for both",
         "The mayor and the governor both took part in the ceremony.",
         "Neither the mayor nor the governor took part in the ceremony."),
    case("negation", True, "a copula with none denies its noun",
         "One of the four measures was a curfew.",
         "The four measures covered taxes and permits, and none of them was a curfew."),
    case("negation", False, "a conjunct with its own auxiliary keeps its own polarity",
         "The board will instead be chaired by a panel of three judges.",
         "The board will not appoint a single chair and will instead be chaired by a panel "
         "of three judges."),
    case("negation", True, "a not inside an if-clause does not protect the main verb",
         "The club would admit new members even if they did not pay the fee.",
         "The club would not admit new members unless they paid the fee."),
    case("negation", True, "an antonym adverb is refused",
         "The rivals negotiated directly over the border.",
         "The rivals negotiated indirectly over the border."),
    case("negation", True, "an item the evidence rules out is refused",
         "The city agreed to a parking ban as well as a toll.",
         "The city agreed only to a parking ban rather than a toll."),
    case("negation", True, "without N against the evidence's N",
         "The strike ended without any talks with the owners.",
         "The strike ended after direct talks with the owners."),
    case("negation", False, "the clause about the claim's own subject is compared",
         "The northern bridge was never closed.",
         "The northern bridge has never been closed, unlike the southern bridge, which was "
         "closed in 2010."),
    # modality
    case("modality", True, "a condition is not a fact",
         "The court has approved the merger.",
         "If the court has approved the merger, could the regulator block it?"),
    case("modality", True, "agreeing to set up is not having set up",
         "The three towns have built a joint depot.",
         "The three towns agreed to build a joint depot."),
    case("modality", False, "agreeing to release matches would release",
         "The group said it would release the crew.",
         "The group said it agreed to release the crew."),
    case("modality", True, "must is more than can",
         "Missing the deadline must bring a fine of 200 euros.",
         "Missing the deadline can bring a fine of up to 200 euros."),
    case("modality", False, "ready to meet matches would meet",
         "The clerk asked if the owners would meet the tenants.",
         "The clerk asked whether the owners were willing to meet the tenants."),
    case("modality", True, "a light verb idiom is compared: took place vs expected to happen",
         "The state visit took place in early May.",
         "The ministry expected the state visit to happen in early May."),
    case("modality", False, "a participle modifier is not compared alone",
         "Under the scheme, a panel chaired by the mayor would oversee the fund running "
         "the parks.",
         "Under the scheme, the parks would be run by a fund overseen by a panel chaired by "
         "the mayor."),
    case("modality", True, "an event noun that is only scheduled is not done",
         "The defendant was sentenced to ten years after his plea.",
         "The defendant faced ten years after his plea, with sentencing set for 3 June."),
    case("modality", False, "a conjunct shares its first verb's modality",
         "The union said it was prepared to talk with the owners and to reach a deal soon.",
         "The union said it was ready for talks with the owners and for reaching a deal soon."),
    case("temporal", False, "'at once' is not a temporal connective",
         "The mayor called on the firm to stop the works at once so the road could reopen.",
         "The mayor said the firm must stop the works immediately so the road could reopen."),
    # roles and argument slots
    case("roles", True, "a passive destination swapped with the subject's modifier",
         "The Lyon file was sent to the office in Paris.",
         "The Paris file was sent to the office in Lyon."),
    case("roles", True, "speaker and hearer swapped",
         "Spain told Portugal that the quota was too high.",
         "Portugal told Spain that the quota was too high, and Spain then told France."),
    case("roles", True, "the one done to by a participle becomes the doer",
         "The committee would audit the ministry.",
         "The schools would be run by a committee audited by the ministry."),
    case("roles", True, "doers traded between two verbs",
         "The tenant can ask for a refund if the landlord gives notice.",
         "The landlord can ask for a refund if the tenant gives notice."),
    case("roles", True, "a named doer where the evidence has another doer",
         "The strike would end as soon as Acme accepted the offer.",
         "The strike would end as soon as both sides accepted the offer."),
    case("roles", True, "a copula attribute the evidence does not give",
         "The plaintiffs were local farmers.",
         "The plaintiffs were two banks and a shipping firm."),
    case("roles", True, "a contrast swapped around 'and not'",
         "The order was signed by the mayor and not by the governor.",
         "The order was signed by the governor and not by the mayor."),
    case("roles", True, "the object's dependent promoted to the object",
         "The fund spent money backing Senator Ray Holt.",
         "The fund spent money backing the rivals to Senator Ray Holt."),
    case("roles", False, "a group of them is still them",
         "The envoy met Hamas officials in Cairo.",
         "The envoy met a delegation of Hamas officials in Cairo."),
    case("roles", False, "the same doer in a passive and an active",
         "The governor signed the order.",
         "The order was signed by the governor."),
    # numbers and dates
    case("numbers", True, "a full date with another year",
         "The hearing is set for 4 March 2024.",
         "After the 2024 filing, the hearing is set for 4 March 2025."),
    case("numbers", True, "a count is not a month",
         "The treaty was signed two months earlier.",
         "In February the treaty was signed two weeks earlier."),
    case("numbers", True, "a day of the month is not a count of years",
         "In a note dated May 12, 1990, the clerk said the rule had held for 12 years.",
         "In a note dated May 12, 1990, the clerk said the rule had held for 9 years."),
    case("numbers", False, "three days is 72 hours",
         "The crew had three days to leave.", "The crew had 72 hours to leave."),
    case("numbers", False, "twice is two occasions",
         "The clerk was warned on two occasions.", "The clerk was warned twice."),
    # quantifiers
    case("quantifiers", True, "several needs a count of that noun, not a date",
         "The storm on 14 June destroyed several barns.",
         "The storm on 14 June destroyed a barn."),
    case("quantifiers", True, "without conditions against an only-if",
         "The bank said it would lend the money without conditions.",
         "The bank said it would lend the money only if the firm cut costs."),
    case("quantifiers", False, "some is licensed by the plural of its noun",
         "The report lists some past disputes over water.",
         "The report lists past disputes over water."),
    case("quantifiers", False, "all that sums up a listed subject adds no quantity",
         "Rome, Paris and Vienna all sent envoys to the talks.",
         "Envoys from Rome, Paris and Vienna were sent to the talks."),
    case("quantifiers", False, "only before a number weighs it",
         "The deal was signed only two days before the vote.",
         "The deal was signed two days before the vote."),
    case("numbers", False, "a year that dates a noun counts nothing",
         "The two 2019 rules covered fees and permits.",
         "The two rules adopted in 2019 covered fees and permits."),
    case("negation", False, "advised against meeting is advised not to meet",
         "The office advised the senator not to meet the rebels.",
         "The office advised the senator against meeting the rebels."),
    # attribution
    case("attribution", True, "a that-clause the parse hangs on a date is still reported",
         "The union had made a fair offer to the owners.",
         "The mayor said on 3 May 2021 that the union had made a fair offer to the owners."),
    case("attribution", True, "a participle of saying reports for its subject",
         "The city was helping the farmers, because the fund paid for seed.",
         "The mayor defended the fund, saying the city was helping the farmers because the "
         "fund paid for seed."),
    case("attribution", False, "a claim that names its source as reporting is attributed",
         "The meeting was led by the deputy, the paper reported.",
         "According to the paper, the deputy led the meeting."),
]
# fmt: on


(
    test_each_reading_refuses_its_hard_negative_and_passes_the_faithful_claim,
    test_no_rule_refuses_the_faithful_claims,
) = reading_tests(CASES)


def _token(text: str, word: str) -> Token:
    return next(t for t in nlp.parse(text) if t.text == word)


def test_an_infinitive_is_hedged_unless_its_verb_entails_it() -> None:
    assert is_hedged(_token("The firm agreed to sell the plant.", "sell"))
    assert not is_hedged(_token("The firm managed to sell the plant.", "sell"))
    assert not is_hedged(_token("It made little sense to sell the plant.", "sell"))


def test_refusing_negates_its_infinitive_without_hedging_it() -> None:
    refused = _token("The firm refused to sell the plant.", "sell")
    assert is_negated(refused)
    assert not is_hedged(refused)


def test_dates_are_read_with_their_year_in_either_order() -> None:
    assert dates(nlp.parse("It opened on 13 January 2026.")) == {(13, 1, 2026)}
    assert dates(nlp.parse("It opened on January 13, 2026.")) == {(13, 1, 2026)}
    assert dates(nlp.parse("It opened on 5 October.")) == {(5, 10, None)}


def test_an_event_the_evidence_does_not_name_is_found() -> None:
    found = unnamed_events("The minister rejected the offer.", "The minister welcomed the offer.")
    assert len(found) == 1
    assert "rejected" in found[0].message


def test_synonyms_phrasal_verbs_and_hypernyms_name_the_same_event() -> None:
    assert (
        unnamed_events("The mayor learned of the leak.", "The mayor found out about the leak.")
        == []
    )
    assert (
        unnamed_events("The rebels killed the envoy.", "The rebels assassinated the envoy.") == []
    )
    assert unnamed_events("The report went unmentioned.", "Nobody mentioned the report.") == []
