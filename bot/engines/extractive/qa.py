"""Answering a question from the sources: retrieve per part, select, and compose the reply.

The question is searched whole and, when it has parts, part by part, so each part gets its
own evidence. :class:`AnswerSelector` picks the sentences; the reply quotes them verbatim
behind a framing sentence that states no facts ("Yes, according to the sources:"), and
names the parts the sources leave unanswered.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.domain.evidence import SentenceIndex
from bot.domain.motions import Motion, motion_terms
from bot.domain.replies import Reply
from bot.engines.extractive.answers import AnswerPlan, AnswerSelector
from bot.engines.extractive.composer import ReplyBuilder
from bot.engines.extractive.question_types import analyze
from bot.engines.templates import TemplateSet
from retrieval.records import Passage, SearchHit

QA_HITS = 30  # passages for the whole question
PART_HITS = 15  # more passages for each part of a question with parts
PRIOR_SCALE = 5.0  # the passage ranked n-th gets a prior of 1 / (1 + n / 5)
_OPENINGS = {"yes": "qa_yes", "no": "qa_no", "mixed": "qa_mixed"}


class SearchSource(Protocol):
    """What Q&A needs from retrieval."""

    def search(
        self, query: str, k: int = 5, where: dict[str, Any] | None = None
    ) -> list[SearchHit]:
        """Ranked passages for ``query``."""
        ...


def _passages(hits: list[SearchHit]) -> list[Passage]:
    return [Passage(h.passage_id, h.doc_id, h.start, h.end, h.text, dict(h.metadata)) for h in hits]


class QuestionAnswerer:
    """Answers questions with quoted, cited sentences, or abstains."""

    def __init__(self, retriever: SearchSource, index: SentenceIndex, templates: TemplateSet):
        self.retriever = retriever
        self.index = index
        self.templates = templates

    def plan(self, question: str, motion: Motion | None) -> AnswerPlan:
        """The sentences that answer ``question`` and the parts left unanswered."""
        frame = analyze(question)
        where = {"motion": motion.id} if motion else None
        hits = self.retriever.search(question, k=QA_HITS, where=where)
        priors = {h.passage_id: 1.0 / (1.0 + rank / PRIOR_SCALE) for rank, h in enumerate(hits)}
        if frame.multi_part:
            for part in frame.parts:
                hits += self.retriever.search(part.text, k=PART_HITS, where=where)
        unique = list({h.passage_id: h for h in hits}.values())
        sentences, vectors = self.index.sentences(_passages(unique))
        part_vectors = self.index.embed([p.text for p in frame.parts])
        common = motion_terms(motion) if motion else []
        contexts = {h.passage_id: h.text for h in unique}
        selector = AnswerSelector(self.index.calibration, common, contexts, priors)
        return selector.select(frame, part_vectors, sentences, vectors)

    def answer(self, question: str, motion: Motion | None) -> Reply:
        """The reply: framing, the quoted answer sentences, and what remains unanswered."""
        plan = self.plan(question, motion)
        b = ReplyBuilder(self.templates, [question, *(motion_terms(motion) if motion else [])])
        if plan.abstain:
            b.framing(b.render("qa_abstain"))
            return b.build()
        opening = _OPENINGS.get(plan.stance or "", "qa_intro")
        b.framing(b.render(opening), b.render("qa_intro"))
        b.segment([], plan.claims, max_claims=len(plan.claims))
        for part in plan.unanswered:
            b.framing(
                b.render("qa_unanswered_part", part=part.asked.rstrip("?")),
                b.render("qa_unanswered_generic"),
            )
        return b.build()
