"""What a question part is about (its focus) and whether a sentence holds the answer type.

The focus is the part's content lemmas from spaCy's parse: its subject, its main verb (the
predicate) and the nouns around them, never the question word or an auxiliary. A sentence
covers the focus by the IDF-weighted share of those lemmas it contains (as stems, or as a
WordNet synonym or derived form: "released" covers "freed", "approval" covers "approve").

The answer type comes from the sentence's named entities: a DATE for "when", a CARDINAL,
MONEY, PERCENT or QUANTITY for "how much", a PERSON or ORG for "who", a GPE, LOC or FAC for
"where", a causal marker or a stated reason for "why". An entity the question itself names
answers nothing ("When did Hamas ..." is not answered by "Hamas"). Sentences are parsed
lazily (only the best-scoring few) and the parse is cached by text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot.domain.evidence import EvidenceSentence
from bot.text import features as tf
from bot.verify.layers.nlp import (
    antonyms,
    parse,
    related_forms,
    spacy_model,
    synonyms,
    wordnet_pos,
)

PREDICATE_WEIGHT = 1.5  # the main verb counts this much more than another focus word
COPULA_PLACE = True  # a copula with a prepositional phrase is predicated of its noun
PHRASAL_PREDICATES = True  # a light verb's particle or object is its predicate ("give up")
SYNONYM_CREDIT = 0.8  # a WordNet synonym covers a focus word this much
CONTEXT_CREDIT = 0.6  # a name the sentence's passage holds ("he" = Boehler) covers this much
TITLE_CREDIT = 0.4  # another focus word only its document's title or passage holds ("pilot")
MAX_IDF = 3.0  # a focus word no candidate holds weighs this much (and is a strong signal)
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
# Words every question may use that say nothing about what it asks.
_GENERIC_TEXT = """be have do get happen thing stuff kind way example please exactly actually
    basically really material source say tell think know mean time ever so far reason cause
    motive year date day month number amount share percentage"""
_GENERIC = frozenset(_GENERIC_TEXT.split())
# Light verbs take their meaning from their object ("set conditions", "make a deal"): they
# count as focus words but are no predicate a sentence must restate.
_LIGHT_VERBS = frozenset(["set", "make", "take", "give", "put", "go", "come", "let", "keep"])
_WANTED_ENTITIES: dict[str, frozenset[str]] = {
    "when": frozenset({"DATE", "TIME"}),
    "how_much": frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}),
    "who": frozenset({"PERSON", "ORG", "NORP"}),
    "where": frozenset({"GPE", "LOC", "FAC"}),
}
# "Which countries / governments ...": places that act, so a GPE answers a who-question.
_POLITIES = frozenset(
    tf.stem(w) for w in ("country", "nation", "state", "government", "city", "capital", "power")
)
_DURATION = re.compile(
    r"\b(\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|\w+teen|\w+ty)\s+"
    r"(days?|weeks?|months?|years?|decades?|hours?)\b",
    re.IGNORECASE,
)
CAUSE = re.compile(
    r"\b(because|due to|in response|response to|saying|citing|reason\w*|as a result|so that"
    r"|in order to|to protest|amid|over concerns|in exchange|led to|prompted"
    r"|on the grounds|for fear|could lend|since|after)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Focus:
    """The words a part's answer must cover, and what kind of answer it wants."""

    weights: dict[str, float]  # focus stem -> weight (the predicate counts more)
    alternatives: dict[str, frozenset[str]]  # focus stem -> stems of its synonyms
    names: frozenset[str]  # the focus stems that are proper names
    predicate: str | None  # the main verb's stem
    predicate_forms: frozenset[str]  # its stems, synonyms and antonyms (yes/no evidence)
    own_words: frozenset[str]  # the question's lowercased words (its own entities)
    kind: str
    duration: bool  # "how long": a span of days or years answers
    predicate_opposites: frozenset[str] = frozenset()  # the predicate's antonyms' stems
    role: str | None = None  # "who is the president of X": the asked role noun's stem
    forms: dict[str, frozenset[str]] = field(default_factory=dict)  # stem -> its inflections'
    phrase: str | None = None  # a phrasal predicate ("give up"), stated as such in a sentence


