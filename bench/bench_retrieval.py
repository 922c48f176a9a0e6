"""Retrieval benchmark: ingest throughput, query latency and memory, and recall@5.

Usage: ``python bench/bench_retrieval.py [--quick] [--out PATH]``

Benchmarks the default configuration, built as ``retrieval/factory.py`` builds it from
``EmbeddingSettings()``: the primary model (MiniLM, int8 ONNX), the extra models
(granite-embedding-30m-english) and BM25, fused with reciprocal rank fusion, passages
embedded under their titles. It is compared with a one-model hybrid (``extra_models=[]``),
dense-only, BM25-only and the baseline a user would otherwise write (LangChain's
``Chroma.similarity_search`` with the primary model). Each index size runs in child
processes (this script re-invoked with ``--size``) so that every peak-RSS figure belongs
to one method. The full run writes ``bench/results/retrieval.md``; ``--quick`` runs only
the 1k index and writes nothing unless ``--out`` is given.

The indexes (synthetic corpora, indexes built from cycled real vectors) live in
``bench/retrieval_indexes.py``, the report and its targets in ``bench/retrieval_report.py``
and the shared parameters in ``bench/retrieval_config.py``; this module measures and runs
the parent and child processes.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

# Run as a script from anywhere: make the repository root importable for bench.*.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.quality import (  # noqa: E402
    HELDOUT_FILE,
    SEEDS_DIR,
    Hit,
    Question,
    Searcher,
    doc_names,
    load_questions,
    recall_at_k,
    service_searcher,
)
from bench.retrieval_config import (  # noqa: E402
    DEFAULTS,
    METHODS,
    MODEL_TEXTS,
    MODELS,
    NEEDS_EXTRAS,
    PREFIX,
    RSS_QUERIES,
    SIZES,
    SYNTHETIC_PASSAGES,
    TIMED_QUERIES,
    WARMUP_QUERIES,
)
from bench.retrieval_indexes import (  # noqa: E402
    Models,
    build_index,
    corpus_sentences,
    load_models,
    make_service,
    open_searchers,
    open_service,
    pool_meta_path,
    pool_vectors_path,
    recombine,
    size_passages,
    synthetic_documents,
)
from bench.retrieval_report import IngestResult, Results, render  # noqa: E402
from retrieval.embeddings import build_embeddings, embed_array  # noqa: E402
from retrieval.ingest.loaders import LoadedDocument  # noqa: E402
from retrieval.service import RetrievalService  # noqa: E402
from retrieval.settings import ChromaSettings  # noqa: E402
from retrieval.stores.chroma import make_chroma_client  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "retrieval.md"


# -- queries and measurement helpers -----------------------------------------
def query_set(n: int = TIMED_QUERIES) -> list[str]:
    """``n`` queries: the dev quality questions, then variations of them."""
    base = [q.question for q in load_questions()]
    variants: list[Callable[[str], str]] = [
        lambda q: q,
        lambda q: q.rstrip("?").lower(),
        lambda q: f"What do the sources say: {q}",
        lambda q: " ".join(q.rstrip("?").split()[:7]),
    ]
    return [variants[(i // len(base)) % len(variants)](base[i % len(base)]) for i in range(n)]


def rss_mb(field: str = "VmHWM") -> float:
    """Peak (``VmHWM``) or current (``VmRSS``) resident set size of this process, in MB.

    VmHWM rather than ``ru_maxrss``: Linux carries ``ru_maxrss`` across ``execve``, so
    a child started by a parent that had loaded torch would report the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(wall seconds, result) of ``fn()``."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def pct(values: Sequence[float], q: int) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-q * len(ordered) // 100) - 1)]


# -- part 1: ingest, models and quality (parent process) -----------------------
@dataclass
class IngestRun:
    """The last repeat of an ingest measurement: its service, client and raw vectors."""

    result: IngestResult
    service: RetrievalService
    client: Any
    vectors: dict[str, np.ndarray]  # space -> vectors, in ``service.passages()`` order


