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
    ask: str | None = None  # for a question joined to its lead-in: the question alone
    thesis: bool = False  # restates the motion or a side's thesis instead of arguing a point

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
    motion = amap.motion
    framing = [motion.question, motion.sides.pro, motion.sides.con]
    embedded = index.embed([*(m.text for m in moves), *framing])
    vectors, motion_vectors = embedded[: len(moves)], embedded[len(moves) :]
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
    theses = _restates_motion(vectors, motion_vectors, amap.kp_vectors)
    read = [replace(m, thesis=bool(t)) for m, t in zip(read, theses, strict=True)]
    return merge_moves(read, speech)


THESIS_MIN = 0.7  # cosine to the motion or a side's claim from which a sentence restates it ...
THESIS_MARGIN = 0.08  # ... when it is this much closer to it than to any key point


def _restates_motion(
    vectors: np.ndarray, motion_vectors: np.ndarray, kp_vectors: np.ndarray
) -> list[bool]:
    """Which moves restate the motion or a side's thesis rather than argue a point of it
    ("The motion asks whether ...", "In practice, it cannot.")."""
    if not len(vectors) or not len(motion_vectors):
        return [False] * len(vectors)
    to_motion = (vectors @ motion_vectors.T).max(axis=1)
    to_points = (vectors @ kp_vectors.T).max(axis=1) if len(kp_vectors) else 0.0 * to_motion
    return [
        bool(m >= THESIS_MIN and m - k >= THESIS_MARGIN)
        for m, k in zip(to_motion, to_points, strict=True)
    ]


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
RHETORICAL_WORDS = 7  # a question this short, answered by the next sentence, is rhetorical
_OPPONENT = r"(?:my opponent|the opposition|the other side|the proposition)"
_REPORTS_OPPONENT = re.compile(
    r"^\W*(?:now to|as for|turning to|on to|next|then|first|second|third|finally)?\W*"
    r"(?:\w+\W+){0,4}?" + _OPPONENT + r"s?\W+"
    r"(?:also\s+|now\s+|then\s+|again\s+|will\s+|would\s+)?(?:says?|said|claims?|quotes?|quoted|"
    r"cites?|cited|leans?|relies|returns?|will|keeps?|answered|answers|calls?|argues?|points?|"
    r"tells?|insists?|turns?|turned|reach(?:es|ed)?|offers?|offered|counters?|countered)\b"
    # "My opponent's strongest line is that ...", "the other side's answer was ..."
    r"|^\W*(?:\w+\W+){0,4}?" + _OPPONENT + r"(?:'s|\u2019s)\s+(?:\w+\s+){0,3}?"
    r"(?:line|point|argument|case|claim|answer|reply|refuge|evidence|response)\s+(?:is|was)\b"
    r"|^\W*(?:\w+\W+){0,3}?(?:we hear|we heard|we are told|we were told|i heard|"
    r"the (?:reply|answer|response) i got)\b",
    re.IGNORECASE,
)
# The speaker announcing what comes next ("Let me deal with it squarely.").
_ANNOUNCES = re.compile(
    r"\blet(?: me|'s|\u2019s| us)\b|\bi (?:want|would like|'d like) to be\b"
    r"|^\W*(?:(?:first|second|third|next|finally|now)\W+)?look at (?:how|what|why)\b",
    re.IGNORECASE,
)
# A sentence opening on a back-reference ("That is real influence.", "If none, ...") goes on
# with the move before it; one that only leads on ("That brings me to ...") does not.
_CONTINUES = re.compile(
    r"^\W*(?:and |but |so |yet )?(?:that|this|these|those|such|either|neither|both)\b"
    r"(?!\s+(?:brings|leads|takes|turns)\b)"
    r"|^\W*in (?:both|each|either|neither) cases?\b",
    re.IGNORECASE,
)
_FOLLOWS_QUESTION = re.compile(
    r"^\W*(?:if (?:none|not|so|yes|no|they|it)\b|(?:either|neither|both) (?:answer|way|one)s?\b)",
    re.IGNORECASE,
)
_ADDRESSES = re.compile(
    r"\b(?:you|your|yours)\b|" + _OPPONENT + r"|\b(?:which|what) (?:one )?is it\b",
    re.IGNORECASE,
)


