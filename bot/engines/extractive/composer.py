"""Assembles a reply from framing sentences and quoted evidence within a word limit.

Claims quote an evidence sentence verbatim (sentences from unsourced documents are
attributed, not asserted) and cite it by marker. Framing that names anything the
reply's claims, the motion or the user's message do not already name falls back to a
generic wording, so framing never introduces facts. Nothing said earlier in the debate
(``said``) is said again: templates rotate to an unused variant, and a sentence with no
fresh wording left is left out. Items are grouped into moves (a lead-in and the evidence
it introduces), which the verifier checks as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.evidence import EvidenceSentence
from bot.domain.replies import Citation, ClashItem, Reply, Sentence
from bot.engines.templates import TemplateSet
from bot.text import features as tf
from bot.verify.grounding import GroundingVerifier

_WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    """Whitespace-separated words of ``text``; a claim's ``[n]`` marker counts as one more."""
    return len(_WORD.findall(text))


def lower_first(text: str) -> str:
    """Lowercase a sentence's first word when it is a function word ("The", "Any")."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if first.lower() in tf.STOPWORDS and first.lower() != "i" and first[:1].isupper():
        return text[0].lower() + text[1:]
    return text


def sentence_key(text: str) -> str:
    """What makes two sentences "the same" for the no-repeat rule: words, case-folded."""
    return " ".join(tf.strip_markers(text).lower().split()).rstrip(".")


def capitalized(text: str) -> str:
    """The sentence with its first letter upper-cased (templates may start with a tag)."""
    return text[:1].upper() + text[1:] if text else text


@dataclass
class _Item:
    kind: str
    text: str
    fallback: str | None = None
    evidence: EvidenceSentence | None = None
    concession: bool = False
    move: int | None = None


def short_title(title: str, max_chars: int = 60) -> str:
    """A title fit to name inline: no commas or quotes, cut on a word boundary."""
    clean = " ".join(title.replace(",", "").replace('"', "").split())
    if len(clean) <= max_chars:
        return clean
    return clean[:max_chars].rsplit(" ", 1)[0] + "..."


class ReplyBuilder:
    """Collects framing and claims in order, then renders a :class:`Reply`."""

    def __init__(
        self,
        templates: TemplateSet,
        allowed_terms: Iterable[str] = (),
        max_words: int | None = None,
        variant: int = 0,
        said: Iterable[str] = (),
    ) -> None:
        self.templates = templates
        self.allowed_terms = tuple(allowed_terms)
        self.max_words = max_words
        self.variant = variant
        self.said = {sentence_key(s) for s in said}
        self.items: list[_Item] = []
        self.words = 0
        self.current_move: int | None = None
        self._moves = 0

    # -- text ----------------------------------------------------------------
    def render(self, name: str, **values: str) -> str:
        """A template in this reply's variant."""
        return capitalized(self.templates.render(name, self.variant, **values))

    def fresh(self, name: str, /, **values: str) -> str | None:
        """The first variant (from this reply's offset) not said before; None when all were."""
        return self.fresh_at(name, 0, **values)

    def fresh_at(self, name: str, shift: int, /, **values: str) -> str | None:
        """As :meth:`fresh`, starting ``shift`` variants further on."""
        count = len(self.templates.get(name).variants)
        for step in range(count):
            variant = self.variant + shift + step
            text = capitalized(self.templates.render(name, variant, **values))
            if not self.is_said(text):
                return text
        return None

    def is_said(self, text: str) -> bool:
        """Whether ``text`` was said earlier in the debate or already in this reply."""
        key = sentence_key(text)
        return key in self.said or any(sentence_key(i.text) == key for i in self.items)

    def begin_move(self) -> int:
        """Start a new move: what follows until the next one is checked together."""
        self._moves += 1
        self.current_move = self._moves
        return self._moves

    def end_move(self) -> None:
        """Items after this belong to no move (speech-level framing)."""
        self.current_move = None

    def remaining(self) -> int | None:
        """Words left within the limit (None when there is no limit)."""
        return None if self.max_words is None else self.max_words - self.words

    def claim_text(self, evidence: EvidenceSentence) -> str:
        """The claim sentence for ``evidence``: verbatim, or attributed when unsourced."""
        text = " ".join(evidence.text.split())
        if evidence.sourced:
            return text
        if evidence.seed:
            return self.render("attribution", body=lower_first(text))
        return self.render("attribution_titled", title=short_title(evidence.title), body=text)

    def _claim_words(self, evidence: EvidenceSentence) -> int:
        return word_count(self.claim_text(evidence)) + 1  # + the marker

    def fits(self, *texts: str, extra: int = 0) -> bool:
        """Whether ``texts`` (plus ``extra`` words) still fit within the word limit."""
        needed = sum(word_count(t) for t in texts) + extra
        return self.max_words is None or self.words + needed <= self.max_words

    # -- building ------------------------------------------------------------
    def framing(self, text: str | None, fallback: str | None = None, force: bool = False) -> bool:
        """Add a framing sentence if it fits (or ``force``) and was not said before."""
        if text is None or self.is_said(text):
            text, fallback = fallback, None
        if text is None or self.is_said(text):
            return False
        if not (force or self.fits(text)):
            return False
        self.items.append(_Item("framing", text, fallback, move=self.current_move))
        self.words += word_count(text)
        return True

    def segment(
        self,
        framing: Sequence[tuple[str | None, str | None]],
        candidates: Sequence[EvidenceSentence],
        max_claims: int = 1,
        concession: bool = False,
        budget: int | None = None,
    ) -> list[EvidenceSentence]:
        """Add framing and up to ``max_claims`` claims; nothing when no claim fits.

        ``budget`` caps the words of this segment (framing included); when the full lead-in
        leaves no room, its shorter fallback is tried. Evidence said before is skipped.
        """
        options = [[(t or f, f if t else None) for t, f in framing]]
        if any(t and f for t, f in framing):
            options.append([(f or t, None) for t, f in framing])
        for heads in options:
            texts = [t for t, _ in heads if t is not None and not self.is_said(t)]
            chosen = self._choose(texts, candidates, max_claims, budget)
            if not chosen:
                continue
            for text, fallback in heads:
                self.framing(text, fallback, force=True)
            for evidence in chosen:
                item = _Item(
                    "claim",
                    self.claim_text(evidence),
                    evidence=evidence,
                    concession=concession,
                    move=self.current_move,
                )
                self.items.append(item)
                self.words += self._claim_words(evidence)
            return chosen
        return []

    def _choose(
        self,
        head: list[str],
        candidates: Sequence[EvidenceSentence],
        max_claims: int,
        budget: int | None,
    ) -> list[EvidenceSentence]:
        chosen: list[EvidenceSentence] = []
        head_words = sum(word_count(t) for t in head)
        for evidence in candidates:
            if len(chosen) == max_claims:
                break
            if evidence in chosen or self.is_said(self.claim_text(evidence)):
                continue
            words = sum(self._claim_words(e) for e in [*chosen, evidence])
            within = budget is None or head_words + words <= budget
            if within and self.fits(*head, extra=words):
                chosen.append(evidence)
        return chosen

    @property
    def cited(self) -> list[EvidenceSentence]:
        """Evidence cited so far."""
        return [i.evidence for i in self.items if i.evidence is not None]

    def build(self, clash: Sequence[ClashItem] = ()) -> Reply:
        """The reply, with markers numbered in order of first citation."""
        citations: dict[str, Citation] = {}
        sentences: list[Sentence] = []
        for item in self.items:
            if item.evidence is None:
                continue
            ev = item.evidence
            if ev.key not in citations:
                citations[ev.key] = Citation(
                    marker=len(citations) + 1,
                    passage_id=ev.passage_id,
                    doc_id=ev.doc_id,
                    title=ev.title,
                    url=ev.url,
                    start=ev.start,
                    end=ev.end,
                    quote=ev.text,
                )
        allowed = self._allowed(citations.values())
        for item in self.items:
            if item.evidence is not None:
                marker = citations[item.evidence.key].marker
                sentences.append(
                    Sentence(
                        text=f"{item.text} [{marker}]",
                        kind="claim",
                        citations=[marker],
                        concession=item.concession,
                        move=item.move,
                    )
                )
                continue
            text = self._safe_framing(item, allowed)
            if text:
                sentences.append(Sentence(text=text, kind="framing", move=item.move))
        return Reply(
            text=" ".join(s.text for s in sentences),
            sentences=sentences,
            citations=list(citations.values()),
            clash=list(clash),
        )

    def _allowed(self, citations: Iterable[Citation]) -> set[str]:
        texts = [*self.allowed_terms, *(i.text for i in self.items if i.kind == "claim")]
        texts += [c.title for c in citations]
        return {t.lower for text in texts for t in tf.tokenize(text)}

    @staticmethod
    def _safe_framing(item: _Item, allowed: set[str]) -> str | None:
        for text in (item.text, item.fallback):
            if text is None:
                continue
            check = GroundingVerifier.check_framing(Sentence(text=text, kind="framing"), allowed)
            if check.supported:
                return text
        return None
