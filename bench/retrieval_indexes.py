"""The retrieval benchmark's indexes: models and services, synthetic corpora, and the
large indexes built from cycled real vectors without running the models.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from bench.retrieval_config import DEFAULTS, EXTRA_MODELS, MODES, NOISE, PREFIX, PRIMARY_MODEL
from retrieval.embeddings import build_embeddings, space_name
from retrieval.ingest.chunking import split_sentences
from retrieval.ingest.loaders import LoadedDocument
from retrieval.records import Passage
from retrieval.service import RetrievalService
from retrieval.settings import ChromaSettings, RetrievalSettings
from retrieval.stores.chroma import ChromaStore, make_chroma_client


# -- models and services -----------------------------------------------------
@dataclass
class Models:
    """The embedding models of one process: the primary one and the extras by space name."""

    primary: Embeddings
    extras: dict[str, Embeddings]


def load_models(with_extras: bool = True) -> Models:
    """The default models, built as ``retrieval/factory.py`` builds them."""
    batch = DEFAULTS.batch_size
    primary = build_embeddings(PRIMARY_MODEL, batch_size=batch)
    extras = {
        space_name(spec): build_embeddings(spec, batch_size=batch)
        for spec in (EXTRA_MODELS if with_extras else ())
    }
    return Models(primary, extras)


def open_service(client: Any, models: Models, one_model: bool = False) -> RetrievalService:
    """The default service (or its one-model view) on the store of ``client``."""
    store = ChromaStore(client, PREFIX)
    extras = {} if one_model else models.extras
    stored = {space: store.recipe(space) for space in ("", *extras)}
    service = RetrievalService(store, models.primary, RetrievalSettings(), extras)
    for space, recipe in stored.items():
        # The bench writes vectors itself; a re-embed here would mean a wrong recipe.
        if recipe is not None and recipe != service.recipe(space):
            raise RuntimeError(f"space {space!r}: stored recipe {recipe} is not the service's")
    return service


def make_service(data_dir: Path, models: Models) -> tuple[RetrievalService, Any]:
    """A service over a fresh persistent Chroma store under ``data_dir``, and its client."""
    client = make_chroma_client(ChromaSettings(mode="persistent"), data_dir)
    return open_service(client, models), client


# -- corpus helpers ----------------------------------------------------------
def corpus_sentences(service: RetrievalService) -> list[str]:
    """Every sentence of the ingested corpus, in document order."""
    out: list[str] = []
    for summary in service.list_documents():
        doc = service.get_document(summary.doc_id)
        if doc is not None:
            out.extend(doc.text[s:e] for s, e in split_sentences(doc.text))
    return [s for s in out if len(s.split()) >= 4]


def recombine(sentences: Sequence[str], rng: random.Random, words: int = 60) -> str:
    """A passage of about ``words`` words made of random corpus sentences."""
    picked: list[str] = []
    count = 0
    while count < words - 5:
        sentence = rng.choice(sentences)
        n = len(sentence.split())
        if count + n > words + 40:
            continue
        picked.append(sentence.replace("\n", " "))
        count += n
    return " ".join(picked)


def synthetic_documents(texts: Sequence[str], per_doc: int = 10) -> list[LoadedDocument]:
    """Documents whose paragraphs are ``texts``: one passage per paragraph when chunked."""
    return [
        LoadedDocument(
            title=f"Synthetic {i // per_doc:04d}",
            text="\n\n".join(texts[i : i + per_doc]),
            source=f"synthetic/doc-{i // per_doc:04d}.txt",
        )
        for i in range(0, len(texts), per_doc)
    ]


# -- large indexes from cycled real vectors (child processes) ----------------
def pool_meta_path(workdir: Path) -> Path:
    """Texts and passages of the embedded pool the size runs reuse."""
    return workdir / "pool.json"


def pool_vectors_path(workdir: Path, space: str) -> Path:
    """The pool's vectors in one embedding space."""
    return workdir / f"pool-{space or 'primary'}.npy"


