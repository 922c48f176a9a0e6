"""Shared readings of a parse: content words, negation, modality and matching of words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from bot.verify.layers import nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


PREDICATE_POS = frozenset({"VERB", "ADJ"})
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
NEGATIVE_SUBJECTS = frozenset({"none", "nobody", "nothing", "neither", "no one", "nor"})
# Verbs that negate their complement: "refused to release" = did not release.
NEGATING_GOVERNORS = frozenset(
    {"refuse", "fail", "deny", "decline", "reject", "avoid", "stop", "refrain", "neglect", "cease"}
)
# Clauses inside a clause: their negation and modality are their own.
NESTED_CLAUSES = frozenset(
    {"ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "csubj", "acl", "pcomp"}
)
RULING_OUT = frozenset({"rather than", "instead of", "far from"})
NEGATING_NOUNS = frozenset({"failure", "refusal", "reluctance", "inability"})
PROPOSITION_VERBS = frozenset(
    ["say", "announce", "report", "see", "expect", "predict", "guarantee"]
)
SUBORDINATE = frozenset({"advcl", "relcl", "acl", "csubj", "pcomp"})
CONTRAST_ADVERBS = frozenset({"instead", "rather", "but"})
HEDGE_AUXILIARIES = frozenset(
    {"could", "may", "might", "would", "should", "can", "will", "must", "shall", "ought"}
)
CONDITION_MARKS = frozenset({"if", "whether", "unless"})
# Marks of clauses that state a fact of their own: reason, time, concession.
FACTUAL_MARKS = frozenset(
    {"because", "since", "after", "when", "while", "although", "though", "as", "once"}
)
# Modal force: "must bring" says more than "can bring".
POSSIBILITY = frozenset({"can", "could", "may", "might"})
NECESSITY = frozenset({"must", "will", "shall", "would"})
# Verbs whose infinitive happened: "managed to leave" did leave.
IMPLICATIVE_VERBS = frozenset(
    [
        "manage",
        "begin",
        "start",
        "continue",
        "proceed",
        "help",
        "happen",
        "remember",
        "bother",
        "dare",
        "get",
        "come",
        "go",
        "use",
        "serve",
        "tend",
        "first",
        "last",
        "only",
    ]
)
# "ready to negotiate", "willing to meet": a disposition, not the act.
HEDGE_ADJECTIVES = frozenset(
    [
        "ready",
        "willing",
        "prepared",
        "able",
        "eager",
        "likely",
        "unlikely",
        "possible",
        "due",
        "poised",
        "keen",
        "open",
        "determined",
        "reluctant",
        "unwilling",
        "unable",
    ]
)
# "talked about releasing", "discussed freeing": the act was a topic, not an event.
DISCUSSING_VERBS = frozenset(["talk", "speak", "discuss", "negotiate", "debate"])
# Verbs and nouns whose complement did not (yet) happen: "warned it could", "proposed to".
HEDGE_GOVERNORS = frozenset(
    [
        "warn",
        "consider",
        "propose",
        "threaten",
        "plan",
        "suggest",
        "discuss",
        "seek",
        "offer",
        "hope",
        "expect",
        "intend",
        "weigh",
        "fear",
        "aim",
        "urge",
        "recommend",
        "explore",
        "mull",
        "contemplate",
        "predict",
        "try",
        "attempt",
        "want",
        "ask",
        "demand",
        "push",
        "press",
        "vow",
        "promise",
        "pledge",
        "call",
        "float",
        "envisage",
        "risk",
        "prepare",
        "set",
        "schedule",
        "due",
        "agree",
        "advise",
        "commit",
        "decide",
        "undertake",
    ]
)
HEDGE_NOUNS = frozenset(
    [
        "proposal",
        "plan",
        "threat",
        "possibility",
        "risk",
        "idea",
        "option",
        "offer",
        "prospect",
        "danger",
        "fear",
        "condition",
        "commitment",
        "process",
        "procedure",
        "mechanism",
        "effort",
        "attempt",
        "bid",
        "request",
        "demand",
    ]
)


def words(span: Doc | Span | Iterable[Token]) -> Iterator[Token]:
    """Tokens that are words (no punctuation or spaces)."""
    return (t for t in span if not (t.is_punct or t.is_space))


def lemma(token: Token) -> str:
    """The lowercased lemma."""
    return token.lemma_.lower()


def is_content(token: Token) -> bool:
    """A word that carries meaning: a noun, name, verb, adjective or number, not a stopword."""
    return token.pos_ in CONTENT_POS and not token.is_stop and token.lemma_.isalnum()


def content_lemmas(span: Doc | Span | Iterable[Token]) -> set[str]:
    """Lemmas of the content words."""
    return {lemma(t) for t in span if is_content(t)}


def expand(token: Token) -> frozenset[str]:
    """The lemma with its frequent-sense synonyms and related forms."""
    base = lemma(token)
    pos = nlp.wordnet_pos(token.pos_)
    found = nlp.synonyms(base, pos) | nlp.related_forms(base)
    # "step down", and a light verb with its bare noun: "take place", "take part".
    particle = next(
        (
            c.lower_
            for c in token.children
            if c.i == token.i + 1
            and (c.dep_ in {"prt", "advmod"} or (c.dep_ == "dobj" and c.tag_ == "NN"))
        ),
        None,
    )
    if particle:  # "step down" ~ resign ~ resignation
        for synonym in nlp.synonyms(f"{base} {particle}", pos):
            found |= nlp.related_forms(synonym) | {synonym}
    return found


def same_word(a: Token, b: Token) -> bool:
    """Same lemma, or synonyms/related forms of each other."""
    if lemma(a) == lemma(b) or a.lower_ == b.lower_:
        return True
    return lemma(b) in expand(a) or lemma(a) in expand(b)


def closest(token: Token, candidates: Iterable[Token]) -> list[Token]:
    """The candidates with the token's own lemma if there are any, else its synonyms and
    related forms: "made" is compared with "make", not with the "left" of a rarer sense."""
    similar = [c for c in candidates if same_word(token, c)]
    exact = [c for c in similar if lemma(c) == lemma(token)]
    return exact or similar


def clause_head(token: Token) -> Token:
    """The verb or predicate adjective that governs ``token`` (itself for a verb)."""
    current = token
    while current.pos_ not in {"VERB", "AUX"} and current.head.i != current.i:
        if current.dep_ == "acomp" or (current.pos_ == "ADJ" and current.dep_ == "ROOT"):
            return current
        current = current.head
    return current


def _negative_nominal(noun: Token) -> bool:
    """ "none", "nobody", "no contact", "neither Israel nor Hamas": a nominal that denies."""
    if lemma(noun) in NEGATIVE_SUBJECTS:
        return True
    return any(
        (d.dep_ == "det" and lemma(d) == "no") or (d.dep_ == "preconj" and lemma(d) == "neither")
        for d in noun.children
    )


def _verb_negated(verb: Token) -> bool:
    for child in verb.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ in {"nsubj", "nsubjpass"} and _negative_nominal(child):
            return True
        # "had no contact", "made no commitment", "was no ban": the verb's object denies
        # (not for verbs whose object is a proposition: "pledged no repeat attack").
        if (
            child.dep_ in {"dobj", "attr"}
            and _negative_nominal(child)
            and lemma(verb) not in HEDGE_GOVERNORS | PROPOSITION_VERBS
        ):
            return True
    # "refused to release", "failed to reach": the complement is negated (the parser may
    # attach the infinitive as "advcl" when a phrase comes between: "declined on Monday to").
    infinitive = verb.dep_ == "advcl" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    )
    if (verb.dep_ in {"xcomp", "ccomp"} or infinitive) and lemma(verb.head) in NEGATING_GOVERNORS:
        return True
    # "without consulting", "advised against meeting": a preposition negates its clause.
    if verb.dep_ == "pcomp" and verb.head.lower_ in {"without", "against"}:
        return True
    # "its failure to accept", "his refusal to meet": the noun negates its infinitive.
    if verb.dep_ == "acl" and lemma(verb.head) in NEGATING_NOUNS:
        return True
    # The auxiliary of an "acomp"/copula clause carries the negation ("is not unanimous").
    return verb.dep_ == "acomp" and any(c.dep_ == "neg" for c in verb.head.children)


def is_negated(token: Token) -> bool:
    """Whether a predicate (verb or adjective) is negated in its clause."""
    # "rather than talking", "instead of meeting", "far from pleased": the act is ruled out.
    if token.doc[max(token.i - 2, 0) : token.i].text.lower() in RULING_OUT:
        return True
    head = clause_head(token)
    if head.pos_ not in {"VERB", "AUX", "ADJ"}:
        return False
    negated = _verb_negated(head)
    # A conjunct shares the negation of the verb it hangs on ("did not meet or call"), unless
    # it has its own auxiliary, subject or "instead" ("would not name X and would instead ...").
    own = {"aux", "auxpass", "nsubj", "nsubjpass"}
    if (
        not negated
        and head.dep_ == "conj"
        and head.head.pos_ in {"VERB", "AUX"}
        and not any(c.dep_ in own or c.lower_ in CONTRAST_ADVERBS for c in head.children)
    ):
        negated = _verb_negated(head.head)
    return negated


def noun_negated(noun: Token) -> bool:
    """Whether an event noun is denied: "no commitment", "made no commitment", "did not
    make a commitment"."""
    if _negative_nominal(noun) or (noun.dep_ == "pobj" and noun.head.lower_ == "without"):
        return True
    return noun.dep_ in {"dobj", "attr", "nsubj", "nsubjpass"} and is_negated(noun.head)


