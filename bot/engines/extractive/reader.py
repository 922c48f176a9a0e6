"""Matching the moves of a user's speech to the argument map.

Each move is scored against every key point (embedding cosine plus lexical overlap, and
how closely it restates a sentence that backs the point). A claim takes the user-side
key point it states; a challenge takes the bot-side point it attacks; a concession takes
the point it grants. Adjacent sentences that make the same point are one move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from bot.domain.argument_map import ArgumentMap
from bot.domain.evidence import SentenceIndex, score_matrix, stems_of
from bot.domain.motions import KeyPoint, Side
from bot.engines.extractive.moves import Move, MoveKind, split_moves
from bot.text import features as tf
from bot.verify.calibration import Calibration


@dataclass(frozen=True)
class Thresholds:
    """Scores from which a move counts as making (or attacking) a key point."""

    point: float = 0.62  # a move states a key point from this score up ...
    restates_evidence: float = 0.85  # ... or when it restates a sentence backing the point
    challenge: float = 0.5  # a move that names the opponent attacks the closest bot point
    loose: float = 0.5  # questions, precedents and concessions take a point from here

    @classmethod
    def of(cls, cal: Calibration) -> Thresholds:
        """The thresholds calibrated on the grounding model."""
        return cls(cal.point_min, cal.evidence_match, cal.challenge_min, cal.loose_min)


@dataclass(frozen=True)
class ReadMove:
    """A move with the key point it makes or targets (None when the map has none)."""

    kind: MoveKind
    start: int
    end: int
    text: str
    key_point: KeyPoint | None
    score: float
    focus: np.ndarray
    names: tuple[str, ...] = ()
    strong: bool = False  # the match cleared the point threshold (not just the loose one)

    @property
    def span(self) -> tuple[int, int]:
        """Where the move sits in the speech."""
        return self.start, self.end


def move_names(text: str) -> tuple[str, ...]:
    """Proper names a move mentions (for precedents: the case it draws on)."""
    tokens = tf.tokenize(text)
    return tuple(dict.fromkeys(t.text for t in tf.names(tokens, include_initial=False)))


def _evidence_scores(
    amap: ArgumentMap, vectors: np.ndarray, stems: list[frozenset[str]]
) -> np.ndarray:
    """(moves x key points): how closely a move restates a sentence backing the point."""
    kps = amap.motion.key_points
    out = np.zeros((len(vectors), len(kps)), dtype=np.float32)
    if not amap.sentences:
        return out
    scores = score_matrix(vectors, stems, amap.sentences, amap.vectors)
    for k, kp in enumerate(kps):
        backings = amap.evidence(kp.id)
        if backings:
            rows = [amap.rows[b.sentence.key] for b in backings]
            out[:, k] = scores[:, rows].max(axis=1)
    return out


def _best(scores: np.ndarray, kps: list[KeyPoint], side: Side) -> tuple[KeyPoint | None, float]:
    best: KeyPoint | None = None
    value = -1.0
    for k, kp in enumerate(kps):
        if kp.side == side and float(scores[k]) > value:
            best, value = kp, float(scores[k])
    return best, value


def read_speech(
    amap: ArgumentMap,
    index: SentenceIndex,
    speech: str,
    user_side: Side,
    bot_side: Side,
    limits: Thresholds | None = None,
) -> list[ReadMove]:
    """The speech's moves, each matched to the key point it makes or targets."""
    limits = limits or Thresholds()
    moves = split_moves(speech)
    kps = amap.motion.key_points
    if not moves:
        return []
    vectors = index.embed([m.text for m in moves])
    stems = [stems_of(m.text) for m in moves]
    if kps:
        direct = score_matrix(vectors, stems, amap.kp_stems, amap.kp_vectors)
        via = _evidence_scores(amap, vectors, stems)
    else:
        direct = via = np.zeros((len(moves), 0), dtype=np.float32)
    read = [
        _match(move, direct[i], via[i], vectors[i], kps, user_side, bot_side, limits)
        for i, move in enumerate(moves)
    ]
    return _merge(read, speech)


