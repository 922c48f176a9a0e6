"""Q&A quality: the real service in-process over the blind question set, labelled by script.

Builds the whole chat app (embedded Chroma, the real models, the seeds) and sends every
question of ``evals/questions/qa.yaml`` through ``POST /ask``. Each answer is labelled
against the question's ``facts`` (exact source quotes a complete answer needs):

- **correct and complete**: every fact's quote overlaps a cited span;
- **partial**: some facts are cited, some are not (``flagged`` when the answer names the
  missing part with "The sources do not say ...");
- **wrong sentence**: the answer cites nothing that overlaps any fact;
- **correct abstention** / **wrongful abstention** / **answered the unanswerable**;
- **duplicated fact**: two citations overlap the same fact, or two cited sentences say
  the same thing (same numbers and most words), counted on top of the label.

    python bench/bench_qa.py [--split dev|test|all] [--show] [--data-dir DIR]

Prints a table per split and writes it to bench/results/qa.md (with ``--write``).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

QA_FILE = REPO / "evals" / "questions" / "qa.yaml"
MOTION = "us-hamas"
LABELS = (
    "correct",
    "partial",
    "partial_flagged",
    "wrong_sentence",
    "correct_abstention",
    "wrongful_abstention",
    "answered_unanswerable",
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Span:
    """A cited or expected span of a source file."""

    source: str
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        """Same source and the character ranges intersect."""
        return self.source == other.source and self.start < other.end and other.start < self.end


@dataclass
class Labelled:
    """One question's answer and its label."""

    qid: str
    split: str
    kind: str
    question: str
    label: str
    duplicated: bool
    text: str
    missing: list[str] = field(default_factory=list)
    stray: int = 0  # cited sentences that overlap no fact


def load_set(path: Path = QA_FILE) -> list[dict[str, Any]]:
    """The question set as plain dicts."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d[\d,.]*", text))


def same_fact(a: str, b: str) -> bool:
    """Two quotes that state the same fact: the same numbers and most of their words."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    jaccard = len(wa & wb) / len(wa | wb)
    return _numbers(a) == _numbers(b) and jaccard >= 0.6


def label_answer(
    item: dict[str, Any], reply: dict[str, Any], texts: dict[str, str], sources: dict[str, str]
) -> Labelled:
    """Label one reply against the item's facts (``sources``: doc_id -> file name)."""
    cited = [
        (Span(sources.get(c["doc_id"], c["doc_id"]), c["start"], c["end"]), c["quote"])
        for c in reply["citations"]
    ]
    claims = [s for s in reply["sentences"] if s["kind"] == "claim"]
    flagged = "sources do not say" in reply["text"].lower()
    base = {
        "qid": item["id"],
        "split": item["split"],
        "kind": item["kind"],
        "question": item["question"],
        "text": reply["text"],
    }
    if not item["answerable"]:
        label = "correct_abstention" if not claims else "answered_unanswerable"
        return Labelled(**base, label=label, duplicated=False)
    if not claims:
        return Labelled(**base, label="wrongful_abstention", duplicated=False)
    facts = []
    for fact in item["facts"]:
        text = texts[fact["source"]]
        start = text.find(fact["quote"])
        assert start >= 0, f"{item['id']}: fact not in {fact['source']}"
        facts.append(Span(fact["source"], start, start + len(fact["quote"])))
    hits = [[span for span, _ in cited if span.overlaps(f)] for f in facts]
    duplicated = any(len(h) > 1 for h in hits) or any(
        same_fact(a, b) for i, (_, a) in enumerate(cited) for _, b in cited[i + 1 :]
    )
    covered = sum(1 for h in hits if h)
    stray = sum(1 for span, _ in cited if not any(span.overlaps(f) for f in facts))
    missing = [f["quote"] for f, h in zip(item["facts"], hits, strict=True) if not h]
    if covered == len(facts):
        label = "correct"
    elif covered == 0:
        label = "wrong_sentence"
    else:
        label = "partial_flagged" if flagged else "partial"
    return Labelled(**base, label=label, duplicated=duplicated, missing=missing, stray=stray)


