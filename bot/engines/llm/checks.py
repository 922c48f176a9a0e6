"""Turns a model's draft into a reply, keeping only the sentences that pass every check.

A claim passes when each passage it cites exists, its quote is found in that passage (and is
recorded as the exact document span), the verifier accepts the claim against that span, and it
does not take the other side: evidence of the user's side may be cited only in a concession,
and a sentence that argues the user's side is dropped. Framing that argues the user's side is
dropped too, and so is a lead-in (framing right before a claim) whose claim fails. What failed,
and why, becomes the findings of a retry. Sentences are checked one at a time as they arrive
(:class:`DraftBuilder`), so a streamed draft can be sent sentence by sentence.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from bot.domain.argument_map import ArgumentMap
from bot.domain.evidence import SentenceIndex
from bot.domain.motions import Side
from bot.domain.replies import Citation, Reply, Sentence
from bot.engines.llm.draft import (
    DraftReply,
    DraftSentence,
    find_quote,
    sentence_texts,
    whole_sentences,
)
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


class DraftChecker:
    """Checks drafts against their sources with the service's verifier and the argument map."""

    def __init__(self, verifier: ReplyVerifier, index: SentenceIndex, concede_text: str) -> None:
        self.verifier = verifier
        self.index = index
        self.concede_text = concede_text

    def builder(
        self,
        sources: Sequence[Source],
        amap: ArgumentMap | None,
        sides: Sides | None,
        engine: str,
        ready: Future[None] | None = None,
    ) -> DraftBuilder:
        """A reply built sentence by sentence, as a streamed draft arrives (after ``ready``,
        the sources' :meth:`prepare`, has finished)."""
        return DraftBuilder(self, sources, amap, sides, engine, ready)

    def check(
        self,
        draft: DraftReply,
        sources: Sequence[Source],
        amap: ArgumentMap | None,
        sides: Sides | None,
        engine: str,
        ready: Future[None] | None = None,
    ) -> CheckedDraft:
        """The reply of the passing sentences (markers numbered in order), with findings."""
        builder = self.builder(sources, amap, sides, engine, ready)
        for sentence in draft.sentences:
            builder.add(sentence)
        builder.finish()
        return builder.checked()

    def prepare(self, sources: Sequence[Source]) -> None:
        """Parse and embed the sources' sentences now (run while the model writes), so that
        checking a claim costs only the claim's own parse and embedding."""
        texts = [t for source in sources for t in [source.text, *sentence_texts(source.text)]]
        self.verifier.prepare(list(dict.fromkeys(texts)))

    def prepare_claim(self, text: str) -> None:
        """Parse and embed a claim now (run while the model writes its citations)."""
        self.verifier.prepare_claim(text)  # the verifier reads it as its check will

    def argued_side(self, amap: ArgumentMap | None, sides: Sides | None, text: str) -> Side | None:
        """The side ``text`` argues (None without a side to hold)."""
        if amap is None or sides is None:
            return None
        return text_sides(amap, self.index, [text])[0]

    def problems(
        self,
        sentence: DraftSentence,
        text: str,
        argued: Side | None,
        by_number: dict[int, Source],
        amap: ArgumentMap | None,
        sides: Sides | None,
    ) -> tuple[list[str], list[tuple[Source, int, int]]]:
        """What is wrong with one sentence on its own, and the exact spans it cites."""
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
            found = whole_sentences(source.text, *found)
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


@dataclass
class _Kept:
    draft: DraftSentence
    text: str
    spans: list[tuple[Source, int, int]]
    move: int | None