def _match(
    move: Move,
    direct: np.ndarray,
    via: np.ndarray,
    focus: np.ndarray,
    kps: list[KeyPoint],
    user_side: Side,
    bot_side: Side,
    limits: Thresholds,
) -> ReadMove:
    combined = np.maximum(direct, via) if len(kps) else direct
    strong = (direct >= limits.point) | (via >= limits.restates_evidence)
    user_kp, user_score = _best(combined, kps, user_side)
    bot_kp, bot_score = _best(combined, kps, bot_side)
    user_strong = user_kp is not None and bool(strong[kps.index(user_kp)])
    bot_strong = bot_kp is not None and bool(strong[kps.index(bot_kp)])
    kind: MoveKind = move.kind
    target: KeyPoint | None = None
    score = 0.0
    if kind == "claim":
        if user_strong and user_score >= bot_score:
            target, score = user_kp, user_score
        elif bot_strong:
            kind, target, score = "challenge", bot_kp, bot_score
        elif user_kp is not None and user_score >= limits.loose:
            target, score = user_kp, user_score
    elif kind == "challenge":
        if bot_kp is not None and bot_score >= limits.challenge:
            target, score = bot_kp, bot_score
        elif user_strong:
            kind, target, score = "claim", user_kp, user_score
    elif kind == "concession":
        if bot_kp is not None and bot_score >= limits.loose and bot_score >= user_score:
            target, score = bot_kp, bot_score
        elif user_kp is not None and user_score >= limits.loose:
            target, score = user_kp, user_score
    elif kind in ("precedent", "question"):
        if user_kp is not None and user_score >= limits.loose and user_score >= bot_score:
            target, score = user_kp, user_score
        elif bot_kp is not None and bot_score >= limits.loose:
            target, score = bot_kp, bot_score
    strong_match = (target is user_kp and user_strong) or (target is bot_kp and bot_strong)
    return ReadMove(
        kind,
        move.start,
        move.end,
        move.text,
        target,
        round(score, 4),
        focus,
        move_names(move.text),
        strong=target is not None and strong_match,
    )


SIGNPOST_WORDS = 12  # a shorter claim or challenge introduces the move after it
REPORT_WORDS = 30  # ... and so does a sentence that reports what the opponent said
_REPORTS_OPPONENT = re.compile(
    r"^\W*(?:now to|as for|turning to|on to|next|then|first|second|third|finally)?\W*"
    r"(?:\w+\W+){0,4}?(?:my opponent|the opposition|the other side|the proposition)s?\W+"
    r"(?:also\s+|now\s+|then\s+|again\s+)?(?:says?|said|claims?|quotes?|quoted|cites?|cited|"
    r"leans?|relies|returns?|will|keeps?|answered|answers|calls?|argues?|points?|tells?|insists?)\b",
    re.IGNORECASE,
)


def _is_signpost(move: ReadMove) -> bool:
    words = len(move.text.split())
    if move.kind not in ("claim", "challenge"):
        return False
    return words < SIGNPOST_WORDS or (
        words <= REPORT_WORDS and bool(_REPORTS_OPPONENT.search(move.text))
    )


def _signposts(moves: list[ReadMove], speech: str) -> list[ReadMove]:
    """A short lead-in ("Take the PLO.", "My opponent cites Boehler.") joins the next move."""
    out: list[ReadMove] = []
    pending: ReadMove | None = None
    for move in moves:
        if pending is not None and move.kind not in ("pressure", "question", "concession"):
            kind = (
                move.kind
                if move.key_point is not None or pending.key_point is None
                else pending.kind
            )
            kp = move.key_point or pending.key_point
            move = replace(
                move,
                kind=kind,
                key_point=kp,
                score=max(move.score, pending.score),
                start=pending.start,
                text=speech[pending.start : move.end],
                names=tuple(dict.fromkeys([*pending.names, *move.names])),
            )
            pending = None
        elif pending is not None:
            out.append(pending)
            pending = None
        if _is_signpost(move) and move is not moves[-1]:
            pending = move
            continue
        out.append(move)
    if pending is not None:
        out.append(pending)
    return out


def _merge(moves: list[ReadMove], speech: str) -> list[ReadMove]:
    """One move per point: adjacent sentences making the same point, and a sentence that
    matches no point (support for the one before it), join the move before them."""
    moves = _signposts(moves, speech)
    out: list[ReadMove] = []
    for move in moves:
        last = out[-1] if out else None
        if last is None or last.kind == "pressure" or move.kind == "pressure":
            out.append(move)
            continue
        same_point = (
            last.kind == move.kind
            and move.kind in ("claim", "challenge", "precedent")
            and last.key_point is not None
            and move.key_point is not None
            and last.key_point.id == move.key_point.id
        )
        weak = move.key_point is None or not move.strong
        same = last.key_point is not None and move.key_point is last.key_point
        support = move.kind == "claim" and (weak or same) and last.kind != "question"
        if same_point or support:
            best = last if support or last.score >= move.score else move
            out[-1] = replace(
                best,
                kind=last.kind,
                start=last.start,
                end=move.end,
                text=speech[last.start : move.end],
                names=tuple(dict.fromkeys([*last.names, *move.names])),
            )
            continue
        out.append(move)
    return out
