"""Dependencies handed to the routers (overridable in tests via dependency_overrides)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bot.services import ChatServices
from bot.services.cases import CaseService
from bot.services.checks import CheckService
from bot.services.debates import DebateService
from bot.services.motions import MotionService
from bot.services.questions import QuestionService
from retrieval.records import Retriever


def get_services(request: Request) -> ChatServices:
    """The use cases built in the app's lifespan."""
    services: ChatServices = request.app.state.services
    return services


ServicesDep = Annotated[ChatServices, Depends(get_services)]


def get_motions(services: ServicesDep) -> MotionService:
    """Motions."""
    return services.motions


def get_debates(services: ServicesDep) -> DebateService:
    """Debates and turns."""
    return services.debates


def get_cases(services: ServicesDep) -> CaseService:
    """Cases."""
    return services.cases


def get_questions(services: ServicesDep) -> QuestionService:
    """Questions."""
    return services.questions


def get_checks(services: ServicesDep) -> CheckService:
    """Claim checks."""
    return services.checks


MotionsDep = Annotated[MotionService, Depends(get_motions)]
DebatesDep = Annotated[DebateService, Depends(get_debates)]
CasesDep = Annotated[CaseService, Depends(get_cases)]
QuestionsDep = Annotated[QuestionService, Depends(get_questions)]
ChecksDep = Annotated[CheckService, Depends(get_checks)]


def get_retriever(request: Request) -> Retriever:
    """The retriever (in-process service or HTTP client) built in the lifespan."""
    retriever: Retriever = request.app.state.retriever
    return retriever


RetrieverDep = Annotated[Retriever, Depends(get_retriever)]