def raw_embedding(service: RetrievalService) -> tuple[float, float, dict[str, np.ndarray]]:
    """(wall s, CPU s, vectors by space): every model of ``service`` on its embedding inputs."""
    texts = [service.embedding_input(p) for p in service.passages()]
    seconds = cpu = 0.0
    vectors: dict[str, np.ndarray] = {}
    for space, model in service.spaces.items():
        start_cpu = time.process_time()
        elapsed, vectors[space] = timed(partial(embed_array, model, texts))
        cpu += time.process_time() - start_cpu
        seconds += elapsed
    return seconds, cpu, vectors


def measure_ingest(
    workdir: Path,
    models: Models,
    loaded: Sequence[LoadedDocument] | None,
    name: str,
    repeats: int,
) -> IngestRun:
    """Best-of-``repeats`` ingest into a fresh store vs raw embedding of the same inputs.

    Raw = every model's ``embed_array`` on the texts the service embeds (titles
    included), summed. Ingest and raw runs alternate, so load from other processes hits
    both alike.
    """
    best = {"ingest": float("inf"), "raw": float("inf"), "ingest_cpu": 1e9, "raw_cpu": 1e9}
    for _ in range(repeats):
        service, client = make_service(Path(tempfile.mkdtemp(dir=workdir)), models)
        cpu = time.process_time()
        if loaded is None:
            seconds, report = timed(partial(service.ingest_paths, [SEEDS_DIR]))
        else:
            seconds, report = timed(partial(service.ingest_documents, loaded))
        best["ingest_cpu"] = min(best["ingest_cpu"], time.process_time() - cpu)
        best["ingest"] = min(best["ingest"], seconds)
        raw_seconds, raw_cpu, vectors = raw_embedding(service)
        best["raw_cpu"] = min(best["raw_cpu"], raw_cpu)
        best["raw"] = min(best["raw"], raw_seconds)
    n = report.passages
    result = IngestResult(
        name, n, n / best["ingest"], n / best["raw"], best["raw_cpu"] / best["ingest_cpu"]
    )
    return IngestRun(result, service, client, vectors)


def run_model(workdir: Path, spec: str) -> dict[str, Any]:
    """One embedding build in its own process: batch throughput, query latency, RSS, recall.

    Recall is dense search of a one-model service (this build as the primary model,
    titles embedded) over seeds/, on the dev and the held-out questions.
    """
    texts = json.loads(pool_meta_path(workdir).read_text(encoding="utf-8"))["synthetic"]
    texts = texts[:MODEL_TEXTS]
    embeddings = build_embeddings(spec, batch_size=DEFAULTS.batch_size)
    embed_array(embeddings, texts[:32])  # warm-up
    seconds = min(timed(partial(embed_array, embeddings, texts))[0] for _ in range(2))
    queries = query_set()
    for q in queries[:5]:
        embeddings.embed_query(q)
    latencies = [1000 * timed(partial(embeddings.embed_query, q))[0] for q in queries[:50]]
    service, _ = make_service(Path(tempfile.mkdtemp(dir=workdir)), Models(embeddings, {}))
    service.ingest_paths([SEEDS_DIR])
    search = service_searcher(service, "dense")
    return {
        "name": spec,
        "texts": len(texts),
        "per_s": len(texts) / seconds,
        "query_p50_ms": pct(latencies, 50),
        "rss_mb": rss_mb(),
        "dev_recall": recall_at_k(load_questions(), search, k=5).recall,
        "heldout_recall": recall_at_k(load_questions(HELDOUT_FILE), search, k=5).recall,
    }


def langchain_searcher(service: RetrievalService, client: Any, embeddings: Embeddings) -> Searcher:
    """The baseline: LangChain's Chroma pointed at our primary passages collection."""
    from langchain_chroma import Chroma

    store = Chroma(
        client=client, collection_name=f"{PREFIX}_passages", embedding_function=embeddings
    )
    names = doc_names(service)

    def search(query: str, k: int) -> list[Hit]:
        docs = store.similarity_search(query, k=k)
        return [(names.get(str(d.metadata.get("doc_id")), ""), d.page_content) for d in docs]

    return search


