"""What a debate remembers between turns, rebuilt from the replies already sent.

Nothing here is stored separately: the transcript (every earlier reply, with its clash
list and citations) is the state, so a restarted server, a replayed conversation and the
OpenAI-compatible endpoint all see the same debate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.motions import KeyPoint, Motion
from bot.domain.replies import Reply
from bot.text import features as tf


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
    touched: frozenset[str] = frozenset()  # every key point a user move matched or targeted
    user_moves: tuple[str, ...] = ()  # every user move the bot listed, in the user's words

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
            touched=frozenset(
                i.key_point_id
                for i in clash
                if i.key_point_id and i.kind not in ("concession", "pressure")
            ),
            user_moves=tuple(i.point for i in clash if i.kind != "pressure"),
        )


def framing_stems(motion: Motion) -> set[str]:
    """Content stems of the motion's own framing (title, question, sides), which name no
    key point; the key points' tags are left out, since they are what names a point."""
    texts = [motion.title, motion.question, motion.sides.pro, motion.sides.con]
    return {stem for text in texts for stem in tf.content_stems(tf.tokenize(text))}


def unanswered(
    points: list[KeyPoint],
    user_texts: list[str],
    engaged: set[str],
    conceded: set[str],
    common_stems: set[str],
) -> list[KeyPoint]:
    """The bot's points no user move engaged: not matched or attacked (``engaged``), not
    conceded (a granted point is not a dropped one), and not named by the words of its label
    in anything the user said (``common_stems``, the motion's own words, name nothing)."""
    said: set[str] = set()
    for text in user_texts:
        said |= tf.content_stems(tf.tokenize(text))
    out = []
    for kp in points:
        if kp.id in engaged or kp.id in conceded:
            continue
        label = tf.content_stems(tf.tokenize(kp.tag or "")) - common_stems
        if label & said:
            continue
        out.append(kp)
    return out
