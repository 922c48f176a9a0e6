"""Retrieval benchmark: ingest throughput, query latency and memory, and recall@5.

Usage: ``python bench/bench_retrieval.py [--quick] [--out PATH]``

Compares hybrid search (``RetrievalService.search``), dense-only, BM25-only and the
baseline a user would otherwise write (LangChain's ``Chroma.similarity_search``) on
the real default ONNX model. Each index size runs in child processes (this script
re-invoked with ``--size``) so that every peak-RSS figure belongs to one method.
The full run writes ``bench/results/retrieval.md``; ``--quick`` runs only the 1k index
and writes nothing unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

# Run as a script from anywhere: make the repository root importable for bench.*.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.quality import (  # noqa: E402
    SEEDS_DIR,
    Hit,
    Searcher,
    doc_names,
    load_questions,
    recall_at_k,
    service_searcher,
)
from retrieval.chunking import split_sentences  # noqa: E402
from retrieval.dense import ChromaStore, make_chroma_client  # noqa: E402
from retrieval.embeddings import build_embeddings, embed_array  # noqa: E402
from retrieval.loaders import LoadedDocument  # noqa: E402
from retrieval.models import Passage  # noqa: E402
from retrieval.service import RetrievalService  # noqa: E402
from retrieval.settings import ChromaSettings, RetrievalSettings  # noqa: E402

ONNX_MODEL = "onnx:all-MiniLM-L6-v2-int8"
MODELS = (ONNX_MODEL, "sentence-transformers:all-MiniLM-L6-v2")
MODEL_TEXTS = 256
PREFIX = "bench"
SIZES = (1_000, 10_000, 100_000)
METHODS = ("hybrid", "dense", "bm25", "langchain")
MODES = {"hybrid": "hybrid", "dense": "dense", "bm25": "lexical"}
TIMED_QUERIES = 200
WARMUP_QUERIES = 20
RSS_QUERIES = 50
SYNTHETIC_PASSAGES = 1_000
NOISE = 0.02  # std-dev of the per-dimension perturbation of reused vectors
RESULTS = ROOT / "bench" / "results" / "retrieval.md"

TARGETS = {
    "p50_10k_ms": 30.0,
    "p95_100k_ms": 60.0,
    "baseline_ratio": 1.5,
    "ingest_ratio": 0.85,
}


# -- corpus helpers ----------------------------------------------------------
def corpus_sentences(service: RetrievalService) -> list[str]:
    """Every sentence of the ingested corpus, in document order."""
    out = []
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


def query_set(n: int = TIMED_QUERIES) -> list[str]:
    """``n`` queries: the quality questions, then variations of them."""
    base = [q.question for q in load_questions()]
    variants: list[Callable[[str], str]] = [
        lambda q: q,
        lambda q: q.rstrip("?").lower(),
        lambda q: f"What do the sources say: {q}",
        lambda q: " ".join(q.rstrip("?").split()[:7]),
    ]
    out = [variants[(i // len(base)) % len(variants)](base[i % len(base)]) for i in range(n)]
    return out


def make_service(data_dir: Path, embeddings: Any) -> tuple[RetrievalService, Any]:
    """A service over a persistent Chroma store under ``data_dir``, and its Chroma client."""
    client = make_chroma_client(ChromaSettings(mode="persistent"), data_dir)
    service = RetrievalService(ChromaStore(client, PREFIX), embeddings, RetrievalSettings())
    return service, client


def build_index(
    data_dir: Path, passages: Sequence[Passage], vectors: np.ndarray, embeddings: Any
) -> RetrievalService:
    """Load precomputed vectors straight into the store, then rebuild BM25 (no embedding)."""
    service, _ = make_service(data_dir, embeddings)
    service.store.add_passages(passages, vectors)
    service.rebuild_lexical()
    return service


def rss_mb() -> float:
    """Peak resident set size of this process, in MB.

    VmHWM rather than ``ru_maxrss``: Linux carries ``ru_maxrss`` across ``execve``, so
    a child started by a parent that had loaded torch would report the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


# -- part 1: ingest, models and quality (parent process) -----------------------
@dataclass
class IngestResult:
    name: str
    passages: int
    ingest_per_s: float
    raw_per_s: float
    cpu_ratio: float  # the same ratio on process CPU time, which other load barely moves

    @property
    def ratio(self) -> float:
        return self.ingest_per_s / self.raw_per_s