def is_hedged(token: Token) -> bool:
    """Whether a predicate is only possible, planned, proposed, conditional or asked about."""
    head = clause_head(token)
    for child in head.children:
        if child.dep_ == "aux" and lemma(child) in HEDGE_AUXILIARIES:
            return True
        # "if it agreed", "whether it would": a condition or a question, not a fact.
        if child.dep_ == "mark" and child.lower_ in CONDITION_MARKS:
            return True
    if head.sent.text.rstrip().endswith("?"):
        return True
    parent = head.head
    # "called it unprecedented, because the US had never dealt with it": a clause of reason
    # or time is not the governor's complement, so "call" does not hedge it.
    factual = head.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in FACTUAL_MARKS for c in head.children
    )
    if (
        head.dep_ in {"xcomp", "ccomp", "advcl"}
        and lemma(parent) in HEDGE_GOVERNORS
        and not factual
    ):
        return True
    to = any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)
    # "agreed to set up", "told Hamas to close", "forces were to leave": an infinitive states
    # what is to happen, unless its verb entails it ("managed to leave").
    # An infinitive that is its verb's subject ("it made sense to talk") states no plan.
    # "it is a crime to provide", "it made little sense to talk"
    extraposed = any(
        c.dep_ == "nsubj" and c.lower_ == "it" for v in (parent, parent.head) for c in v.children
    )
    if (
        to
        and head.dep_ in {"xcomp", "ccomp", "acl", "relcl"}
        and not extraposed
        and lemma(parent) not in IMPLICATIVE_VERBS | NEGATING_GOVERNORS
    ):
        return True
    adjective = parent.pos_ == "ADJ" and lemma(parent) in HEDGE_ADJECTIVES
    if head.dep_ in {"xcomp", "pcomp", "advcl"} and adjective:
        return True
    if head.dep_ in {"acl", "relcl", "pcomp", "pobj"} and lemma(parent) in HEDGE_NOUNS:
        return True
    # "prepared to talk and to reach": a conjunct shares its first verb's modality.
    if head.dep_ == "conj" and parent.pos_ == "VERB" and parent is not head and is_hedged(parent):
        return True
    preposition = parent
    while preposition.dep_ == "conj" and preposition.head.i != preposition.i:
        preposition = preposition.head  # "ready for dialogue and for reaching ..."
    grand = preposition.head
    return head.dep_ == "pcomp" and (
        lemma(grand) in HEDGE_NOUNS | HEDGE_GOVERNORS | DISCUSSING_VERBS
        or (grand.pos_ == "ADJ" and lemma(grand) in HEDGE_ADJECTIVES)
    )


