"""What a debate remembers between turns, rebuilt from the replies already sent.

Nothing here is stored separately: the transcript (every earlier reply, with its clash
list and citations) is the state, so a restarted server, a replayed conversation and the
OpenAI-compatible endpoint all see the same debate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.replies import Reply


@dataclass(frozen=True)
class Concession:
    """Something the user granted, in the user's words, and the key point it concerns."""

    text: str
    key_point_id: str | None


@dataclass(frozen=True)
class DebateState:
    """The debate so far, as the engine needs it for the next reply."""

    said: frozenset[str] = frozenset()  # every sentence the bot has said
    used_evidence: frozenset[str] = frozenset()  # "doc:start:end" of every citation
    advanced: tuple[str, ...] = ()  # the bot's key points made, in order
    challenged: frozenset[str] = frozenset()  # the bot's key points the user attacked
    user_points: frozenset[str] = frozenset()  # the user's key points made
    concessions: tuple[Concession, ...] = field(default=())

    @classmethod
    def of(
        cls,
        previous: tuple[Reply, ...],
        used_evidence: frozenset[str] = frozenset(),
        advanced: tuple[str, ...] = (),
    ) -> DebateState:
        """The state after ``previous`` replies (plus what the session recorded)."""
        said = {s.text for reply in previous for s in reply.sentences}
        used = set(used_evidence) | {
            f"{c.doc_id}:{c.start}:{c.end}" for reply in previous for c in reply.citations
        }
        clash = [item for reply in previous for item in reply.clash]
        return cls(
            said=frozenset(said),
            used_evidence=frozenset(used),
            advanced=advanced,
            challenged=frozenset(
                i.key_point_id for i in clash if i.kind == "challenge" and i.key_point_id
            ),
            user_points=frozenset(
                i.key_point_id for i in clash if i.kind == "claim" and i.key_point_id
            ),
            concessions=tuple(
                Concession(i.point, i.key_point_id) for i in clash if i.kind == "concession"
            ),
        )
