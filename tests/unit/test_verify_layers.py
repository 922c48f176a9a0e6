"""The rule layers of the verifier, one table: each check refuses its hard negative and lets
the faithful version through (a rule that lets a claim through has no opinion: it is None)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.verify.layers import rule_judges
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
    if item.refuses:
        assert verdict.supported is False, f"{item.check} let through: {item.claim}"
        assert all(f.check == item.check and f.message for f in verdict.reasons)
    else:
        assert verdict.supported is None, [str(f) for f in verdict.reasons]


def check_no_rule_refuses(item: Case, judges: dict[str, Judge]) -> None:
    """No rule layer gives a firm no to a faithful claim."""
    verdicts = [judge.judge(item.claim, item.evidence) for judge in judges.values()]
    assert [str(f) for v in verdicts if v.firm_no for f in v.reasons] == []


# fmt: off
CASES = [
    # numbers and dates
    case("numbers", False, "spelled-out two matches the digit 2",
         "Two hostages were freed in 2025.", "In 2025, 2 hostages were freed."),
    case("numbers", True, "a year the evidence does not state is refused",
         "Three hostages were freed in 2024.", "In 2025, 3 hostages were freed."),
    case("numbers", True, "the same number counting weeks instead of days is refused",
         "The talks lasted two weeks.", "The talks lasted two days."),
    case("numbers", False, "a month and year inside a full date pass",
         "Hamas was designated in October 1997.",
         "The State Department designated Hamas on October 8, 1997."),
    case("numbers", True, "a different month is refused",
         "Hamas was designated in November 1997.",
         "The State Department designated Hamas on October 8, 1997."),
    case("numbers", False, "percent sign and the word percent agree",
         "About 40% of the trucks were turned back.",
         "About 40 percent of the trucks were turned back."),
    case("numbers", False, "a scaled number equals its digits",
         "The fund held $3.5 million.", "The fund held $3,500,000."),
    case("numbers", True, "a changed count is refused",
         "Albright announced four legal consequences.",
         "Albright announced three legal consequences."),
    case("numbers", True, "an ordinal the evidence does not state is refused",
         "It was the third round of talks.", "It was the second round of talks."),
    case("numbers", True, "a number that belongs to another party is refused",
         "Hamas won 45 of the 132 seats.", "Hamas won 74 of the 132 seats, and Fatah won 45."),
    case("numbers", False, "a number with its own party passes",
         "Fatah won 45 seats.", "Hamas won 74 of the 132 seats, and Fatah won 45."),
    # names
    case("names", False, "a full name matches its surname in the evidence",
         "Adam Boehler met Hamas officials in Doha.", "Boehler met Hamas officials in Doha."),
    case("names", True, "a person the evidence never names is refused",
         "Witkoff met Hamas officials in Doha.", "Boehler met Hamas officials in Doha."),
    case("names", False, "an acronym matches its spelled-out name",
         "The FTO list includes Hamas.", "Hamas is on the Foreign Terrorist Organization list."),
    case("names", False, "a demonym matches its country",
         "The Israeli government objected to the talks.", "Israel objected to the talks."),
    case("names", False, "US is an alias of the United States",
         "The US spoke with Hamas directly.", "The United States spoke with Hamas directly."),
    case("names", False, "Washington stands for the United States",
         "Washington suspended aid in April 2006.",
         "The United States suspended aid in April 2006."),
    case("names", True, "a place the evidence does not name is refused",
         "Boehler met Hamas officials in Cairo.", "Boehler met Hamas officials in Doha."),
    case("names", False, "NGOs matches nongovernmental organizations",
         "The plaintiffs were private citizens and NGOs.",
         "The plaintiffs were private citizens and nongovernmental organizations."),
    # roles
    case("roles", True, "swapping who voiced displeasure with whom is refused",
         "Boehler voiced his displeasure with Dermer's contacts.",
         "Dermer voiced his displeasure with Boehler's contacts with Hamas."),
    case("roles", False, "the same doer and target pass",
         "Dermer voiced displeasure with Boehler's contacts.",
         "Dermer voiced his displeasure with Boehler's contacts with Hamas."),
    case("roles", True, "swapping the one who criticized and the one criticized is refused",
         "Egypt criticized Qatar over the talks.", "Qatar criticized Egypt over the talks."),
    case("roles", False, "the passive with the same agent passes",
         "Qatar was criticized by Egypt over the talks.", "Egypt criticized Qatar over the talks."),
    case("roles", True, "another named doer of the same act is refused",
         "Justice Roberts dissented in the case.",
         "Justice Roberts wrote the majority opinion, and Justice Breyer dissented."),
    case("roles", False, "one of two conjoined doers passes",
         "Egypt took part in the contacts.", "Qatar and Egypt took part in the contacts."),
    # negation and antonyms
    case("negation", True, "still held where the evidence says released is refused",
         "Edan Alexander is still being held in Gaza.",
         "Edan Alexander, an American-Israeli soldier, was released by Hamas in May 2025."),
    case("negation", False, "freed is a synonym of released",
         "Edan Alexander was freed by Hamas.",
         "Edan Alexander, an American-Israeli soldier, was released by Hamas in May 2025."),
    case("negation", True, "negating what the evidence affirms is refused",
         "The court did not uphold the ban.", "The court upheld the ban."),
    case("negation", True, "affirming what the evidence negates is refused",
         "Israel approved the plan.", "Israel did not approve the plan."),
    case("negation", True, "rejected where the evidence says accepted is refused",
         "Hamas rejected the proposal.", "Hamas accepted the proposal."),
    case("negation", True, "acquitted where the evidence says convicted is refused",
         "The jury acquitted the defendant.", "The jury convicted the defendant."),
    case("negation", False, "none of them prohibited matches none prohibited",
         "None of the three legal consequences Albright announced prohibited diplomatic "
         "contact by US officials.",
         "Albright announced three legal consequences; none of them prohibited US officials "
         "from diplomatic contact."),
    case("negation", False, "refused to accept agrees with did not accept",
         "Hamas did not accept the proposal.", "Hamas refused to accept the proposal."),
    # modality
    case("modality", True, "found it had pushed where the evidence warns it could push",
         "UNICEF found that the ban had pushed children into covert spaces.",
         "UNICEF warned that the ban could push children into covert spaces."),
    case("modality", False, "warned it could push matches warned it could push",
         "UNICEF warned that the ban could push children into covert spaces.",
         "UNICEF warned that the ban could push children into covert spaces."),
    case("modality", True, "imposed where the evidence says only considered imposing",
         "The administration imposed sanctions on the group.",
         "The administration considered imposing sanctions on the group."),
    case("modality", True, "might close where the evidence says closed (the other direction)",
         "The ministry might close the crossing.", "The ministry closed the crossing."),
    case("modality", False, "ordered matches ordered",
         "The president ordered a review of the policy.",
         "The president ordered a review of the policy in March."),
    case("modality", True, "threatened to cut aid is not cut aid",
         "Congress cut aid to the agency.", "Congress threatened to cut aid to the agency."),
    # quantifiers
    case("quantifiers", True, "a unanimous panel where the evidence says divided is refused",
         "A unanimous appeals panel allowed Florida to enforce the law.",
         "A divided appeals panel allowed Florida to enforce the law."),
    case("quantifiers", False, "unanimously matches unanimous",
         "The panel ruled unanimously.", "The ruling of the panel was unanimous."),
    case("quantifiers", True, "only where the evidence names one among others is refused",
         "Qatar is the only mediator in the talks.", "Qatar is a mediator in the talks."),
    case("quantifiers", False, "only matches sole",
         "Qatar is the only mediator in the talks.", "Qatar is the sole mediator in the talks."),
    case("quantifiers", True, "first where the evidence says no such thing is refused",
         "It was the first direct meeting between the two sides.",
         "It was a direct meeting between the two sides."),
    case("quantifiers", True, "all where the evidence says some is refused",
         "All of the hostages were released.", "Some of the hostages were released."),
    case("quantifiers", False, "some is licensed by a number",
         "Some hostages were released.", "Five hostages were released."),
    case("quantifiers", True, "never where the evidence states no such thing is refused",
         "Washington never talked to the group.",
         "Washington talked to the group in March."),
    case("quantifiers", False, "most matches a majority",
         "Most members voted for the bill.", "A majority of members voted for the bill."),
    case("quantifiers", True, "several where the evidence says the only one is refused",
         "Shultz named several channels for the dialogue.",
         "Shultz named Pelletreau as the only authorized channel for the dialogue."),
    # temporal order
    case("temporal", True, "reversing the order of the review and the directive is refused",
         "Obama ordered the review after he approved the directive.",
         "Obama ordered the review before he approved the directive."),
    case("temporal", False, "the same order told from the other side passes",
         "Obama approved the directive after he ordered the review.",
         "Obama ordered the review before he approved the directive."),
    case("temporal", False, "then in the evidence gives the order",
         "The envoy met the mediators before he flew to Doha.",
         "The envoy met the mediators, then flew to Doha."),
    case("temporal", True, "an order the evidence does not state is refused",
         "The talks collapsed after the strike.",
         "The talks collapsed. There was a strike."),
    case("temporal", False, "years give the order",
         "The law was signed before it was challenged.",
         "The law was signed in 2019. It was challenged in 2021."),
    case("temporal", False, "followed in the evidence gives the order",
         "Young's resignation came after it was revealed that he had met Terzi.",
         "Young's resignation followed revelations that he had met Terzi."),
    case("temporal", False, "a phrasal verb matches its noun: stepped down ~ resignation",
         "Young stepped down after revelations that he had met Terzi.",
         "Young's resignation followed revelations that he had met Terzi."),
    case("temporal", False, "after a duration is not an event to order",
         "Hamas handed Alexander over after 584 days in captivity.",
         "Alexander had spent 584 days in captivity before Hamas handed him over."),
    # causal links
    case("causal", True, "in exchange for where the evidence only tells two facts",
         "Hamas freed Alexander in exchange for aid.",
         "Hamas freed Alexander. Aid deliveries resumed a week later."),
    case("causal", False, "in exchange for matches in return for",
         "Hamas freed Alexander in exchange for a pause in fighting.",
         "Hamas freed Alexander in return for a pause in fighting."),
    case("causal", True, "because where the evidence states no cause",
         "The talks stalled because Israel objected.",
         "The talks stalled. Israel objected to the format."),
    case("causal", False, "led to matches because",
         "Israel's objection led to the stalling of the talks.",
         "The talks stalled because of Israel's objection."),
    case("causal", True, "caused where the evidence states no cause",
         "The ruling caused a surge in applications.",
         "After the ruling, applications rose."),
    # attribution
    case("attribution", True, "a view in the authors' reading stated as established fact",
         "It is an established fact that Israel holds a de facto veto.",
         "In the authors' reading, Israel holds a de facto veto over US talks."),
    case("attribution", False, "the authors argue passes for the authors' reading",
         "The authors argue that Israel holds a de facto veto.",
         "In the authors' reading, Israel holds a de facto veto over US talks."),
    case("attribution", True, "a claim someone argues stated bare is refused",
         "Direct talks would legitimize Hamas.",
         "Critics argue that direct talks would legitimize Hamas."),
    case("attribution", False, "critics say matches critics argue",
         "Critics say direct talks would legitimize Hamas.",
         "Critics argue that direct talks would legitimize Hamas."),
    case("attribution", True, "according to stated bare is refused",
         "The blockade is illegal.", "According to the rapporteur, the blockade is illegal."),
    case("attribution", True, "showed where the evidence only has argued",
         "The study showed that sanctions fail.", "The study argued that sanctions fail."),
    case("attribution", False, "a fact outside the attributed words passes",
         "The United States designated Hamas a terrorist organization in 1997.",
         "Axios called the meetings unprecedented, because the United States had never dealt "
         "with Hamas, which it designated a terrorist organization in 1997."),
    case("attribution", True, "what a source called unprecedented stated bare is refused",
         "The Boehler meetings were unprecedented.",
         "Axios called the Boehler meetings unprecedented."),
    case("attribution", False, "according to the results is a record, not a view",
         "Hamas won 74 of the 132 seats.",
         "Hamas won 74 of the 132 seats, according to final results the commission gave."),
    case("attribution", False, "what a plan says is the plan's content, not a view",
         "Under the plan, Israel would free 250 prisoners.",
         "The plan said Israel would free 250 prisoners."),
    case("attribution", False, "according to news media is reporting, not a view",
         "Dermer voiced displeasure with the contacts in a call with Boehler.",
         "Dermer voiced displeasure with the contacts in a call with Boehler, according to "
         "Axios and Israeli media."),
    case("attribution", False, "a plain statement supports the plain claim",
         "The envoy met Hamas officials in Doha.",
         "The envoy met Hamas officials in Doha in March."),
]
# fmt: on


@pytest.fixture(scope="module")
def judges() -> dict[str, Judge]:
    return {judge.name: judge for judge in rule_judges()}


@pytest.mark.parametrize("item", CASES, ids=[c.id for c in CASES])
def test_each_rule_refuses_its_hard_negative_and_passes_the_faithful_claim(
    item: Case, judges: dict[str, Judge]
) -> None:
    verdict = judges[item.check].judge(item.claim, item.evidence)
    assert verdict.check == item.check
    if item.refuses:
        assert verdict.supported is False, f"{item.check} let through: {item.claim}"
        assert verdict.reasons, "a refusal must say why"
        assert all(f.check == item.check and f.message for f in verdict.reasons)
    else:
        assert verdict.supported is None, [str(f) for f in verdict.reasons]


@pytest.mark.parametrize(
    "item", [c for c in CASES if not c.refuses], ids=[c.id for c in CASES if not c.refuses]
)
def test_no_rule_refuses_a_faithful_claim(item: Case, judges: dict[str, Judge]) -> None:
    verdicts = [judge.judge(item.claim, item.evidence) for judge in judges.values()]
    assert [str(f) for v in verdicts if v.firm_no for f in v.reasons] == []