def modal_force(token: Token) -> str:
    """ "possible" (can, may), "necessary" (must, will, would) or "" for the predicate."""
    auxes = {lemma(c) for c in clause_head(token).children if c.dep_ == "aux"}
    if auxes & NECESSITY:
        return "necessary"
    return "possible" if auxes & POSSIBILITY else ""


def is_conditional(token: Token) -> bool:
    """Whether the predicate's clause is a condition ("if it condemned", "unless it agreed")."""
    return any(
        c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in clause_head(token).children
    )


def noun_hedged(noun: Token) -> bool:
    """Whether an event noun is only planned: "sentencing set for January", "a plan to
    release", "the scheduled vote"."""
    if any(c.dep_ in {"acl", "amod"} and lemma(c) in HEDGE_GOVERNORS for c in noun.children):
        return True
    if noun.dep_ in {"dobj", "nsubjpass", "nsubj", "pobj"} and lemma(noun.head) in HEDGE_GOVERNORS:
        return True
    # "expected the visit to happen", "the vote could take place": the event is the subject
    # of a predicate that is only expected or possible.
    return (
        noun.dep_ in {"nsubj", "nsubjpass"}
        and noun.head.pos_ in {"VERB", "AUX"}
        and is_hedged(noun.head)
    )


def is_backgrounded(token: Token) -> bool:
    """A participle that modifies a noun or a clause ("a committee running Gaza", "with forces
    pulling back"): it takes the modality of what it modifies, so it is not compared alone."""
    head = clause_head(token)
    if head.tag_ not in {"VBG", "VBN"} or any(
        c.dep_ in {"aux", "auxpass", "nsubj", "nsubjpass"} for c in head.children
    ):
        return False
    return head.dep_ in {"acl", "amod"} or (
        head.dep_ in {"pcomp", "pobj", "advcl"} and head.head.lower_ == "with"
    )


