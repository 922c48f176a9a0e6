"""Assembles a reply from framing sentences and quoted evidence within a word limit.

Claims quote an evidence sentence verbatim (sentences from unsourced documents are
attributed, not asserted) and cite it by marker. Framing that names anything the
reply's claims, the motion or the user's message do not already name falls back to a
generic wording, so framing never introduces facts.
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


@dataclass
class _Item:
    kind: str
    text: str
    fallback: str | None = None
    evidence: EvidenceSentence | None = None
    concession: bool = False


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
    ) -> None:
        self.templates = templates
        self.allowed_terms = tuple(allowed_terms)
        self.max_words = max_words
        self.variant = variant
        self.items: list[_Item] = []
        self.words = 0

    # -- text ----------------------------------------------------------------
    def render(self, name: str, **values: str) -> str:
        """A template in this reply's variant."""
        return self.templates.render(name, self.variant, **values)

    def claim_text(self, evidence: EvidenceSentence) -> str:
        """The claim sentence for ``evidence``: verbatim, or attributed when unsourced."""
        text = " ".join(evidence.text.split())
        if evidence.sourced:
            return text
        if evidence.seed:
            return self.render("attribution", body=lower_first(text))
        return self.render(
            "attribution_titled", title=short_title(evidence.title), body=lower_first(text)
        )

    def _claim_words(self, evidence: EvidenceSentence) -> int:
        return word_count(self.claim_text(evidence)) + 1  # + the marker

    def fits(self, *texts: str, extra: int = 0) -> bool:
        """Whether ``texts`` (plus ``extra`` words) still fit within the word limit."""
        needed = sum(word_count(t) for t in texts) + extra
        return self.max_words is None or self.words + needed <= self.max_words

    # -- building ------------------------------------------------------------
    def framing(self, text: str, fallback: str | None = None, force: bool = False) -> bool:
        """Add a framing sentence if it fits (or ``force``)."""
        if not (force or self.fits(text)):
            return False
        self.items.append(_Item("framing", text, fallback))
        self.words += word_count(text)
        return True

    def segment(
        self,
        framing: Sequence[tuple[str, str | None]],
        candidates: Sequence[EvidenceSentence],
        max_claims: int = 1,
        concession: bool = False,
    ) -> list[EvidenceSentence]:
        """Add framing plus up to ``max_claims`` claims; nothing when no claim fits."""
        chosen: list[EvidenceSentence] = []
        head = [text for text, _ in framing]
        for evidence in candidates:
            if len(chosen) == max_claims:
                break
            words = sum(self._claim_words(e) for e in [*chosen, evidence])
            if self.fits(*head, extra=words):
                chosen.append(evidence)
        if not chosen:
            return []
        for text, fallback in framing:
            self.framing(text, fallback, force=True)
        for evidence in chosen:
            text = self.claim_text(evidence)
            self.items.append(_Item("claim", text, evidence=evidence, concession=concession))
            self.words += self._claim_words(evidence)
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
                    )
                )
                continue
            text = self._safe_framing(item, allowed)
            if text:
                sentences.append(Sentence(text=text, kind="framing"))
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
