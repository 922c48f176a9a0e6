"""Pieces the use cases share: input checks and the ports they call through."""

from __future__ import annotations

from typing import Protocol

from bot.domain.argument_map import ArgumentMap
from bot.domain.errors import InvalidInputError
from bot.domain.motions import Motion, MotionRegistry, Side
from bot.domain.replies import Reply
from bot.verify.base import ReplyVerifier
from bot.verify.moves import StanceLookup


class MapSource(Protocol):
    """The current argument map of a motion."""

    def get(self, motion: Motion) -> ArgumentMap:
        """The map, rebuilt when its sources changed."""
        ...


def clean_text(text: str, name: str, max_chars: int) -> str:
    """``text`` stripped; a clear 422 when it is empty or too long."""
    if not text or not text.strip():
        raise InvalidInputError(f"{name} is empty")
    if len(text) > max_chars:
        raise InvalidInputError(f"{name} has {len(text)} characters; the limit is {max_chars}")
    return text.strip()


def debatable(motions: MotionRegistry, motion_id: str) -> Motion:
    """The motion, when it has key points to debate (404 unknown, 422 without a map)."""
    motion = motions.get(motion_id)
    if not motion.has_map:
        raise InvalidInputError(
            f"motion {motion_id!r} has no key points; it supports questions (POST /ask) only"
        )
    return motion


def verified(
    verifier: ReplyVerifier,
    draft: Reply,
    allowed_terms: frozenset[str],
    side: Side | None = None,
    stance: StanceLookup | None = None,
) -> Reply:
    """The verifier's reply, counting in ``dropped`` the claims the engine already dropped."""
    reply = verifier.verify(draft, allowed_terms=allowed_terms, side=side, stance=stance)
    if not draft.grounding.dropped:
        return reply
    total = reply.grounding.dropped + draft.grounding.dropped
    grounding = reply.grounding.model_copy(update={"dropped": total})
    return reply.model_copy(update={"grounding": grounding})
