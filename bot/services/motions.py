"""Use cases on motions: list, read, add."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.motions import Motion, MotionRegistry


@dataclass
class MotionService:
    """Motions and their argument maps, as the API sees them."""

    registry: MotionRegistry
    check_map: Callable[[Motion], object] | None = None  # raises when cards do not resolve

    def list_motions(self) -> list[Motion]:
        """Every motion."""
        return self.registry.list()

    def get_motion(self, motion_id: str) -> Motion:
        """One motion (404 when unknown)."""
        return self.registry.get(motion_id)

    def add_motion(self, motion: Motion) -> Motion:
        """Register a motion (its evidence cards must resolve first); it survives restarts."""
        if self.check_map is not None and any(kp.cards for kp in motion.key_points):
            self.check_map(motion)
        return self.registry.add(motion)
