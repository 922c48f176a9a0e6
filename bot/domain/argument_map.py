"""Stance assignment: which passages back which key points of a motion.

Every evidence sentence of a motion's passages is scored against every key point
(embedding cosine plus lexical overlap). A sentence takes a side when its best key
point of one side clearly beats the best of the other; a passage takes the side its
sentences agree on, and is neutral when they are mixed or weak. The labels are written
to passage metadata (``stance``, ``key_points``, ``argmap``) and recomputed only when
the sources or the map change, which the ``argmap`` fingerprint records.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from bot.domain.cards import ResolvedCards, resolve_cards
from bot.domain.evidence import EvidenceSentence, SentenceIndex, score_matrix, stems_of
from bot.domain.motions import Motion, Side, opposite
from bot.verify.calibration import Calibration
from retrieval.records import Document, MetadataValue, Passage

log = logging.getLogger(__name__)

ALGORITHM = "argmap-v2"  # v2: evidence cards, stance labels and the stance gate
# Evidence that no card files may argue a side in a reply only when its best key point of
# that side beats every key point of the other side by this much (the map's own gate is
# looser: it decides what backs a point, this decides what is safe to say) ...
CLEAR_MARGIN = 0.12
# ... when it does not state a key point of the other side by itself (two-edged evidence,
# such as a sentence on one side's success that credits the other side's mediators) ...
OTHER_SIDE_MAX = 0.6
# ... and when it does not restate a card of the other side (cosine, embedding alone).
ECHO_MIN = 0.8
# Similarity sees topic, not polarity: a sentence that negates or turns ("had produced no
# progress", "but", "failed") may say the opposite of its topic, so without a card it is
# too unsure to argue a side.
_TURNS = re.compile(
    r"\b(?:no|not|never|nothing|none|neither|nor|without|but|however|although|though|yet|"
    r"failed|fails|refused|rejected|denied|despite)\b|n't\b",
    re.IGNORECASE,
)


class PassageSource(Protocol):
    """What stance assignment needs from retrieval."""

    def passages(self, where: dict[str, object] | None = None) -> list[Passage]:
        """Passages matching ``where``."""
        ...

    def update_passage_metadata(self, updates: dict[str, dict[str, MetadataValue]]) -> None:
        """Merge metadata into passages."""
        ...

    def get_document(self, doc_id: str) -> Document | None:
        """One whole document (to resolve evidence cards)."""
        ...


@dataclass(frozen=True)
class Backing:
    """One evidence sentence backing one key point."""

    sentence: EvidenceSentence
    score: float


@dataclass(frozen=True)
class ArgumentMap:
    """A motion's key points linked to the evidence sentences that back them."""

    motion: Motion
    fingerprint: str
    sentences: list[EvidenceSentence]
    vectors: np.ndarray
    kp_vectors: np.ndarray
    kp_stems: list[frozenset[str]]
    sentence_side: list[Side | None]
    passage_stance: dict[str, str]
    support: dict[str, list[Backing]]
    rows: dict[str, int]  # evidence key -> row of ``vectors``
    cards: ResolvedCards
    kp_scores: np.ndarray | None = None  # key points x sentences (the rows of ``vectors``)
    _serves: dict[tuple[str, Side], bool] = field(default_factory=dict, compare=False, repr=False)
    _sides: dict[str, Side | None] = field(default_factory=dict, compare=False, repr=False)

    def evidence(self, kp_id: str) -> list[Backing]:
        """Sentences backing ``kp_id`` by similarity, best first, through the stance gate."""
        return self.support.get(kp_id, [])

    def cards_for(self, kp_id: str) -> list[EvidenceSentence]:
        """The curated cards of ``kp_id``, strongest first."""
        return self.cards.by_point.get(kp_id, [])

    def stance(self, sentence: EvidenceSentence) -> str:
        """The stance label of the passage a sentence comes from."""
        return self.passage_stance.get(sentence.passage_id, "neutral")

    def side_of(self, doc_id: str, start: int, end: int) -> Side | None:
        """The side a cited span serves: as filed by a card or label, else by similarity."""
        key = f"{doc_id}:{start}:{end}"
        if key not in self._sides:  # the map never changes, so neither does the answer
            filed = self.cards.side_of(doc_id, start, end)
            row = self.rows.get(key)
            similar = self.sentence_side[row] if row is not None else None
            self._sides[key] = filed if filed is not None else similar
        return self._sides[key]

    def lean(self, doc_id: str, start: int, end: int, side: Side) -> float | None:
        """How much better a span fits ``side`` than the other side: its best key point of
        ``side`` minus the other side's best (None when the map has no such sentence)."""
        row = self.rows.get(f"{doc_id}:{start}:{end}")
        if row is None or self.kp_scores is None or not len(self.kp_scores):
            return None
        column = self.kp_scores[:, row]
        sides = np.array([kp.side for kp in self.motion.key_points])
        own, other = column[sides == side], column[sides == opposite(side)]
        if not len(own):
            return None
        return float(own.max()) - (float(other.max()) if len(other) else 0.0)

    def best_fit(self, doc_id: str, start: int, end: int, side: Side) -> float | None:
        """The span's score against its closest key point of ``side`` (None when unknown)."""
        row = self.rows.get(f"{doc_id}:{start}:{end}")
        if row is None or self.kp_scores is None or not len(self.kp_scores):
            return None
        rows = [i for i, kp in enumerate(self.motion.key_points) if kp.side == side]
        return float(self.kp_scores[rows, row].max()) if rows else 0.0

    def echoes(self, doc_id: str, start: int, end: int, side: Side) -> bool:
        """Whether a span restates a card that ``side`` files (the card itself included)."""
        if self.cards.side_of(doc_id, start, end) == side:
            return True
        row = self.rows.get(f"{doc_id}:{start}:{end}")
        if row is None:
            return False
        theirs = [
            self.rows[c.key]
            for kp in self.motion.points(side)
            for c in self.cards_for(kp.id)
            if c.key in self.rows
        ]
        return bool(theirs) and float(np.max(self.vectors[theirs] @ self.vectors[row])) >= ECHO_MIN

    def clearly_serves(self, doc_id: str, start: int, end: int, side: Side) -> bool:
        """Whether a span may argue ``side`` outside a concession.

        A card of ``side`` does. Anything else must not be filed under the other side, must
        fit ``side`` better than every key point of the other side by ``CLEAR_MARGIN``, must
        not state a point of the other side by itself (``OTHER_SIDE_MAX``), must not negate
        or turn (similarity cannot see polarity), and must not restate the other side's
        cards. When unsure, no.
        """
        key = (f"{doc_id}:{start}:{end}", side)
        if key not in self._serves:  # the map never changes, so neither does the answer
            self._serves[key] = self._clearly_serves(doc_id, start, end, side)
        return self._serves[key]

    def _clearly_serves(self, doc_id: str, start: int, end: int, side: Side) -> bool:
        filed = self.cards.side_of(doc_id, start, end)
        if filed is not None:
            return filed == side
        if self.side_of(doc_id, start, end) == opposite(side):
            return False
        row = self.rows.get(f"{doc_id}:{start}:{end}")
        if row is None or _TURNS.search(self.sentences[row].text):
            return False
        lean = self.lean(doc_id, start, end, side)
        if lean is None or lean < CLEAR_MARGIN:
            return False
        other = self.best_fit(doc_id, start, end, opposite(side))
        if other is None or other >= OTHER_SIDE_MAX:
            return False
        return not self.echoes(doc_id, start, end, opposite(side))


