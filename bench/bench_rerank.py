"""Sentence-level reranking (retrieval/rerank.py) against the default hybrid, on the seeds.

recall@5 on the retrieval dev questions (89) and the held-out questions (40), and the
per-query latency of each on the real corpus: the reranker's first pass over a passage
embeds its sentences (first queries), later queries reuse them (warm). Latency ratios are
to the default hybrid measured in the same run.

``--ablation`` adds recall rows for the parts of the design: BM25 over passage text alone
(before titles), the previous reranker (sentences alone, weights 2 : 0.5 : 1), the
sentence-dense ranking alone, and a rerank depth of 15.

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
MAIN: list[Variant] = [
    ("hybrid (default)", True, None, 30),
    ("hybrid + sentence rerank (`DEBATEBOT_RETRIEVAL__RERANK=true`)", True, (WEIGHTS, True), 30),
]
ABLATION: list[Variant] = [
    ("hybrid, BM25 over passage text alone (before)", False, None, 30),
    ("+ previous rerank: sentences alone, 2 : 0.5 : 1", True, ((2.0, 0.5, 1.0), False), 30),
    ("+ rerank by titled sentence vectors alone, 1 : 0 : 2", True, ((1.0, 0.0, 2.0), True), 30),
    ("+ rerank as kept, depth 15 instead of 30", True, (WEIGHTS, True), 15),
]


def p50_ms(service: RetrievalService, queries: list[str]) -> float:
    """Median search latency over ``queries``, in milliseconds."""
    times = []
    for query in queries:
        start = time.perf_counter()
        service.search(query, k=5)
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def _plain_text(passage: Passage) -> str:
    return passage.text


def run_variant(
    service: RetrievalService,
    variant: Variant,
    sets: tuple[list[Question], list[Question]],
    timed: bool,
) -> tuple[float, float, float | None, float | None]:
    """(dev recall, held-out recall, warm p50, first-queries p50) of one variant."""
    _, titles_in_bm25, rerank, depth = variant
    lexical_text = view.lexical_text
    if not titles_in_bm25:
        view.lexical_text = _plain_text  # the design before BM25 read titles
    try:
        service.rebuild_lexical()
        service.settings = RetrievalSettings(rerank=rerank is not None, rerank_depth=depth)
        service.reranker = None
        if rerank is not None:
            weights, titles = rerank
            service.reranker = SentenceReranker(service.embeddings, weights, titles)
        dev, heldout = sets
        queries = [q.question for q in dev]
        first = None
        if timed and rerank is not None:
            first = p50_ms(service, [f"{q} (first)" for q in queries[:20]])
        search = service_searcher(service, "hybrid")
        dev_recall = recall_at_k(dev, search, 5).recall
        held_recall = recall_at_k(heldout, search, 5).recall
        warm = p50_ms(service, queries) if timed else None
        return dev_recall, held_recall, warm, first
    finally:
        view.lexical_text = lexical_text
        service.rebuild_lexical()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--ablation", action="store_true", help="also the ablation rows")
    args = parser.parse_args()
    granite = build_embeddings("packed:granite-embedding-30m-english")
    sets = (load_questions(), load_questions(HELDOUT_FILE))
    with tempfile.TemporaryDirectory() as tmp:
        client = make_chroma_client(ChromaSettings(mode="persistent"), Path(tmp))
        service = RetrievalService(ChromaStore(client, "rerank"), granite, RetrievalSettings())
        service.ingest_paths([SEEDS_DIR])
        rows = [(v[0], *run_variant(service, v, sets, timed=True)) for v in MAIN]
        extra = [(v[0], *run_variant(service, v, sets, False)) for v in ABLATION]
    base = rows[0][3] or 1.0
    print(
        "| method | recall@5 dev (89) | recall@5 held-out (40) | p50 warm (ms) "
        "| warm / hybrid | p50 first queries (ms) | first queries / hybrid warm |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, d, h, warm, first in rows:
        warm = warm or 0.0
        first_text = f"{first:.1f} | {first / base:.1f}x" if first is not None else "- | -"
        print(f"| {name} | {d:.3f} | {h:.3f} | {warm:.1f} | {warm / base:.2f}x | {first_text} |")
    if args.ablation:
        print()
        print("| ablation | recall@5 dev (89) | recall@5 held-out (40) |")
        print("| --- | ---: | ---: |")
        for name, d, h, _, _ in extra:
            print(f"| {name} | {d:.3f} | {h:.3f} |")


if __name__ == "__main__":
    main()
