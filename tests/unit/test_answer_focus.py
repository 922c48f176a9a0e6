"""Question focus and answer types (spaCy's parse; no embeddings, no network)."""

from __future__ import annotations

import pytest

from bot.domain.evidence import EvidenceSentence, stems_of
from bot.engines.extractive.answers import AnswerSelector
from bot.engines.extractive.focus import (
    answer_type_strength,
    coverage,
    holds_answer_type,
    predicate_matches,
    question_focus,
    sentence_terms,
)


def sentence(text: str) -> EvidenceSentence:
    return EvidenceSentence(
        key=f"d:0:{len(text)}",
        passage_id="p",
        doc_id="d",
        title="d",
        url="https://example.org",
        start=0,
        end=len(text),
        text=text,
        stems=stems_of(text),
    )


def test_the_focus_leaves_out_the_question_word_and_keeps_the_predicate() -> None:
    focus = question_focus("When did the council approve the new budget", "when")
    assert focus.predicate == "approv"
    assert {"council", "budget"} <= set(focus.weights)
    assert "when" not in focus.weights


def test_an_irregular_form_covers_the_predicate() -> None:
    focus = question_focus("How many seats did the party win in the vote", "how_much")
    terms = sentence_terms(sentence("The party won 40 of the 90 seats in the vote."))
    assert predicate_matches(focus, terms)
    assert coverage(focus, terms, {}) > 0.9


def test_a_sentence_about_something_else_covers_little() -> None:
    focus = question_focus("How many seats did the party win in the vote", "how_much")
    terms = sentence_terms(sentence("The mayor opened a new bridge over the river in spring."))
    assert coverage(focus, terms, {}) < 0.2


@pytest.mark.parametrize(
    ("question", "kind", "text", "holds"),
    [
        ("When did the council approve the budget", "when", "It was approved on 4 May 2021.", True),
        ("When did the council approve the budget", "when", "The council approved it.", False),
        ("How many seats did the party win", "how_much", "The party won 40 seats.", True),
        (
            "How many seats did the party win",
            "how_much",
            "Three journalists watched the party celebrate.",
            False,  # a number that counts something else
        ),
        ("How long was the strike", "how_much", "The strike lasted 45 days in all.", True),
        ("Where did the envoy meet the rebels", "where", "They met in Geneva in March.", True),
        ("Why did the mayor resign", "why", "She resigned because of the audit.", True),
        ("Why did the mayor resign", "why", "She resigned on a Monday morning.", False),
    ],
)
def test_answer_types(question: str, kind: str, text: str, holds: bool) -> None:
    assert holds_answer_type(question_focus(question, kind), text) is holds


def test_an_entity_the_question_names_is_no_answer() -> None:
    focus = question_focus("Who did Geneva send to the talks", "who")
    assert not holds_answer_type(focus, "Geneva sent a delegation to the talks.")
    assert holds_answer_type(focus, "Geneva sent Maria Lopez to the talks.")


def test_no_verdict_without_a_sentence_that_states_the_predicate() -> None:
    question = "Did the council approve the budget?"
    off_topic = sentence("The council met on Tuesday and heard from residents about parking.")
    stating = sentence("The council approved the budget on Tuesday after a long debate.")
    assert AnswerSelector.stance(question, [off_topic]) is None
    assert AnswerSelector.stance(question, [stating]) == "yes"


def test_a_focus_word_only_the_title_holds_counts_a_little() -> None:
    focus = question_focus("When did the pilot start", "when")
    terms = sentence_terms(sentence("It began on 3 June with twelve schools taking part."))
    title = frozenset(stems_of("The school meals pilot"))
    alone = coverage(focus, terms, {})
    with_title = coverage(focus, terms, {}, title)
    assert alone < with_title < 1.0


def test_a_who_question_about_a_role_prefers_the_person_named_with_it() -> None:
    focus = question_focus("Who is the president of the Chamber of Commerce", "who")
    assert focus.role == "president"
    named = "Chamber president Ana Ruiz said the closures cost shops money."
    other = "The plan was backed by Maria Lopez of the ports authority."
    beside = "Maria Lopez of the ports authority met the Chamber of Commerce on Monday."
    assert answer_type_strength(focus, named) > answer_type_strength(focus, beside) > 0
    assert answer_type_strength(focus, other) == 0  # neither the role nor the Chamber


def test_a_who_question_about_an_act_has_no_role() -> None:
    assert question_focus("Who met the union leaders in March", "who").role is None