class DraftBuilder:
    """A draft's reply, one sentence at a time: each claim is checked as it arrives.

    A framing sentence right before a claim is that claim's lead-in: it is held until the
    claim is checked, kept with it (the same ``move``) when it passes and dropped with it when
    it fails, so a lead-in never introduces missing evidence. Framing after the last claim
    stands alone (:meth:`finish`). Kept sentences only ever grow, so a reply read early is a
    prefix of the final one.
    """

    def __init__(
        self,
        checker: DraftChecker,
        sources: Sequence[Source],
        amap: ArgumentMap | None,
        sides: Sides | None,
        engine: str,
        ready: Future[None] | None = None,
    ) -> None:
        self.checker = checker
        self._ready = ready
        self._claims_ready: dict[str, Future[None]] = {}
        self.by_number = {s.number: s for s in sources}
        self.amap = amap
        self.sides = sides
        self.engine = engine
        self.seen = 0  # draft sentences read
        self.claims = 0  # of those, claims
        self.findings: list[str] = []
        self.kept: list[_Kept] = []
        self._leads: list[tuple[DraftSentence, str]] = []
        self._moves = 0

    @property
    def passed(self) -> int:
        """Claims kept so far."""
        return sum(1 for k in self.kept if k.spans)

    @property
    def own(self) -> int:
        """Kept claims that are not concessions."""
        return sum(1 for k in self.kept if k.spans and not k.draft.concedes)

    def expect(self, text: str, ready: Future[None]) -> None:
        """A claim on its way, being prepared by ``ready``: its check waits for that work
        instead of doing it a second time."""
        self._claims_ready[text] = ready

    def add(self, sentence: DraftSentence) -> None:
        """Check one draft sentence and keep it (a lead-in: hold it) if it passes."""
        self._wait_ready()
        claim_ready = self._claims_ready.pop(sentence.text, None)
        if claim_ready is not None:
            _wait(claim_ready, self.engine)
        self.seen += 1
        text = " ".join(tf.strip_markers(sentence.text).split())
        if not text:
            return
        if sentence.cites:
            self.claims += 1
        side = self.checker.argued_side(self.amap, self.sides, text)
        problems, spans = self.checker.problems(
            sentence, text, side, self.by_number, self.amap, self.sides
        )
        if problems:
            self._drop(text, problems)
            if sentence.cites:
                for _, lead in self._leads:
                    self._drop(lead, ["it leads in evidence that failed its checks"])
                self._leads = []
            return
        if not sentence.cites:
            self._leads.append((sentence, text))
            return
        self._moves += 1
        self.kept += [_Kept(d, t, [], self._moves) for d, t in self._leads]
        self.kept.append(_Kept(sentence, text, spans, self._moves))
        self._leads = []

    def _wait_ready(self) -> None:
        """Let the sources' preparation finish first (it only saves time: a failure is
        logged, and the checks then parse and embed the evidence themselves)."""
        if self._ready is not None:
            ready, self._ready = self._ready, None
            _wait(ready, self.engine)

    def finish(self) -> None:
        """The draft ended: framing after the last claim stands alone."""
        self.kept += [_Kept(d, t, [], None) for d, t in self._leads]
        self._leads = []

    def certain(self, limit: int, closed: bool) -> bool:
        """Whether the draft is good enough whatever its remaining sentences (at most
        ``limit`` in all, none once ``closed``) turn out to be: they could all be failing
        claims."""
        remaining = 0 if closed else max(limit - self.seen, 0)
        return self.good_enough(self.passed, self.claims + remaining, self.own)

    def good_enough(self, kept: int, claims: int, own: int) -> bool:
        """At least half the claims passed, and at least one (of the bot's own side)."""
        enough = kept >= 1 and 2 * kept >= claims
        return enough and (own >= 1 if self.sides is not None else True)

    def _drop(self, text: str, problems: list[str]) -> None:
        self.findings += [f'"{_short(text)}": {p}' for p in problems]
        log.warning("%s: dropping sentence %r: %s", self.engine, text, "; ".join(problems))

    def checked(self) -> CheckedDraft:
        """The reply of the sentences kept so far, with the counts and findings."""
        reply, cited = self.reply()
        own = sum(1 for s in reply.sentences if s.kind == "claim" and not s.concession)
        n_kept = sum(1 for s in reply.sentences if s.kind == "claim")
        return CheckedDraft(reply, self.claims, n_kept, own, self.findings[:MAX_FINDINGS], cited)

    def reply(self) -> tuple[Reply, list[Source]]:
        """The kept sentences as a reply (markers numbered in order), and the sources cited."""
        citations: dict[str, Citation] = {}
        sentences: list[Sentence] = []
        cited: dict[str, Source] = {}
        conceded = False
        for item in self.kept:
            if not item.spans:
                sentences.append(Sentence(text=item.text, kind="framing", move=item.move))
                continue
            markers = []
            for source, start, end in item.spans:
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
            if item.draft.concedes and not conceded:
                text = self.checker.concede_text
                sentences.append(Sentence(text=text, kind="framing", move=item.move))
                conceded = True
            body = " ".join(f"[{m}]" for m in markers)
            sentences.append(
                Sentence(
                    text=f"{item.text} {body}",
                    kind="claim",
                    citations=markers,
                    concession=item.draft.concedes,
                    move=item.move,
                )
            )
        reply = Reply(
            text=" ".join(s.text for s in sentences),
            sentences=sentences,
            citations=list(citations.values()),
            engine=self.engine,
        )
        return reply, list(cited.values())


def _wait(ready: Future[None], engine: str) -> None:
    """Wait for work done ahead (it only saves time: a failure is logged, and the checks
    then parse and embed for themselves)."""
    try:
        ready.result()
    except Exception as exc:
        log.warning("%s: preparing the evidence failed: %s", engine, exc)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
