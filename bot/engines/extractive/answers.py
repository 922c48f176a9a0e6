"""Choosing the sentences that answer a question, part by part, or deciding that none do.

Each part of the question (see :mod:`question_types`) is scored against every candidate
sentence: embedding cosine plus content-word overlap and the passage's retrieval rank. The
best :data:`PARSED` are parsed (:mod:`focus`) and get a bonus when they hold the kind of
answer asked for (a new DATE for "when", a number counting what is asked for "how many", a
PERSON or ORG for "who", a place for "where", a stated cause for "why"); for those kinds a
sentence without it is no answer. "What", "how" and yes/no parts have no answer type: their
answer must state the part's predicate (main verb, synonym or antonym). Every answer must
cover part of the focus and name what the part asks about (its rare names), and score above
the floor. A further sentence for a part must cover its focus as well as the part's best
(no runner-up matched on one shared word); sentences that repeat a fact already chosen are
dropped; two yes/no questions in one get no single verdict. Nothing answered means
the sources do not answer; a part nothing answers is named.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np

from bot.domain.evidence import EvidenceSentence, overlap, stems_of
from bot.engines.extractive.focus import (
    MAX_IDF,
    answer_type_strength,
    coverage,
    idf_of,
    predicate_matches,
    question_focus,
    sentence_terms,
    states_opposite,
)
from bot.engines.extractive.question_types import QuestionFrame, QuestionPart
from bot.text import features as tf
from bot.verify.calibration import MINILM, Calibration

MAX_SENTENCES = 3
LEXICAL_WEIGHT = 0.5  # IDF-weighted share of the part's stems in the sentence
PRIOR_WEIGHT = 0.2  # the passage's retrieval rank
TYPE_BONUS = 0.3  # a sentence holding the asked-for kind of answer
FOCUS_WEIGHT = 0.0  # times the focus coverage in the score (dev: it only helps as a gate)
FOCUS_MIN = 0.2  # a sentence covering less of the focus does not answer the part
PARSED = 20  # the best-scoring sentences parsed for the answer type, per part
ANCHOR_BONUS = 0.1  # times the share of the part's names and numbers the sentence holds
ANSWER_FLOOR = 1.2  # a part's best sentence must rank this high (cosine + overlap + bonuses)
PART_FLOOR_DROP = 0.06  # a second or third part may rank this much lower
CONTRARY_SPREAD = 0.2  # yes/no: evidence the other way is quoted when within this of the best
DUPLICATE_COSINE = 0.88  # two sentences this close say the same thing
DUPLICATE_WORDS = 0.5  # ... as do two with the same numbers and this share of stems
Polarity = Literal["yes", "no"]
Stance = Literal["yes", "no", "mixed"]

_REQUIRED = frozenset({"when", "how_much", "who", "where", "why"})
# A sentence answers these only when it states the question's predicate (its main verb, a
# synonym or an antonym): "what", "how" and yes/no have no answer type to hold, and a "who"
# or "where" answer is about the act asked of, not any name near the question's words.
NEEDS_PREDICATE = frozenset({"what", "how", "yes_no"})
RESTATES = 0.65  # ... unless the sentence covers this much of the focus without it
YES_NO_STATES = True  # ... which a yes/no part's answer may not: it must state the predicate
YEARS_NAMED = True  # the years a part names must be in the answer's passage
NO_PREDICATE_COVER = 0.2  # a part with no predicate ("what did X say about Y") needs this
RUNNER_COVER_SLACK = 0.02  # a second sentence for a part covers its focus as well as the first


def _words_of(texts: Iterable[str]) -> set[str]:
    return {t.lower for text in texts for t in tf.tokenize(text)}


def covered(anchor: str, words: set[str] | frozenset[str]) -> bool:
    """Whether a lowercased name or number is among ``words`` (plurals, demonyms too)."""
    return anchor in words or tf.name_in(tf.Token(anchor, "word", False), set(words))


@lru_cache(maxsize=16384)
def _text_words(text: str) -> frozenset[str]:
    """The lowercased words of ``text`` (cached: the same sentences come back every question)."""
    return frozenset(t.lower for t in tf.tokenize(text))


_DEMONYM_SUFFIXES = ("i", "is", "ian", "ians", "n", "ns", "ese")


def _covered_in(anchor: str, words: frozenset[str]) -> bool:
    """:func:`covered` with the stems of ``words`` cached (contexts come back every part)."""
    if anchor in words or tf.stem(anchor) in _stems_of_words(words):
        return True
    return any(
        (w.startswith(anchor) and w[len(anchor) :] in _DEMONYM_SUFFIXES)
        or (anchor.startswith(w) and anchor[len(w) :] in _DEMONYM_SUFFIXES)
        for w in words
        if len(w) >= 4
    )


@lru_cache(maxsize=4096)
def _stems_of_words(words: frozenset[str]) -> frozenset[str]:
    return frozenset(tf.stem(w) for w in words)


def rare_anchors(part: QuestionPart, common: set[str]) -> set[str]:
    """The part's names that the answer must name (not the motion's own, not numbers)."""
    return {a for a in part.anchors if not a.isdigit() and not covered(a, common)}


@dataclass
class AnswerPlan:
    """The sentences to quote, and what the sources leave unanswered."""

    frame: QuestionFrame
    claims: list[EvidenceSentence] = field(default_factory=list)
    unanswered: list[QuestionPart] = field(default_factory=list)
    stance: Stance | None = None  # for yes/no questions, when the evidence says so

    @property
    def abstain(self) -> bool:
        """Nothing answers the question."""
        return not self.claims


def is_duplicate(a: EvidenceSentence, b: EvidenceSentence, cosine: float) -> bool:
    """Two sentences that state the same fact (near-copies across briefs)."""
    if cosine >= DUPLICATE_COSINE:
        return True
    na, nb = tf.numbers(tf.tokenize(a.text)), tf.numbers(tf.tokenize(b.text))
    if not na or na != nb:
        return False
    union = a.stems | b.stems
    return bool(union) and len(a.stems & b.stems) / len(union) >= DUPLICATE_WORDS


VERDICT_OVERLAP = 0.5  # share of the question's words a sentence restates to say yes or no
_CONTRAST = re.compile(r"\b(?:rather than|instead of|as opposed to|but not|and not)\b", re.I)
_CLAUSE_END = re.compile(r"[,;:.!?]")


def polarity(question: str, sentence: EvidenceSentence) -> Polarity:
    """ "no" when the sentence denies what the question asks; "yes" otherwise.

    It denies it by negating a word the question asks about, by setting the question's words
    aside ("from its own services rather than from the White House"), or by stating the
    predicate's antonym ("held" for "released"). A word the question itself negates ("the
    'we don't negotiate' rule") decides nothing.
    """
    asked_negated, asked_plain = tf.negation_profile(tf.tokenize(question))
    negated, _ = tf.negation_profile(tf.tokenize(sentence.text))
    if negated & (asked_plain - asked_negated):
        return "no"
    if sets_aside(question, sentence.text):
        return "no"
    if states_opposite(question_focus(question, "yes_no"), sentence_terms(sentence)):
        return "no"
    return "yes"


def sets_aside(question: str, text: str) -> bool:
    """Whether a "rather than / instead of" phrase holds a question word the rest lacks."""
    asked = {t for t in stems_of(question) if len(t) > 2}
    for match in _CONTRAST.finditer(text):
        before = stems_of(text[: match.start()])
        rest = text[match.end() :]
        end = _CLAUSE_END.search(rest)
        aside = stems_of(rest[: end.start()] if end else rest)
        if (aside - before) & asked:
            return True
    return False


class AnswerSelector:
    """Picks answer sentences for a question frame from scored candidates."""

    def __init__(
        self,
        cal: Calibration = MINILM,
        common_terms: Iterable[str] = (),
        contexts: dict[str, str] | None = None,
        priors: dict[str, float] | None = None,
    ) -> None:
        self.cal = cal
        self.common = _words_of(common_terms)
        # passage id -> its text: a sentence names what its passage names ("he" = Boehler)
        self.contexts = contexts or {}
        # passage id -> how well retrieval ranked it (1 for the top hit, falling with rank)
        self.priors = priors or {}

    def _context(self, s: EvidenceSentence) -> frozenset[str]:
        return _text_words(s.title) | _text_words(self.contexts.get(s.passage_id, ""))

    def _context_stems(self, s: EvidenceSentence) -> frozenset[str]:
        return _stems_of_words(self._context(s))

    def part_scores(
        self,
        part: QuestionPart,
        vector: np.ndarray,
        sentences: Sequence[EvidenceSentence],
        vectors: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(ranked scores, eligible) of every sentence for ``part``.

        The score is cosine, word overlap, retrieval rank and focus coverage; only the best
        :data:`PARSED` are parsed for the answer type, the rest are not eligible.
        """
        ranked, eligible, _ = self._scored(part, vector, sentences, vectors)
        return ranked, eligible

    def _scored(
        self,
        part: QuestionPart,
        vector: np.ndarray,
        sentences: Sequence[EvidenceSentence],
        vectors: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`part_scores` plus each sentence's focus coverage."""
        query = stems_of(part.text)
        cosine = vectors @ vector
        idf = idf_of([s.stems for s in sentences])
        weight = sum(idf.get(q, MAX_IDF) for q in query) or 1.0
        lexical = np.array(
            [sum(idf.get(q, MAX_IDF) for q in query & s.stems) / weight for s in sentences],
            dtype=np.float32,
        )
        prior = np.array([self.priors.get(s.passage_id, 0.0) for s in sentences], np.float32)
        focus = question_focus(part.text, part.kind)
        terms = [sentence_terms(s) for s in sentences]
        term_idf = idf_of(terms)
        cover = np.array(
            [
                coverage(focus, t, term_idf, self._context_stems(s))
                for s, t in zip(sentences, terms, strict=True)
            ],
            np.float32,
        )
        ranked = cosine + LEXICAL_WEIGHT * lexical + PRIOR_WEIGHT * prior + FOCUS_WEIGHT * cover
        rare = rare_anchors(part, self.common)
        eligible = cover >= FOCUS_MIN
        if part.kind in NEEDS_PREDICATE:  # no answer type to hold: it states the predicate
            stating = np.array(
                [
                    predicate_matches(focus, t, s.text)
                    for s, t in zip(sentences, terms, strict=True)
                ],
                dtype=bool,
            )
            restating = cover >= RESTATES  # ... or restates nearly all the rest
            if part.kind == "yes_no" and focus.predicate is not None and YES_NO_STATES:
                restating[:] = False  # a yes or no is about the predicate: no other word will do
            eligible &= stating | restating
            if focus.predicate is None:  # "what did X say about Y": Y is all there is to match
                eligible &= cover >= NO_PREDICATE_COVER
        # Years only: "in 2028" names when, a stray "(7)" or "13 October" need not recur.
        asked_years = {n for n in part.anchors if re.fullmatch(r"(19|20)\d\d", n)}
        for j, s in enumerate(sentences):
            words = _text_words(s.text)
            context = self._context(s)
            if part.anchors:
                share = sum(_covered_in(a, words) for a in part.anchors) / len(part.anchors)
                ranked[j] += ANCHOR_BONUS * share
            if rare and not any(_covered_in(a, words) or _covered_in(a, context) for a in rare):
                eligible[j] = False  # names none of what the part asks about
            if YEARS_NAMED and not asked_years <= words | context:
                eligible[j] = False  # "in 2028": its passage never mentions the year
        top = [int(j) for j in np.argsort(-ranked, kind="stable") if eligible[j]][:PARSED]
        parsed = np.zeros(len(sentences), dtype=bool)
        parsed[top] = True
        for j in top:
            strength = answer_type_strength(focus, sentences[j].text)
            if strength:
                ranked[j] += TYPE_BONUS * strength
            elif part.kind in _REQUIRED:
                parsed[j] = False  # a "when" answer without a date is no answer
        return ranked, eligible & parsed, cover

    def select(
        self,
        frame: QuestionFrame,
        part_vectors: np.ndarray,
        sentences: Sequence[EvidenceSentence],
        vectors: np.ndarray,
    ) -> AnswerPlan:
        """One best sentence per answered part, then close runners-up; duplicates dropped."""
        plan = AnswerPlan(frame)
        if not len(sentences):
            plan.unanswered = list(frame.parts)
            return plan
        similarity = vectors @ vectors.T
        chosen: list[int] = []

        def fresh(j: int) -> bool:
            return j not in chosen and not any(
                is_duplicate(sentences[j], sentences[c], float(similarity[j, c])) for c in chosen
            )

        runners: list[tuple[float, int]] = []
        contrary: list[tuple[float, int]] = []  # yes/no: the best evidence the other way
        for p, part in enumerate(frame.parts):
            ranked, eligible, cover = self._scored(part, part_vectors[p], sentences, vectors)
            floor = ANSWER_FLOOR if p == 0 or not chosen else ANSWER_FLOOR - PART_FLOOR_DROP
            order = [int(j) for j in np.argsort(-ranked, kind="stable") if eligible[j]]
            order = [j for j in order if ranked[j] >= floor]
            if not order:
                plan.unanswered.append(part)
                continue
            best = float(ranked[order[0]])
            close = [j for j in order if ranked[j] >= best - self.cal.qa_spread]
            if not self._names_all(part, [sentences[j] for j in close]):
                plan.unanswered.append(part)  # nothing near the top names all it asks about
                continue
            picked = next((j for j in order if fresh(j)), None)
            if picked is not None:
                chosen.append(picked)
                bar = float(cover[picked]) - RUNNER_COVER_SLACK  # no weaker match for the part
                close = [j for j in close if cover[j] >= bar]
            runners += [(float(ranked[j]), j) for j in close if j != picked]
            if frame.kind == "yes_no" and picked is not None:
                side = polarity(frame.question, sentences[picked])
                contrary += [
                    (float(ranked[j]), j)
                    for j in order
                    if ranked[j] >= best - CONTRARY_SPREAD
                    and polarity(frame.question, sentences[j]) != side
                ][:1]
        for _, j in contrary:  # what speaks against the answer comes before more of the same
            if len(chosen) < MAX_SENTENCES and fresh(j):
                chosen.append(j)
        for _, j in sorted(runners, key=lambda r: -r[0]):
            if len(chosen) >= MAX_SENTENCES:
                break
            if fresh(j):
                chosen.append(j)
        plan.claims = [sentences[j] for j in chosen]
        if frame.kind == "yes_no" and plan.claims and not frame.multi_part:
            plan.stance = self.stance(frame.question, plan.claims)  # two questions: no one verdict
        return plan

    def _names_all(self, part: QuestionPart, found: Sequence[EvidenceSentence]) -> bool:
        """Whether ``found`` (with their passages) name every rare name the part asks about."""
        words = set().union(*(_text_words(s.text) | self._context(s) for s in found))
        return all(covered(a, words) for a in rare_anchors(part, self.common))

    @staticmethod
    def stance(question: str, claims: Sequence[EvidenceSentence]) -> Stance | None:
        """What the quoted evidence says to a yes/no question, when it is clear.

        Only sentences that state the question's predicate (its main verb, a synonym or an
        antonym) count: no yes or no rests on a sentence about something else.
        """
        focus = question_focus(question, "yes_no")
        if focus.predicate is None:
            return None  # no predicate to confirm or deny: quote, but give no verdict
        asked = stems_of(question)
        stating = [
            c
            for c in claims
            if predicate_matches(focus, sentence_terms(c), c.text)
            and overlap(asked, c.stems) >= VERDICT_OVERLAP
        ]  # a sentence that does not restate what was asked gives no verdict either way
        if not stating:
            return None
        found = {polarity(question, c) for c in stating}
        if len(found) > 1:
            return "mixed"
        top = stating[0]
        if top.seed or not top.sourced:
            return None  # an opinion essay's view is no verdict
        return found.pop()


# -- the single-query picker the debate engine uses for questions asked mid-debate ---------
MIN_COVERAGE = 0.6  # share of the question's content words the answer must contain


def _anchors(question: str) -> set[str]:
    """Lowercased names and numbers the question asks about."""
    tokens = tf.tokenize(question)
    return {t.lower for t in tf.names(tokens, include_initial=False)} | tf.numbers(tokens)


def _near(a: str, b: str) -> bool:
    """Same stem, or a shared prefix of most of the shorter one (spend/spent, not pres-)."""
    if a == b:
        return True
    shared = len(os.path.commonprefix([a, b]))
    return shared >= 4 and shared >= 0.8 * min(len(a), len(b))


def _covered(anchor: str, words: set[str]) -> bool:
    token = tf.Token(anchor, "word", False)
    return anchor in words or tf.name_in(token, words)


def select_answer(
    question: str,
    sentences: Sequence[EvidenceSentence],
    scores: np.ndarray,
    cal: Calibration = MINILM,
) -> list[EvidenceSentence]:
    """Up to three answer sentences, best first; empty when the sources do not answer."""
    if not len(sentences):
        return []
    order = [int(j) for j in np.argsort(-scores, kind="stable")]
    best = float(scores[order[0]])
    if best < cal.qa_min:
        return []
    floor = max(cal.qa_min, best - cal.qa_spread)
    chosen = [sentences[j] for j in order if scores[j] >= floor][:MAX_SENTENCES]
    anchors = _anchors(question)
    words = {t.lower for s in chosen for t in tf.tokenize(s.text)}
    missing = {a for a in anchors if not _covered(a, words)}
    for j in order:  # room for one sentence that names what the others miss
        if not missing or scores[j] < cal.qa_min:
            break
        extra = {t.lower for t in tf.tokenize(sentences[j].text)}
        if sentences[j] not in chosen and any(_covered(a, extra) for a in missing):
            chosen = [*chosen[: MAX_SENTENCES - 1], sentences[j]]
            words = {t.lower for s in chosen for t in tf.tokenize(s.text)}
            missing = {a for a in anchors if not _covered(a, words)}
    question_stems = stems_of(question)
    answer_stems = frozenset().union(*(s.stems for s in chosen))
    hits = [q for q in question_stems if any(_near(q, a) for a in answer_stems)]
    coverage = len(hits) / len(question_stems) if question_stems else 1.0
    if missing or coverage < MIN_COVERAGE:
        return []
    return chosen