def map_fingerprint(motion: Motion, passages: list[Passage]) -> str:
    """Changes when the key points, the motion's passages or the algorithm change."""
    blob = "|".join([ALGORITHM, motion.fingerprint(), *sorted(p.passage_id for p in passages)])
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def sentence_sides(scores: np.ndarray, sides: np.ndarray, cal: Calibration) -> list[Side | None]:
    """The side each column of ``scores`` (key points x texts) argues: its best key point of
    one side must clear ``side_min`` and beat the other side's best by ``side_margin``."""
    out: list[Side | None] = []
    has_pro, has_con = bool((sides == "pro").any()), bool((sides == "con").any())
    for column in scores.T:
        pro = float(column[sides == "pro"].max()) if has_pro else 0.0
        con = float(column[sides == "con"].max()) if has_con else 0.0
        if pro >= cal.side_min and pro - con >= cal.side_margin:
            out.append("pro")
        elif con >= cal.side_min and con - pro >= cal.side_margin:
            out.append("con")
        else:
            out.append(None)
    return out


def _passage_stances(
    sentences: list[EvidenceSentence],
    sides: list[Side | None],
    scores: np.ndarray,
    dominance: float,
) -> dict[str, str]:
    weight: dict[str, dict[str, float]] = {}
    for j, (sentence, side) in enumerate(zip(sentences, sides, strict=True)):
        entry = weight.setdefault(sentence.passage_id, {"pro": 0.0, "con": 0.0})
        if side is not None:
            entry[side] += float(scores[:, j].max())
    stances: dict[str, str] = {}
    for pid, w in weight.items():
        if w["pro"] > 0 and w["pro"] >= dominance * w["con"]:
            stances[pid] = "pro"
        elif w["con"] > 0 and w["con"] >= dominance * w["pro"]:
            stances[pid] = "con"
        else:
            stances[pid] = "neutral"
    return stances