def _stems(words: Sequence[str]) -> frozenset[str]:
    """Stems of the one-word entries and of their inflected forms (a multi-word synonym
    matches too loosely)."""
    return frozenset().union(*(inflected_stems(w) for w in words if w and " " not in w))


_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=16384)
def inflected_stems(lemma: str) -> frozenset[str]:
    """Stems of a lemma's regular and irregular inflections: the stem of "agreed" ("agr")
    is not the stem of "agree" ("agre"), nor is "began" that of "begin"."""
    return frozenset(tf.stem(f) for f in inflections(lemma))


@lru_cache(maxsize=16384)
def inflections(lemma: str) -> frozenset[str]:
    """A lemma's regular and irregular inflected forms, itself included (give, gave, gives)."""
    word = lemma.lower()
    forms = {word, f"{word}s", f"{word}es", f"{word}ed", f"{word}ing"}
    if word.endswith("e"):
        forms |= {f"{word}d", f"{word[:-1]}ing"}
    if len(word) > 2 and word.endswith("y") and word[-2] not in _VOWELS:
        forms |= {f"{word[:-1]}ies", f"{word[:-1]}ied"}
    last_three = word[-3:]
    if (
        len(last_three) == 3
        and last_three[0] not in _VOWELS
        and last_three[1] in _VOWELS
        and last_three[2] not in _VOWELS | {"w", "x", "y"}
    ):  # stop -> stopped, stopping
        forms |= {f"{word}{word[-1]}ed", f"{word}{word[-1]}ing"}
    forms |= _irregular_forms().get(word, frozenset())
    return frozenset(forms)


@lru_cache(maxsize=1)
def _irregular_forms() -> dict[str, frozenset[str]]:
    """Lemma -> its irregular forms (win -> won), from spaCy's own exception tables."""
    forms: dict[str, set[str]] = {}
    lemmatizer: Any = spacy_model().get_pipe("lemmatizer")
    table = lemmatizer.lookups.get_table("lemma_exc")
    for pos in ("verb", "noun", "adj"):
        for form, lemmas in dict(table.get(pos, {})).items():
            for lemma in lemmas:
                forms.setdefault(lemma, set()).add(form)
    return {lemma: frozenset(found) for lemma, found in forms.items()}


def sentence_terms(sentence: EvidenceSentence) -> frozenset[str]:
    """A sentence's content stems and its numbers (what a focus word is looked up in)."""
    return sentence.stems | _numbers_of(sentence.text)


@lru_cache(maxsize=16384)
def _numbers_of(text: str) -> frozenset[str]:
    return frozenset(tf.numbers(tf.tokenize(text)))


_CLAUSAL = ("ccomp", "xcomp")  # "say (that) it would give up", "have to give up"


def _complement_verb(verb: Any) -> Any | None:
    """The verb of the clause a reporting or generic verb takes ("say it would *give* up")."""
    return next((c for c in verb.children if c.dep_ in _CLAUSAL and c.pos_ == "VERB"), None)


