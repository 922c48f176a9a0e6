"""Use cases on motions: list, read, add."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.motions import Motion, MotionRegistry


@dataclass
class MotionService:
    """Motions and their argument maps, as the API sees them."""

    registry: MotionRegistry

    def list_motions(self) -> list[Motion]:
        """Every motion."""
        return self.registry.list()

    def get_motion(self, motion_id: str) -> Motion:
        """One motion (404 when unknown)."""
        return self.registry.get(motion_id)

    def add_motion(self, motion: Motion) -> Motion:
        """Register a motion; it survives restarts."""
        return self.registry.add(motion)
