"""Sentence-level reranking (retrieval/rerank.py) against the default hybrid, on the seeds.

recall@5 on the retrieval dev questions (89) and the held-out questions (40), and the
per-query latency of each on the real corpus, and the seeds' ingest time with the reranker
off and on. With the reranker on, ingest writes each passage's sentence vectors to the store,
and a service opened afterwards reads them (first queries); on a store ingested with it off,
a passage's first use embeds them. Later queries find them in memory (warm). The services
are timed query by query in turn, so load from other processes hits all of them; latency
ratios are to the default hybrid from the same run.

``--ablation`` adds recall rows for the parts of the design: BM25 over passage text alone
(before titles), the first reranker (sentences alone, weights 2 : 0.5 : 1), the titled
sentence-dense ranking alone, the previous reranker (no lone-sentence ranking), and a rerank
depth of 15. Weights are hybrid : sentence BM25 : titled sentence dense : lone sentence dense.

    python bench/bench_rerank.py [--ablation]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.quality import (  # noqa: E402
    HELDOUT_FILE,
    SEEDS_DIR,
    Question,
    load_questions,
    recall_at_k,
    service_searcher,
)
from retrieval import view  # noqa: E402
from retrieval.embeddings.registry import build_embeddings  # noqa: E402
from retrieval.records import Passage  # noqa: E402
from retrieval.rerank import WEIGHTS, SentenceReranker  # noqa: E402
from retrieval.service import RetrievalService  # noqa: E402
from retrieval.settings import ChromaSettings, RetrievalSettings  # noqa: E402
from retrieval.stores.chroma import ChromaStore, make_chroma_client  # noqa: E402

# name, BM25 reads titles, reranker (weights, titles) or None, rerank depth
Variant = tuple[str, bool, tuple[Sequence[float], bool] | None, int]
MAIN = [
    "hybrid (default)",
    "hybrid + sentence rerank (`DEBATEBOT_RETRIEVAL__RERANK=true`), vectors stored at ingest",
    "the same on a store ingested with the reranker off (vectors embedded on first use)",
]
ABLATION: list[Variant] = [
    ("hybrid, BM25 over passage text alone (before)", False, None, 30),
    ("+ first rerank: sentences alone, 2 : 0.5 : 1", True, ((2.0, 0.5, 1.0), False), 30),
    (
        "+ rerank by titled sentence vectors alone, 1 : 0 : 2 : 0",
        True,
        ((1.0, 0.0, 2.0, 0.0), True),
        30,
    ),
    (
        "+ previous rerank: titled dense + titled BM25 + answer kind, 1 : 0.5 : 2 : 0",
        True,
        ((1.0, 0.5, 2.0, 0.0), True),
        30,
    ),
    ("+ rerank as kept, depth 15 instead of 30", True, (WEIGHTS, True), 15),
]


def interleaved_p50(services: Sequence[RetrievalService], queries: list[str]) -> list[float]:
    """Median search latency (ms) of each service, timed query by query in turn."""
    times: list[list[float]] = [[] for _ in services]
    for i, query in enumerate(queries):
        order = list(range(len(services)))
        if i % 2:
            order.reverse()  # neither always runs right after the other
        for j in order:
            start = time.perf_counter()
            services[j].search(query, k=5)
            times[j].append(1000 * (time.perf_counter() - start))
    return [statistics.median(t) for t in times]


def _plain_text(passage: Passage) -> str:
    return passage.text


def recall_pair(
    service: RetrievalService, sets: tuple[list[Question], list[Question]]
) -> tuple[float, float]:
    """(dev recall, held-out recall) of a service's hybrid search."""
    search = service_searcher(service, "hybrid")
    return recall_at_k(sets[0], search, 5).recall, recall_at_k(sets[1], search, 5).recall