def _light_predicate(verb: Any) -> tuple[int, str | None]:
    """What a light verb's predicate is: with a particle, the phrasal verb ("give up",
    "set up"); else its object noun, which carries the meaning ("make *deals*", "keep in the
    *loop*"); else none."""
    particle = next((c for c in verb.children if c.dep_ == "prt"), None)
    if particle is not None:
        return int(verb.i), f"{verb.lemma_.lower()} {particle.lower_}"
    nouns = [c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"]
    for prep in (c for c in verb.children if c.dep_ == "prep"):  # "kept in the *loop*"
        nouns += [g for g in prep.children if g.dep_ == "pobj" and g.pos_ == "NOUN"]
    noun = next((n for n in nouns if n.lemma_.lower() not in _GENERIC), None)
    return (int(noun.i), None) if noun is not None else (-1, None)


def _predicate_of(doc: Any) -> tuple[int, str | None]:
    """The token that says what the question asks of its subject, and the phrasal verb it
    heads ("give up"), if any: the main verb; for a copula ("Is it illegal ...", "Was it a
    break ...") its adjective or noun; under a reporting or generic verb ("Did Hamas say it
    would give up ...") the verb of its complement clause; -1 for none."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    for _ in range(3):  # "say" -> "would give up"; "think" -> "have" -> "to give up"
        lower = root.lemma_.lower() if root is not None else ""
        inner = _complement_verb(root) if root is not None and lower in _GENERIC else None
        if inner is None:
            break
        root = inner
    if root is not None and root.pos_ == "VERB" and root.lemma_.lower() in _LIGHT_VERBS:
        return _light_predicate(root) if PHRASAL_PREDICATES else (-1, None)
    if root is not None and root.pos_ == "VERB" and root.lemma_.lower() not in _GENERIC:
        return int(root.i), None
    if root is not None and root.lemma_.lower() == "be":
        for child in root.children:
            if child.dep_ in ("acomp", "attr") and child.pos_ in ("ADJ", "NOUN"):
                return int(child.i), None
        if COPULA_PLACE:  # "Were they in the same *room*": the place is what is asked
            subjects = [c for c in root.children if c.dep_ == "nsubj"]
            for head in [root, *subjects]:  # the parser may hang the phrase on the subject
                preps = [p for p in head.children if p.dep_ == "prep" and p.lower_ != "of"]
                nouns = [g for p in preps for g in p.children]  # "the leader *of* X" is no place
                noun = next((n for n in nouns if n.dep_ == "pobj" and n.pos_ == "NOUN"), None)
                if noun is not None and noun.lemma_.lower() not in _GENERIC:
                    return int(noun.i), None
    verbs = [t for t in doc if t.pos_ == "VERB" and t.lemma_.lower() not in _GENERIC | _LIGHT_VERBS]
    return (int(verbs[0].i), None) if verbs else (-1, None)


@lru_cache(maxsize=2048)
def question_focus(text: str, kind: str) -> Focus:
    """The focus of one question part (parsed once per text)."""
    doc = parse(text)
    weights: dict[str, float] = {}
    alternatives: dict[str, frozenset[str]] = {}
    proper: dict[str, bool] = {}
    predicate: str | None = None
    predicate_forms: frozenset[str] = frozenset()
    predicate_opposites: frozenset[str] = frozenset()
    main_index, phrase = _predicate_of(doc)
    forms: dict[str, frozenset[str]] = {}
    for token in doc:
        lemma = token.lemma_.lower()
        low = token.lower_
        if token.pos_ not in _CONTENT_POS or low in tf.STOPWORDS or lemma in _GENERIC:
            continue
        if not any(c.isalnum() for c in low):
            continue
        key = low if token.like_num else tf.stem(lemma)
        is_main = token.i == main_index
        weight = PREDICATE_WEIGHT if is_main and not phrase else 1.0  # "set" is not "set up"
        weights[key] = max(weights.get(key, 0.0), weight)
        own_forms = {tf.stem(low)} | (set() if token.like_num else set(inflected_stems(lemma)))
        forms[key] = forms.get(key, frozenset()) | frozenset(own_forms - {key})
        alts = set(own_forms)
        if token.pos_ in ("NOUN", "VERB", "ADJ"):
            pos = wordnet_pos(token.pos_)
            alts |= _stems(sorted(synonyms(lemma, pos) | related_forms(lemma)))
        alternatives[key] = frozenset(alts - {key})
        proper[key] = token.pos_ == "PROPN"
        if is_main and phrase:  # "give up" is stated by itself or "abandon", not by "give"
            predicate = key
            phrasal = _stems(sorted(synonyms(phrase, "v") | related_forms(phrase))) - own_forms
            opposite = _stems(sorted(antonyms(phrase, "v")))
            predicate_forms = frozenset(phrasal | opposite)
            predicate_opposites = opposite - phrasal
        elif is_main:
            predicate = key
            opposite_words = sorted(antonyms(lemma, wordnet_pos(token.pos_)))
            opposite = _stems(opposite_words)  # "held" as well as "hold"
            predicate_forms = frozenset({key} | alts | opposite)
            predicate_opposites = opposite - alts - {key}
    own = frozenset(t.lower_ for t in doc if not t.is_punct)
    role = _role_of(doc) if kind == "who" else None
    duration = bool(re.search(r"\bhow long\b", text, re.IGNORECASE))
    names = frozenset(k for k, is_name in proper.items() if is_name)
    return Focus(
        weights,
        alternatives,
        names,
        predicate,
        predicate_forms,
        own,
        kind,
        duration,
        predicate_opposites,
        role,
        forms,
        phrase,
    )


def _role_of(doc: Any) -> str | None:
    """The role a who-question asks to fill: "who is the *president* of ...", "which
    *official* ...", as a stem; None when it asks of an act ("who met ...")."""
    for token in doc:
        if token.pos_ != "NOUN" or token.lemma_.lower() in _GENERIC:
            continue
        after_which = token.i > 0 and doc[token.i - 1].lower_ in ("which", "what")
        after_which |= any(  # "which US officials": the question word is the noun's own
            c.dep_ == "det" and c.lower_ in ("which", "what") for c in token.children
        )
        head = token.head
        is_attr = token.dep_ in ("attr", "nsubj") and head.lemma_.lower() == "be"
        if after_which or is_attr:
            return tf.stem(token.lemma_.lower())
    return None


def idf_of(terms: Sequence[frozenset[str]]) -> dict[str, float]:
    """Inverse sentence frequency of every term among the candidate sentences' terms."""
    counts: dict[str, int] = {}
    for found in terms:
        for stem in found:
            counts[stem] = counts.get(stem, 0) + 1
    n = len(terms)
    return {stem: math.log(1 + n / c) for stem, c in counts.items()}


def coverage(
    focus: Focus,
    stems: frozenset[str],
    idf: dict[str, float],
    context: frozenset[str] = frozenset(),
) -> float:
    """IDF-weighted share of the focus that ``stems`` cover (synonyms count a little less,
    names found only in the sentence's title or passage ``context`` less still, and other
    words found only there least)."""
    total = 0.0
    found = 0.0
    for key, weight in focus.weights.items():
        w = weight * min(idf.get(key, MAX_IDF), MAX_IDF)
        total += w
        if key in stems or focus.forms.get(key, frozenset()) & stems:
            found += w
        elif focus.alternatives.get(key, frozenset()) & stems:
            found += SYNONYM_CREDIT * w
        elif key in context:
            found += (CONTEXT_CREDIT if key in focus.names else TITLE_CREDIT) * w
    return found / total if total else 1.0


ROLE_WINDOW = 3  # tokens either side of a PERSON that name their role ("Chamber president X")
ROLE_MISS = 0.6  # a who-answer's person whose asked role is not stated next to them


@lru_cache(maxsize=8192)
def _person_roles(text: str) -> tuple[frozenset[str], ...]:
    """For each PERSON in ``text``, the stems of the words just around it (their role)."""
    doc = parse(text)
    found = []
    for e in doc.ents:
        if e.label_ != "PERSON":
            continue
        lo, hi = max(0, e.start - ROLE_WINDOW), min(len(doc), e.end + ROLE_WINDOW)
        near = [t for t in doc[lo:hi] if not (e.start <= t.i < e.end)]
        found.append(frozenset(tf.stem(t.lemma_.lower()) for t in near))
    return tuple(found)


ATTACHED_QUANTITY = True  # "how many X": the number must count X (or be its verb's object)
_QUANTITIES = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})