def _with_cards(
    sentences: list[EvidenceSentence],
    vectors: np.ndarray,
    sides: list[Side | None],
    cards: ResolvedCards,
    index: SentenceIndex,
) -> tuple[list[EvidenceSentence], np.ndarray, list[Side | None]]:
    """Cards that are not whole split sentences join the sentence table, with their side."""
    known = {s.key for s in sentences}
    extra: list[EvidenceSentence] = []
    for kp_cards in cards.by_point.values():
        for card in kp_cards:
            if card.key not in known:
                known.add(card.key)
                extra.append(card)
    if not extra:
        return sentences, vectors, sides
    extra_vectors = index.embed([c.text for c in extra])
    extra_sides = [cards.side_of(c.doc_id, c.start, c.end) for c in extra]
    return (
        [*sentences, *extra],
        np.concatenate([vectors, extra_vectors]) if len(vectors) else extra_vectors,
        [*sides, *extra_sides],
    )


def _all_scores(
    motion: Motion,
    scores: np.ndarray,
    sentences: list[EvidenceSentence],
    vectors: np.ndarray,
    known: int,
    kp_vectors: np.ndarray,
    kp_stems: list[frozenset[str]],
) -> np.ndarray:
    """Key-point scores for every sentence row, the card rows after the first ``known``."""
    if len(sentences) == known or not motion.key_points:
        return scores
    extra = score_matrix(kp_vectors, kp_stems, sentences[known:], vectors[known:])
    return np.concatenate([scores, extra], axis=1) if scores.size else extra


