"""Evidence sentences: sentence-level spans of passages, embedded once and cached.

Every reply cites whole sentences, so a citation's quote is exactly
``document.text[start:end]`` for a span produced by :func:`split_sentences`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.text import features as tf
from bot.verify.calibration import MINILM, Calibration
from retrieval.embeddings import embed_array, embedding_dimension
from retrieval.ingest.chunking import split_sentences
from retrieval.ingest.injection import is_instruction
from retrieval.records import Passage

# Weight of lexical overlap next to cosine similarity when ranking sentences.
LEXICAL_WEIGHT = 0.5
MIN_EVIDENCE_WORDS = 6
# A short run-in heading before the sentence proper ("Central Conclusion: The answer ...").
_RUN_IN_LABEL = re.compile(r"[A-Z][^.:!?\d\n]{0,60}:\s+(?=[A-Z\u201c\"])")
_MAX_LABEL_WORDS = 5


@dataclass(frozen=True)
class EvidenceSentence:
    """One citable sentence: its exact span and where it comes from."""

    key: str
    passage_id: str
    doc_id: str
    title: str
    url: str | None
    start: int
    end: int
    text: str
    stems: frozenset[str]
    seed: bool = False

    @property
    def sourced(self) -> bool:
        """Whether the document names where its facts come from (a url)."""
        return bool(self.url)


def stems_of(text: str) -> frozenset[str]:
    """Content-word stems of ``text`` (the lexical half of every match score)."""
    return frozenset(tf.content_stems(tf.tokenize(text)))


def overlap(query: frozenset[str], sentence: frozenset[str]) -> float:
    """Share of the query's content stems found in the sentence."""
    return len(query & sentence) / len(query) if query else 0.0


def is_citable(text: str) -> bool:
    """A sentence worth quoting: long enough, not a question, not a heading, and not an
    instruction to the reader (sources are data)."""
    words = text.split()
    long_enough = len(words) >= MIN_EVIDENCE_WORDS and not text.rstrip().endswith("?")
    return long_enough and not is_instruction(text)


def _without_label(text: str, start: int) -> int:
    """Skip a run-in heading at ``start`` so the quote begins with the sentence proper."""
    match = _RUN_IN_LABEL.match(text, start)
    if match and len(text[start : match.end()].split()) <= _MAX_LABEL_WORDS:
        return match.end()
    return start


def split_passage(passage: Passage) -> list[EvidenceSentence]:
    """The citable sentences of a passage, with offsets into the document."""
    title = str(passage.metadata.get("title", ""))
    url = str(passage.metadata.get("url") or "") or None
    seed = passage.metadata.get("role") == "seed"
    out = []
    for span_start, end in split_sentences(passage.text):
        start = _without_label(passage.text, span_start)
        text = passage.text[start:end]
        if not is_citable(text):
            continue
        s, e = passage.start + start, passage.start + end
        out.append(
            EvidenceSentence(
                key=f"{passage.doc_id}:{s}:{e}",
                passage_id=passage.passage_id,
                doc_id=passage.doc_id,
                title=title,
                url=url,
                start=s,
                end=e,
                text=text,
                stems=stems_of(text),
                seed=seed,
            )
        )
    return out


class SentenceIndex:
    """Splits passages into evidence sentences and caches their vectors by passage id.

    Passage ids are content hashes, so a cached entry never goes stale.
    """

    def __init__(self, embeddings: Embeddings, calibration: Calibration = MINILM) -> None:
        self.embeddings = embeddings
        self.calibration = calibration  # the score thresholds measured on this model
        self.dimension = embedding_dimension(embeddings)
        self._cache: dict[str, tuple[list[EvidenceSentence], np.ndarray]] = {}
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalized vectors for ``texts``."""
        return embed_array(self.embeddings, texts)

    def sentences(self, passages: Sequence[Passage]) -> tuple[list[EvidenceSentence], np.ndarray]:
        """The evidence sentences of ``passages`` (in order) and their vectors."""
        with self._lock:
            missing = [p for p in passages if p.passage_id not in self._cache]
        if missing:
            split = [split_passage(p) for p in missing]
            flat = [s.text for group in split for s in group]
            vectors = self.embed(flat) if flat else np.zeros((0, self.dimension), dtype=np.float32)
            cursor = 0
            with self._lock:
                for passage, group in zip(missing, split, strict=True):
                    rows = vectors[cursor : cursor + len(group)]
                    self._cache[passage.passage_id] = (group, rows)
                    cursor += len(group)
        with self._lock:
            entries = [self._cache[p.passage_id] for p in passages]
        sentences = [s for group, _ in entries for s in group]
        blocks = [r for _, r in entries if len(r)]
        matrix = (
            np.concatenate(blocks) if blocks else np.zeros((0, self.dimension), dtype=np.float32)
        )
        return sentences, matrix


def score_matrix(
    query_vectors: np.ndarray,
    query_stems: Sequence[frozenset[str]],
    targets: Sequence[EvidenceSentence] | Sequence[frozenset[str]],
    target_vectors: np.ndarray,
) -> np.ndarray:
    """(queries x targets) scores: cosine plus weighted share of query stems in the target."""
    if not len(targets) or not len(query_stems):
        return np.zeros((len(query_stems), len(targets)), dtype=np.float32)
    target_stems = [t.stems if isinstance(t, EvidenceSentence) else t for t in targets]
    cosine = query_vectors @ target_vectors.T
    lexical = np.array(
        [[overlap(q, s) for s in target_stems] for q in query_stems], dtype=np.float32
    )
    return np.asarray(cosine + LEXICAL_WEIGHT * lexical, dtype=np.float32)