_REPORTING = frozenset({"report", "say", "tell", "write", "publish", "cite", "quote", "note"})
_REPORTING_STEMS = frozenset(tf.stem(w) for w in _REPORTING)


def _attributes(root: Any) -> bool:
    """Whether an entity only attributes a report: "Axios reported", "told Reuters",
    "according to the BBC" (the source of a claim, not who did what was asked)."""
    head = root.head
    if root.dep_ in ("nsubj", "dative") and head.lemma_.lower() in _REPORTING:
        return True
    if root.dep_ == "dobj" and head.lemma_.lower() == "tell":
        return True
    if root.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
        return True
    return root.dep_ == "pobj" and head.head.lemma_.lower() == "tell"  # "told to Reuters"


@dataclass(frozen=True)
class _Entity:
    """A named entity of a sentence and the words it hangs from."""

    label: str
    text: str  # lowercased
    heads: frozenset[str]  # stems of the noun it counts, its verb, one step up, what it is "of"
    clause: frozenset[str]  # stems of its clause's verb and that verb's subject, objects
    attributive: bool  # it only attributes a report ("Axios reported")
    modifier: bool = False  # it only modifies a noun ("the Trump administration's envoy")


def _clause_of(token: Any) -> frozenset[str]:
    """Stems of the clause an entity sits in: the nearest verb above it, that verb's own
    arguments (subject, objects, prepositional objects) and, for a verb under a reporting
    one, nothing of the reporting verb's clause."""
    verb = token
    for _ in range(len(token.doc)):  # a token's head is a new object: compare indices
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    found = {tf.stem(verb.lemma_.lower()), tf.stem(verb.lower_)}
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "acomp", "agent", "dative"):
            found |= {tf.stem(child.lemma_.lower()), tf.stem(child.lower_)}
        if child.dep_ in ("prep", "agent"):
            found |= {tf.stem(g.lemma_.lower()) for g in child.children if g.dep_ == "pobj"}
    return frozenset(found)


