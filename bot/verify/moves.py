"""Argument-level grounding: each move (a lead-in and the evidence it introduces) as a whole.

A sentence can be true and still lose the round for its speaker. So, beyond each claim's own
support, a move is a misfit, and is dropped whole, when
- it quotes evidence that serves the other side outside an explicit concession (an own goal);
- its lead-in says the evidence rebuts, shows or answers something, and the evidence
  serves the other side;
- its evidence was removed, which would leave a lead-in introducing nothing.
Which side a cited span serves comes from the argument map (cards, stance labels, and the
similarity labels behind the stance gate), never from the engine that wrote the reply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.domain.motions import Side, opposite
from bot.domain.replies import Citation, Sentence


class StanceLookup(Protocol):
    """Which side a cited span serves, if the map knows."""

    def side_of(self, doc_id: str, start: int, end: int) -> Side | None:
        """The side ``document.text[start:end]`` serves, or None when unknown or neutral."""
        ...


# Lead-ins that claim the evidence after them works for the speaker's side.
ASSERTING_LEAD = re.compile(
    r"\b(?:rebut\w*|otherwise|different conclusion|other way|falls? short|does not carry|"
    r"not the whole picture|misses|does not land|survives?|holds?(?: up)?|stands?|"
    r"does not get past|against|weigh\w*|decides?|carr(?:y|ies)|answers? (?:you|it)|"
    r"record (?:holds|shows|supports)|shows?|proves?|confirms?|undercuts?|no model|opposite)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MoveVerdict:
    """What the move check decided for one reply."""

    dropped_sentences: frozenset[int]  # indexes into the reply's sentences
    moves: int
    moves_dropped: int
    reasons: list[str]


def check_moves(
    sentences: list[Sentence],
    kept: Callable[[int], bool],
    citations: dict[int, Citation],
    bot_side: Side,
    stance: StanceLookup,
) -> MoveVerdict:
    """Judge every move of a reply; ``kept(i)``: sentence ``i`` passed its own checks."""
    groups: dict[int, list[int]] = {}
    for i, sentence in enumerate(sentences):
        key = sentence.move if sentence.move is not None else -(i + 1)  # a claim alone
        if sentence.move is not None or sentence.kind == "claim":
            groups.setdefault(key, []).append(i)
    user_side = opposite(bot_side)
    dropped: set[int] = set()
    reasons: list[str] = []
    misfits = 0
    for members in groups.values():
        reason = _misfit(sentences, members, kept, citations, user_side, stance)
        if reason:
            misfits += 1
            dropped.update(members)
            reasons.append(reason)
    return MoveVerdict(frozenset(dropped), len(groups), misfits, reasons)


def _misfit(
    sentences: list[Sentence],
    members: list[int],
    kept: Callable[[int], bool],
    citations: dict[int, Citation],
    user_side: Side,
    stance: StanceLookup,
) -> str | None:
    claims = [i for i in members if sentences[i].kind == "claim"]
    if claims and not any(kept(i) for i in claims):
        return f"move {sentences[members[0]].text!r}: its evidence failed, so its lead-in goes too"
    leads = [sentences[i] for i in members if sentences[i].kind == "framing"]
    asserting = any(ASSERTING_LEAD.search(s.text) for s in leads)
    for i in claims:
        sentence = sentences[i]
        if sentence.concession or not kept(i):
            continue
        for marker in sentence.citations:
            citation = citations.get(marker)
            if citation is None:
                continue
            side = stance.side_of(citation.doc_id, citation.start, citation.end)
            if side == user_side:
                kind = "a lead-in its evidence contradicts" if asserting else "an own goal"
                return (
                    f"move with {sentence.text[:80]!r}: {kind} (the evidence serves {side}, "
                    "outside a concession)"
                )
    return None
