"""A LangChain chat model as the debater, held to the extractive engine's guarantees.

Each call shows the model numbered sources (argument-map evidence and retrieved passages,
marked as data) and asks for a structured draft. Failing sentences are dropped
(:mod:`bot.engines.llm.checks`); when fewer than half the claims survive, the model is asked
once more with the findings, and if that fails too the extractive engine writes the turn, with
``fallback_reason`` saying why.

The answer is read while it streams in (:mod:`bot.engines.llm.calls`,
:mod:`bot.engines.llm.scan`) and checked sentence by sentence; ``stream_reply_turn`` and
``stream_answer`` yield the checked reply as it grows, once the attempt is certain to be kept.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import ValidationError

from bot.domain.argument_map import ArgumentMap, ArgumentMapper
from bot.domain.evidence import SentenceIndex
from bot.domain.motions import KeyPoint, Motion, Side, opposite
from bot.domain.replies import ClashItem, Grounding, Reply
from bot.engines.base import Case, CasePoint, CaseRebuttal, DebateEngine, TurnContext, TurnResult
from bot.engines.extractive.engine import SearchSource
from bot.engines.llm.calls import ModelAnswer, NoStructuredOutputError, StructuredOutput
from bot.engines.llm.checks import CheckedDraft, DraftChecker, Sides
from bot.engines.llm.draft import GRAMMAR_LIMITS, MAX_SENTENCES, DraftError, DraftSentence
from bot.engines.llm.points import user_points
from bot.engines.llm.prompts import PromptSet
from bot.engines.llm.scan import SentenceScanner
from bot.engines.llm.sources import Source, SourceList, as_data, render_evidence
from bot.verify.base import ReplyVerifier

log = logging.getLogger(__name__)

T = TypeVar("T")
# Yields the checked reply so far each time it grows; returns the finished result.
Progress = Generator[Reply, None, T]
__all__ = ["LLMEngine", "Progress", "StructuredOutput", "drain"]
MAX_SOURCES = 6
QA_HITS = 4


@dataclass(frozen=True)
class _Call:
    """One model task: its prompts, sources and the side to hold."""

    system: str
    user: str
    sources: list[Source]
    amap: ArgumentMap | None
    sides: Sides | None
    max_words: int


class LLMEngine:
    """Implements :class:`bot.engines.base.DebateEngine` with any LangChain chat model."""

    def __init__(
        self,
        model: BaseChatModel,
        model_name: str,
        *,
        mapper: ArgumentMapper,
        retriever: SearchSource,
        index: SentenceIndex,
        verifier: ReplyVerifier,
        prompts: PromptSet,
        fallback: DebateEngine,
        structured_output: StructuredOutput = "native",
    ) -> None:
        self.model = model
        self.model_name = model_name
        self.mapper = mapper
        self.retriever = retriever
        self.index = index
        self.prompts = prompts
        self.fallback = fallback
        self.checker = DraftChecker(verifier, index, prompts.render("concede"))
        # Parses and embeds each call's sources while the model writes (one at a time).
        self._preparer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llm-sources")
        self.structured_output: StructuredOutput = structured_output

    # -- debate --------------------------------------------------------------
    def reply_turn(self, ctx: TurnContext, message: str) -> TurnResult:
        """The model's rebuttal of ``message``, checked; the extractive reply if it fails."""
        return drain(self.stream_reply_turn(ctx, message))

    def stream_reply_turn(self, ctx: TurnContext, message: str) -> Progress[TurnResult]:
        """:meth:`reply_turn`, yielding the checked reply so far each time it grows (only
        once the answer can no longer be retried or replaced); returns the whole result."""
        amap = self.mapper.get(ctx.motion)
        motion, bot, user = ctx.motion, ctx.bot_side, ctx.user_side
        sources = SourceList(amap, MAX_SOURCES)
        points = user_points(amap, self.index, message, user)
        shown: list[KeyPoint] = []
        for point in points:
            for kp in motion.answers_to(point.id):
                if kp.side == bot and kp not in shown:
                    shown.append(kp)
        shown += [kp for kp in motion.points(bot) if kp.id not in ctx.advanced_points]
        for kp in _unique(shown)[:3]:
            sources.add_backings(kp, ctx.used_evidence)
        for point in points:  # the user's own evidence, usable only to concede
            sources.add_backings(point, count=1)
        for hit in self.retriever.search(message, k=3, where={"motion": motion.id}):
            sources.add_hit(hit)
        made = [motion.key_point(k).text for k in ctx.advanced_points] or ["none yet"]
        history = [f"({i + 1}) {as_data(m)}" for i, m in enumerate(ctx.history[-3:])]
        call = _Call(
            system=self._system(
                "system_spar",
                user,
                motion=as_data(motion.question),
                bot_side=bot,
                bot_claim=as_data(getattr(motion.sides, bot)),
                user_side=user,
                user_claim=as_data(getattr(motion.sides, user)),
                max_words=ctx.round.max_words,
                count=len(sources.sources),
            ),
            user=self.prompts.render(
                "turn_spar",
                round=ctx.round.name,
                turn=ctx.turn + 1,
                made="; ".join(as_data(t) for t in made),
                history=" ".join(history) or "none",
                evidence=render_evidence(
                    self.prompts,
                    sources.sources,
                    [*_unique(shown)[:3], *points],
                ),
                message=as_data(message),
                bot_side=bot,
            ),
            sources=sources.sources,
            amap=amap,
            sides=Sides(bot=bot, user=user),
            max_words=ctx.round.max_words,
        )
        checked, reason = yield from self._run(call)
        if checked is None:
            result = self.fallback.reply_turn(ctx, message)
            return TurnResult(
                self._fallen_back(result.reply, reason),
                result.used_evidence,
                result.advanced_points,
            )
        cited = checked.cited
        advanced = list(ctx.advanced_points)
        for source in cited:
            for kp_id in source.key_points:
                if motion.key_point(kp_id).side == bot and kp_id not in advanced:
                    advanced.append(kp_id)
        clash = [self._clash(motion, point, checked, bot) for point in points]
        reply = checked.reply.model_copy(update={"clash": clash})
        used = sorted({*ctx.used_evidence, *(s.key for s in cited)})
        return TurnResult(reply, tuple(used), tuple(advanced))

    @staticmethod
    def _clash(motion: Motion, user_kp: KeyPoint, checked: CheckedDraft, bot: Side) -> ClashItem:
        own = {k for s in checked.cited for k in s.key_points}
        answers = [kp.id for kp in motion.answers_to(user_kp.id) if kp.side == bot and kp.id in own]
        conceded = any(s.concession for s in checked.reply.sentences) and user_kp.id in own
        conceded = conceded and not answers
        return ClashItem(
            point=user_kp.text,
            key_point_id=user_kp.id,
            answered_by=answers or None,
            conceded=conceded,
            status="conceded" if conceded else "answered",
        )

    # -- case ----------------------------------------------------------------
    def build_case(self, motion: Motion, side: Side) -> Case:
        """Key points of ``side`` argued by the model; the extractive case if that fails."""
        amap = self.mapper.get(motion)
        sources = SourceList(amap, MAX_SOURCES + 2)
        own = motion.points(side)
        for kp in own:
            sources.add_backings(kp, count=2)
        others = _unique([o for kp in own for o in motion.answers_to(kp.id)])
        for opp in others:
            sources.add_backings(opp, count=1)
        call = _Call(
            system=self._system(
                "system_case",
                opposite(side),
                motion=as_data(motion.question),
                side=side,
                side_claim=as_data(getattr(motion.sides, side)),
                max_words=250,
                count=len(sources.sources),
            ),
            user=self.prompts.render(
                "turn_case",
                evidence=render_evidence(self.prompts, sources.sources, [*own, *others]),
                side=side,
            ),
            sources=sources.sources,
            amap=amap,
            sides=Sides(bot=side, user=opposite(side)),
            max_words=250,
        )
        checked, reason = drain(self._run(call))
        if checked is None:
            case = self.fallback.build_case(motion, side)
            return case.model_copy(update={"reply": self._fallen_back(case.reply, reason)})
        reply = checked.reply
        by_marker = {c.marker: c for c in reply.citations}

        def markers(kp_id: str) -> list[int]:
            keys = {s.key for s in sources.sources if kp_id in s.key_points}
            return [
                m
                for m, c in by_marker.items()
                if any(k.startswith(f"{c.doc_id}:") and _inside(c, k) for k in keys)
            ]

        points = [
            CasePoint(
                key_point_id=kp.id,
                text=kp.text,
                citations=markers(kp.id),
                rebuttals=[
                    CaseRebuttal(
                        key_point_id=opp.id,
                        text=opp.text,
                        citations=markers(opp.id),
                        answered_by=[r.id for r in motion.answers_to(opp.id) if r.side == side],
                    )
                    for opp in motion.answers_to(kp.id)
                ],
            )
            for kp in own
        ]
        return Case(motion_id=motion.id, side=side, reply=reply, points=points)

    # -- questions -----------------------------------------------------------
    def answer(self, question: str, motion: Motion | None) -> Reply:
        """The model's cited answer from retrieved passages; the extractive one if it fails."""
        return drain(self.stream_answer(question, motion))

    def stream_answer(self, question: str, motion: Motion | None) -> Progress[Reply]:
        """:meth:`answer`, yielding the checked answer so far as it grows (as
        :meth:`stream_reply_turn`); returns the whole answer."""
        where = {"motion": motion.id} if motion else None
        amap = self.mapper.get(motion) if motion is not None and motion.has_map else None
        sources = SourceList(amap, QA_HITS)
        for hit in self.retriever.search(question, k=QA_HITS, where=where):
            sources.add_hit(hit)
        if not sources.sources:
            return self._fallen_back(
                self.fallback.answer(question, motion), "no passages were retrieved"
            )
        call = _Call(
            system=self.prompts.render(
                "system_ask",
                rules=self.prompts.render("rules_ask"),
                format=self._format(120, len(sources.sources)),
            ),
            user=self.prompts.render(
                "turn_ask",
                evidence=render_evidence(self.prompts, sources.sources, []),
                question=as_data(question),
            ),
            sources=sources.sources,
            amap=None,
            sides=None,
            max_words=120,
        )
        checked, reason = yield from self._run(call)
        if checked is None:
            return self._fallen_back(self.fallback.answer(question, motion), reason)
        return checked.reply

    # -- the model call, the checks, the retry -------------------------------
    def _system(self, name: str, user: Side, *, max_words: int, count: int, **values: Any) -> str:
        return self.prompts.render(
            name,
            rules=self.prompts.render("rules", user_side=user),
            format=self._format(max_words, count),
            **values,
        )

    def _format(self, max_words: int, count: int) -> str:
        return self.prompts.render(
            "format", max_sentences=MAX_SENTENCES, max_words=max_words, passage_count=count
        )

    def _run(self, call: _Call) -> Progress[tuple[CheckedDraft | None, str]]:
        """Ask, check, and ask once more with the findings; (None, reason) when both fail.

        Yields the reply kept so far each time it grows, once the attempt is certain to be
        good enough whatever the model still writes (see :meth:`_attempt`); nothing is
        yielded for an attempt that is retried or falls back.
        """
        messages: list[BaseMessage] = [SystemMessage(call.system), HumanMessage(call.user)]
        prepared = self._preparer.submit(self.checker.prepare, call.sources)
        reasons = []
        dropped = 0  # claims dropped over both attempts, reported in the reply's grounding
        for attempt in (1, 2):
            answer: ModelAnswer | None = None
            try:
                answer = self._answer(messages, len(call.sources))
                checked = yield from self._attempt(answer, call, prepared)
            except DraftError as exc:
                findings = [str(exc)]
                reasons.append(f"attempt {attempt}: {exc}")
            except Exception as exc:  # the provider failed: no retry helps, fall back now
                log.warning("%s: the model call failed: %s", self.model_name, type(exc).__name__)
                return None, f"the model call failed ({type(exc).__name__})"
            else:
                dropped += checked.claims - checked.kept
                if checked.good_enough(call.sides is not None):
                    return self._grounded(checked, dropped), ""
                findings = checked.findings or ["no sentence cited a passage with an exact quote"]
                reasons.append(
                    f"attempt {attempt}: {checked.kept} of {checked.claims} claims passed"
                    + ("" if checked.own or call.sides is None else ", none for the bot's side")
                )
            raw = answer.text if answer is not None else ""
            messages = [
                *messages[:2],
                AIMessage(raw or "(no usable answer)"),
                HumanMessage(
                    self.prompts.render(
                        "retry",
                        findings="\n".join(f"- {f}" for f in findings),
                        passage_count=len(call.sources),
                    )
                ),
            ]
        reason = "; ".join(reasons)
        log.warning("%s: falling back to the extractive engine: %s", self.model_name, reason)
        return None, reason

    def _attempt(
        self, answer: ModelAnswer, call: _Call, prepared: Future[None] | None = None
    ) -> Progress[CheckedDraft]:
        """One model answer, checked sentence by sentence while it streams in.

        Each sentence is checked as soon as its JSON object closes. The attempt *commits*
        once it is good enough even if every sentence still to come (up to the schema's
        limit) were a failing claim; from then on every kept sentence is yielded at once (a
        lead-in with its claim), the answer can no longer be retried or replaced, and a
        broken or cut-off rest only ends the reply early. An attempt that never commits is
        judged whole, on the parsed draft, exactly as without streaming.
        """
        builder = self.checker.builder(
            call.sources, call.amap, call.sides, self.model_name, prepared
        )
        limit = GRAMMAR_LIMITS["sentences"] if answer.method == "llama_cpp" else MAX_SENTENCES
        scanner = SentenceScanner()
        committed, sent = False, 0
        pieces = answer.pieces()
        try:
            for piece in pieces:
                items = scanner.feed(piece)
                early = scanner.early_text()
                if early is not None:
                    builder.expect(early, self._preparer.submit(self.checker.prepare_claim, early))
                for item in items:
                    if builder.seen >= limit:
                        scanner.state = "broken"  # past the schema's limit: not part of it
                        break
                    builder.add(_sentence(item))
                if scanner.closed:
                    builder.finish()
                committed = committed or builder.certain(limit, scanner.closed)
                if committed and len(builder.kept) > sent:
                    sent = len(builder.kept)
                    yield builder.checked().reply
                if committed and (scanner.closed or scanner.broken):
                    break
        except Exception as exc:
            if not committed:
                raise
            log.warning(
                "%s: the answer broke off after %d sentences (%s); keeping them",
                self.model_name, builder.seen, type(exc).__name__,
            )  # fmt: skip
        finally:
            pieces.close()
        if committed:
            builder.finish()
            if len(builder.kept) > sent:
                yield builder.checked().reply
            return builder.checked()
        return self.checker.check(
            answer.draft(), call.sources, call.amap, call.sides, self.model_name, prepared
        )

    def _answer(self, messages: list[BaseMessage], count: int) -> ModelAnswer:
        """The model's answer by the configured method; JSON mode for a model without
        structured output (like LangChain's fake chat models)."""
        try:
            return ModelAnswer(self.model, self.structured_output, messages, count)
        except NoStructuredOutputError:
            log.info("%s: no structured output; using JSON mode", self.model_name)
            self.structured_output = "json_mode"
            return ModelAnswer(self.model, "json_mode", messages, count)

    @staticmethod
    def _grounded(checked: CheckedDraft, dropped: int) -> CheckedDraft:
        grounding = Grounding(
            claims=checked.kept, supported=checked.kept, rate=1.0, dropped=dropped
        )
        checked.reply = checked.reply.model_copy(update={"grounding": grounding})
        return checked

    def _fallen_back(self, reply: Reply, reason: str) -> Reply:
        return reply.model_copy(
            update={"engine": "extractive", "fallback_reason": f"{self.model_name}: {reason}"}
        )


def drain(progress: Progress[T]) -> T:
    """Run a progress generator to its end; its result."""
    while True:
        try:
            next(progress)
        except StopIteration as stop:
            return stop.value


def _sentence(item: object) -> DraftSentence:
    """One streamed sentence object as a draft sentence; :class:`DraftError` when it is not."""
    try:
        return DraftSentence.model_validate(item)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(["sentences", *(str(p) for p in first["loc"])])
        raise DraftError(f"the JSON does not match the schema: {where}: {first['msg']}") from exc


def _unique(kps: Sequence[KeyPoint]) -> list[KeyPoint]:
    seen: set[str] = set()
    out = []
    for kp in kps:
        if kp.id not in seen:
            seen.add(kp.id)
            out.append(kp)
    return out


def _inside(citation: Any, key: str) -> bool:
    _, start, end = key.rsplit(":", 2)
    return int(start) <= citation.start and citation.end <= int(end)