@lru_cache(maxsize=8192)
def _entities(text: str) -> tuple[_Entity, ...]:
    """Each named entity with the words it attaches to and whether it only attributes a
    report.

    A quantity attaches to the noun it counts, the verb it is the object of and what it is
    "of" or "in" ("released 1,968 prisoners": release, prisoner; "$38 billion in aid": aid),
    so "how many prisoners" can check it counts those.
    """
    found = []
    for e in parse(text).ents:
        heads = set()
        token = e.root
        for _ in range(3):  # the counted noun, its verb, and one step up
            heads.add(tf.stem(token.lemma_.lower()))
            heads.add(tf.stem(token.lower_))
            if token.head is token:
                break
            token = token.head
        for child in e.root.children:  # "$38 billion in military aid": what it is of
            if child.dep_ == "prep":
                heads |= {tf.stem(g.lemma_.lower()) for g in child.children if g.dep_ == "pobj"}
        attributive = e.label_ == "ORG" and _attributes(e.root)
        clause = _clause_of(e.root) | frozenset(heads)
        modifier = e.root.dep_ in ("compound", "poss") and e.root.head.pos_ in ("NOUN", "PROPN")
        found.append(
            _Entity(e.label_, e.text.lower(), frozenset(heads), clause, attributive, modifier)
        )
    return tuple(found)


UNRELATED_WHO = True  # "which official ...": a person outside the act and without the role
WHO_NOT_MODIFIER = True  # a name that only modifies a noun answers no who-question
PERSON_FOR_ROLE = True  # a who-question about a person's role wants a PERSON
SAME_NAME = True  # a person the question names by one of their names is not new


def _is_new(entity: str, own: frozenset[str], label: str = "") -> bool:
    words = [w for w in re.findall(r"[\w'-]+", entity) if w not in tf.STOPWORDS]
    named = [w in own or w.rstrip("s") in own for w in words]
    if SAME_NAME and label == "PERSON" and any(named):
        return False  # "Adam Boehler" for a question about "Boehler"
    return bool(words) and not all(named)


ATTACH_MISS = 0.4  # an answer entity outside every clause that holds a focus word


def _focus_forms(focus: Focus) -> frozenset[str]:
    """Every stem that states a focus word: itself, its inflections and synonyms."""
    found: set[str] = set(focus.weights)
    for key in focus.weights:
        found |= focus.forms.get(key, frozenset()) | focus.alternatives.get(key, frozenset())
    return frozenset(found)