def space_searcher(service: RetrievalService, space: str) -> Searcher:
    """Dense search in one model's space alone: one part of the fusion."""
    names = doc_names(service)
    model = service.spaces[space]

    def search(query: str, k: int) -> list[Hit]:
        hits = service.store.query(model.embed_query(query), k, space=space)
        passages = [service.get_passage(pid) for pid, _ in hits]
        return [(names.get(p.doc_id, ""), p.text) for p in passages if p is not None]

    return search


def quality_searchers(run: IngestRun, models: Models) -> dict[str, Searcher]:
    """Every method compared for recall, over the real corpus ingested by ``run``."""
    service = run.service
    default = open_service(run.client, models, one_model=True)
    searchers: dict[str, Searcher] = {
        "hybrid": service_searcher(default, "hybrid"),
        "hybrid-2": service_searcher(service, "hybrid"),
        "dense": service_searcher(default, "dense"),
    }
    for space in service.spaces:
        searchers[f"dense:{space}"] = space_searcher(service, space)
    searchers["bm25"] = service_searcher(service, "lexical")
    searchers["langchain"] = langchain_searcher(service, run.client, models.primary)
    return searchers


def measure_quality(run: IngestRun, models: Models) -> dict[str, Any]:
    """recall@5 (and misses) of every method on the dev and the held-out questions."""
    sets = {"dev": load_questions(), "heldout": load_questions(HELDOUT_FILE)}
    recall: dict[str, Any] = {
        "questions": {name: len(qs) for name, qs in sets.items()},
        "passages": len(run.service.passages()),
        "methods": {},
    }
    for method, search in quality_searchers(run, models).items():
        recall["methods"][method] = {name: _recall(qs, search) for name, qs in sets.items()}
    return recall


def _recall(questions: Sequence[Question], search: Searcher) -> dict[str, Any]:
    report = recall_at_k(questions, search, k=5)
    return {"recall": report.recall, "misses": report.misses}


def save_pool(workdir: Path, real: IngestRun, synth: IngestRun, sentences: list[str]) -> None:
    """Write the real + synthetic passages and their vectors in every space."""
    synth_passages = synth.service.passages()
    meta = {
        "real": [asdict(p) for p in real.service.passages()],
        "synthetic": [p.text for p in synth_passages],
        "synthetic_titles": [str(p.metadata.get("title", "")) for p in synth_passages],
        "sentences": sentences,
        "spaces": list(real.vectors),
    }
    pool_meta_path(workdir).write_text(json.dumps(meta), encoding="utf-8")
    for space, vectors in real.vectors.items():
        np.save(pool_vectors_path(workdir, space), np.concatenate([vectors, synth.vectors[space]]))


# -- part 2: one index size (child processes) ----------------------------------
def run_size(workdir: Path, size: int) -> dict[str, Any]:
    """Build the ``size`` index, then time all methods on it, interleaved query by query."""
    passages, vectors = size_passages(workdir, size)
    models = load_models()
    data_dir = workdir / f"index-{size}"
    build_s, service = timed(partial(build_index, data_dir, passages, vectors, models))
    client = make_chroma_client(ChromaSettings(mode="persistent"), data_dir)
    searchers = open_searchers(client, models, METHODS)
    queries = query_set()
    for q in queries[:WARMUP_QUERIES]:
        for search in searchers.values():
            search(q)
    latencies: dict[str, list[float]] = {m: [] for m in METHODS}
    for i, q in enumerate(queries):
        # Rotate the order so no method always runs right after another.
        for method in METHODS[i % len(METHODS) :] + METHODS[: i % len(METHODS)]:
            latencies[method].append(1000 * timed(partial(searchers[method], q))[0])
    return {
        "size": size,
        "passages": len(service.passages()),
        "build_s": build_s,
        "timings": {m: {"p50_ms": pct(v, 50), "p95_ms": pct(v, 95)} for m, v in latencies.items()},
    }


