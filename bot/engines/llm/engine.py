"""A LangChain chat model as the debater, held to the extractive engine's guarantees.

Each call shows the model numbered sources (argument-map evidence and retrieved passages,
marked as data) and asks for a structured draft. Failing sentences are dropped
(:mod:`bot.engines.llm.checks`); when fewer than half the claims survive, the model is asked
once more with the findings, and if that fails too the extractive engine writes the turn, with
``fallback_reason`` saying why.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from bot.domain.argument_map import ArgumentMap, ArgumentMapper
from bot.domain.evidence import SentenceIndex
from bot.domain.motions import KeyPoint, Motion, Side, opposite
from bot.domain.replies import ClashItem, Grounding, Reply
from bot.engines.base import Case, CasePoint, CaseRebuttal, DebateEngine, TurnContext, TurnResult
from bot.engines.extractive.engine import SearchSource
from bot.engines.llm.checks import CheckedDraft, DraftChecker, Sides
from bot.engines.llm.draft import (
    MAX_SENTENCES,
    DraftError,
    DraftReply,
    draft_schema,
    parse_draft,
    validate_draft,
)
from bot.engines.llm.points import user_points
from bot.engines.llm.prompts import PromptSet
from bot.engines.llm.sources import Source, SourceList, as_data, render_evidence
from bot.verify.base import ReplyVerifier

log = logging.getLogger(__name__)

StructuredOutput = Literal["native", "json_schema", "llama_cpp", "json_mode"]
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
        self.structured_output: StructuredOutput = structured_output

    # -- debate --------------------------------------------------------------
    def reply_turn(self, ctx: TurnContext, message: str) -> TurnResult:
        """The model's rebuttal of ``message``, checked; the extractive reply if it fails."""
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
        checked, reason = self._run(call)
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
        checked, reason = self._run(call)
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
        checked, reason = self._run(call)
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

    def _run(self, call: _Call) -> tuple[CheckedDraft | None, str]:
        """Ask, check, and ask once more with the findings; (None, reason) when both fail."""
        messages: list[BaseMessage] = [SystemMessage(call.system), HumanMessage(call.user)]
        reasons = []
        dropped = 0  # claims dropped over both attempts, reported in the reply's grounding
        for attempt in (1, 2):
            try:
                raw, draft = self._generate(messages, len(call.sources))
            except DraftError as exc:
                findings = [str(exc)]
                raw = ""
                reasons.append(f"attempt {attempt}: {exc}")
            except Exception as exc:  # the provider failed: no retry helps, fall back now
                log.warning("%s: the model call failed: %s", self.model_name, type(exc).__name__)
                return None, f"the model call failed ({type(exc).__name__})"
            else:
                checked = self.checker.check(
                    draft, call.sources, call.amap, call.sides, self.model_name
                )
                dropped += checked.claims - checked.kept
                if checked.good_enough(call.sides is not None):
                    grounding = Grounding(
                        claims=checked.kept, supported=checked.kept, rate=1.0, dropped=dropped
                    )
                    checked.reply = checked.reply.model_copy(update={"grounding": grounding})
                    return checked, ""
                findings = checked.findings or ["no sentence cited a passage with an exact quote"]
                reasons.append(
                    f"attempt {attempt}: {checked.kept} of {checked.claims} claims passed"
                    + ("" if checked.own or call.sides is None else ", none for the bot's side")
                )
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

    def _generate(self, messages: list[BaseMessage], count: int) -> tuple[str, DraftReply]:
        """The model's draft, by the configured structured-output method.

        ``native`` is the provider's ``with_structured_output`` (tool calling or its own JSON
        schema mode); a model without it (like LangChain's fake chat models) switches to
        ``json_mode``: the schema is in the prompt, the text is parsed. ``llama_cpp`` sends the
        schema as llama.cpp's ``response_format``, which it enforces with a grammar.
        """
        method = self.structured_output
        if method in {"native", "json_schema"}:
            extra = {"method": "json_schema"} if method == "json_schema" else {}
            try:
                runnable = self.model.with_structured_output(DraftReply, include_raw=True, **extra)
            except (NotImplementedError, ValueError):
                log.info("%s: no structured output; using JSON mode", self.model_name)
                self.structured_output = method = "json_mode"
            else:
                out: Any = runnable.invoke(messages)
                raw = out.get("raw")
                text = _text(raw.content) if isinstance(raw, AIMessage) else ""
                if out.get("parsed") is not None:
                    return text, validate_draft(out["parsed"])
                if text:
                    return text, parse_draft(text)
                raise DraftError("the structured output did not parse")
        if method == "llama_cpp":
            schema = {"type": "json_object", "schema": draft_schema(count)}
            message = self.model.bind(response_format=schema).invoke(messages)
        else:
            message = self.model.invoke(messages)
        text = _text(message.content)
        return text, parse_draft(text)

    def _fallen_back(self, reply: Reply, reason: str) -> Reply:
        return reply.model_copy(
            update={"engine": "extractive", "fallback_reason": f"{self.model_name}: {reason}"}
        )


def _text(content: str | list[Any]) -> str:
    if isinstance(content, str):
        return content
    parts = [p if isinstance(p, str) else str(p.get("text", "")) for p in content]
    return "".join(parts)


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
