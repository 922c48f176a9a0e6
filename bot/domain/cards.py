"""Evidence cards: the curated quotes of an argument map, resolved to exact document spans.

A card names its document by file name and holds the exact words it quotes; when the map
loads, the quote is found in the document text and becomes an evidence sentence with
offsets, so ``document.text[start:end] == quote`` holds as for any other citation. A card
whose document or quote is not found fails the load with an error naming the card.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol

from bot.domain.errors import InvalidInputError
from bot.domain.evidence import EvidenceSentence, stems_of
from bot.domain.motions import Card, Motion, Side
from retrieval.records import Document, Passage


class CardError(InvalidInputError):
    """A card (or stance label) of an argument map does not resolve to its source."""


class DocumentLookup(Protocol):
    """Reading one whole document by id."""

    def get_document(self, doc_id: str) -> Document | None:
        """The document, or None."""
        ...


@dataclass(frozen=True)
class FiledSpan:
    """A span of a document that the map files under one side."""

    doc_id: str
    start: int
    end: int
    side: Side

    def overlaps(self, doc_id: str, start: int, end: int) -> bool:
        """Whether ``[start, end)`` of ``doc_id`` shares any character with this span."""
        return doc_id == self.doc_id and start < self.end and self.start < end


@dataclass(frozen=True)
class ResolvedCards:
    """Each key point's cards as evidence sentences, and every span the map files by side."""

    by_point: dict[str, list[EvidenceSentence]]
    filed: list[FiledSpan]

    def side_of(self, doc_id: str, start: int, end: int) -> Side | None:
        """The side the map files a span under; None when unfiled or filed both ways."""
        sides = {f.side for f in self.filed if f.overlaps(doc_id, start, end)}
        return sides.pop() if len(sides) == 1 else None


def _file_name(source: str) -> str:
    return PurePosixPath(source.replace("\\", "/")).name


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Offsets of ``quote`` in ``text``: exact, else ignoring differences in whitespace."""
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    words = quote.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def _documents(passages: Sequence[Passage], lookup: DocumentLookup) -> dict[str, Document]:
    by_name: dict[str, Document] = {}
    for doc_id in dict.fromkeys(p.doc_id for p in passages):
        document = lookup.get_document(doc_id)
        if document is not None:
            by_name.setdefault(_file_name(document.source), document)
    return by_name


def _sentence(
    card: Card, where: str, docs: dict[str, Document], passages: Sequence[Passage]
) -> EvidenceSentence:
    document = docs.get(card.doc)
    if document is None:
        raise CardError(f"{where}: no document {card.doc!r} among the motion's sources")
    span = find_quote(document.text, card.quote)
    if span is None:
        raise CardError(f"{where}: quote not found in {card.doc!r}: {card.quote[:80]!r}")
    start, end = span
    home = next(
        (p for p in passages if p.doc_id == document.doc_id and p.start <= start < p.end), None
    )
    if home is None:
        raise CardError(f"{where}: no passage of {card.doc!r} holds the quote")
    text = document.text[start:end]
    return EvidenceSentence(
        key=f"{document.doc_id}:{start}:{end}",
        passage_id=home.passage_id,
        doc_id=document.doc_id,
        title=document.title,
        url=document.url,
        start=start,
        end=end,
        text=text,
        stems=stems_of(text),
        seed=home.metadata.get("role") == "seed",
    )


def resolve_cards(
    motion: Motion, passages: Sequence[Passage], lookup: DocumentLookup
) -> ResolvedCards:
    """Every card and stance label of ``motion`` as exact spans; raises on the first miss."""
    wanted: Iterable[Card] = [c for kp in motion.key_points for c in kp.cards]
    if not wanted and not motion.stance_labels:
        return ResolvedCards({kp.id: [] for kp in motion.key_points}, [])
    docs = _documents(passages, lookup)
    by_point: dict[str, list[EvidenceSentence]] = {}
    filed: list[FiledSpan] = []
    for kp in motion.key_points:
        sentences = []
        for n, card in enumerate(kp.cards, start=1):
            sentence = _sentence(card, f"motion {motion.id}: card {n} of {kp.id}", docs, passages)
            sentences.append(sentence)
            filed.append(FiledSpan(sentence.doc_id, sentence.start, sentence.end, kp.side))
        by_point[kp.id] = sentences
    for n, label in enumerate(motion.stance_labels, start=1):
        sentence = _sentence(label, f"motion {motion.id}: stance label {n}", docs, passages)
        filed.append(FiledSpan(sentence.doc_id, sentence.start, sentence.end, label.side))
    return ResolvedCards(by_point, filed)
