"""Events: the events the claim asserts, and whether the evidence names them.

A claim verb is found in the evidence as the same lemma, a frequent-sense synonym, a
derivationally related form ("negotiate" ~ "negotiation"), a phrasal verb's synonym ("held
back" ~ "restrain"), or a more general word for an evidence event ("kill" for "assassinate").
A verb the evidence has none of may name another event ("rejected" where the evidence says
"welcomed"), or be a paraphrase WordNet does not link ("unveiled" for "announced"): the
semantic layer then asks for a higher score (``SemanticThresholds.unnamed_event_support``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from bot.verify.layers import nlp
from bot.verify.layers.attribution import source_tokens
from bot.verify.layers.base import Finding
from bot.verify.layers.syntax import expand, is_backgrounded, lemma, snippet

if TYPE_CHECKING:
    from spacy.tokens import Token

CHECK = "events"
# Verbs that carry little event of their own ("took part", "made a deal", "had contact"):
# their object names the event, and the other layers compare it.
LIGHT_VERBS = frozenset(
    [
        "be",
        "have",
        "do",
        "get",
        "become",
        "seem",
        "make",
        "take",
        "give",
        "come",
        "go",
        "let",
        "involve",
        "remain",
        "use",
        "put",
        "set",
        "bring",
        "hold",
        "see",
    ]
)
# Participles that work as prepositions ("regarding the PLO", "including Israel").
PREPOSITION_VERBS = frozenset(
    ["regard", "concern", "include", "follow", "accord", "involve", "exclude", "consider"]
)
# Parts of speech an evidence word may have to name an event: "the release" names "release".
_EVENT_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN"})


@lru_cache(maxsize=1024)
def evidence_events(evidence: str) -> frozenset[str]:
    """Every lemma an evidence word licenses: its own, its synonyms and related forms, and
    the more general words above it."""
    found: set[str] = set()
    for token in nlp.parse(evidence):
        if token.pos_ not in _EVENT_POS or not token.lemma_.isalpha():
            continue
        pos = nlp.wordnet_pos(token.pos_)
        found |= {lemma(token), token.lower_} | expand(token) | nlp.kin(lemma(token), pos)
        found |= nlp.hypernyms(lemma(token), pos)
    return frozenset(found)


def asserted_verbs(claim: str) -> list[Token]:
    """The claim's own verbs: not its source's ("The essay says"), not auxiliaries or light
    verbs."""
    doc = nlp.parse(claim)
    source = source_tokens(doc)
    return [
        t
        for t in doc
        if t.pos_ == "VERB"
        and t.i not in source
        and t.lemma_.isalpha()
        and lemma(t) not in LIGHT_VERBS
        and t.dep_ not in {"amod", "compound", "aux", "auxpass", "prep"}
        and not (t.tag_ == "VBG" and lemma(t) in PREPOSITION_VERBS)
        and not is_backgrounded(t)
    ]


def found_in(verb: Token, licensed: frozenset[str]) -> bool:
    """Whether the evidence names the verb's event (as itself, a synonym or a kind of it)."""
    own = {lemma(verb), verb.lower_} | expand(verb) | nlp.kin(lemma(verb), "v")
    # "went unmentioned": the participle's base names the event ("mention").
    if verb.lower_.startswith("un") and verb.tag_ == "VBN":
        base = verb.lower_[2:]
        own |= {base, base.removesuffix("ed"), base.removesuffix("d")}
    return bool(own & licensed)


def unnamed_events(claim: str, evidence: str) -> list[Finding]:
    """The claim's verbs that name no event of the evidence, as findings."""
    licensed = evidence_events(evidence)
    return [
        Finding(
            CHECK,
            snippet(verb),
            "",
            f"the claim says '{verb.text}'; the evidence names no such event",
        )
        for verb in asserted_verbs(claim)
        if not found_in(verb, licensed)
    ]
