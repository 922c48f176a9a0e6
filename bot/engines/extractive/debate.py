"""One debate reply: every move of the user's speech answered, the most important first.

Claims are rebutted with the linked key point of the bot's side and one of its cards (or
conceded plainly); questions are answered from the sources, or declared unanswerable;
precedents are distinguished with the map's own points, or declared uncovered; the user's
concessions are taken up; challenges to the bot's points are met with fresh evidence, or
conceded. Then, room permitting, the bot advances a point of its own. A closing weighs the
round instead: points the user dropped, concessions made, and what still stands.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence
from functools import cached_property

import numpy as np

from bot.domain.argument_map import ArgumentMap
from bot.domain.evidence import EvidenceSentence, SentenceIndex
from bot.domain.motions import KeyPoint, motion_terms
from bot.domain.replies import ClashItem
from bot.engines.base import TurnContext, TurnResult
from bot.engines.extractive.composer import ReplyBuilder, lower_first, word_count
from bot.engines.extractive.gist import OPENERS, granted_gist, question_gist, user_gist
from bot.engines.extractive.picker import EvidencePicker
from bot.engines.extractive.reader import ReadMove, Thresholds, read_speech
from bot.engines.extractive.state import DebateState, framing_stems, unanswered
from bot.engines.templates import TemplateSet
from bot.text import features as tf
from retrieval.ingest.chunking import split_sentences

AnswerFinder = Callable[[str], list[EvidenceSentence]]
# Word sets computed once per argument map (keyed by its fingerprint), not once per turn.
_PER_MAP: dict[str, set[str]] = {}

# Direct questions first, then concessions to take up, attacks on the bot's case, claims.
PRIORITY = {"question": 0, "concession": 1, "challenge": 2, "claim": 3, "precedent": 4}
MIN_ADVANCE_WORDS = 45  # words left after the answers before a new point of the bot's own
MIN_SHARE = 45  # words any one answer may take, whatever the number of moves
NEAREST_MIN = 0.45  # cosine from which an unmatched claim is answered with the nearest point
COMMON_NAME_SHARE = 0.4  # names in this share of the motion's documents are not "cases"
FRAMING_WORDS = 24  # words of the line answering the user's closing, besides its gist
BALANCE_WORDS = 16  # words a closing keeps for its weighing line, beside the verdict
ENGAGE_MIN = 0.45  # cosine from which evidence meets the user's words (not only the topic)
LINKED_MIN = 0.25  # ... and below which even a linked point's evidence does not touch them
ON_POINT_SLACK = 0  # extra words a move may take for evidence that meets the user's words
LINK_BONUS = 0.08  # how much a point the map links to the user's is preferred to another
ON_POINT = 0.5  # cosine from which evidence speaks to the user's very words (not only the point)


def strip_period(text: str) -> str:
    """The sentence without its final period (and a leading function word lowercased), to
    embed after a colon in a template."""
    return lower_first(text.rstrip().rstrip("."))


def text_shift(text: str) -> int:
    """A stable number from ``text`` to vary a template's variant by what the user said."""
    return zlib.crc32(" ".join(text.lower().split()).encode())


def closest_point(
    points: Sequence[KeyPoint], scores: np.ndarray, floor: float, skip: set[str]
) -> KeyPoint | None:
    """The point scoring highest from ``floor`` up, leaving out ``skip``; None if none."""
    ranked = sorted(zip(scores.tolist(), range(len(points)), strict=True), reverse=True)
    for score, i in ranked:
        if score >= floor and points[i].id not in skip:
            return points[i]
    return None


