"""Domain events of a streamed reply: each verified sentence, then the whole result.

The services yield these; only the HTTP layer turns them into Server-Sent Events. A sentence
event is made from the reply as the verifier left it, so no unverified sentence is ever sent,
and the final event carries exactly what was stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bot.domain.replies import Citation, Reply, Sentence
from bot.domain.sessions import Turn


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
    by_marker = {c.marker: c for c in reply.citations}
    for sentence in reply.sentences:
        cited = [by_marker[m] for m in sentence.citations if m in by_marker]
        yield SentenceEvent(sentence, cited)