def answer_type_strength(focus: Focus, text: str) -> float:
    """1 when ``text`` holds the kind of answer the part asks for (and for open kinds), 0.5
    when it holds what an answer can be worked out from (two dates for "how long"), else 0.

    A who, when or where answer whose entity sits in no clause that states a focus word
    ("placed on a list in 1995" for "when did they first meet") counts :data:`ATTACH_MISS`.
    """
    if focus.kind == "how_much" and focus.duration:
        if _DURATION.search(text):
            return 1.0
        dated = any(e.label == "DATE" and _is_new(e.text, focus.own_words) for e in _entities(text))
        return 0.5 if dated else 0.0
    if focus.kind == "why":
        return 1.0 if CAUSE.search(text) else 0.0
    typed = _typed_entities(focus, text)
    if typed is None:
        return 1.0
    if not typed:
        return 0.0
    strength = 1.0
    if focus.kind in ("who", "when", "where"):
        forms = _focus_forms(focus)
        if not any(e.clause & forms for e in typed):
            strength = ATTACH_MISS
    if focus.kind == "who" and focus.role is not None:  # the person named with that role wins
        if (
            PERSON_FOR_ROLE
            and focus.role not in _POLITIES
            and not any(e.label == "PERSON" for e in typed)
        ):
            return 0.0  # "which official ...": a nationality or an agency names no one
        if any(focus.role in near for near in _person_roles(text)):
            return 1.0  # "Chamber president X": the role is what relates them
        if UNRELATED_WHO and strength < 1.0:
            return 0.0  # a person neither named with the role nor doing what is asked
        strength *= ROLE_MISS
    return strength


def holds_answer_type(focus: Focus, text: str) -> bool:
    """Whether ``text`` holds the kind of answer the part asks for (True for open kinds)."""
    if focus.kind == "why":
        return bool(CAUSE.search(text))
    if focus.kind == "how_much" and focus.duration:
        return answer_type_strength(focus, text) > 0
    typed = _typed_entities(focus, text)
    return typed is None or bool(typed)


def _typed_entities(focus: Focus, text: str) -> list[_Entity] | None:
    """The entities of ``text`` that answer the part's kind; None for kinds with no type."""
    wanted = _WANTED_ENTITIES.get(focus.kind)
    if wanted is None:
        return None
    keys = set(focus.weights)
    if focus.kind == "who" and keys & _POLITIES:
        wanted = wanted | {"GPE"}  # "which countries mediated": Qatar and Egypt answer
    asks_source = focus.predicate is not None and focus.predicate in _REPORTING_STEMS
    found = []
    for e in _entities(text):
        if e.label not in wanted or not _is_new(e.text, focus.own_words, e.label):
            continue
        if e.attributive and not asks_source:
            continue  # "Axios reported ..." names the reporter, not who did it
        if focus.kind == "who" and e.modifier and WHO_NOT_MODIFIER:
            continue  # "Hamas official X", "Trump's envoy": whose it is, not who
        if e.label in _QUANTITIES and ATTACHED_QUANTITY and keys and not e.heads & keys:
            continue  # a number that counts something the question does not ask about
        found.append(e)
    return found


def states_opposite(focus: Focus, stems: frozenset[str]) -> bool:
    """Whether a sentence states an antonym of the predicate and not the predicate itself
    ("held" against "Was he released?")."""
    if not focus.predicate_opposites & stems:
        return False
    return not (focus.predicate_forms - focus.predicate_opposites) & stems


def predicate_matches(focus: Focus, stems: frozenset[str], text: str = "") -> bool:
    """Whether a sentence (its stems and text) states the part's predicate (or its synonym
    or antonym); a phrasal one ("give up") with its particle, up to two words apart."""
    if focus.predicate is None or focus.predicate_forms & stems:
        return True
    return bool(focus.phrase and text and _phrase_pattern(focus.phrase).search(text))


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A phrasal verb in any inflection, its particle a word or two later ("gave it up")."""
    verb, particle = phrase.split(" ", 1)
    forms = "|".join(sorted(map(re.escape, inflections(verb)), key=len, reverse=True))
    return re.compile(rf"\b(?:{forms})\b(?:\s+[\w'-]+){{0,2}}?\s+{re.escape(particle)}\b", re.I)
