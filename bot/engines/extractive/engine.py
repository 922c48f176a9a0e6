"""The offline, deterministic engine: replies built from quoted evidence and templates.

A debate turn reads the user's speech as moves and answers each (see ``debate.py``); a
case sets out each key point of a side with its cards, the rebuttals to expect and the
card that answers each; a question is answered with the sentences that hold its answer.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.domain.argument_map import ArgumentMapper
from bot.domain.evidence import EvidenceSentence, SentenceIndex, score_matrix, stems_of
from bot.domain.motions import KeyPoint, Motion, Side, motion_terms, opposite
from bot.domain.replies import Reply
from bot.engines.base import Case, CasePoint, CaseRebuttal, TurnContext, TurnResult
from bot.engines.extractive.answers import select_answer
from bot.engines.extractive.composer import ReplyBuilder
from bot.engines.extractive.debate import TurnWriter, strip_period
from bot.engines.extractive.picker import EvidencePicker
from bot.engines.extractive.qa import QuestionAnswerer
from bot.engines.templates import TemplateSet
from retrieval.records import Passage, SearchHit

QA_HITS = 8
CASE_CARDS = 2


class SearchSource(Protocol):
    """What Q&A needs from retrieval."""

    def search(
        self, query: str, k: int = 5, where: dict[str, Any] | None = None
    ) -> list[SearchHit]:
        """Ranked passages for ``query``."""
        ...


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
        """Answer every move of the user's speech, then advance (or, closing, weigh)."""
        amap = self.mapper.get(ctx.motion)
        writer = TurnWriter(
            amap,
            self.index,
            self.templates,
            ctx,
            message,
            find_answer=lambda question: self.find_answer(question, ctx.motion),
        )
        return writer.write()

    # -- case ----------------------------------------------------------------
    def build_case(self, motion: Motion, side: Side) -> Case:
        """Each key point of ``side``: its best cards, the rebuttals to expect, their answers.

        No evidence sentence appears twice in a case.
        """
        amap = self.mapper.get(motion)
        b = ReplyBuilder(
            self.templates, [*motion_terms(motion), *(kp.tag or "" for kp in motion.key_points)]
        )
        own = EvidencePicker(amap, (), side, self._focus)
        other = EvidencePicker(amap, (), opposite(side), self._focus)
        # Each key point's best cards are reserved first, so answers to rebuttals elsewhere in
        # the case cannot take them.
        reserved = {
            kp.id: own.for_point(kp.id, allow_seed=True)[:CASE_CARDS] for kp in motion.points(side)
        }
        self._mark((own, other), [s for cards in reserved.values() for s in cards])
        points = []
        for kp in motion.points(side):
            cited = self._case_segment(
                b, own, other, kp, "case_point", "case_generic", CASE_CARDS, reserved[kp.id]
            )
            rebuttals = []
            for opp in motion.answers_to(kp.id):
                opp_cited = self._case_segment(
                    b, other, own, opp, "case_rebuttal", "case_rebuttal_generic", 1, opposing=True
                )
                answers = [r for r in motion.answers_to(opp.id) if r.side == side]
                answer_cited: list[EvidenceSentence] = []
                for answer in answers:
                    answer_cited = self._case_answer(b, own, other, answer)
                    if answer_cited:
                        break
                rebuttals.append((opp, opp_cited, [a.id for a in answers], answer_cited))
            points.append((kp, cited, rebuttals))
        reply = b.build()
        markers = {f"{c.doc_id}:{c.start}:{c.end}": c.marker for c in reply.citations}

        def marks(sentences: list[EvidenceSentence]) -> list[int]:
            return [markers[s.key] for s in sentences if s.key in markers]

        outline = [
            CasePoint(
                key_point_id=kp.id,
                text=kp.text,
                citations=marks(cited),
                rebuttals=[
                    CaseRebuttal(
                        key_point_id=opp.id,
                        text=opp.text,
                        citations=marks(opp_cited),
                        answered_by=answered_by,
                        answer_citations=marks(answer_cited),
                    )
                    for opp, opp_cited, answered_by, answer_cited in rebuttals
                ],
            )
            for kp, cited, rebuttals in points
        ]
        return Case(motion_id=motion.id, side=side, reply=reply, points=outline)

    @staticmethod
    def _mark(pickers: tuple[EvidencePicker, ...], used: list[EvidenceSentence]) -> None:
        for picker in pickers:
            picker.mark(used)

    def _case_segment(
        self,
        b: ReplyBuilder,
        picker: EvidencePicker,
        rival: EvidencePicker,
        kp: KeyPoint,
        template: str,
        generic: str,
        cards: int,
        candidates: list[EvidenceSentence] | None = None,
        opposing: bool = False,
    ) -> list[EvidenceSentence]:
        b.begin_move()
        head = (b.render(template, point=strip_period(kp.text)), b.render(generic, tag=kp.label))
        pool = picker.for_point(kp.id) if candidates is None else candidates
        used = b.segment([head], pool, max_claims=cards, concession=opposing)
        b.end_move()
        self._mark((picker, rival), used)
        return used

    def _case_answer(
        self, b: ReplyBuilder, picker: EvidencePicker, rival: EvidencePicker, kp: KeyPoint
    ) -> list[EvidenceSentence]:
        b.begin_move()
        head = (b.render("case_response", tag=kp.label), None)
        used = b.segment([head], picker.for_point(kp.id), max_claims=1)
        b.end_move()
        self._mark((picker, rival), used)
        return used

    # -- questions -----------------------------------------------------------
    def find_answer(self, question: str, motion: Motion | None) -> list[EvidenceSentence]:
        """The sentences that answer ``question``, best first; empty when none does."""
        where = {"motion": motion.id} if motion else None
        hits = self.retriever.search(question, k=QA_HITS, where=where)
        passages = [
            Passage(h.passage_id, h.doc_id, h.start, h.end, h.text, dict(h.metadata)) for h in hits
        ]
        sentences, vectors = self.index.sentences(passages)
        if not sentences:
            return []
        query = self.index.embed([question])
        scores = score_matrix(query, [stems_of(question)], sentences, vectors)[0]
        return select_answer(question, sentences, scores, self.index.calibration)

    def answer(self, question: str, motion: Motion | None) -> Reply:
        """Quote the sentences that answer ``question``, part by part, or abstain (qa.py)."""
        return QuestionAnswerer(self.retriever, self.index, self.templates).answer(question, motion)