def test_the_outlet_that_reports_is_no_who_answer() -> None:
    focus = question_focus("Which official hosted the talks with the union", "who")
    assert not holds_answer_type(
        focus, "The mayor told Reuters the talks with the union went well."
    )
    assert holds_answer_type(
        focus, "The talks with the union were hosted by the Ports Authority, Reuters reported."
    )


def test_places_answer_which_countries_but_not_who_said() -> None:
    sentence = "The truce was agreed through joint mediation by Norway, Chile and Kenya."
    countries = question_focus("Which countries mediated the truce?", "who")
    assert holds_answer_type(countries, sentence)
    person = question_focus("Who mediated the truce?", "who")
    assert not holds_answer_type(person, sentence)


def test_a_regular_inflection_covers_the_focus_word_in_full() -> None:
    # The stem of "agreed" is not the stem of "agree": the inflection still counts in full.
    focus = question_focus("What did the union agree to", "what")
    terms = sentence_terms(sentence("The union agreed to a two-year wage freeze."))
    assert predicate_matches(focus, terms)
    assert coverage(focus, terms, {}) == pytest.approx(1.0)


def test_an_irregular_form_of_a_synonym_states_the_predicate() -> None:
    focus = question_focus("How did the strike get started", "how")
    assert predicate_matches(focus, sentence_terms(sentence("The strike began at dawn on Monday.")))


def test_a_when_answer_whose_date_is_outside_the_asked_clause_counts_less() -> None:
    focus = question_focus("When did the council approve the budget", "when")
    inside = answer_type_strength(
        focus, sentence("The council approved the budget on 3 May 2021.").text
    )
    outside = answer_type_strength(
        focus, "The council, which was founded in 1990, debated the budget at length."
    )
    assert inside == 1.0
    assert 0 < outside < inside


def test_which_officials_wants_a_person_not_a_nationality() -> None:
    focus = question_focus("Which US officials met the union leaders", "who")
    assert focus.role == "official"
    assert answer_type_strength(focus, "Senior Qatari officials met the union leaders.") == 0.0
    assert answer_type_strength(focus, "US envoy John Smith met the union leaders.") > 0


def test_a_person_the_question_names_is_no_new_answer() -> None:
    focus = question_focus("Who did Smith meet in Paris", "who")
    assert not holds_answer_type(focus, "John Smith was in Paris last week.")


def test_a_name_that_only_modifies_a_noun_answers_no_who_question() -> None:
    focus = question_focus("Who negotiated the ceasefire", "who")
    assert not holds_answer_type(focus, "The Smith administration's envoy negotiated a ceasefire.")
    assert holds_answer_type(focus, "Envoy Mary Jones negotiated the ceasefire.")


def test_a_role_question_wants_the_person_with_the_role_or_doing_the_act() -> None:
    focus = question_focus("Which French official hosted the summit", "who")
    assert (
        answer_type_strength(focus, "Adviser Paul Martin told reporters the summit went well.") == 0
    )
    assert answer_type_strength(focus, "Paul Martin hosted the summit in Lyon.") > 0


def test_a_reporting_verb_asks_about_its_complement_and_a_particle_makes_a_phrasal_verb() -> None:
    focus = question_focus("Did the union say it would give up the strike", "yes_no")
    assert focus.phrase == "give up"
    gave_up = "The union gave the strike up on Friday."
    assert predicate_matches(focus, sentence_terms(sentence(gave_up)), gave_up)
    abandoned = "The union abandoned the strike."
    assert predicate_matches(focus, sentence_terms(sentence(abandoned)), abandoned)
    gave = "The union gave a statement about the strike."
    assert not predicate_matches(focus, sentence_terms(sentence(gave)), gave)


@pytest.mark.parametrize(
    ("question", "predicate"),
    [
        ("Has the city made deals with the builders", "deal"),  # the object carries the meaning
        ("Was the mayor kept in the loop on the plan", "loop"),  # ... or the preposition's
        ("Did the paper say the council would approve the budget", "approv"),
        ("Were the two teams in the same room", "room"),  # a copula's place is what is asked
        ("Is the leader of the union in the building", "build"),  # ... not what "of" names
    ],
)
def test_a_light_or_reporting_verb_is_not_the_predicate(question: str, predicate: str) -> None:
    assert question_focus(question, "yes_no").predicate == predicate


def test_a_reported_argument_is_no_stated_reason() -> None:
    focus = question_focus("Why did the mayor drop the plan", "why")
    assert not holds_answer_type(focus, "The mayor argued that the plan should be dropped.")
    assert holds_answer_type(focus, "The mayor dropped the plan because it cost too much.")
