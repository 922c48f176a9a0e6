"""Motion routes: list, read, add, and build a side's case."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from bot.api.deps import CasesDep, MotionsDep
from bot.api.schemas import CasePublic, MotionList, MotionSummary
from bot.domain.motions import Motion, Side

router = APIRouter(prefix="/motions", tags=["motions"])
write_router = APIRouter(prefix="/motions", tags=["motions"])  # behind the API key


@router.get("", response_model=MotionList)
def list_motions(motions: MotionsDep) -> MotionList:
    """Every motion, summarized."""
    return MotionList(motions=[MotionSummary.of(m) for m in motions.list_motions()])


@router.get("/{motion_id}", response_model=Motion)
def get_motion(motion_id: str, motions: MotionsDep) -> Motion:
    """One motion with its argument map."""
    return motions.get_motion(motion_id)


@write_router.post("", response_model=Motion, status_code=status.HTTP_201_CREATED)
def add_motion(body: Motion, motions: MotionsDep) -> Motion:
    """Add a motion (kept across restarts); without key_points it serves Q&A only."""
    return motions.add_motion(body)


@router.get("/{motion_id}/case", response_model=CasePublic)
def get_case(
    motion_id: str,
    cases: CasesDep,
    side: Annotated[Side, Query(description="The side whose case to build: pro or con.")],
) -> CasePublic:
    """Key points of a side with their best evidence and the rebuttals to expect."""
    return CasePublic.model_validate(cases.case(motion_id, side).model_dump())
