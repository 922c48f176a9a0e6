"""The offline, deterministic engine: replies built from quoted evidence and templates.

Each debate turn answers the user's points with the bot's key points that rebut them
(or concedes explicitly), then advances one of the bot's unused key points. Evidence
already cited in the debate is not repeated while unused evidence remains.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bot.domain.argument_map import ArgumentMap, ArgumentMapper
from bot.domain.evidence import SentenceIndex
from bot.domain.motions import KeyPoint, Motion, Side, motion_terms, opposite
from bot.domain.replies import ClashItem, Reply
from bot.engines.base import Case, CasePoint, CaseRebuttal, TurnContext, TurnResult
from bot.engines.extractive.clash import EvidencePicker, UserPoint, find_user_points
from bot.engines.extractive.composer import ReplyBuilder
from bot.engines.extractive.manipulation import is_manipulation
from bot.engines.extractive.qa import QuestionAnswerer
from bot.engines.templates import TemplateSet
from retrieval.records import SearchHit

QA_HITS = 8
POINTS_PER_TURN = 2


class SearchSource(Protocol):
    """What Q&A needs from retrieval."""

    def search(
        self, query: str, k: int = 5, where: dict[str, Any] | None = None
    ) -> list[SearchHit]:
        """Ranked passages for ``query``."""
        ...


def _strip_period(text: str) -> str:
    return text.rstrip().rstrip(".")


class ExtractiveEngine:
    """Implements :class:`bot.engines.base.DebateEngine` without any language model."""

    def __init__(
        self,
        mapper: ArgumentMapper,
        retriever: SearchSource,
        index: SentenceIndex,
        templates: TemplateSet,
    ) -> None:
        self.mapper = mapper
        self.retriever = retriever
        self.index = index
        self.templates = templates
        self._focus = index.calibration.focus_weight

    # -- debate --------------------------------------------------------------
    def reply_turn(self, ctx: TurnContext, message: str) -> TurnResult:
        """Answer the user's points, then advance (or, closing, recall) the bot's case."""
        amap = self.mapper.get(ctx.motion)
        b = ReplyBuilder(
            self.templates, [*motion_terms(ctx.motion), message], ctx.round.max_words, ctx.turn
        )
        picker = EvidencePicker(amap, ctx.used_evidence, ctx.user_side, self._focus)
        advanced = list(ctx.advanced_points)
        side_claim = _strip_period(getattr(ctx.motion.sides, ctx.bot_side))
        if is_manipulation(message):
            b.framing(b.render("hold_side", side=ctx.bot_side))
        if ctx.round.name == "opening":
            b.framing(b.render("opening", side_claim=side_claim))
        elif ctx.round.name == "closing":
            b.framing(b.render("closing", side_claim=side_claim))
        points = find_user_points(amap, self.index, message, ctx.user_side, POINTS_PER_TURN)
        clash = [self._answer(b, picker, amap, ctx, point, advanced) for point in points]
        if not points and ctx.round.name != "opening":
            b.framing(b.render("no_points"))
        if ctx.round.name == "closing":
            self._recall(b, picker, ctx, advanced)
        else:
            for n in range(2 if ctx.round.name == "opening" else 1):
                self._advance(b, picker, ctx, advanced, first=n == 0 and not advanced)
        return TurnResult(b.build(clash), tuple(sorted(picker.used)), tuple(advanced))

    def _answer(
        self,
        b: ReplyBuilder,
        picker: EvidencePicker,
        amap: ArgumentMap,
        ctx: TurnContext,
        point: UserPoint,
        advanced: list[str],
    ) -> ClashItem:
        """Rebut ``point`` with a linked key point and its evidence, or concede it.

        Answers not yet made in this turn come first, then ones with fresh evidence, then
        the one closest to what the user said. Answering makes the key point (``advanced``).
        """
        user_kp = point.key_point
        answers = [kp for kp in ctx.motion.answers_to(user_kp.id) if kp.side == ctx.bot_side]
        index = {kp.id: i for i, kp in enumerate(ctx.motion.key_points)}
        this_turn = set(advanced) - set(ctx.advanced_points)
        answers.sort(
            key=lambda kp: (
                kp.id in this_turn,
                not picker.has_fresh(kp.id),
                -float(amap.kp_vectors[index[kp.id]] @ point.focus),
            )
        )
        for kp in answers:
            generic = b.render("answer_generic")
            restated = kp.id in this_turn  # said once this turn already: do not repeat it
            text = generic if restated else b.render("answer", point=_strip_period(kp.text))
            framing = (text, generic)
            used = b.segment([framing], picker.candidates(kp.id, point.focus))
            if used:
                picker.mark(used)
                if kp.id not in advanced:
                    advanced.append(kp.id)
                return ClashItem(point=user_kp.text, key_point_id=user_kp.id, answered_by=[kp.id])
        concede = (
            b.render("concede", point=_strip_period(user_kp.text)),
            b.render("concede_generic"),
        )
        conceding = [s.sentence for s in amap.evidence(user_kp.id)]
        if not b.segment(
            [concede, (b.render("concession_evidence"), None)], conceding[:3], concession=True
        ):
            b.framing(*concede, force=True)
        return ClashItem(point=user_kp.text, key_point_id=user_kp.id, conceded=True)

    def _advance(
        self,
        b: ReplyBuilder,
        picker: EvidencePicker,
        ctx: TurnContext,
        advanced: list[str],
        first: bool,
    ) -> None:
        """Make one of the bot's key points not yet made (or reinforce one when all are)."""
        own = ctx.motion.points(ctx.bot_side)
        fresh = [kp for kp in own if kp.id not in advanced and picker.has_fresh(kp.id)]
        if fresh:
            template = "first_point" if first else "advance"
            self._make(b, picker, fresh, template, "advance_generic", advanced)
            return
        again = [kp for kp in own if picker.has_fresh(kp.id)] or own
        self._make(b, picker, again, "exhausted", "advance_generic", advanced)

    def _recall(
        self, b: ReplyBuilder, picker: EvidencePicker, ctx: TurnContext, advanced: list[str]
    ) -> None:
        """Closing: recall the bot's strongest points made so far, with fresh evidence."""
        made = [ctx.motion.key_point(i) for i in advanced] or ctx.motion.points(ctx.bot_side)
        for _ in range(2):
            if not self._make(b, picker, made, "closing_point", "closing_generic", advanced):
                break
            made = made[1:]

    def _make(
        self,
        b: ReplyBuilder,
        picker: EvidencePicker,
        options: Sequence[KeyPoint],
        template: str,
        generic: str,
        advanced: list[str],
    ) -> bool:
        for kp in options:
            framing = (b.render(template, point=_strip_period(kp.text)), b.render(generic))
            used = b.segment([framing], picker.candidates(kp.id), max_claims=2)
            if used:
                picker.mark(used)
                if kp.id not in advanced:
                    advanced.append(kp.id)
                return True
        return False

    # -- case ----------------------------------------------------------------
    def build_case(self, motion: Motion, side: Side) -> Case:
        """Each key point of ``side`` with its best evidence and the expected rebuttals."""
        amap = self.mapper.get(motion)
        b = ReplyBuilder(self.templates, motion_terms(motion))
        own = EvidencePicker(amap, frozenset(), opposite(side), self._focus)
        other = EvidencePicker(amap, frozenset(), side, self._focus)
        outline: list[tuple[KeyPoint, list[str], list[tuple[KeyPoint, list[str]]]]] = []
        for kp in motion.points(side):
            head = (b.render("case_point", point=_strip_period(kp.text)), b.render("case_generic"))
            cited = b.segment([head], own.candidates(kp.id)[:4], max_claims=2)
            rebuttals = []
            for opp in motion.answers_to(kp.id):
                rebut = (b.render("case_rebuttal", point=_strip_period(opp.text)), None)
                opp_cited = b.segment([rebut], other.candidates(opp.id)[:3])
                rebuttals.append((opp, [e.key for e in opp_cited]))
            outline.append((kp, [e.key for e in cited], rebuttals))
        reply = b.build()
        markers = {f"{c.doc_id}:{c.start}:{c.end}": c.marker for c in reply.citations}
        points = [
            CasePoint(
                key_point_id=kp.id,
                text=kp.text,
                citations=[markers[k] for k in keys],
                rebuttals=[
                    CaseRebuttal(
                        key_point_id=opp.id,
                        text=opp.text,
                        citations=[markers[k] for k in opp_keys],
                        answered_by=[r.id for r in motion.answers_to(opp.id) if r.side == side],
                    )
                    for opp, opp_keys in rebuttals
                ],
            )
            for kp, keys, rebuttals in outline
        ]
        return Case(motion_id=motion.id, side=side, reply=reply, points=points)

    # -- questions -----------------------------------------------------------
    def answer(self, question: str, motion: Motion | None) -> Reply:
        """Quote the sentences that answer ``question``, or abstain when nothing answers."""
        return QuestionAnswerer(self.retriever, self.index, self.templates).answer(question, motion)