def _is_signpost(move: ReadMove) -> bool:
    """A lead-in to the move after it: short, a report of the opponent, or an announcement."""
    words = len(move.text.split())
    if move.kind not in ("claim", "challenge", "precedent") or _CONTINUES.search(move.text):
        return False
    if move.thesis and move.kind != "precedent":
        return True
    if words > REPORT_WORDS:
        return False
    if _REPORTS_OPPONENT.search(move.text):
        return True
    if _ANNOUNCES.search(move.text) and not move.strong:
        return True
    return move.kind != "precedent" and words < SIGNPOST_WORDS


def _is_rhetorical(move: ReadMove, after: ReadMove | None) -> bool:
    """A short question the speaker answers at once ("Who took over? Witkoff, ...")."""
    return (
        move.kind == "question"
        and len(move.text.split()) <= RHETORICAL_WORDS
        and not _ADDRESSES.search(move.text)
        and after is not None
        and after.kind in ("claim", "challenge", "precedent")
        and not _FOLLOWS_QUESTION.search(after.text)
    )


def _signposts(moves: list[ReadMove], speech: str) -> list[ReadMove]:
    """A lead-in ("Take the PLO.", "My opponent cites Boehler.", "Let me be precise.") or a
    rhetorical question joins the move after it, whatever that move's kind."""
    out: list[ReadMove] = []
    pending: ReadMove | None = None
    for n, move in enumerate(moves):
        after = moves[n + 1] if n + 1 < len(moves) else None
        leads_on = after is not None and (_is_signpost(move) or _is_rhetorical(move, after))
        if pending is not None and move.kind != "pressure":
            move = _joined(pending, move, speech)
            pending = None
        elif pending is not None:
            _keep_lead(out, pending, speech)
            pending = None
        if leads_on:
            pending = move
            continue
        out.append(move)
    if pending is not None:
        _keep_lead(out, pending, speech)
    return out


def _keep_lead(out: list[ReadMove], lead: ReadMove, speech: str) -> None:
    """A lead-in with nothing after it to lead into stays a move only if it makes a point
    of the map or names something ("My opponent, you are arguing another debate." does not).
    A closing restatement of the thesis ends the move before it."""
    if lead.thesis and out and out[-1].kind != "pressure":
        last = out[-1]
        out[-1] = replace(last, end=lead.end, text=speech[last.start : lead.end])
        return
    if lead.key_point is not None or lead.names or lead.kind in ("question", "precedent"):
        out.append(lead)


def _joined(lead: ReadMove, move: ReadMove, speech: str) -> ReadMove:
    """``move`` with the lead-in before it: its kind, unless the lead names the point."""
    kind: MoveKind = move.kind
    lead_names_point = move.key_point is None and lead.key_point is not None
    if lead_names_point and lead.kind != "question" and move.kind not in ("question", "concession"):
        kind = lead.kind
    return replace(
        move,
        kind=kind,
        key_point=move.key_point or lead.key_point,
        score=max(move.score, lead.score),
        start=lead.start,
        text=speech[lead.start : move.end],
        names=tuple(dict.fromkeys([*lead.names, *move.names])),
        ask=move.ask or (move.text if move.kind == "question" else None),
    )


def _continues(last: ReadMove, move: ReadMove) -> bool:
    """``move`` opens on a back-reference to ``last`` and so is part of it."""
    if last.kind == "pressure" or move.kind in ("pressure", "question"):
        return False
    if last.kind == "question":
        return bool(_FOLLOWS_QUESTION.search(move.text))
    return bool(_CONTINUES.search(move.text) or _FOLLOWS_QUESTION.search(move.text))


def merge_moves(moves: list[ReadMove], speech: str) -> list[ReadMove]:
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
        if _continues(last, move):
            out[-1] = replace(
                last,
                end=move.end,
                text=speech[last.start : move.end],
                key_point=last.key_point or move.key_point,
                names=tuple(dict.fromkeys([*last.names, *move.names])),
                ask=last.ask or (last.text if last.kind == "question" else None),
            )
            continue
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
