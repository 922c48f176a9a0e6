"""Turns a model's draft into a reply, keeping only the sentences that pass every check.

A claim passes when each passage it cites exists, its quote is found in that passage (and is
recorded as the exact document span), the verifier accepts the claim against that span, and it
does not take the other side: evidence of the user's side may be cited only in a concession,
and a sentence that argues the user's side is dropped. Framing that argues the user's side is
dropped too. What failed, and why, becomes the findings of a retry.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.domain.argument_map import ArgumentMap
from bot.domain.evidence import SentenceIndex
from bot.domain.motions import Side
from bot.domain.replies import Citation, Reply, Sentence
from bot.engines.llm.draft import DraftReply, DraftSentence, find_quote
from bot.engines.llm.sources import Source, span_sides, text_sides
from bot.text import features as tf
from bot.verify.base import ReplyVerifier

log = logging.getLogger(__name__)
MAX_FINDINGS = 8


@dataclass(frozen=True)
class Sides:
    """Who argues what in this reply (None for questions: no side to hold)."""

    bot: Side
    user: Side


@dataclass
class CheckedDraft:
    """The reply made of a draft's passing sentences, and what the checks found."""

    reply: Reply
    claims: int = 0  # claim sentences in the draft
    kept: int = 0  # of those, the ones that passed
    own: int = 0  # passing claims that are not concessions
    findings: list[str] = field(default_factory=list)
    cited: list[Source] = field(default_factory=list)

    def good_enough(self, needs_side: bool) -> bool:
        """At least half the claims passed, and at least one (of the bot's own side)."""
        enough = self.kept >= 1 and 2 * self.kept >= self.claims
        return enough and (self.own >= 1 if needs_side else True)


@dataclass
class _Claim:
    draft: DraftSentence
    text: str
    spans: list[tuple[Source, int, int]]


class DraftChecker:
    """Checks drafts against their sources with the service's verifier and the argument map."""

    def __init__(self, verifier: ReplyVerifier, index: SentenceIndex, concede_text: str) -> None:
        self.verifier = verifier
        self.index = index
        self.concede_text = concede_text

    def check(
        self,
        draft: DraftReply,
        sources: Sequence[Source],
        amap: ArgumentMap | None,
        sides: Sides | None,
        engine: str,
    ) -> CheckedDraft:
        """The reply of the passing sentences (markers numbered in order), with findings."""
        by_number = {s.number: s for s in sources}
        findings: list[str] = []
        texts = [" ".join(tf.strip_markers(s.text).split()) for s in draft.sentences]
        argued = (
            text_sides(amap, self.index, texts)
            if amap is not None and sides is not None
            else [None] * len(texts)
        )
        kept: list[tuple[DraftSentence, str, list[tuple[Source, int, int]]]] = []
        claims = 0
        for sentence, text, side in zip(draft.sentences, texts, argued, strict=True):
            if not text:
                continue
            if sentence.cites:
                claims += 1
            problems, spans = self._problems(sentence, text, side, by_number, amap, sides)
            if problems:
                findings += [f'"{_short(text)}": {p}' for p in problems]
                log.warning("%s: dropping sentence %r: %s", engine, text, "; ".join(problems))
                continue
            kept.append((sentence, text, spans))
        reply, cited = self._reply(kept, engine)
        own = sum(1 for s in reply.sentences if s.kind == "claim" and not s.concession)
        n_kept = sum(1 for s in reply.sentences if s.kind == "claim")
        return CheckedDraft(reply, claims, n_kept, own, findings[:MAX_FINDINGS], cited)

    def _problems(
        self,
        sentence: DraftSentence,
        text: str,
        argued: Side | None,
        by_number: dict[int, Source],
        amap: ArgumentMap | None,
        sides: Sides | None,
    ) -> tuple[list[str], list[tuple[Source, int, int]]]:
        problems: list[str] = []
        spans: list[tuple[Source, int, int]] = []
        if not sentence.cites:
            if sides is not None and argued == sides.user and not sentence.concedes:
                problems.append(f"it argues the {sides.user} side, the opponent's")
            return problems, spans
        evidence_sides: set[str] = set()
        for cite in sentence.cites:
            source = by_number.get(cite.passage)
            if source is None:
                problems.append(
                    f"passage {cite.passage} does not exist (passages run 1 to {len(by_number)})"
                )
                continue
            # The quote, or else the sentence itself when it copies the passage word for word.
            found = find_quote(cite.quote, source.text) or find_quote(text, source.text)
            if found is None:
                problems.append(
                    f'the quote "{_short(cite.quote)}" is not in passage {cite.passage}'
                )
                continue
            start, end = source.start + found[0], source.start + found[1]
            if amap is not None and sides is not None:
                on = span_sides(amap, source.doc_id, start, end)
                evidence_sides |= on
                if sides.user in on and not sentence.concedes:
                    problems.append(
                        f"passage {cite.passage} is evidence for the {sides.user} side, the "
                        "opponent's; cite it only in a sentence that concedes"
                    )
                    continue
            result = self.verifier.check_span(text, source.doc_id, start, end)
            if not result.supported:
                reasons = "; ".join(result.reasons[:3]) or "not supported"
                problems.append(f"passage {cite.passage} does not support it ({reasons})")
                continue
            spans.append((source, start, end))
        neutral_only = not evidence_sides
        if sides is not None and argued == sides.user and neutral_only and not sentence.concedes:
            problems.append(f"it argues the {sides.user} side, the opponent's")
        return problems, spans

    def _reply(
        self, kept: list[tuple[DraftSentence, str, list[tuple[Source, int, int]]]], engine: str
    ) -> tuple[Reply, list[Source]]:
        citations: dict[str, Citation] = {}
        sentences: list[Sentence] = []
        cited: dict[str, Source] = {}
        conceded = False
        for draft, text, spans in kept:
            if not spans:
                sentences.append(Sentence(text=text, kind="framing"))
                continue
            markers = []
            for source, start, end in spans:
                key = f"{source.doc_id}:{start}:{end}"
                if key not in citations:
                    citations[key] = Citation(
                        marker=len(citations) + 1,
                        passage_id=source.passage_id,
                        doc_id=source.doc_id,
                        title=source.title,
                        url=source.url,
                        start=start,
                        end=end,
                        quote=source.text[start - source.start : end - source.start],
                    )
                cited.setdefault(source.key, source)
                if citations[key].marker not in markers:
                    markers.append(citations[key].marker)
            if draft.concedes and not conceded:
                sentences.append(Sentence(text=self.concede_text, kind="framing"))
                conceded = True
            body = " ".join(f"[{m}]" for m in markers)
            sentences.append(
                Sentence(
                    text=f"{text} {body}",
                    kind="claim",
                    citations=markers,
                    concession=draft.concedes,
                )
            )
        reply = Reply(
            text=" ".join(s.text for s in sentences),
            sentences=sentences,
            citations=list(citations.values()),
            engine=engine,
        )
        return reply, list(cited.values())


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
