"""Question and claim-checking routes."""

from __future__ import annotations

from fastapi import APIRouter

from bot.api.deps import ChecksDep, QuestionsDep
from bot.api.schemas import AskRequest, FindingPublic, VerifyPublic, VerifyRequest
from bot.domain.replies import Reply

router = APIRouter(tags=["questions"])


@router.post("/ask", response_model=Reply)
def ask(body: AskRequest, questions: QuestionsDep) -> Reply:
    """A cited answer from the sources, or a plain statement that they do not answer."""
    return questions.ask(body.question, body.motion_id)


@router.post("/verify", response_model=VerifyPublic)
def verify(body: VerifyRequest, checks: ChecksDep) -> VerifyPublic:
    """Check a claim against a passage or a document span with the grounding verifier."""
    if body.passage_id is not None:
        result = checks.verify_passage(body.claim, body.passage_id)
    else:
        assert body.doc_id is not None
        assert body.start is not None
        assert body.end is not None
        result = checks.verify_span(body.claim, body.doc_id, body.start, body.end)
    findings = [
        FindingPublic(
            check=f.check, claim_part=f.claim_part, evidence_part=f.evidence_part, message=f.message
        )
        for f in result.findings
    ]
    return VerifyPublic(
        supported=result.supported,
        support=result.support,
        findings=findings,
        reasons=result.reasons,
    )