def join_labels(labels: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def _span(sentence: EvidenceSentence) -> tuple[str, int, int]:
    return sentence.doc_id, sentence.start, sentence.end


# A question about what the speaker's opponent holds ("Is it my opponent's position that
# ...?", "Do you deny that ...?").
_ASKS_POSITION = re.compile(
    r"\b(?:my opponent(?:'s)?|you|your)\b[^?]*?\b(?:position|hold|holds|claim|deny|denies|"
    r"accept|concede|call|defend|believe|agree|view)\b[^?]*\?",
    re.IGNORECASE,
)
_INNER_CAPITAL = re.compile(r"[a-z,;:]\s+([A-Z][\w'-]*)")
_HANGING = frozenset(["not", "no", "is", "are", "was", "were", "be"])  # a clause cut short


def _same_fact(gist: str, others: Sequence[str]) -> bool:
    """Whether ``gist`` shares most of its content words with one of ``others``."""
    mine = tf.content_stems(tf.tokenize(gist))
    for other in others:
        theirs = tf.content_stems(tf.tokenize(other))
        if mine and theirs and len(mine & theirs) >= 0.5 * min(len(mine), len(theirs)):
            return True
    return False


class TurnWriter:
    """Writes the bot's reply to one speech; use once."""

    def __init__(
        self,
        amap: ArgumentMap,
        index: SentenceIndex,
        templates: TemplateSet,
        ctx: TurnContext,
        message: str,
        find_answer: AnswerFinder,
    ) -> None:
        self.amap = amap
        self.index = index
        self.ctx = ctx
        self.motion = ctx.motion
        self.message = message
        self.find_answer = find_answer
        self.state = DebateState.of(ctx.previous, ctx.used_evidence, ctx.advanced_points)
        allowed = [
            *motion_terms(self.motion),
            message,
            *(kp.tag for kp in self.motion.key_points if kp.tag),
            *(c.text for c in self.state.concessions),
        ]
        # The variant follows the user's words as well as the turn, so that debates do not
        # all open, weigh and close with the same stock line.
        variant = ctx.turn + text_shift(message)
        self.b = ReplyBuilder(
            templates, allowed, ctx.round.max_words, variant, said=self.state.said
        )
        cal = index.calibration
        self.limits = Thresholds.of(cal)
        self.picker = EvidencePicker(
            amap, self.state.used_evidence, ctx.bot_side, cal.focus_weight, cal.similar_min
        )
        self.advanced = list(self.state.advanced)
        self.made_now: set[str] = set()
        self.challenged_now: set[str] = set()
        self._unnamed_grant = False  # a concession this closing could not name
        self.share: int | None = None  # words the move being answered may take
        self._handled: dict[tuple[str, str], ClashItem] = {}  # same point, same answer
        self._declared: set[str] = set()  # "unanswerable" templates said in this reply
        self._uses: dict[str, int] = {}  # times each "unanswerable" template was used here
        self._conceded = False  # at most one concession per speech
        self._kp_row = {kp.id: i for i, kp in enumerate(self.motion.key_points)}
        self._named = 0  # lead-ins so far that name the user's move in the user's words
        self._granted_now: list[str] = []  # the concessions of this speech, in its words
        self._moves_now: list[ReadMove] = []  # this speech's moves, as read
        self._referred: set[str] = set()  # earlier points pointed back to in this reply
        self._named_grants: set[str] = set()  # concessions named in this reply, as gists
        self._stated_position = False  # the bot's position stated in answer to a question

    # -- the speech ------------------------------------------------------------
    def write(self) -> TurnResult:
        """The reply, the evidence now used and the bot's points now made."""
        ctx, b = self.ctx, self.b
        moves = read_speech(
            self.amap, self.index, self.message, ctx.user_side, ctx.bot_side, self.limits
        )
        self._granted_now = [m.text for m in moves if m.kind == "concession"]
        self._moves_now = moves
        spoken = [t[a:b] for t in (*ctx.history, self.message) for a, b in split_sentences(t)]
        self.picker.hear(self._user_vectors(moves), spoken, framing_stems(self.motion))
        side_claim = strip_period(getattr(self.motion.sides, ctx.bot_side))
        clash: list[ClashItem] = []
        pressure = [m for m in moves if m.kind == "pressure"]
        if pressure:
            b.framing(b.fresh("hold_side", side=ctx.bot_side), force=True)
            clash += [ClashItem(point=m.text, kind="pressure") for m in pressure]
        if ctx.round.name == "opening":
            b.framing(b.fresh("opening", side_claim=side_claim), force=True)
        elif ctx.round.name == "closing":
            b.framing(b.fresh("closing"), force=True)
        substantive = sorted(
            (m for m in moves if m.kind != "pressure"),
            key=lambda m: (PRIORITY[m.kind], -m.score, m.start),
        )
        handlers = {
            "claim": self._claim,
            "question": self._question,
            "precedent": self._precedent,
            "concession": self._concession,
            "challenge": self._challenge,
        }
        closing = ctx.round.name == "closing"
        reserve = (b.max_words or 0) // 2 if closing else 0  # a closing weighs, above all
        if b.max_words is not None:
            b.max_words -= reserve
        for n, move in enumerate(substantive):
            self.share = self._share(len(substantive) - n)
            item = self._again(move) or handlers[move.kind](move)
            if item is not None:
                clash.append(item)
                self._remember(move, item)
        self.share = None
        if b.max_words is not None:
            b.max_words += reserve
        if not substantive and ctx.round.name != "opening":
            b.framing(b.fresh("no_points"))
        if ctx.round.name == "closing":
            self._weigh(side_claim)
        else:
            for n in range(2 if ctx.round.name == "opening" else 1):
                left = b.remaining()
                if n and left is not None and left < MIN_ADVANCE_WORDS:
                    break
                self._advance(first=not self.advanced)
        reply = b.build(clash)
        return TurnResult(reply, tuple(sorted(self.picker.used)), tuple(self.advanced))

    # -- helpers ---------------------------------------------------------------
    def _user_vectors(self, moves: list[ReadMove]) -> np.ndarray:
        """The user's moves in this debate (earlier turns' and this speech's), as vectors."""
        earlier = list(self.state.user_moves)
        rows = [self.index.embed(earlier)] if earlier else []
        now = [m.focus for m in moves if m.kind != "pressure"]
        rows += [np.stack(now)] if now else []
        return np.concatenate(rows) if rows else np.zeros((0, 0), dtype=np.float32)

    def _share(self, moves_left: int) -> int | None:
        """A fair share of the words left for each move still to answer (and one more point)."""
        left = self.b.remaining()
        if left is None:
            return None
        extra = 0 if self.ctx.round.name == "closing" else 1
        return max(MIN_SHARE, left // (moves_left + extra))

    @staticmethod
    def _target(move: ReadMove) -> tuple[str, str] | None:
        if move.key_point is None or move.kind in ("question", "concession"):
            return None
        return move.kind if move.kind == "challenge" else "point", move.key_point.id

    def _again(self, move: ReadMove) -> ClashItem | None:
        """A move making a point already answered in this reply shares that answer."""
        target = self._target(move)
        done = self._handled.get(target) if target else None
        return done.model_copy(update={"point": move.text, "kind": move.kind}) if done else None

    def _remember(self, move: ReadMove, item: ClashItem) -> None:
        target = self._target(move)
        if target is not None:
            self._handled.setdefault(target, item)

    def _declare(self, template: str) -> bool:
        """Say a line once per reply; later moves of the kind share it."""
        if template in self._declared:
            return True
        said = self._say(self.b.fresh(template))
        if said:
            self._declared.add(template)
        return said

    def _unanswerable(self, template: str, move: ReadMove) -> bool:
        """Say plainly that the sources do not answer this move, naming it in full: a claim
        by its gist, a question whole when it is short, or by the point it concerns; never
        by a cut-off quote."""
        if template == "question_unanswerable":
            asked = question_gist(move.ask or move.text)
            kp = move.key_point
            options = [
                ("question_uncovered", {"question": asked}) if asked else None,
                ("question_uncovered_topic", {"tag": kp.label}) if kp and move.strong else None,
            ]
        else:
            said = user_gist(move.text, loose=True)
            kp = move.key_point if move.strong else None
            rests = kp is not None and kp.side == self.ctx.bot_side and self._is_made(kp)
            options = [
                ("claim_uncovered", {"said": said}) if said else None,
                ("challenge_rests", {"tag": kp.label}) if kp and rests else None,
                ("claim_uncovered_topic", {"tag": kp.label}) if kp and not rests else None,
            ]
        # The same template twice in one reply rotates its variant.
        shift = self._uses.get(template, 0)
        self._uses[template] = shift + 1
        texts = [self.b.fresh_at(name, shift, **values) for name, values in filter(None, options)]
        texts = [t for t in texts if t is not None]
        generic = f"{template}_generic" if template == "question_unanswerable" else None
        self.b.begin_move()
        added = self.b.framing(
            texts[0] if texts else None,
            texts[1] if len(texts) > 1 else generic and self.b.fresh_at(generic, shift),
        )
        if not added and len(texts) > 1 and generic:
            added = self.b.framing(self.b.fresh_at(generic, shift))
        if not added and template == "question_unanswerable":
            added = self.b.framing(self.b.fresh_at("question_uncovered_generic", shift))
        elif not texts:
            # A claim that can be named by neither its words nor its point is listed in the
            # clash list as beyond the sources, and not answered with a vague line.
            added = True
        self.b.end_move()
        return added

    def _is_made(self, kp: KeyPoint) -> bool:
        return kp.id in self.advanced or kp.id in self.made_now

    def _closeness(self, kp: KeyPoint, focus: np.ndarray | None) -> float:
        if focus is None:
            return 0.0
        return float(self.amap.kp_vectors[self._kp_row[kp.id]] @ focus)

    def _argue(
        self,
        kp: KeyPoint,
        lead: str | None,
        generic: str | None,
        focus: np.ndarray | None,
        allow_seed: bool = False,
        max_claims: int = 1,
        min_closeness: float | None = None,
    ) -> list[EvidenceSentence]:
        """One move: a lead-in and fresh evidence for ``kp``; nothing when none fits.

        With ``min_closeness``, only evidence at least that close to ``focus`` is used.
        """
        self.b.begin_move()
        candidates = self.picker.for_point(kp.id, focus, allow_seed)
        if min_closeness is not None and focus is not None:
            candidates = [c for c in candidates if self.picker.closeness(c, focus) >= min_closeness]
        budget = self.share
        if focus is not None and candidates:
            # Evidence that meets the user's very words comes first, closest first, and
            # may take a little more than the move's share of the words.
            meets = [c for c in candidates if self.picker.closeness(c, focus) >= ENGAGE_MIN]
            meets.sort(key=lambda c: -self.picker.closeness(c, focus))
            candidates = [*meets, *(c for c in candidates if c not in meets)]
            if meets and budget is not None:
                budget += ON_POINT_SLACK
        used = self.b.segment([(lead, generic)], candidates, max_claims=max_claims, budget=budget)
        self.b.end_move()
        if used:
            self.picker.mark(used)
            self.made_now.add(kp.id)
            if kp.id not in self.advanced:
                self.advanced.append(kp.id)
        return used

    def _generic(self, tag: str) -> str | None:
        """A lead-in naming a point by its tag: a new point mid-debate, a weight in a closing."""
        closing = self.ctx.round.name == "closing"
        return self.b.fresh("closing_generic" if closing else "advance_generic", tag=tag)

    def _say(self, text: str | None) -> bool:
        """A framing-only move (a plain concession or an "unanswerable")."""
        self.b.begin_move()
        said = self.b.framing(text)
        self.b.end_move()
        return said

    def _point_lead(self, template: str, generic: str, kp: KeyPoint, **values: str) -> tuple:
        """A lead-in that states ``kp`` in full the first time, and by its tag afterwards."""
        if self._is_made(kp):
            return self.b.fresh(generic, tag=kp.label, **values), None
        short = f"{template}_short"
        fallback = short if short in self.b.templates.templates else generic
        return (
            self.b.fresh(template, point=strip_period(kp.text), **values),
            self.b.fresh(fallback, tag=kp.label, **values),
        )

    def _engages(self, kp: KeyPoint, focus: np.ndarray | None) -> float:
        """How closely ``kp`` (its text or its closest fresh card) meets the user's words."""
        return max(self._closeness(kp, focus), self._best_card(kp, focus))

    def _best_card(self, kp: KeyPoint, focus: np.ndarray | None) -> float:
        """Cosine between the user's words and ``kp``'s closest fresh evidence (0 if none)."""
        if focus is None:
            return 0.0
        rows = [
            self.amap.rows[c.key] for c in self.picker.for_point(kp.id) if c.key in self.amap.rows
        ]
        return float(np.max(self.amap.vectors[rows] @ focus)) if rows else 0.0

    def _bot_answers(self, user_kp: KeyPoint, focus: np.ndarray | None) -> list[KeyPoint]:
        """The bot's points to answer ``user_kp`` with, the one whose evidence meets the
        user's very words first: the points the map links to it (preferred by
        ``LINK_BONUS``), and, given the user's words, any other point of the bot's side."""
        linked = [a for a in self.motion.answers_to(user_kp.id) if a.side == self.ctx.bot_side]
        pool = list(linked)
        if focus is not None:
            pool += [kp for kp in self.motion.points(self.ctx.bot_side) if kp not in linked]
        return sorted(
            pool,
            key=lambda a: (
                a.id in self.made_now,
                not self.picker.has_fresh(a.id),
                -(self._best_card(a, focus) + LINK_BONUS * (a in linked)),
            ),
        )

    def _answering(self, user_kp: KeyPoint, focus: np.ndarray | None) -> list[KeyPoint]:
        """The bot's answers to ``user_kp`` whose evidence touches the user's words: a linked
        point's from ``LINKED_MIN``, any other point's from ``ENGAGE_MIN``; no card is read
        against words it does not touch."""
        linked = {a.id for a in self.motion.answers_to(user_kp.id)}
        return [
            a
            for a in self._bot_answers(user_kp, focus)
            if self._best_card(a, focus) >= (LINKED_MIN if a.id in linked else ENGAGE_MIN)
        ]

    def _on_point(self, kp: KeyPoint, focus: np.ndarray | None) -> bool:
        """Whether ``kp``'s best fresh evidence speaks to the user's own words."""
        cards = self.picker.for_point(kp.id, focus)[:1]
        rows = [self.amap.rows[c.key] for c in cards if c.key in self.amap.rows]
        if focus is None or not rows:
            return False
        return float(self.amap.vectors[rows[0]] @ focus) >= ON_POINT

    def _said_lead(
        self, move: ReadMove, answer: KeyPoint, weigh: bool = False
    ) -> tuple[str | None, str | None] | None:
        """A lead-in that names the user's move in the user's words ("You say that ...").

        It says the record qualifies the claim only when the evidence speaks to the user's
        very words; otherwise it weighs the evidence against the claim. None without a gist.
        """
        said = user_gist(move.text)
        if said is None:
            return None
        opener = self._opener()
        tagged = self.b.fresh("rebut_said_tag", opener=opener, said=said, tag=answer.label)
        if self._is_made(answer):
            return tagged, None
        on_point = not weigh and self._on_point(answer, move.focus)
        template = "rebut_said" if on_point else "rebut_said_weigh"
        point = strip_period(answer.text)
        return self.b.fresh(template, opener=opener, said=said, point=point), tagged

    def _opener(self) -> str:
        """The next phrase that names the user's move ("You say that", "You argue that")."""
        opener = OPENERS[(self.ctx.turn + self._named) % len(OPENERS)]
        self._named += 1
        return opener

    def _rebut(self, move: ReadMove, user_kp: KeyPoint) -> KeyPoint | None:
        """Answer a user point with a linked point of the bot's side; the point used."""
        topic = user_kp.label
        for answer in self._answering(user_kp, move.focus):
            lead, generic = self._said_lead(move, answer) or self._point_lead(
                "rebut", "rebut_tag", answer, topic=topic
            )
            if self._argue(
                answer, lead, generic or self.b.fresh("rebut_generic", topic=topic), move.focus
            ):
                return answer
        return None

    def _refer(self, user_kp: KeyPoint) -> KeyPoint | None:
        """Answer by pointing to a linked point already made, when no fresh evidence fits."""
        made = [a for a in self._bot_answers(user_kp, None) if self._is_made(a)]
        for answer in made:
            text = self.b.fresh("rebut_reference", topic=user_kp.label, tag=answer.label)
            if self._say(text):
                return answer
        return None

    def _nearest(self, focus: np.ndarray) -> KeyPoint | None:
        own = [kp for kp in self.motion.points(self.ctx.bot_side) if self.picker.has_fresh(kp.id)]
        touching = [kp for kp in own if self._best_card(kp, focus) >= LINKED_MIN]
        scored = sorted(((self._engages(kp, focus), kp.id, kp) for kp in touching), reverse=True)
        if scored and scored[0][0] >= NEAREST_MIN:
            return scored[0][2]
        return None

    # -- moves -------------------------------------------------------------------
    def _claim(self, move: ReadMove, kind: str = "claim") -> ClashItem | None:
        kp = move.key_point
        if kp is not None and kp.side == self.ctx.user_side:
            answer = self._rebut(move, kp) or self._refer(kp)
            if answer is not None:
                return ClashItem(
                    point=move.text, kind=kind, key_point_id=kp.id, answered_by=[answer.id]
                )
            if not self._conceded and self.ctx.round.name != "closing":
                return self._concede(move, kp, kind)  # a closing weighs; it gives nothing away
        near = self._nearest(move.focus)
        if near is not None:
            lead = (
                self.b.fresh("rebut_nearest", point=strip_period(near.text))
                if not self._is_made(near)
                else None
            )
            generic = self._generic(near.label)
            said = self._said_lead(move, near, weigh=True)
            if said is not None:
                lead, generic = said[0], said[1] or generic
            if self._argue(near, lead, generic, move.focus):
                return ClashItem(point=move.text, kind=kind, answered_by=[near.id])
        if self._from_sources(move, "claim_answer"):
            return ClashItem(point=move.text, kind=kind)
        back = self._refer_back(move.focus)
        if back is not None:
            return ClashItem(point=move.text, kind=kind, answered_by=[back.id])
        if self._unanswerable("claim_unanswerable", move):
            return ClashItem(point=move.text, kind=kind, status="unanswerable")
        return None

    def _refer_back(self, focus: np.ndarray | None) -> KeyPoint | None:
        """Once the fresh evidence is spent, point back briefly to the closest point the bot
        made in an earlier turn (never a repeat of its evidence)."""
        earlier = [self.motion.key_point(i) for i in self.state.advanced]
        own = [kp for kp in earlier if kp.side == self.ctx.bot_side]
        if focus is None or not own:
            return None
        scores = self.amap.kp_vectors[[self._kp_row[kp.id] for kp in own]] @ focus
        kp = closest_point(own, scores, NEAREST_MIN, self._referred)
        if kp is not None and self._say(self.b.fresh("rebut_reference_plain", tag=kp.label)):
            self._referred.add(kp.id)
            return kp
        return None

    def _concede(self, move: ReadMove, kp: KeyPoint, kind: str) -> ClashItem | None:
        """Grant the user's point explicitly, quoting its evidence inside the concession."""
        self.b.begin_move()
        used = self.b.segment(
            [(self.b.fresh("concede", topic=kp.label), None)],
            self.picker.conceding(kp.id)[:3],
            concession=True,
            budget=self.share,
        )
        self.b.end_move()
        if used:
            self.picker.mark(used)
        elif not self._say(self.b.fresh("concede_plain", topic=kp.label)):
            return None
        self._conceded = True
        return ClashItem(
            point=move.text, kind=kind, status="conceded", conceded=True, key_point_id=kp.id
        )

    def _own_answer(self, found: list[EvidenceSentence]) -> list[EvidenceSentence]:
        """What the sources say that clearly serves the bot's side and is no fact the user
        already put in play."""
        return [
            s
            for s in found
            if s.key not in self.picker.used
            and self.picker.clearly_serves(s)
            and not s.seed
            and not self.picker.restates_user(s)
        ]

    def _from_sources(self, move: ReadMove, template: str, max_claims: int = 1) -> bool:
        """Answer a move as a question to the sources would be answered (/ask's selector),
        with evidence that clearly serves the bot's side; False when there is none."""
        own = self._own_answer(self.find_answer(move.ask or move.text))
        if not own:
            return False
        self.b.begin_move()
        used = self.b.segment(
            [(self.b.fresh(template), None)], own, max_claims=max_claims, budget=self.share
        )
        self.b.end_move()
        self.picker.mark(used)
        return bool(used)

    def _question(self, move: ReadMove) -> ClashItem | None:
        kp_id = move.key_point.id if move.key_point else None
        asked = move.ask or move.text
        positioned = False
        if _ASKS_POSITION.search(asked) and not self._stated_position:
            # A question about what the bot holds gets its position first, never "the
            # sources do not say".
            side_claim = strip_period(getattr(self.motion.sides, self.ctx.bot_side))
            positioned = self._stated_position = self._say(
                self.b.fresh_at("question_position", text_shift(asked), side_claim=side_claim)
            )
        found = [s for s in self.find_answer(asked) if s.key not in self.picker.used]
        # An answer argues the bot's side only when it clearly serves it; one that serves the
        # user's side is quoted inside a concession; anything unsure is left out.
        if self._from_sources(move, "question_answer", max_claims=2):
            return ClashItem(point=move.text, kind="question", key_point_id=kp_id)
        # Conceded only on evidence the map files under the user's side (similarity cannot
        # tell a concession from an own goal), and at most once per speech.
        user_side = self.ctx.user_side
        theirs = [s for s in found if self.amap.cards.side_of(*_span(s)) == user_side]
        if theirs and not self._conceded:
            self.b.begin_move()
            used = self.b.segment(
                [(self.b.fresh("question_concede"), None)],
                theirs,
                concession=True,
                budget=self.share,
            )
            self.b.end_move()
            if used:
                self.picker.mark(used)
                self._conceded = True
                self._pivot(move)
                return ClashItem(
                    point=move.text,
                    kind="question",
                    status="conceded",
                    conceded=True,
                    key_point_id=kp_id,
                )
        kp = move.key_point
        targeted = [kp] if kp is not None and kp.side == self.ctx.bot_side else []
        targeted = [t for t in targeted if self._best_card(t, move.focus) >= LINKED_MIN]
        # "This bears on your question" only for the bot's own point the question is about,
        # with evidence that meets the question's words.
        for point in targeted:
            lead = self.b.fresh("question_bears")
            if self._argue(point, lead, None, move.focus, min_closeness=ENGAGE_MIN):
                return ClashItem(
                    point=move.text, kind="question", key_point_id=point.id, answered_by=[point.id]
                )
        if positioned:  # the position was the answer
            return ClashItem(point=move.text, kind="question", key_point_id=kp_id)
        if not self._unanswerable("question_unanswerable", move):
            return None
        # A question that presses the user's own point is not answered with a rebuttal of
        # that point: its evidence would be framed as answering a question it does not (the
        # point itself is met where the user makes it as a claim).
        return ClashItem(point=move.text, kind="question", status="unanswerable")

    def _pivot(self, move: ReadMove) -> None:
        """After a concession, turn back to the bot's case with its nearest fresh point."""
        near = self._nearest(move.focus)
        if near is not None and not self._is_made(near):
            lead = self.b.fresh("question_pivot", point=strip_period(near.text))
            self._argue(near, lead, None, move.focus)

    @cached_property
    def _common_names(self) -> set[str]:
        """Names too common in this motion's sources to identify a precedent (per map)."""
        key = f"names:{self.amap.fingerprint}"
        if key not in _PER_MAP:
            _PER_MAP[key] = self._count_common_names()
        return _PER_MAP[key]

    def _count_common_names(self) -> set[str]:
        terms = {t.lower for text in motion_terms(self.motion) for t in tf.tokenize(text)}
        docs: dict[str, set[str]] = {}
        for sentence in self.amap.sentences:
            words = {t.lower for t in tf.names(tf.tokenize(sentence.text))}
            docs.setdefault(sentence.doc_id, set()).update(words)
        counts: dict[str, int] = {}
        for words in docs.values():
            for word in words:
                counts[word] = counts.get(word, 0) + 1
        floor = max(2, int(COMMON_NAME_SHARE * len(docs)))
        return terms | {word for word, n in counts.items() if n >= floor}

    @cached_property
    def _source_words(self) -> set[str]:
        key = f"words:{self.amap.fingerprint}"
        if key not in _PER_MAP:
            _PER_MAP[key] = {t.lower for s in self.amap.sentences for t in tf.tokenize(s.text)}
        return _PER_MAP[key]

    def _mentions(self, kp: KeyPoint, case: str) -> bool:
        texts = [kp.text, *(c.text for c in self.amap.cards_for(kp.id))]
        token = tf.tokenize(case)[0]
        return any(tf.name_in(token, {t.lower for t in tf.tokenize(text)}) for text in texts)

    def _precedent(self, move: ReadMove) -> ClashItem | None:
        cases = [n for n in move.names if n.lower() not in self._common_names]
        own = sorted(
            self.motion.points(self.ctx.bot_side), key=lambda kp: -self._closeness(kp, move.focus)
        )
        for case in cases:
            for kp in own:
                if not self._mentions(kp, case) or not self.picker.has_fresh(kp.id):
                    continue
                if self._is_made(kp):
                    lead, generic = self.b.fresh("precedent_generic", case=case), None
                else:
                    lead = self.b.fresh(
                        "precedent_distinguish", case=case, point=strip_period(kp.text)
                    )
                    generic = self.b.fresh("precedent_generic", case=case)
                if self._argue(kp, lead, generic, move.focus):
                    kp_id = move.key_point.id if move.key_point else None
                    return ClashItem(
                        point=move.text, kind="precedent", key_point_id=kp_id, answered_by=[kp.id]
                    )
        uncovered = [c for c in cases if c.lower() not in self._source_words]
        if uncovered and self._say(self.b.fresh("precedent_uncovered", case=uncovered[0])):
            return ClashItem(point=move.text, kind="precedent", status="unanswerable")
        return self._claim(move, kind="precedent")

    def _challenge(self, move: ReadMove) -> ClashItem | None:
        kp = move.key_point
        if kp is None or kp.side != self.ctx.bot_side:
            return self._claim(move, kind="challenge")
        # Defence framing ("my point on X holds") only for a point the bot made in an
        # earlier turn and a move that clearly attacks it.
        if not move.strong or kp.id not in self.state.advanced:
            return self._weigh_against(move, kp)
        self.challenged_now.add(kp.id)
        said = user_gist(move.text)
        plain = self.b.fresh("defend", tag=kp.label)
        lead = (
            self.b.fresh("defend_said", opener=self._opener(), said=said, tag=kp.label)
            if said
            else plain
        )
        if self._argue(kp, lead, plain if said else None, move.focus):
            return ClashItem(
                point=move.text, kind="challenge", key_point_id=kp.id, answered_by=[kp.id]
            )
        for sibling in self.motion.points(self.ctx.bot_side):
            linked = set(sibling.rebuts) & set(kp.rebuts)
            if sibling.id != kp.id and linked and self.picker.has_fresh(sibling.id):
                lead, generic = self._point_lead("rebut_nearest", "advance_generic", sibling)
                if self._argue(sibling, lead, generic, move.focus):
                    return ClashItem(
                        point=move.text,
                        kind="challenge",
                        key_point_id=kp.id,
                        answered_by=[sibling.id],
                    )
        return None  # nothing fresh to say for it: better unanswered than a point given away

    def _weigh_against(self, move: ReadMove, kp: KeyPoint) -> ClashItem | None:
        """A loose match to a bot point is weighed against it, not defended by name: the bot
        never claims a point survived a challenge nobody clearly made."""
        if self._best_card(kp, move.focus) < LINKED_MIN:
            return self._claim(move, kind="challenge")  # its evidence does not touch the move
        said = self._said_lead(move, kp, weigh=True)
        generic = self._generic(kp.label)
        if said is not None:
            lead, generic = said[0], said[1] or generic
        elif self._is_made(kp):
            lead = None
        else:
            lead = self.b.fresh("rebut_nearest", point=strip_period(kp.text))
        if self._argue(kp, lead, generic, move.focus):
            return ClashItem(point=move.text, kind="challenge", answered_by=[kp.id])
        if said is not None:  # the user's words did not fit: the point alone, more briefly
            plain = (
                None
                if self._is_made(kp)
                else self.b.fresh("rebut_nearest", point=strip_period(kp.text))
            )
            if self._argue(kp, plain, self._generic(kp.label), move.focus):
                return ClashItem(point=move.text, kind="challenge", answered_by=[kp.id])
        return self._claim(move, kind="challenge")

    def _concession(self, move: ReadMove) -> ClashItem | None:
        kp = move.key_point
        if kp is not None and kp.side == self.ctx.bot_side and move.strong:
            # The variant follows the user's words too, so debates do not all take a
            # concession up with the same line.
            lead = self.b.fresh_at("concession_used", text_shift(move.text), tag=kp.label)
            if self._argue(kp, lead, None, move.focus) or self._say(lead):
                return ClashItem(
                    point=move.text, kind="concession", key_point_id=kp.id, answered_by=[kp.id]
                )
        granted = granted_gist(move.text)
        if granted and self._say(self.b.fresh("concession_named", granted=granted)):
            self._named_grants.add(granted)
            return ClashItem(point=move.text, kind="concession")
        if self.ctx.round.name == "closing":
            # A closing takes an unnamed concession up in its weighing, not with a stock line.
            self._unnamed_grant = True
            return ClashItem(point=move.text, kind="concession")
        if self._declare("concession_noted"):
            return ClashItem(point=move.text, kind="concession")
        return None

    # -- the bot's own case ------------------------------------------------------
    def _advance(self, first: bool) -> bool:
        """Make one of the bot's points not yet made, factual sources before the seed."""
        own = [kp for kp in self.motion.points(self.ctx.bot_side) if not self._is_made(kp)]
        own.sort(key=lambda kp: not self.picker.has_fresh(kp.id))  # stable: map order
        template = "first_point" if first else "advance"
        for kp in own:
            lead = self.b.fresh(template, point=strip_period(kp.text))
            generic = self._generic(kp.label)
            if self._argue(kp, lead, generic, None, allow_seed=True):
                return True
        return False

    def _attacked(self) -> set[str]:
        """The bot's points the user attacked: challenged directly, or met by a user point
        that the map links to them (either way round)."""
        attacked = set(self.state.challenged | self.challenged_now)
        user_points = set(self.state.user_points)
        for kp in self.motion.points(self.ctx.bot_side):
            linked = set(kp.rebuts) | {a.id for a in self.motion.answers_to(kp.id)}
            if linked & user_points:
                attacked.add(kp.id)
        return attacked

    def _dropped(self, made: list[KeyPoint]) -> list[KeyPoint]:
        """The bot's points that no user move, in any turn, matched, attacked, conceded or
        named: only these may be called unanswered."""
        now = [m for m in self._moves_now if m.key_point is not None]
        engaged = self._attacked() | set(self.state.touched)
        engaged |= {m.key_point.id for m in now if m.key_point and m.kind != "concession"}
        conceded = {c.key_point_id for c in self.state.concessions if c.key_point_id}
        conceded |= {m.key_point.id for m in now if m.key_point and m.kind == "concession"}
        texts = [*self.ctx.history, *self.state.user_moves, self.message]
        left = unanswered(made, texts, engaged, conceded, framing_stems(self.motion))
        return [kp for kp in left if kp.id not in self._engaged_by_meaning(left, texts)]

    def _engaged_by_meaning(self, points: list[KeyPoint], texts: list[str]) -> set[str]:
        """Points some sentence the user said comes close to in meaning (an attack in other
        words than the point's label)."""
        sentences = [t[a:b] for t in texts for a, b in split_sentences(t)]
        if not points or not sentences:
            return set()
        vectors = self.index.embed(sentences)
        rows = [self._kp_row[kp.id] for kp in points]
        best = (np.asarray(vectors) @ self.amap.kp_vectors[rows].T).max(axis=0)
        return {
            kp.id for kp, score in zip(points, best, strict=True) if score >= self.limits.challenge
        }

    def _recall_concessions(self) -> bool:
        """Closing: what the user granted, in the user's own words (at most two)."""
        texts = [*(c.text for c in self.state.concessions), *self._granted_now]
        said: list[str] = []
        for gist in (granted_gist(text) for text in texts):
            if gist and not _same_fact(gist, [*said, *self._named_grants]):
                said.append(gist)
        said = said[-2:]
        if said:
            granted = " and that ".join(said)
            return self.b.framing(self.b.fresh("closing_granted", granted=granted))
        return False

    def _weigh(self, side_claim: str) -> None:
        """Closing: dropped points, the user's concessions, what stands, and why it wins.

        The weighing line is reserved first, so it always fits within the word limit.
        """
        b = self.b
        verdict = b.fresh("closing_weigh", side_claim=side_claim)
        framing = self._user_framing()
        balance = BALANCE_WORDS + (word_count(framing) + FRAMING_WORDS if framing else 0)
        reserve = (word_count(verdict) if verdict else 0) + balance
        if b.max_words is not None:
            b.max_words -= reserve
        made = [self.motion.key_point(i) for i in self.advanced]
        made = [kp for kp in made if kp.side == self.ctx.bot_side]
        dropped = self._dropped(made)
        if dropped:
            labels = join_labels([kp.label for kp in dropped[:2]])
            b.framing(b.fresh("closing_dropped", tags=labels))
        granted = self._recall_concessions() or self._unnamed_grant
        standing = dropped + [kp for kp in made if kp not in dropped]
        standing += [kp for kp in self.motion.points(self.ctx.bot_side) if kp not in standing]
        recalled: list[KeyPoint] = []
        for kp in standing:
            if len(recalled) == 2:
                break
            # "My point on X still stands" only for a point made; any other is stated.
            if self._is_made(kp):
                lead, generic = self.b.fresh("closing_point_generic", tag=kp.label), None
            else:
                lead = self.b.fresh("closing_point", point=strip_period(kp.text))
                generic = self._generic(kp.label)
            if self._argue(kp, lead, generic, None, allow_seed=True):
                recalled.append(kp)
        if b.max_words is not None:
            b.max_words += reserve
        # The weighing: the claim the user's closing rests on, or what was granted, set
        # against the bot's points that stand (recalled now, else made in the debate).
        weighed = recalled or [kp for kp in standing if self._is_made(kp)][:2]
        if weighed:
            tags = join_labels([kp.label for kp in weighed])
            template = "closing_balance_granted" if granted else "closing_balance"
            answer = (
                b.fresh_at("closing_framing", text_shift(framing), said=framing, tags=tags)
                if framing
                else None
            )
            b.framing(answer, b.fresh(template, tags=tags))
        b.framing(verdict)

    def _lower_lead(self, said: str) -> str:
        """The gist with its first word lowercased, unless the user writes it capitalized
        inside a sentence too (a name: "Washington asked ...")."""
        first = said.split()[0].strip(",")
        if not first[:1].isupper() or first.lower() in self._capitalized:
            return said
        if re.search(rf"[a-z,;:]\s+{re.escape(first)}\b", self.message):
            return said
        return said[0].lower() + said[1:]

    @cached_property
    def _capitalized(self) -> set[str]:
        """Words the sources capitalize inside a sentence (names), per map."""
        key = f"caps:{self.amap.fingerprint}"
        if key not in _PER_MAP:
            found = (_INNER_CAPITAL.findall(s.text) for s in self.amap.sentences)
            _PER_MAP[key] = {word.lower() for words in found for word in words}
        return _PER_MAP[key]

    def _user_framing(self) -> str | None:
        """The test the user's closing sets for the round: the gist of its last claim."""
        for move in reversed(self._moves_now):
            framing = move.kind in ("claim", "challenge") and not move.thesis
            said = user_gist(move.text) if framing else None
            if said and said.split()[-1].lower() not in _HANGING:
                return self._lower_lead(said)
        return None
