"""Domain events of a streamed reply: each verified sentence, then the whole result.

The services yield these; only the HTTP layer turns them into Server-Sent Events. A sentence
event is made from the reply as the verifier left it, so no unverified sentence is ever sent,
and the final event carries exactly what was stored.

An engine that writes its reply progressively (:class:`StreamingEngine`, the LLM engine) hands
the service its checked reply so far each time it grows; :class:`VerifiedPrefix` runs the
service's verifier on it and sends every sentence whose verdict can no longer change, in order,
while the rest of the reply is still being written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar, runtime_checkable

from bot.domain.motions import Motion
from bot.domain.replies import Citation, Reply, Sentence
from bot.domain.sessions import Turn
from bot.engines.base import TurnContext, TurnResult

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class SentenceEvent:
    """One verified sentence with the citations it refers to."""

    sentence: Sentence
    citations: list[Citation]


@dataclass(frozen=True)
class DoneEvent:
    """The finished result: a stored debate turn, or an answer."""

    result: Turn | Reply


StreamEvent = SentenceEvent | DoneEvent


def sentence_events(reply: Reply) -> Iterator[SentenceEvent]:
    """The verified reply's sentences in order, each with its own citations."""
    yield from _events(reply, reply.sentences)


@runtime_checkable
class StreamingEngine(Protocol):
    """An engine that yields its checked reply so far as it grows and returns the result.

    Each yielded reply extends the one before (same sentences, same markers, more of them)
    and is a prefix of the final reply; nothing is yielded that a retry or fallback could
    replace.
    """

    def stream_reply_turn(
        self, ctx: TurnContext, message: str
    ) -> Generator[Reply, None, TurnResult]:
        """``reply_turn``, progressively."""
        ...

    def stream_answer(self, question: str, motion: Motion | None) -> Generator[Reply, None, Reply]:
        """``answer``, progressively."""
        ...


class VerifiedPrefix:
    """Sends a growing draft's sentences as soon as the verifier's verdict on them is final.

    ``verify`` is the service's own check of a whole reply. On each draft (a prefix of the
    final reply, ending where a move ends), a sentence the verifier keeps stays kept in the
    final reply: a claim is judged on its own citations, a move is complete, and framing is
    only judged against terms that can only grow. So kept sentences are sent, dropped claims
    are skipped, and a dropped framing sentence (which a later claim might still license)
    holds back everything after it until the reply is finished. ``finish`` sends the rest of
    the verified final reply; it is the authority.
    """

    def __init__(self, verify: Callable[[Reply], Reply]) -> None:
        self.verify = verify
        self.sent: list[Sentence] = []
        self._cursor = 0  # draft sentences decided so far

    def progress(self, draft: Reply) -> Iterator[SentenceEvent]:
        """The sentences of ``draft`` that can be sent now."""
        checked = self.verify(draft)
        kept = iter(checked.sentences)
        verdicts: list[Sentence | None] = []
        upcoming = next(kept, None)
        for sentence in draft.sentences:
            if upcoming is not None and _same(sentence, upcoming):
                verdicts.append(upcoming)
                upcoming = next(kept, None)
            else:
                verdicts.append(None)
        by_marker = {c.marker: c for c in checked.citations}
        while self._cursor < len(draft.sentences):
            verdict = verdicts[self._cursor]
            if verdict is None:
                if draft.sentences[self._cursor].kind == "framing":
                    return  # undecided until the whole reply is known
                self._cursor += 1  # a failing claim fails in the whole reply too
                continue
            self._cursor += 1
            self.sent.append(verdict)
            yield SentenceEvent(verdict, [by_marker[m] for m in verdict.citations])

    def finish(self, final: Reply) -> Iterator[SentenceEvent]:
        """The final reply's sentences not sent yet."""
        if final.sentences[: len(self.sent)] != self.sent:
            log.error("streamed sentences are not a prefix of the verified reply")
        yield from _events(final, final.sentences[len(self.sent) :])


def relay(
    progress: Generator[Reply, None, T], prefix: VerifiedPrefix
) -> Generator[SentenceEvent, None, T]:
    """Send what ``prefix`` can of each draft ``progress`` yields; its result at the end."""
    while True:
        try:
            draft = next(progress)
        except StopIteration as stop:
            return stop.value
        yield from prefix.progress(draft)


def _same(draft: Sentence, checked: Sentence) -> bool:
    return (draft.text, draft.kind, draft.citations) == (
        checked.text,
        checked.kind,
        checked.citations,
    )


def _events(reply: Reply, sentences: list[Sentence]) -> Iterator[SentenceEvent]:
    by_marker = {c.marker: c for c in reply.citations}
    for sentence in sentences:
        yield SentenceEvent(sentence, [by_marker[m] for m in sentence.citations if m in by_marker])
