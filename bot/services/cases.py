"""The case-building use case: a side's key points with checked evidence."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from bot.domain.motions import MotionRegistry, Side, motion_terms
from bot.engines.base import Case, DebateEngine
from bot.services.common import MapSource, debatable
from bot.verify.base import ReplyVerifier


@dataclass
class CaseService:
    """Builds and caches cases (per motion, side and argument-map fingerprint)."""

    motions: MotionRegistry
    engine: DebateEngine
    verifier: ReplyVerifier
    maps: MapSource

    def __post_init__(self) -> None:
        self._cases: dict[tuple[str, str, str], Case] = {}
        self._lock = threading.Lock()

    def case(self, motion_id: str, side: Side) -> Case:
        """The case for ``side``: key points, evidence, expected rebuttals (cached)."""
        motion = debatable(self.motions, motion_id)
        key = (motion.id, side, self.maps.get(motion).fingerprint)
        with self._lock:
            cached = self._cases.get(key)
        if cached is not None:
            return cached
        case = self.engine.build_case(motion, side)
        amap = self.maps.get(motion)
        reply = self.verifier.verify(
            case.reply, allowed_terms=frozenset(motion_terms(motion)), side=side, stance=amap
        )
        kept = {c.marker for c in reply.citations}
        for point in case.points:
            point.citations = [m for m in point.citations if m in kept]
            for rebuttal in point.rebuttals:
                rebuttal.citations = [m for m in rebuttal.citations if m in kept]
                rebuttal.answer_citations = [m for m in rebuttal.answer_citations if m in kept]
        case = case.model_copy(update={"reply": reply})
        with self._lock:
            self._cases[key] = case
        return case
