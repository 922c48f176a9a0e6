"""The grounding verifier on the blind claim set (evals/claims/claims.yaml), per split and kind.

Every claim goes through the same code that checks sent claims and ``POST /verify``:
``GroundingVerifier.check_span`` on the claim's evidence, given as its span of the loaded
source document, with the real MiniLM grounding model and real spaCy / WordNet. Prints, per
split, precision and recall and a confusion table per kind; ``--out`` writes it as markdown.

    PYTHONPATH=. .venv/bin/python bench/bench_verifier.py [--split dev|test|stress] [--out FILE]
        [--misses]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from langchain_core.embeddings import Embeddings

from bot.verify.base import SupportResult
from bot.verify.grounding import GroundingVerifier
from bot.verify.layers import nlp
from bot.verify.layers.semantic import SemanticJudge
from retrieval.embeddings import build_embeddings
from retrieval.ingest.loaders import load_path
from retrieval.records import Document

REPO = Path(__file__).resolve().parents[1]
CLAIMS = REPO / "evals" / "claims" / "claims.yaml"
# Hard negatives with paraphrase twins, written to probe readings (not part of dev or test).
STRESS = REPO / "evals" / "claims" / "stress.yaml"
SOURCES = REPO / "seeds" / "us-hamas" / "sources"
GROUNDING_MODEL = "onnx:all-MiniLM-L6-v2-int8"


@dataclass(frozen=True)
class Claim:
    """One labelled claim with its evidence span."""

    id: str
    split: str
    kind: str
    label: bool
    doc_id: str
    start: int
    end: int
    claim: str


class Documents:
    """The motion's sources, loaded as the app loads them, looked up by file name."""

    def __init__(self, folder: Path) -> None:
        self.docs: dict[str, Document] = {}
        for path in sorted(folder.iterdir()):
            loaded = load_path(path, 10_000_000)
            self.docs[path.name] = Document(path.name, loaded.title, loaded.text, path.name)

    def get_document(self, doc_id: str) -> Document | None:
        """The document loaded from file ``doc_id``."""
        return self.docs.get(doc_id)


def load_claims(documents: Documents, path: Path = CLAIMS) -> list[Claim]:
    """The labelled claims, each with the span of its evidence in its loaded source."""
    raw: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    claims: list[Claim] = []
    for item in raw:
        document = documents.get_document(item["source"])
        assert document is not None, item["source"]
        start = document.text.index(item["evidence"])  # an exact substring, by construction
        end = start + len(item["evidence"])
        claims.append(
            Claim(
                item["id"],
                item["split"],
                item["kind"],
                bool(item["label"]),
                item["source"],
                start,
                end,
                item["claim"],
            )  # fmt: skip
        )
    return claims


@dataclass
class Tally:
    """Confusion counts: true claims accepted / rejected, false claims rejected / accepted."""

    true_accepted: int = 0
    true_rejected: int = 0
    false_rejected: int = 0
    false_accepted: int = 0

    def add(self, label: bool, supported: bool) -> None:
        if label and supported:
            self.true_accepted += 1
        elif label:
            self.true_rejected += 1
        elif supported:
            self.false_accepted += 1
        else:
            self.false_rejected += 1

    @property
    def precision(self) -> float:
        accepted = self.true_accepted + self.false_accepted
        return self.true_accepted / accepted if accepted else 1.0

    @property
    def recall(self) -> float:
        true = self.true_accepted + self.true_rejected
        return self.true_accepted / true if true else 1.0


CPU_TIMES: dict[str, list[float]] = {}  # the last run's CPU seconds per check, by label


def run(
    verifier: GroundingVerifier, claims: list[Claim], label: str = ""
) -> tuple[dict[str, SupportResult], list[float]]:
    """Each claim's verdict, and the wall time each check took (seconds).

    The process CPU time of each check is kept in :data:`CPU_TIMES` under ``label``: on a
    shared machine it moves far less with the load than the wall time does.
    """
    results: dict[str, SupportResult] = {}
    times: list[float] = []
    cpu: list[float] = []
    for claim in claims:
        began, began_cpu = time.perf_counter(), time.process_time()
        results[claim.id] = verifier.check_span(claim.claim, claim.doc_id, claim.start, claim.end)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    CPU_TIMES[label] = cpu
    return results, times


def tallies(claims: list[Claim], results: dict[str, SupportResult]) -> dict[str, Tally]:
    """Confusion counts per kind, plus ``all``."""
    table: dict[str, Tally] = defaultdict(Tally)
    for claim in claims:
        supported = results[claim.id].supported
        table[claim.kind].add(claim.label, supported)
        table["all"].add(claim.label, supported)
    return dict(table)