def measure_ingest(
    workdir: Path,
    embeddings: Any,
    loaded: Sequence[LoadedDocument] | None,
    name: str,
    repeats: int,
) -> tuple[IngestResult, RetrievalService, Any, np.ndarray]:
    """Best-of-``repeats`` ingest into a fresh store vs raw embedding of the same passages.

    Ingest and raw runs alternate, so load from other processes hits both alike.
    Returns the result, the last service, its Chroma client and the raw vectors (in
    ``service.passages()`` order).
    """
    best = {"ingest": float("inf"), "raw": float("inf"), "ingest_cpu": 1e9, "raw_cpu": 1e9}
    for _ in range(repeats):
        service, client = make_service(Path(tempfile.mkdtemp(dir=workdir)), embeddings)
        cpu = time.process_time()
        if loaded is None:
            seconds, report = timed(lambda s=service: s.ingest_paths([SEEDS_DIR]))
        else:
            seconds, report = timed(lambda s=service: s.ingest_documents(loaded))
        best["ingest_cpu"] = min(best["ingest_cpu"], time.process_time() - cpu)
        best["ingest"] = min(best["ingest"], seconds)
        texts = [p.text for p in service.passages()]
        cpu = time.process_time()
        raw_seconds, vectors = timed(lambda t=texts: embed_array(embeddings, t))
        best["raw_cpu"] = min(best["raw_cpu"], time.process_time() - cpu)
        best["raw"] = min(best["raw"], raw_seconds)
    n = report.passages
    result = IngestResult(
        name, n, n / best["ingest"], n / best["raw"], best["raw_cpu"] / best["ingest_cpu"]
    )
    return result, service, client, vectors


def run_model(workdir: Path, spec: str) -> dict[str, Any]:
    """One embedding build in its own process: batch throughput, query latency, RSS, recall."""
    texts = json.loads(pool_paths(workdir)[0].read_text(encoding="utf-8"))["synthetic"]
    texts = texts[:MODEL_TEXTS]
    embeddings = build_embeddings(spec)
    embed_array(embeddings, texts[:32])  # warm-up
    seconds = min(timed(lambda: embed_array(embeddings, texts))[0] for _ in range(2))
    queries = query_set()
    for q in queries[:5]:
        embeddings.embed_query(q)
    latencies = [1000 * timed(lambda q=q: embeddings.embed_query(q))[0] for q in queries[:50]]
    service, _ = make_service(Path(tempfile.mkdtemp(dir=workdir)), embeddings)
    service.ingest_paths([SEEDS_DIR])
    recall = recall_at_k(load_questions(), service_searcher(service, "dense"), k=5).recall
    return {
        "name": spec,
        "texts": len(texts),
        "per_s": len(texts) / seconds,
        "query_p50_ms": pct(latencies, 50),
        "rss_mb": rss_mb(),
        "dense_recall": recall,
    }


def langchain_searcher(service: RetrievalService, client: Any, embeddings: Any) -> Searcher:
    """The baseline: LangChain's Chroma pointed at our passages collection."""
    from langchain_chroma import Chroma

    store = Chroma(
        client=client,
        collection_name=f"{PREFIX}_passages",
        embedding_function=embeddings,
    )
    names = doc_names(service)

    def search(query: str, k: int) -> list[Hit]:
        docs = store.similarity_search(query, k=k)
        return [(names.get(str(d.metadata.get("doc_id")), ""), d.page_content) for d in docs]

    return search


# -- part 2: one index size, one method (child process) ------------------------
def pool_paths(workdir: Path) -> tuple[Path, Path]:
    return workdir / "pool.json", workdir / "pool.npy"


def size_passages(workdir: Path, size: int) -> tuple[list[Passage], np.ndarray]:
    """``size`` passages: the real corpus, then the embedded pool, then perturbed reuse."""
    meta_path, vec_path = pool_paths(workdir)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    pool = np.load(vec_path)
    real, synthetic, sentences = meta["real"], meta["synthetic"], meta["sentences"]
    rng = random.Random(size)
    np_rng = np.random.default_rng(size)
    passages: list[Passage] = [Passage(**p) for p in real][:size]
    vectors = [pool[: len(passages)]]
    extra = size - len(passages)
    syn_vectors = pool[len(real) :]
    for start in range(0, extra, 10_000):
        idx = np.arange(start, min(start + 10_000, extra))
        block = syn_vectors[idx % len(synthetic)].copy()
        reused = idx >= len(synthetic)
        if reused.any():
            block[reused] += np_rng.normal(0, NOISE, block[reused].shape).astype(np.float32)
            block /= np.linalg.norm(block, axis=1, keepdims=True)
        vectors.append(block)
    for i in range(extra):
        text = synthetic[i] if i < len(synthetic) else recombine(sentences, rng)
        doc = f"syn-doc-{i // 10:05d}"
        passages.append(
            Passage(
                passage_id=f"syn-{i:06d}",
                doc_id=doc,
                start=0,
                end=len(text),
                text=text,
                metadata={"title": doc, "url": ""},
            )
        )
    return passages, np.concatenate(vectors).astype(np.float32)