def build_map(
    motion: Motion,
    passages: list[Passage],
    index: SentenceIndex,
    fingerprint: str,
    cards: ResolvedCards | None = None,
) -> ArgumentMap:
    """Score every evidence sentence against every key point and derive the labels.

    A sentence backs a key point by similarity only through the stance gate: it must fit
    the point clearly better than any key point of the other side, and the map must not
    file it (as a card or a stance label) under the other side.
    """
    cal = index.calibration
    cards = cards or ResolvedCards({kp.id: [] for kp in motion.key_points}, [])
    sentences, vectors = index.sentences(passages)
    kps = motion.key_points
    kp_vectors = index.embed([kp.text for kp in kps])
    kp_stems = [stems_of(kp.text) for kp in kps]
    scores = score_matrix(kp_vectors, kp_stems, sentences, vectors)
    kp_sides = np.array([kp.side for kp in kps])
    sides = sentence_sides(scores, kp_sides, cal) if sentences else []
    for j, sentence in enumerate(sentences):  # a filed side overrides similarity
        filed = cards.side_of(sentence.doc_id, sentence.start, sentence.end)
        if filed is not None:
            sides[j] = filed
    stances = _passage_stances(sentences, sides, scores, cal.passage_dominance)
    support: dict[str, list[Backing]] = {kp.id: [] for kp in kps}
    for j, sentence in enumerate(sentences):
        for side in ("pro", "con"):
            if sides[j] == opposite(side) or stances[sentence.passage_id] == opposite(side):
                continue
            same_side = np.flatnonzero(kp_sides == side)
            other_side = np.flatnonzero(kp_sides == opposite(side))
            best = float(scores[same_side, j].max())
            rival = float(scores[other_side, j].max()) if len(other_side) else 0.0
            if best < rival + cal.gate_margin:
                continue  # fits the other side about as well: no stance, no backing
            for i in same_side:
                score = float(scores[i, j])
                if score >= cal.backing_min and score >= best - cal.backing_slack:
                    support[kps[i].id].append(Backing(sentence, round(score, 4)))
    for backings in support.values():
        backings.sort(key=lambda b: (-b.score, b.sentence.key))
    known = len(sentences)
    sentences, vectors, sides = _with_cards(sentences, vectors, sides, cards, index)
    all_scores = _all_scores(motion, scores, sentences, vectors, known, kp_vectors, kp_stems)
    rows = {s.key: j for j, s in enumerate(sentences)}
    return ArgumentMap(
        motion,
        fingerprint,
        sentences,
        vectors,
        kp_vectors,
        kp_stems,
        sides,
        stances,
        support,
        rows,
        cards,
        all_scores,
    )


def passage_labels(amap: ArgumentMap) -> dict[str, dict[str, MetadataValue]]:
    """The metadata written to each passage: stance, backed key point ids, fingerprint."""
    points: dict[str, list[str]] = {pid: [] for pid in amap.passage_stance}
    for kp_id, backings in amap.support.items():
        for backing in backings:
            if kp_id not in points[backing.sentence.passage_id]:
                points[backing.sentence.passage_id].append(kp_id)
    return {
        pid: {"stance": stance, "key_points": ",".join(points[pid]), "argmap": amap.fingerprint}
        for pid, stance in amap.passage_stance.items()
    }


class ArgumentMapper:
    """Keeps one current argument map per motion and the passage labels in sync."""

    def __init__(self, retriever: PassageSource, index: SentenceIndex) -> None:
        self.retriever = retriever
        self.index = index
        self._maps: dict[str, ArgumentMap] = {}
        self._lock = threading.Lock()

    def get(self, motion: Motion) -> ArgumentMap:
        """The map for ``motion``, rebuilt (and relabelled) when sources or map changed."""
        passages = self.retriever.passages({"motion": motion.id})
        fingerprint = map_fingerprint(motion, passages)
        current = self._maps.get(motion.id)
        if current is not None and current.fingerprint == fingerprint:
            return current
        with self._lock:
            current = self._maps.get(motion.id)
            if current is not None and current.fingerprint == fingerprint:
                return current
            cards = resolve_cards(motion, passages, self.retriever)
            amap = build_map(motion, passages, self.index, fingerprint, cards)
            if passages and any(p.metadata.get("argmap") != fingerprint for p in passages):
                self.retriever.update_passage_metadata(passage_labels(amap))
                log.info("argument map %s: relabelled %d passages", motion.id, len(passages))
            self._maps[motion.id] = amap
            return amap
