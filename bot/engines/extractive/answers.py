"""Choosing the sentences that answer a question, or deciding that none do.

A question is answered only when the best sentences score well *and* together mention
every name and number the question asks about and most of its content words; otherwise
the sources do not answer it (a near miss on topic is not an answer).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from bot.domain.evidence import EvidenceSentence, stems_of
from bot.text import features as tf
from bot.verify.calibration import MINILM, Calibration

MIN_COVERAGE = 0.6  # share of the question's content words the answer must contain
MAX_SENTENCES = 3


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