def is_predicate(token: Token) -> bool:
    """A verb (light verbs included: "made no commitment", "took part") or a content adjective,
    heading its own clause (not an auxiliary, an attributive adjective or a compound)."""
    # "was a ban": the noun after a copula is what the clause predicates.
    if token.pos_ == "NOUN" and token.dep_ == "attr" and lemma(token.head) == "be":
        return is_content(token)
    if token.pos_ not in PREDICATE_POS or token.dep_ in {"amod", "compound"}:
        return False
    if token.pos_ == "VERB":
        return token.lemma_.isalpha()
    return is_content(token)


def predicates(doc: Doc | Span) -> list[Token]:
    """Verbs and predicative adjectives that carry content (not auxiliaries or modifiers)."""
    return [t for t in doc if is_predicate(t)]


def has_negator(token: Token) -> bool:
    """Whether the sentence of ``token`` holds a negating word outside the subordinate clauses
    that do not contain it ("even if it did not renounce" negates only "renounce")."""
    outside: set[int] = set()
    for t in token.sent:
        if t.dep_ in SUBORDINATE and token not in t.subtree:
            outside |= {d.i for d in t.subtree}
    return any(
        t.dep_ == "neg"
        or t.lower_ in NEGATIVE_SUBJECTS | {"no", "never", "without"}
        or lemma(t) in NEGATING_GOVERNORS
        for t in token.sent
        if t.i not in outside
    )


def snippet(token: Token, width: int = 6) -> str:
    """A short piece of the sentence around ``token``, for a finding."""
    sent = token.sent
    start = max(token.i - width, sent.start)
    end = min(token.i + width + 1, sent.end)
    return token.doc[start:end].text


def normalize(text: str) -> str:
    """Lowercased text with straight quotes and single spaces, for substring checks."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.sub(r"\s+", " ", text)
