"""The semantic score: embedding cosine plus content-word overlap through lemmas and synonyms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.verify.layers import nlp
from bot.verify.layers.attribution import source_tokens
from bot.verify.layers.base import Finding, Verdict
from bot.verify.layers.events import unnamed_events
from bot.verify.layers.syntax import expand, is_content, lemma

CHECK = "semantic"
VECTOR_CACHE_SIZE = 4096


@dataclass(frozen=True)
class SemanticThresholds:
    """Where the score says yes, no, or leaves it open (a judge layer may then decide)."""

    support: float = 0.62  # mean of overlap and cosine for a yes
    min_overlap: float = 0.5  # share of claim content words found in the evidence, for a yes
    min_cosine: float = 0.5  # embedding similarity, for a yes
    reject_below: float = 0.45  # mean under which the answer is a firm no
    reject_overlap: float = 0.3  # overlap under which the answer is a firm no
    novel_run: int = 3  # this many adjacent claim words absent from the evidence: an added fact
    # A claim verb that names no event of the evidence ("rejected" where it says "welcomed")
    # needs this score: paraphrases with a new verb score high, other events lower.
    unnamed_event_support: float = 0.87


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


class SemanticJudge:
    """Paraphrase support from any LangChain ``Embeddings`` and lemma/synonym overlap."""

    name = CHECK

    def __init__(
        self, embeddings: Embeddings, thresholds: SemanticThresholds | None = None
    ) -> None:
        self.embeddings = embeddings
        self.thresholds = thresholds or SemanticThresholds()
        # Unit vectors of texts already embedded: the same passage backs many claims.
        self._vectors: dict[str, np.ndarray] = {}

    def _embed(self, texts: list[str]) -> np.ndarray:
        # Reads and writes of the shared cache are single dict operations, so checks on
        # other threads (requests, the LLM engine's preparation) can clear or fill it freely.
        found: dict[str, np.ndarray] = {}
        for text in dict.fromkeys(texts):
            vector = self._vectors.get(text)
            if vector is not None:
                found[text] = vector
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            fresh = _unit(np.asarray(self.embeddings.embed_documents(missing), dtype=float))
            found.update(zip(missing, fresh, strict=True))
            if len(self._vectors) > VECTOR_CACHE_SIZE:
                self._vectors.clear()
            self._vectors.update(zip(missing, fresh, strict=True))
        return np.stack([found[t] for t in texts])

    def overlap(self, claim: str, evidence: str) -> tuple[float, list[str], list[str]]:
        """Share of claim content words in the evidence (as lemma or synonym), the missing
        words, and runs of adjacent missing words (a phrase the evidence does not have)."""
        evidence_doc = nlp.parse(evidence)
        evidence_lemmas = {lemma(t) for t in evidence_doc} | {t.lower_ for t in evidence_doc}
        claim_doc = nlp.parse(claim)
        source = source_tokens(claim_doc)
        words = [t for t in claim_doc if is_content(t) and t.i not in source]
        if not words:
            return 0.0, [], []
        absent = {t.i for t in words if not (expand(t) | {t.lower_}) & evidence_lemmas}
        runs: list[str] = []
        run: list[str] = []
        for token in claim_doc:
            if token.i in source:
                continue
            if token.i in absent:
                run.append(token.text)
            elif token.is_punct or is_content(token):
                if len(run) >= self.thresholds.novel_run:
                    runs.append(" ".join(run))
                run = []
        if len(run) >= self.thresholds.novel_run:
            runs.append(" ".join(run))
        missing = [t.text for t in words if t.i in absent]
        return 1 - len(missing) / len(words), missing, runs

    def clear_cache(self) -> None:
        """Forget every vector (benchmarks time the embedding itself)."""
        self._vectors.clear()

    def prepare(self, evidence: Sequence[str]) -> None:
        """Embed each evidence text and its sentences now, in one batch (as :meth:`cosine`
        will look them up)."""
        self._embed([part for text in evidence for part in self._parts(text)])

    @staticmethod
    def _parts(evidence: str) -> list[str]:
        """The evidence and its sentences, each once."""
        return list(dict.fromkeys([evidence, *(s.text for s in nlp.parse(evidence).sents)]))

    def cosine(self, claim: str, evidence: str) -> float:
        """Best similarity of the claim to the evidence or to one of its sentences."""
        vectors = self._embed([claim, *self._parts(evidence)])
        return float(np.max(vectors[1:] @ vectors[0]))

    def judge(self, claim: str, evidence: str) -> Verdict:
        """Yes above the thresholds, no well below them, no opinion between."""
        limits = self.thresholds
        overlap, missing, runs = self.overlap(claim, evidence)
        cosine = self.cosine(claim, evidence)
        score = round((overlap + cosine) / 2, 4)
        detail = f"overlap {overlap:.2f}, cosine {cosine:.2f}, score {score:.2f}"
        gap = ", ".join(missing[:6])
        finding = Finding(CHECK, gap, "", detail + (f"; not in the evidence: {gap}" if gap else ""))
        if score < limits.reject_below or overlap < limits.reject_overlap:
            return Verdict(False, CHECK, [finding], score)
        if runs:
            added = Finding(CHECK, runs[0], "", f"the claim adds '{runs[0]}', not in the evidence")
            return Verdict(False, CHECK, [added, finding], score)
        unnamed = unnamed_events(claim, evidence)
        if unnamed and score < limits.unnamed_event_support:
            return Verdict(False, CHECK, [*unnamed[:1], finding], score)
        if (
            score >= limits.support
            and overlap >= limits.min_overlap
            and cosine >= limits.min_cosine
        ):
            return Verdict(True, CHECK, [finding], score)
        return Verdict(None, CHECK, [finding], score)
