"""Sentence-level reranking (retrieval/rerank.py) against the default hybrid, on the seeds.

recall@5 on the retrieval dev questions (89) and the held-out questions (40), and the
per-query latency of each on the real corpus: the reranker's first pass over a passage
embeds its sentences (cold), later queries reuse them (warm).

    python bench/bench_rerank.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.quality import (  # noqa: E402
    HELDOUT_FILE,
    SEEDS_DIR,
    load_questions,
    recall_at_k,
    service_searcher,
)
from retrieval.embeddings.registry import build_embeddings  # noqa: E402
from retrieval.service import RetrievalService  # noqa: E402
from retrieval.settings import ChromaSettings, RetrievalSettings  # noqa: E402
from retrieval.stores.chroma import ChromaStore, make_chroma_client  # noqa: E402


def p50_ms(service: RetrievalService, queries: list[str]) -> float:
    """Median search latency over ``queries``, in milliseconds."""
    times = []
    for query in queries:
        start = time.perf_counter()
        service.search(query, k=5)
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def main() -> None:
    granite = build_embeddings("packed:granite-embedding-30m-english")
    dev, heldout = load_questions(), load_questions(HELDOUT_FILE)
    queries = [q.question for q in dev]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        client = make_chroma_client(ChromaSettings(mode="persistent"), Path(tmp))
        for name, rerank in (("hybrid (default)", False), ("hybrid + sentence rerank", True)):
            service = RetrievalService(
                ChromaStore(client, "rerank"), granite, RetrievalSettings(rerank=rerank)
            )
            service.ingest_paths([SEEDS_DIR])
            search = service_searcher(service, "hybrid")
            cold = p50_ms(service, [f"{q} (cold)" for q in queries[:20]]) if rerank else None
            dev_recall = recall_at_k(dev, search, 5).recall
            held_recall = recall_at_k(heldout, search, 5).recall
            warm = p50_ms(service, queries)
            rows.append((name, dev_recall, held_recall, warm, cold))
    print("| method | recall@5 dev (89) | recall@5 held-out (40) | p50 warm (ms) | p50 cold (ms) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, d, h, warm, cold in rows:
        cold_text = f"{cold:.1f}" if cold is not None else "-"
        print(f"| {name} | {d:.3f} | {h:.3f} | {warm:.1f} | {cold_text} |")


if __name__ == "__main__":
    main()