def open_searchers(
    client: Any, embeddings: Any, methods: Sequence[str]
) -> dict[str, Callable[[str], Any]]:
    """One search callable per method over the store opened by ``client``."""
    out: dict[str, Callable[[str], Any]] = {}
    if set(methods) & set(MODES):
        service = RetrievalService(ChromaStore(client, PREFIX), embeddings, RetrievalSettings())
        for method in set(methods) & set(MODES):
            out[method] = lambda q, m=MODES[method]: service.search(q, k=5, mode=m)
    if "langchain" in methods:
        from langchain_chroma import Chroma

        store = Chroma(
            client=client, collection_name=f"{PREFIX}_passages", embedding_function=embeddings
        )
        out["langchain"] = lambda q: store.similarity_search(q, k=5)
    return out


def run_size(workdir: Path, size: int) -> dict[str, Any]:
    """Build the ``size`` index, then time all methods on it, interleaved query by query."""
    passages, vectors = size_passages(workdir, size)
    embeddings = build_embeddings(ONNX_MODEL)
    build_s, service = timed(
        lambda: build_index(workdir / f"index-{size}", passages, vectors, embeddings)
    )
    client = make_chroma_client(ChromaSettings(mode="persistent"), workdir / f"index-{size}")
    searchers = open_searchers(client, embeddings, METHODS)
    queries = query_set()
    for q in queries[:WARMUP_QUERIES]:
        for search in searchers.values():
            search(q)
    latencies: dict[str, list[float]] = {m: [] for m in METHODS}
    for i, q in enumerate(queries):
        # Rotate the order so no method always runs right after another.
        for method in METHODS[i % len(METHODS) :] + METHODS[: i % len(METHODS)]:
            latencies[method].append(1000 * timed(lambda s=searchers[method], q=q: s(q))[0])
    return {
        "size": size,
        "passages": len(service.passages()),
        "build_s": build_s,
        "timings": {m: {"p50_ms": pct(v, 50), "p95_ms": pct(v, 95)} for m, v in latencies.items()},
    }


def run_memory(workdir: Path, size: int, method: str) -> dict[str, Any]:
    """Open the built index for one method, run queries, report startup time and peak RSS."""
    embeddings = build_embeddings(ONNX_MODEL)
    client = make_chroma_client(ChromaSettings(mode="persistent"), workdir / f"index-{size}")
    open_s, searchers = timed(lambda: open_searchers(client, embeddings, [method]))
    for q in query_set(RSS_QUERIES):
        searchers[method](q)
    return {"size": size, "method": method, "open_s": open_s, "rss_mb": rss_mb()}


def pct(values: Sequence[float], q: int) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-q * len(ordered) // 100) - 1)]