def run_memory(workdir: Path, size: int, method: str) -> dict[str, Any]:
    """Open the built index for one method, run queries, report startup time and peak RSS.

    The process loads only the models its method uses: the extra models for the
    two-model hybrid, the primary model alone for the default service and LangChain.
    """
    models = load_models(with_extras=method in NEEDS_EXTRAS)
    client = make_chroma_client(ChromaSettings(mode="persistent"), workdir / f"index-{size}")
    open_s, searchers = timed(partial(open_searchers, client, models, [method]))
    for q in query_set(RSS_QUERIES):
        searchers[method](q)
    return {
        "size": size,
        "method": method,
        "open_s": open_s,
        "rss_mb": rss_mb(),
        "rss_end_mb": rss_mb("VmRSS"),
    }


def child(args: list[str]) -> dict[str, Any]:
    """Run this script in a fresh process and return its JSON result."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args], capture_output=True, text=True
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"child {args} failed with exit code {out.returncode}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# -- main --------------------------------------------------------------------
def measure_sizes(workdir: Path, quick: bool) -> tuple[dict[int, float], list[dict[str, Any]]]:
    """Build and time every index size, then measure each method's memory, in children."""
    builds: dict[int, float] = {}
    timings: list[dict[str, Any]] = []
    for size in SIZES[:1] if quick else SIZES:
        print(f"index {size:,}: build and time ...", file=sys.stderr)
        built = child(["--workdir", str(workdir), "--size", str(size)])
        builds[size] = built["build_s"]
        for method in METHODS:
            print(f"index {size:,}: memory of {method} ...", file=sys.stderr)
            memory = child(["--workdir", str(workdir), "--size", str(size), "--memory", method])
            timings.append({"size": size, "method": method, **built["timings"][method], **memory})
    return builds, timings


def main_parent(quick: bool, out: Path | None) -> None:
    """Measure everything, print the report and write it to ``out`` when given."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-retrieval-"))
    models = load_models()
    for model in (models.primary, *models.extras.values()):
        embed_array(model, ["warm-up"])
    repeats = 1 if quick else 3
    print("ingest: real corpus ...", file=sys.stderr)
    real = measure_ingest(workdir, models, None, "real corpus (seeds/)", repeats)
    sentences = corpus_sentences(real.service)
    rng = random.Random(0)
    synthetic_texts = [recombine(sentences, rng) for _ in range(SYNTHETIC_PASSAGES)]
    print("ingest: 1k synthetic ...", file=sys.stderr)
    synth = measure_ingest(
        workdir, models, synthetic_documents(synthetic_texts), "synthetic 1k (~60 words)", repeats
    )
    print("quality ...", file=sys.stderr)
    recall = measure_quality(real, models)
    save_pool(workdir, real, synth, sentences)

    print("embedding builds ...", file=sys.stderr)
    model_rows = [child(["--workdir", str(workdir), "--model", spec]) for spec in MODELS]
    builds, timings = measure_sizes(workdir, quick)

    shutil.rmtree(workdir, ignore_errors=True)
    report = render(
        Results([real.result, synth.result], model_rows, builds, timings, recall, quick)
    )
    print(report)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report, encoding="utf-8")
        print(f"written to {out}", file=sys.stderr)


def main() -> None:
    """Command line: the parent run, or one child measurement (internal flags)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the 1k index; no file")
    parser.add_argument("--out", type=Path, help=f"report file (default {RESULTS})")
    # Internal: one index size, one method's memory or one embedding build in a child.
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--memory", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--model", choices=MODELS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.model is not None:
        print(json.dumps(run_model(args.workdir, args.model)))
        return
    if args.size is not None:
        if args.memory:
            result = run_memory(args.workdir, args.size, args.memory)
        else:
            result = run_size(args.workdir, args.size)
        print(json.dumps(result))
        return
    main_parent(args.quick, args.out or (None if args.quick else RESULTS))


if __name__ == "__main__":
    main()
