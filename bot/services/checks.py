"""The claim-check use case: the bot's own verifier on any claim and span."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.domain.errors import InvalidInputError, NotFoundError
from bot.services.common import clean_text
from bot.verify.base import ReplyVerifier, SupportResult
from retrieval.records import DocumentSource, Passage


class PassageLookup(Protocol):
    """Resolving a passage id for claim checks."""

    def get_passage(self, passage_id: str) -> Passage | None:
        """One passage, or None."""
        ...


@dataclass
class CheckService:
    """Checks a claim against a passage or a document span."""

    verifier: ReplyVerifier
    documents: DocumentSource
    passages: PassageLookup
    max_message_chars: int = 4000

    def verify_passage(self, claim: str, passage_id: str) -> SupportResult:
        """Whether the passage supports ``claim``."""
        claim = clean_text(claim, "claim", self.max_message_chars)
        passage = self.passages.get_passage(passage_id)
        if passage is None:
            raise NotFoundError(f"no passage {passage_id!r}")
        return self.verifier.check_span(claim, passage.doc_id, passage.start, passage.end)

    def verify_span(self, claim: str, doc_id: str, start: int, end: int) -> SupportResult:
        """Whether ``document.text[start:end]`` supports ``claim``."""
        claim = clean_text(claim, "claim", self.max_message_chars)
        document = self.documents.get_document(doc_id)
        if document is None:
            raise NotFoundError(f"no document {doc_id!r}")
        if not 0 <= start < end <= len(document.text):
            raise InvalidInputError(
                f"span [{start}, {end}) is outside document {doc_id!r} "
                f"of length {len(document.text)}"
            )
        return self.verifier.check_span(claim, doc_id, start, end)
