"""The chat app's use cases; each calls engines, verifiers and stores through protocols."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.sessions import SessionRepository
from bot.services.cases import CaseService
from bot.services.checks import CheckService
from bot.services.debates import DebateService
from bot.services.motions import MotionService
from bot.services.questions import QuestionService


@dataclass
class ChatServices:
    """Every use case of the chat API, built once in the app's lifespan."""

    motions: MotionService
    debates: DebateService
    cases: CaseService
    questions: QuestionService
    checks: CheckService
    sessions: SessionRepository

    def close(self) -> None:
        """Release what the services hold open (the sessions database)."""
        self.sessions.close()