def child(args: list[str]) -> dict[str, Any]:
    """Run this script in a fresh process and return its JSON result."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args], capture_output=True, text=True
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"child {args} failed with exit code {out.returncode}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- report ------------------------------------------------------------------
def mark(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def render(
    ingest: list[IngestResult],
    models: list[dict[str, Any]],
    builds: list[dict[str, Any]],
    queries: list[dict[str, Any]],
    recall: dict[str, Any],
    quick: bool,
) -> str:
    """The whole report as markdown."""
    lines = ["# Retrieval benchmark", ""]
    lines.append(
        f"Model `{ONNX_MODEL}` (default), {TIMED_QUERIES} timed queries after "
        f"{WARMUP_QUERIES} warm-up, k=5, persistent Chroma in a temp dir. "
        f"Machine: {_cpu_count()} CPU cores, load average {_load()} at the end of the run "
        "(other processes shared the machine). "
        f"{'Quick run (1k only).' if quick else ''}"
    )
    lines += ["", "## Ingest", ""]
    lines.append(
        "| corpus | passages | ingest passages/s | raw embed passages/s | ingest/raw "
        "| ingest/raw (CPU time) |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|")
    for r in ingest:
        lines.append(
            f"| {r.name} | {r.passages} | {r.ingest_per_s:.1f} | {r.raw_per_s:.1f} "
            f"| {r.ratio:.2f} | {r.cpu_ratio:.2f} |"
        )
    lines += [
        "",
        "Ingest = `ingest_paths`/`ingest_documents` into a fresh store (load, chunk, embed, "
        "Chroma upsert, BM25 rebuild); raw = `embed_array` on the same passage texts. "
        "Best of repeated, alternating runs; the CPU-time column is the same ratio on "
        "process CPU seconds, a cross-check that load from other processes barely moves.",
        "",
        "## Embedding builds",
        "",
        "Each build in its own process: batch = `embed_array` on synthetic passages "
        "(best of 2), query = `embed_query` p50 over 50 questions, RSS = process VmHWM "
        "after also ingesting seeds/ for the dense recall@5 column.",
        "",
        "| build | texts | batch passages/s | query embed p50 (ms) | peak RSS (MB) "
        "| dense recall@5 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for m in models:
        lines.append(
            f"| `{m['name']}` | {m['texts']} | {m['per_s']:.1f} | {m['query_p50_ms']:.1f} "
            f"| {m['rss_mb']:.0f} | {m['dense_recall']:.3f} |"
        )
    lines += ["", "## Query latency and memory", ""]
    lines.append(
        "The 1k index holds the real corpus passages plus synthetic passages (recombined "
        "corpus sentences), all with real embeddings. **10k and 100k indexes reuse those "
        f"real embeddings**, cycled with N(0, {NOISE}) per-dimension noise and renormalized, "
        "paired with fresh recombined texts; they are loaded through "
        "`ChromaStore.add_passages` + `rebuild_lexical`, bypassing the model."
    )
    lines += [
        "",
        "Latency: one process per size times all four methods on the same queries, "
        "interleaved query by query in rotating order, so load from other processes "
        "affects them alike. Peak RSS: a separate process per size and method opens the "
        f"store, runs {RSS_QUERIES} queries and reports its VmHWM (model + store + for "
        "hybrid/dense/BM25 the BM25 index and passage table that `RetrievalService` "
        "always builds; `ru_maxrss` is not used because Linux carries it across exec). "
        "Open = time to open the store and build the searcher in that process.",
        "",
        "| passages | build (s) | method | p50 (ms) | p95 (ms) | peak RSS (MB) | open (s) |",
        "|---:|---:|---|---:|---:|---:|---:|",
    ]
    build_s = {b["size"]: b["build_s"] for b in builds}
    for q in queries:
        lines.append(
            f"| {q['size']:,} | {build_s[q['size']]:.1f} | {q['method']} | {q['p50_ms']:.1f} "
            f"| {q['p95_ms']:.1f} | {q['rss_mb']:.0f} | {q['open_s']:.1f} |"
        )
    ratios = _baseline_ratios(queries)
    lines += ["", "| passages | hybrid/LangChain p50 | hybrid/LangChain p95 |", "|---:|---:|---:|"]
    for size, (r50, r95) in ratios.items():
        lines.append(f"| {size:,} | {r50:.2f}x | {r95:.2f}x |")
    lines += ["", "## Quality (recall@5, real corpus)", ""]
    lines.append(
        f"{recall['questions']} questions from `tests/integration/retrieval_questions*.yaml` "
        "(paraphrase-heavy + natural, written blind) "
        f"over {recall['passages']} passages."
    )
    lines += ["", "| method | recall@5 | missed |", "|---|---:|---|"]
    for method in METHODS:
        r = recall[method]
        lines.append(f"| {method} | {r['recall']:.3f} | {', '.join(r['misses']) or '-'} |")
    lines += ["", "## Targets", ""]
    lines += [f"- {t}" for t in targets(ingest, queries, recall)]
    return "\n".join(lines) + "\n"


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0))


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _baseline_ratios(queries: list[dict[str, Any]]) -> dict[int, tuple[float, float]]:
    by = {(q["size"], q["method"]): q for q in queries}
    return {
        size: (
            by[size, "hybrid"]["p50_ms"] / by[size, "langchain"]["p50_ms"],
            by[size, "hybrid"]["p95_ms"] / by[size, "langchain"]["p95_ms"],
        )
        for size, method in by
        if method == "hybrid" and (size, "langchain") in by
    }


def targets(
    ingest: list[IngestResult], queries: list[dict[str, Any]], recall: dict[str, Any]
) -> list[str]:
    """One MET/NOT MET line per target."""
    by = {(q["size"], q["method"]): q for q in queries}
    out = []
    if (10_000, "hybrid") in by:
        p50 = by[10_000, "hybrid"]["p50_ms"]
        out.append(
            f"hybrid p50 at 10k <= {TARGETS['p50_10k_ms']:.0f} ms: {p50:.1f} ms — "
            f"{mark(p50 <= TARGETS['p50_10k_ms'])}"
        )
    if (100_000, "hybrid") in by:
        p95 = by[100_000, "hybrid"]["p95_ms"]
        out.append(
            f"hybrid p95 at 100k <= {TARGETS['p95_100k_ms']:.0f} ms: {p95:.1f} ms — "
            f"{mark(p95 <= TARGETS['p95_100k_ms'])}"
        )
    ratios = _baseline_ratios(queries)
    worst = max(r50 for r50, _ in ratios.values())
    out.append(
        f"hybrid p50 <= {TARGETS['baseline_ratio']}x LangChain baseline at every size: "
        f"worst {worst:.2f}x — {mark(worst <= TARGETS['baseline_ratio'])}"
    )
    h, d, b = (recall[m]["recall"] for m in ("hybrid", "dense", "bm25"))
    out.append(
        f"hybrid recall@5 above dense and BM25: {h:.3f} vs {d:.3f} / {b:.3f} — "
        f"{mark(h > d and h > b)}"
    )
    for r in ingest:
        out.append(
            f"ingest >= {TARGETS['ingest_ratio']} of raw embedding ({r.name}): "
            f"{r.ratio:.2f} — {mark(r.ratio >= TARGETS['ingest_ratio'])}"
        )
    return out


# -- main --------------------------------------------------------------------
def main_parent(quick: bool, out: Path | None) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-retrieval-"))
    embeddings = build_embeddings(ONNX_MODEL)
    embed_array(embeddings, ["warm-up"])
    print("ingest: real corpus ...", file=sys.stderr)
    real, service, client, real_vectors = measure_ingest(
        workdir, embeddings, None, "real corpus (seeds/)", repeats=1 if quick else 3
    )
    sentences = corpus_sentences(service)
    rng = random.Random(0)
    synthetic_texts = [recombine(sentences, rng) for _ in range(SYNTHETIC_PASSAGES)]
    print("ingest: 1k synthetic ...", file=sys.stderr)
    synth, synth_service, _, synth_vectors = measure_ingest(
        workdir,
        embeddings,
        synthetic_documents(synthetic_texts),
        "synthetic 1k (~60 words)",
        repeats=1 if quick else 3,
    )

    print("quality ...", file=sys.stderr)
    questions = load_questions()
    searchers: dict[str, Searcher] = {
        "hybrid": service_searcher(service, "hybrid"),
        "dense": service_searcher(service, "dense"),
        "bm25": service_searcher(service, "lexical"),
        "langchain": langchain_searcher(service, client, embeddings),
    }
    recall: dict[str, Any] = {
        "questions": len(questions),
        "passages": len(service.passages()),
    }
    for method, search in searchers.items():
        report = recall_at_k(questions, search, k=5)
        recall[method] = {"recall": report.recall, "misses": report.misses}

    # The embedded pool the size runs reuse: real passages + the synthetic ones.
    real_passages = service.passages()
    synth_passages = synth_service.passages()
    pool = np.concatenate([real_vectors, synth_vectors])
    meta_path, vec_path = pool_paths(workdir)
    meta_path.write_text(
        json.dumps(
            {
                "real": [asdict(p) for p in real_passages],
                "synthetic": [p.text for p in synth_passages],
                "sentences": sentences,
            }
        ),
        encoding="utf-8",
    )
    np.save(vec_path, pool)

    print("embedding builds ...", file=sys.stderr)
    models = [child(["--workdir", str(workdir), "--model", spec]) for spec in MODELS]

    builds, timings = [], []
    for size in SIZES[:1] if quick else SIZES:
        print(f"index {size:,}: build and time ...", file=sys.stderr)
        built = child(["--workdir", str(workdir), "--size", str(size)])
        builds.append({"size": size, "build_s": built["build_s"]})
        for method in METHODS:
            print(f"index {size:,}: memory of {method} ...", file=sys.stderr)
            memory = child(["--workdir", str(workdir), "--size", str(size), "--memory", method])
            timings.append({"size": size, "method": method, **built["timings"][method], **memory})

    shutil.rmtree(workdir, ignore_errors=True)
    report = render([real, synth], models, builds, timings, recall, quick)
    print(report)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report, encoding="utf-8")
        print(f"written to {out}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the 1k index; no file")
    parser.add_argument("--out", type=Path, help=f"report file (default {RESULTS})")
    # Internal: one index size in a child process.
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