def run_variant(
    service: RetrievalService, variant: Variant, sets: tuple[list[Question], list[Question]]
) -> tuple[float, float]:
    """(dev recall, held-out recall) of one variant, set up on ``service`` for the call."""
    _, titles_in_bm25, rerank, depth = variant
    lexical_text = view.lexical_text
    settings, reranker = service.settings, service.reranker
    if not titles_in_bm25:
        view.lexical_text = _plain_text  # the design before BM25 read titles
    try:
        service.rebuild_lexical()
        service.settings = RetrievalSettings(rerank=rerank is not None, rerank_depth=depth)
        service.reranker = None
        if rerank is not None:
            weights, titles = rerank
            service.reranker = SentenceReranker(service.embeddings, weights, titles)
        return recall_pair(service, sets)
    finally:
        view.lexical_text = lexical_text
        service.settings, service.reranker = settings, reranker
        service.rebuild_lexical()


def timed_ingest(client: Any, embeddings: Embeddings, rerank: bool, prefix: str) -> float:
    """Seconds to ingest the seeds into a fresh store with the reranker on or off."""
    start = time.perf_counter()
    store = ChromaStore(client, prefix)
    RetrievalService(store, embeddings, RetrievalSettings(rerank=rerank)).ingest_paths([SEEDS_DIR])
    return time.perf_counter() - start


def best_ingest(client: Any, embeddings: Embeddings) -> list[float]:
    """Best of two ingests each, reranker off and on, in the order off, on, on, off."""
    times: list[list[float]] = [[], []]
    for run, on in enumerate((False, True, True, False)):
        times[on].append(timed_ingest(client, embeddings, on, f"ingest{run}"))
    return [min(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--ablation", action="store_true", help="also the ablation rows")
    args = parser.parse_args()
    granite = build_embeddings("packed:granite-embedding-30m-english")
    sets = (load_questions(), load_questions(HELDOUT_FILE))
    queries = [q.question for q in sets[0]]
    with tempfile.TemporaryDirectory() as tmp:
        client = make_chroma_client(ChromaSettings(mode="persistent"), Path(tmp))
        ingest = best_ingest(client, granite)
        plain_store, rerank_store = ChromaStore(client, "ingest0"), ChromaStore(client, "ingest1")
        hybrid = RetrievalService(plain_store, granite, RetrievalSettings())
        # Opened after ingest, as after a restart: sentence vectors come from the store.
        stored = RetrievalService(rerank_store, granite, RetrievalSettings(rerank=True))
        # On a store ingested without the reranker, each passage's first use embeds them.
        lazy = RetrievalService(plain_store, granite, RetrievalSettings(rerank=True))
        for query in queries[:10]:
            hybrid.search(f"{query} (warm-up)", k=5)
        first = interleaved_p50([hybrid, stored, lazy], [f"{q} (first)" for q in queries[:20]])
        recalls = [recall_pair(service, sets) for service in (hybrid, stored, lazy)]
        warm = interleaved_p50([hybrid, stored, lazy], queries * 2)
        extra = [run_variant(hybrid, v, sets) for v in ABLATION] if args.ablation else []
    base = warm[0]
    print(
        "| method | recall@5 dev (89) | recall@5 held-out (40) | p50 warm (ms) "
        "| warm / hybrid | p50 first queries (ms) | first queries / hybrid warm |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for i, name in enumerate(MAIN):
        (d, h), p50 = recalls[i], warm[i]
        cold = "- | -" if i == 0 else f"{first[i]:.1f} | {first[i] / base:.1f}x"
        print(f"| {name} | {d:.3f} | {h:.3f} | {p50:.1f} | {p50 / base:.2f}x | {cold} |")
    print()
    print("| ingest of the seeds (fresh store, best of 2) | seconds | / reranker off |")
    print("| --- | ---: | ---: |")
    for name, seconds in zip(("reranker off (default)", "reranker on"), ingest, strict=True):
        print(f"| {name} | {seconds:.1f} | {seconds / ingest[0]:.2f}x |")
    if extra:
        print()
        print("| ablation | recall@5 dev (89) | recall@5 held-out (40) |")
        print("| --- | ---: | ---: |")
        for (name, *_), (d, h) in zip(ABLATION, extra, strict=True):
            print(f"| {name} | {d:.3f} | {h:.3f} |")


if __name__ == "__main__":
    main()