def cycled_vectors(pool: np.ndarray, real: int, size: int, seed: int) -> np.ndarray:
    """``size`` vectors: the real rows, then the synthetic rows cycled.

    Every row reused beyond the first pass gets N(0, NOISE) per-dimension noise and is
    renormalized.
    """
    np_rng = np.random.default_rng(seed)
    blocks = [pool[: min(real, size)]]
    synthetic = pool[real:]
    extra = size - len(blocks[0])
    for start in range(0, extra, 10_000):
        idx = np.arange(start, min(start + 10_000, extra))
        block = synthetic[idx % len(synthetic)].copy()
        reused = idx >= len(synthetic)
        if reused.any():
            noised = block[reused] + np_rng.normal(0, NOISE, block[reused].shape)
            block[reused] = noised / np.linalg.norm(noised, axis=1, keepdims=True)
        blocks.append(block)
    return np.concatenate(blocks).astype(np.float32)


def size_passages(workdir: Path, size: int) -> tuple[list[Passage], dict[str, np.ndarray]]:
    """``size`` passages: the real corpus, then the embedded pool, then perturbed reuse.

    Returns the passages and their vectors in every space. All spaces cycle the same
    pool rows in the same order, each with its own noise draw.
    """
    meta = json.loads(pool_meta_path(workdir).read_text(encoding="utf-8"))
    real, synthetic, titles = meta["real"], meta["synthetic"], meta["synthetic_titles"]
    rng = random.Random(size)
    passages: list[Passage] = [Passage(**p) for p in real][:size]
    for i in range(size - len(passages)):
        text = synthetic[i] if i < len(synthetic) else recombine(meta["sentences"], rng)
        passages.append(
            Passage(
                passage_id=f"syn-{i:06d}",
                doc_id=f"syn-doc-{i // 10:05d}",
                start=0,
                end=len(text),
                text=text,
                # The title its cycled vector was embedded under.
                metadata={"title": titles[i % len(titles)], "url": ""},
            )
        )
    vectors = {
        space: cycled_vectors(np.load(pool_vectors_path(workdir, space)), len(real), size, seed)
        for seed, space in enumerate(meta["spaces"], start=size)
    }
    return passages, vectors


def build_index(
    data_dir: Path, passages: Sequence[Passage], vectors: dict[str, np.ndarray], models: Models
) -> RetrievalService:
    """Load precomputed vectors straight into every space, then rebuild BM25 (no embedding).

    The service is opened on the empty store (nothing to re-embed) and the recipe it
    records is set again after the write, so opening the index later never re-embeds.
    """
    service, _ = make_service(data_dir, models)
    for space in service.spaces:
        service.store.add_passages(passages, vectors[space], space=space)
    service.mark_vectors_current()
    service.rebuild_lexical()
    return service


# -- opening a built index -----------------------------------------------------
def _service_search(service: RetrievalService, mode: str) -> Callable[[str], Any]:
    def search(query: str) -> Any:
        return service.search(query, k=5, mode=mode)

    return search


def open_searchers(
    client: Any, models: Models, methods: Sequence[str]
) -> dict[str, Callable[[str], Any]]:
    """One search callable per method over the store opened by ``client``."""
    out: dict[str, Callable[[str], Any]] = {}
    default_methods = [m for m in methods if m in MODES and m != "hybrid-2"]
    if default_methods:
        service = open_service(client, models, one_model=True)
        for method in default_methods:
            out[method] = _service_search(service, MODES[method])
    if "hybrid-2" in methods:
        out["hybrid-2"] = _service_search(open_service(client, models), "hybrid")
    if "langchain" in methods:
        from langchain_chroma import Chroma

        store = Chroma(
            client=client, collection_name=f"{PREFIX}_passages", embedding_function=models.primary
        )
        out["langchain"] = partial(store.similarity_search, k=5)
    return out