def report(split: str, table: dict[str, Tally]) -> str:
    """The markdown table of one split."""
    total = table["all"]
    lines = [
        f"### {split}: precision {total.precision:.3f}, recall {total.recall:.3f}",
        "",
        "| kind | true accepted | true rejected | false rejected | false accepted |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for kind in [*sorted(k for k in table if k != "all"), "all"]:
        t = table[kind]
        lines.append(
            f"| {kind} | {t.true_accepted} | {t.true_rejected} | {t.false_rejected} "
            f"| {t.false_accepted} |"
        )
    return "\n".join(lines)


def baseline_times(
    embeddings: Embeddings, claims: list[Claim], documents: Documents
) -> list[float]:
    """The old verifier's model cost: embedding the claim and its passage, nothing cached."""
    times: list[float] = []
    for claim in claims:
        document = documents.get_document(claim.doc_id)
        assert document is not None
        began = time.perf_counter()
        embeddings.embed_documents([claim.claim, document.text[claim.start : claim.end]])
        times.append(time.perf_counter() - began)
    return times


def prepared_times(verifier: GroundingVerifier, claims: list[Claim]) -> list[float]:
    """Checks of new claims against passages prepared before (parsed and embedded, as the
    LLM engine prepares the passages it shows while the model writes): each claim's own
    parse and embedding, and the layers. Every cache is emptied before each claim."""
    times: list[float] = []
    semantic = verifier.chain.semantic
    cpu: list[float] = []
    for claim in claims:
        document = verifier.documents.get_document(claim.doc_id)
        assert document is not None
        verifier.clear_cache()
        nlp.parse.cache_clear()
        if isinstance(semantic, SemanticJudge):
            semantic.clear_cache()
        verifier.prepare([document.text[claim.start : claim.end]])
        began, began_cpu = time.perf_counter(), time.process_time()
        verifier.check_span(claim.claim, claim.doc_id, claim.start, claim.end)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    CPU_TIMES["prepared"] = cpu
    return times


def fast_path_times(verifier: GroundingVerifier, claims: list[Claim]) -> list[float]:
    """Checks of claims that are their quotes (what the extractive engine sends)."""
    times: list[float] = []
    for claim in claims:
        document = verifier.documents.get_document(claim.doc_id)
        assert document is not None
        quote = document.text[claim.start : claim.end]
        began = time.perf_counter()
        result = verifier.check_claim(f"The seed document's authors argue that {quote}", quote)
        times.append(time.perf_counter() - began)
        assert result.supported
    return times


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "stress", "all"], default="all")
    parser.add_argument("--out", type=Path, help="also write the tables to this markdown file")
    parser.add_argument("--misses", action="store_true", help="list every wrong verdict")
    args = parser.parse_args()

    documents = Documents(SOURCES)
    claims = load_claims(documents, STRESS if args.split == "stress" else CLAIMS)
    splits = ["dev", "test"] if args.split == "all" else [args.split]
    embeddings = build_embeddings(GROUNDING_MODEL)
    verifier = GroundingVerifier(embeddings, documents)
    verifier.warm()
    sections: list[str] = []
    for split in splits:
        chosen = [c for c in claims if c.split == split]
        baseline = baseline_times(embeddings, chosen, documents)
        results, times = run(verifier, chosen, "first")
        # Second pass: parses and vectors are cached, as for a passage checked many times
        # (the verdicts themselves are not: that would time a dictionary lookup).
        verifier.clear_cache()
        _, warm = run(verifier, chosen, "warm")
        prepared = prepared_times(verifier, chosen)
        fast = fast_path_times(verifier, chosen)
        sections.append(report(split, tallies(chosen, results)))
        ms = {k: 1000 * percentile(v, 0.5) for k, v in
              {"base": baseline, "first": times, "warm": warm, "prepared": prepared,
               "fast": fast}.items()}  # fmt: skip
        sections.append(
            "\n| per claim (p50) | ms | ratio to baseline |\n| --- | ---: | ---: |\n"
            f"| baseline: embed claim + passage (the old verifier's model cost) "
            f"| {ms['base']:.2f} | 1.00 |\n"
            "| layered check, first pass (each passage parsed once for its claims) "
            f"| {ms['first']:.2f} "
            f"| {ms['first'] / ms['base']:.2f} |\n"
            "| layered check, new claim, its passage prepared before (the LLM engine's case) "
            f"| {ms['prepared']:.2f} | {ms['prepared'] / ms['base']:.2f} |\n"
            "| layered check, claim and passage prepared before (the LLM engine's path: the "
            "passages while the model reads the prompt, the claim while it writes its citations) "
            f"| {ms['warm']:.2f} "
            f"| {ms['warm'] / ms['base']:.2f} |\n"
            f"| verbatim quote (fast path, no parse) | {ms['fast']:.3f} "
            f"| {ms['fast'] / ms['base']:.3f} |\n"
            f"\nlayered check p95, first pass: {1000 * percentile(times, 0.95):.1f} ms; "
            f"passage prepared: {1000 * percentile(prepared, 0.95):.1f} ms\n"
            f"\nCPU time per claim (p50, process time: load moves it far less than wall time): "
            f"first pass {1000 * percentile(CPU_TIMES['first'], 0.5):.2f} ms, "
            f"passage prepared {1000 * percentile(CPU_TIMES['prepared'], 0.5):.2f} ms, "
            f"warm {1000 * percentile(CPU_TIMES['warm'], 0.5):.2f} ms\n"
        )
        if args.misses:
            for c in chosen:
                if results[c.id].supported != c.label:
                    verdict = "ACCEPTED" if results[c.id].supported else "REJECTED"
                    print(f"{c.id} {c.kind} label={c.label} {verdict}: {c.claim}")
                    print(f"    {'; '.join(results[c.id].reasons)[:300]}")
    text = "\n".join(sections)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
