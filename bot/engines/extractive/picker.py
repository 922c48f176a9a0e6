"""Handing out evidence for the bot's key points: cards first, never the user's side.

Cards are the curated evidence of a key point. Evidence found by similarity comes after,
and only what passed the argument map's stance gate. Nothing cited earlier in the debate
is handed out again, nor anything that restates what the user has said in the debate (a
fact the user put in play, granted or turned answers nothing). The seed document, an
opinion essay, comes last, at most once per speech, and never to answer the user's facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from bot.domain.argument_map import ArgumentMap
from bot.domain.evidence import EvidenceSentence
from bot.domain.motions import Side, opposite
from bot.text import features as tf

_CLAUSES = re.compile(r"[;:]|\u2014|\s--\s")
MAX_SIMILAR = 6  # similarity evidence considered per key point, after its cards
SEED_PER_SPEECH = 1
CURATED_SIMILAR_MIN = 0.8  # similarity evidence beside a point's cards must fit this closely
RESTATES_USER = 0.7  # cosine to one of the user's moves from which evidence restates it
# ... or the words one of the user's clauses shares with it: this many content stems,
# covering this share of the shorter of the two (the motion's own words not counted).
RESTATES_SHARED = ((3, 0.7), (4, 0.5))


class EvidencePicker:
    """Fresh evidence for key points of one side, within one speech."""

    def __init__(
        self,
        amap: ArgumentMap,
        used: Iterable[str],
        side: Side,
        focus_weight: float,
        similar_min: float = 0.0,
    ) -> None:
        self.amap = amap
        self.used = set(used)
        self.side = side
        self.focus_weight = focus_weight
        self.similar_min = similar_min
        self.seed_cited = 0
        self.user_said: np.ndarray | None = None  # the user's moves so far, as vectors
        self.user_words: list[set[str]] = []  # content stems of each user sentence so far
        self.common: set[str] = set()  # stems that name nothing (the motion's own words)
        self._restates: dict[str, bool] = {}

    def hear(
        self, vectors: np.ndarray, sentences: Iterable[str] = (), common: Iterable[str] = ()
    ) -> None:
        """What the user has said in the debate so far: the moves (unit vectors, one a row)
        and the sentences. Evidence that restates one is the user's own fact, put in play,
        granted or turned, and is not handed out to answer the user."""
        self.user_said = vectors if len(vectors) else None
        self.common = set(common)
        clauses = [part for text in sentences for part in _CLAUSES.split(text)]
        self.user_words = [self._stems(text) for text in clauses]
        self._restates.clear()

    def _stems(self, text: str) -> set[str]:
        return tf.content_stems(tf.tokenize(text)) - self.common

    def _restated_in_words(self, text: str) -> bool:
        mine = self._stems(text)
        for theirs in self.user_words:
            shared = len(mine & theirs)
            shorter = min(len(mine), len(theirs))
            if any(shared >= n and shared >= share * shorter for n, share in RESTATES_SHARED):
                return True
        return False

    def restates_user(self, sentence: EvidenceSentence) -> bool:
        """Whether ``sentence`` restates something the user said in the debate."""
        if self.user_said is None and not self.user_words:
            return False
        if sentence.key not in self._restates:
            row = self.amap.rows.get(sentence.key)
            close = (
                row is not None
                and self.user_said is not None
                and float(np.max(self.user_said @ self.amap.vectors[row])) >= RESTATES_USER
            )
            self._restates[sentence.key] = close or self._restated_in_words(sentence.text)
        return self._restates[sentence.key]

    def closeness(self, sentence: EvidenceSentence, focus: np.ndarray | None) -> float:
        """Cosine between ``sentence`` and ``focus`` (0 without either)."""
        return self._closeness(sentence, focus)

    def serves_side(self, sentence: EvidenceSentence) -> bool:
        """The sentence is not filed or labelled under the other side."""
        stance = self.amap.side_of(sentence.doc_id, sentence.start, sentence.end)
        return stance is None or stance == self.side

    def serves_other_side(self, sentence: EvidenceSentence) -> bool:
        """The sentence is filed under the other side, or clearly fits it better."""
        other = opposite(self.side)
        return self.amap.side_of(
            sentence.doc_id, sentence.start, sentence.end
        ) == other or self.amap.clearly_serves(sentence.doc_id, sentence.start, sentence.end, other)

    def clearly_serves(self, sentence: EvidenceSentence) -> bool:
        """The sentence may argue this side outside a concession: a card of the side, or
        evidence that fits the side clearly better than the other (the map decides)."""
        return self.amap.clearly_serves(sentence.doc_id, sentence.start, sentence.end, self.side)

    def _closeness(self, sentence: EvidenceSentence, focus: np.ndarray | None) -> float:
        row = self.amap.rows.get(sentence.key)
        if focus is None or row is None:
            return 0.0
        return float(self.amap.vectors[row] @ focus)

    def for_point(
        self, kp_id: str, focus: np.ndarray | None = None, allow_seed: bool = False
    ) -> list[EvidenceSentence]:
        """Unused evidence for ``kp_id``: cards, then gated similarity evidence.

        Within each group, evidence closer to ``focus`` (the user's words) comes first;
        seed-document sentences come after all others, and only when ``allow_seed``.
        """
        curated = self.amap.cards_for(kp_id)
        cards = [c for c in curated if self._usable(c, allow_seed)]
        # A point with cards takes similarity evidence only when it fits very closely; a
        # point without cards (a map nobody curated), or whose cards are all spent, relies
        # on it (still through the stance gate), so a thin map does not fall silent.
        floor = max(self.similar_min, CURATED_SIMILAR_MIN) if cards else self.similar_min
        similar = [
            b.sentence
            for b in self.amap.evidence(kp_id)[:MAX_SIMILAR]
            if b.score >= floor
            and self._usable(b.sentence, allow_seed)
            and b.sentence not in cards
            and self.clearly_serves(b.sentence)
        ]
        ranked_cards = sorted(
            enumerate(cards),
            key=lambda item: (item[1].seed, 0.02 * item[0] - self._closeness(item[1], focus)),
        )
        ranked_similar = sorted(similar, key=lambda s: (s.seed, -self._closeness(s, focus), s.key))
        return [c for _, c in ranked_cards] + ranked_similar

    def _usable(self, sentence: EvidenceSentence, allow_seed: bool) -> bool:
        if sentence.key in self.used or not self.serves_side(sentence):
            return False
        if self.restates_user(sentence):
            return False
        return not sentence.seed or (allow_seed and self.seed_cited < SEED_PER_SPEECH)

    def conceding(self, kp_id: str) -> list[EvidenceSentence]:
        """Unused evidence for a point of the other side, to quote inside a concession."""
        cards = [c for c in self.amap.cards_for(kp_id) if c.key not in self.used and not c.seed]
        return cards or [
            b.sentence
            for b in self.amap.evidence(kp_id)[:MAX_SIMILAR]
            if b.sentence.key not in self.used and not b.sentence.seed
        ]

    def has_fresh(self, kp_id: str, allow_seed: bool = False) -> bool:
        """Whether ``kp_id`` still has evidence not cited in this debate."""
        return bool(self.for_point(kp_id, allow_seed=allow_seed))

    def mark(self, sentences: Iterable[EvidenceSentence]) -> None:
        """Remember evidence as used (and count seed citations in this speech)."""
        for sentence in sentences:
            self.used.add(sentence.key)
            self.seed_cited += int(sentence.seed)