def summarize(rows: Sequence[Labelled]) -> dict[str, Any]:
    """Counts per label, the duplicated facts and the target shares."""
    counts = Counter(r.label for r in rows)
    answerable = [r for r in rows if r.label not in ("correct_abstention", "answered_unanswerable")]
    unanswerable = len(rows) - len(answerable)
    return {
        "n": len(rows),
        "counts": counts,
        "duplicated": sum(r.duplicated for r in rows),
        "correct_share": counts["correct"] / len(answerable) if answerable else 0.0,
        "wrong_share": counts["wrong_sentence"] / len(answerable) if answerable else 0.0,
        "abstention_share": counts["correct_abstention"] / unanswerable if unanswerable else 1.0,
        "answerable": len(answerable),
        "unanswerable": unanswerable,
    }


def table(summaries: dict[str, dict[str, Any]]) -> str:
    """A markdown table, one column per split."""
    names = list(summaries)
    lines = [
        "| label | " + " | ".join(f"{n} ({summaries[n]['n']})" for n in names) + " |",
        "| --- | " + " | ".join("---:" for _ in names) + " |",
    ]
    for label in LABELS:
        cells = [str(summaries[n]["counts"][label]) for n in names]
        lines.append(f"| {label.replace('_', ' ')} | " + " | ".join(cells) + " |")
    lines.append(
        "| duplicated fact | " + " | ".join(str(summaries[n]["duplicated"]) for n in names)
    )
    lines[-1] += " |"
    for key, title, of in (
        ("correct_share", "correct and complete (of answerable)", "answerable"),
        ("wrong_share", "wrong sentence (of answerable)", "answerable"),
        ("abstention_share", "correct abstention (of unanswerable)", "unanswerable"),
    ):
        cells = [f"{summaries[n][key]:.0%} of {summaries[n][of]}" for n in names]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run(items: Iterable[dict[str, Any]], data_dir: Path) -> list[Labelled]:
    """Ask every question through the app in-process and label the answers."""
    from fastapi.testclient import TestClient

    from bot.app import create_app
    from bot.settings import ChatSettings
    from retrieval.settings import ChromaSettings

    settings = ChatSettings(
        data_dir=data_dir,
        seeds_dir=REPO / "seeds",
        prompts_dir=REPO / "prompts",
        chroma=ChromaSettings(mode="persistent"),
    )
    rows = []
    with TestClient(create_app(settings)) as client:
        docs = client.get("/documents").json()["documents"]
        sources = {d["doc_id"]: Path(str(d.get("source") or "")).name for d in docs}
        texts = {
            sources[d["doc_id"]]: client.get(f"/documents/{d['doc_id']}").json()["text"]
            for d in docs
        }
        for item in items:
            response = client.post("/ask", json={"question": item["question"], "motion_id": MOTION})
            assert response.status_code == 200, response.text
            rows.append(label_answer(item, response.json(), texts, sources))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--show", action="store_true", help="print every answer that is not right")
    parser.add_argument("--data-dir", type=Path, help="reuse an indexed store (default: temp)")
    parser.add_argument("--write", action="store_true", help="write bench/results/qa.md")
    args = parser.parse_args()
    items = [q for q in load_set() if args.split == "all" or q["split"] == args.split]
    with tempfile.TemporaryDirectory() as tmp:
        rows = run(items, args.data_dir or Path(tmp))
    if args.show:
        for r in rows:
            if r.label in ("correct", "correct_abstention") and not r.duplicated and not r.stray:
                continue
            dup = " DUPLICATED" if r.duplicated else ""
            print(f"\n[{r.qid} {r.kind}] {r.label}{dup} stray={r.stray}: {r.question}")
            print(f"  -> {r.text}")
            for quote in r.missing:
                print(f"  missing: {quote}")
    splits = sorted({r.split for r in rows})
    summaries = {s: summarize([r for r in rows if r.split == s]) for s in splits}
    out = table(summaries)
    print()
    print(out)
    if args.write:
        path = REPO / "bench" / "results" / "qa.md"
        path.write_text(
            "# Q&A quality (bench/bench_qa.py)\n\n"
            f"`python bench/bench_qa.py --split {args.split}`\n\n{out}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
