"""The evidence an LLM turn sees: numbered sources from the argument map and retrieval.

Each source is an exact span of a document (``document.text[start:end] == text``) with the
stance the argument map gave it. Sources are rendered as data inside ``<sources>`` tags, with
angle brackets in their text escaped so that no source can close the block.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.domain.argument_map import ArgumentMap, sentence_sides
from bot.domain.evidence import EvidenceSentence, SentenceIndex, score_matrix, stems_of
from bot.domain.motions import KeyPoint, Side
from bot.engines.llm.prompts import PromptSet
from retrieval.records import SearchHit


@dataclass(frozen=True)
class Source:
    """One numbered passage shown to the model."""

    number: int
    passage_id: str
    doc_id: str
    title: str
    url: str | None
    start: int
    end: int
    text: str
    stance: str  # "pro", "con" or "neutral"
    key_points: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The evidence key sessions remember (``doc_id:start:end``)."""
        return f"{self.doc_id}:{self.start}:{self.end}"


def as_data(text: str) -> str:
    """Text safe to place inside a tagged data block: no tag can be opened or closed."""
    return " ".join(text.replace("<", "\u2039").replace(">", "\u203a").split())


class SourceList:
    """Collects sources in order, numbering them from 1 and skipping duplicates."""

    def __init__(self, amap: ArgumentMap | None, limit: int) -> None:
        self.amap = amap
        self.limit = limit
        self.sources: list[Source] = []
        self._keys: dict[str, Source] = {}

    def _stance(self, passage_id: str, key: str) -> str:
        if self.amap is None:
            return "neutral"
        stance = self.amap.passage_stance.get(passage_id, "neutral")
        row = self.amap.rows.get(key)
        if stance == "neutral" and row is not None:
            return self.amap.sentence_side[row] or "neutral"
        return stance

    def add_sentence(self, sentence: EvidenceSentence, kp_id: str | None = None) -> Source | None:
        """Add an evidence sentence (once); returns its source, or None when full."""
        return self._add(
            sentence.passage_id, sentence.doc_id, sentence.title, sentence.url,
            sentence.start, sentence.end, sentence.text, kp_id,
        )  # fmt: skip

    def add_hit(self, hit: SearchHit) -> Source | None:
        """Add a retrieved passage (once)."""
        return self._add(
            hit.passage_id, hit.doc_id, hit.title, hit.url, hit.start, hit.end, hit.text
        )

    def _add(
        self,
        passage_id: str,
        doc_id: str,
        title: str,
        url: str | None,
        start: int,
        end: int,
        text: str,
        kp_id: str | None = None,
    ) -> Source | None:
        key = f"{doc_id}:{start}:{end}"
        known = self._keys.get(key)
        if known is not None:
            if kp_id and kp_id not in known.key_points:
                updated = Source(**{**known.__dict__, "key_points": (*known.key_points, kp_id)})
                self.sources[known.number - 1] = updated
                self._keys[key] = updated
                return updated
            return known
        if len(self.sources) >= self.limit:
            return None
        source = Source(
            number=len(self.sources) + 1,
            passage_id=passage_id,
            doc_id=doc_id,
            title=title,
            url=url,
            start=start,
            end=end,
            text=text,
            stance=self._stance(passage_id, key),
            key_points=(kp_id,) if kp_id else (),
        )
        self.sources.append(source)
        self._keys[key] = source
        return source

    def add_backings(
        self, kp: KeyPoint, used: frozenset[str] = frozenset(), count: int = 2
    ) -> list[Source]:
        """Up to ``count`` of the best sentences backing ``kp`` (its curated evidence cards
        first, then the map's similarity evidence), unused ones first."""
        if self.amap is None:
            return []
        ranked = [*self.amap.cards_for(kp.id), *(b.sentence for b in self.amap.evidence(kp.id))]
        unique = list({s.key: s for s in ranked}.values())  # first of each key, in rank order
        fresh = [s for s in unique if s.key not in used]
        chosen = (fresh or unique)[:count]
        added = [self.add_sentence(s, kp.id) for s in chosen]
        return [s for s in added if s is not None]


def render_evidence(
    prompts: PromptSet, sources: Sequence[Source], key_points: Iterable[KeyPoint]
) -> str:
    """The evidence block: key-point cards with their passage numbers, then the passages."""
    cards = []
    for kp in key_points:
        numbers = [str(s.number) for s in sources if kp.id in s.key_points]
        if numbers:
            cards.append(
                prompts.render(
                    "card",
                    key_point_id=kp.id,
                    side=kp.side,
                    text=as_data(kp.text),
                    numbers=", ".join(numbers),
                )
            )
    passages = [
        prompts.render(
            "passage",
            number=s.number,
            stance=s.stance,
            title=as_data(s.title).replace('"', "'"),
            text=as_data(s.text),
        )
        for s in sources
    ]
    return prompts.render(
        "evidence_block",
        cards="\n".join(cards) or "(none)",
        passages="\n".join(passages),
    )


def span_sides(amap: ArgumentMap, doc_id: str, start: int, end: int) -> set[str]:
    """The sides a document span serves: the map's own verdict on it (cards, labels) and the
    sides of every map sentence it overlaps, with their passages' stances."""
    sides: set[str] = set()
    filed = amap.side_of(doc_id, start, end)
    if filed is not None:
        sides.add(filed)
    for row, sentence in enumerate(amap.sentences):
        if sentence.doc_id == doc_id and sentence.start < end and start < sentence.end:
            side = amap.sentence_side[row]
            if side is not None:
                sides.add(side)
            sides.add(amap.passage_stance.get(sentence.passage_id, "neutral"))
    sides.discard("neutral")
    return sides


def text_sides(amap: ArgumentMap, index: SentenceIndex, texts: list[str]) -> list[Side | None]:
    """The side each text argues, by its best key point of each side (the map's own rule)."""
    if not texts or not amap.motion.key_points:
        return [None] * len(texts)
    cal = index.calibration
    scores = score_matrix(
        index.embed(texts), [stems_of(t) for t in texts], amap.kp_stems, amap.kp_vectors
    )
    kp_sides = np.array([kp.side for kp in amap.motion.key_points])
    return sentence_sides(scores.T, kp_sides, cal)
