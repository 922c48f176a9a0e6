"""Finding the user's points in a message and picking fresh evidence to answer them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.domain.argument_map import ArgumentMap
from bot.domain.evidence import EvidenceSentence, SentenceIndex, score_matrix, stems_of
from bot.domain.motions import KeyPoint, Side
from bot.verify.calibration import MINILM
from retrieval.ingest.chunking import split_sentences

MAX_MESSAGE_SENTENCES = 24


@dataclass(frozen=True)
class UserPoint:
    """A key point of the user's side found in the message."""

    key_point: KeyPoint
    score: float
    focus: np.ndarray  # vector of the message sentence that made the point


def message_sentences(message: str) -> list[str]:
    """The message split into sentences (bounded)."""
    spans = split_sentences(message)[:MAX_MESSAGE_SENTENCES]
    return [message[s:e] for s, e in spans if len(message[s:e].split()) >= 3]


def find_user_points(
    amap: ArgumentMap, index: SentenceIndex, message: str, user_side: Side, limit: int = 3
) -> list[UserPoint]:
    """Key points of ``user_side`` the message makes, strongest first, one per key point."""
    sentences = message_sentences(message)
    kps = amap.motion.key_points
    if not sentences or not kps:
        return []
    cal = index.calibration
    vectors = index.embed(sentences)
    stems = [stems_of(s) for s in sentences]
    direct = score_matrix(vectors, stems, amap.kp_stems, amap.kp_vectors)
    via_evidence = _evidence_scores(amap, vectors, stems, [kp.id for kp in kps])
    best: dict[str, UserPoint] = {}
    for i in range(len(sentences)):
        for k, kp in enumerate(kps):
            if kp.side != user_side:
                continue
            score = max(float(direct[i, k]), float(via_evidence[i, k]))
            threshold_met = (
                direct[i, k] >= cal.point_min or via_evidence[i, k] >= cal.evidence_match
            )
            if threshold_met and (kp.id not in best or score > best[kp.id].score):
                best[kp.id] = UserPoint(kp, score, vectors[i])
    ranked = sorted(best.values(), key=lambda p: (-p.score, p.key_point.id))
    return _one_point_per_sentence(ranked)[:limit]


def _one_point_per_sentence(points: list[UserPoint]) -> list[UserPoint]:
    """Keep the strongest key point for each message sentence, plus clearly distinct ones."""
    kept: list[UserPoint] = []
    for point in points:
        same = [k for k in kept if np.array_equal(k.focus, point.focus)]
        if not same or point.score >= same[0].score - 0.05:
            kept.append(point)
    return kept


def _evidence_scores(
    amap: ArgumentMap, vectors: np.ndarray, stems: list[frozenset[str]], kp_ids: list[str]
) -> np.ndarray:
    """(sentences x key points): how closely a message sentence restates a backing sentence."""
    out = np.zeros((len(vectors), len(kp_ids)), dtype=np.float32)
    if not amap.sentences:
        return out
    scores = score_matrix(vectors, stems, amap.sentences, amap.vectors)
    position = {key: i for i, key in enumerate(kp_ids)}
    for kp_id, backings in amap.support.items():
        if not backings:
            continue
        rows = [amap.rows[b.sentence.key] for b in backings]
        out[:, position[kp_id]] = scores[:, rows].max(axis=1)
    return out


class EvidencePicker:
    """Hands out evidence for key points, fresh evidence first, never the user's side."""

    def __init__(
        self,
        amap: ArgumentMap,
        used: frozenset[str],
        user_side: Side | None,
        focus_weight: float = MINILM.focus_weight,
    ) -> None:
        self.amap = amap
        self.focus_weight = focus_weight
        self.used = set(used)
        self.user_side = user_side

    def allowed(self, sentence: EvidenceSentence) -> bool:
        """Never support the bot with a sentence from a passage of the user's side."""
        return self.user_side is None or self.amap.stance(sentence) != self.user_side

    def candidates(
        self, kp_id: str, focus: np.ndarray | None = None, fresh_only: bool = False
    ) -> list[EvidenceSentence]:
        """Evidence for ``kp_id``: unused first (closest to ``focus`` ranks higher)."""
        scored = []
        for backing in self.amap.evidence(kp_id):
            sentence = backing.sentence
            if not self.allowed(sentence):
                continue
            score = backing.score
            if focus is not None:
                score += self.focus_weight * float(
                    self.amap.vectors[self.amap.rows[sentence.key]] @ focus
                )
            scored.append((sentence.key in self.used, -score, sentence.key, sentence))
        scored.sort(key=lambda item: item[:3])
        fresh = [s for used, _, _, s in scored if not used]
        if fresh or fresh_only:
            return fresh
        return [s for _, _, _, s in scored]

    def has_fresh(self, kp_id: str) -> bool:
        """Whether ``kp_id`` still has evidence not cited in this debate."""
        return bool(self.candidates(kp_id, fresh_only=True))

    def mark(self, sentences: list[EvidenceSentence]) -> None:
        """Remember evidence as used."""
        self.used.update(s.key for s in sentences)
