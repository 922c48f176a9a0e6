"""The LLM engine against the extractive engine, in one run, over streamed HTTP.

Starts the packaged local model (``bot/engines/llm/local_server.py``) and two real
``debatebot serve`` processes on loopback: one with the extractive engine, one pointed at the
local model. Each runs the same debate turns and questions with ``?stream=true`` and records:
the time to the first verified sentence, the full turn time, the share of draft claims kept,
how often the LLM engine fell back, and (in this process, on the sent replies) the offline
verifier's time per sentence. Prints a markdown table and writes bench/results/llm.md.

    python bench/bench_llm.py [--turns 4] [--questions 2]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.domain.replies import Reply  # noqa: E402
from bot.engines.llm.local_server import DEFAULT_MODEL, start_server  # noqa: E402
from bot.verify.grounding import GroundingVerifier  # noqa: E402
from retrieval.embeddings import build_embeddings  # noqa: E402
from retrieval.records import Document  # noqa: E402
from tests.support.fixtures_servers import debatebot_command, free_port, running  # noqa: E402

SCRIPTS = yaml.safe_load((REPO / "tests/support/data/debate_scripts.yaml").read_text())
QUESTIONS = yaml.safe_load((REPO / "tests/support/data/chat_questions.yaml").read_text())
MOTION = "us-hamas"
_ATTEMPT = re.compile(r"(\d+) of (\d+) claims passed")


@dataclass
class Call:
    """One streamed request: when the first sentence came, when it ended, what was sent."""

    first: float | None
    total: float
    reply: dict[str, Any]


@dataclass
class Run:
    """All calls against one engine."""

    name: str
    calls: list[Call] = field(default_factory=list)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # GET /documents/{id}


def streamed(client: httpx.Client, path: str, body: dict[str, Any]) -> Call:
    """POST with ?stream=true; the time to the first ``sentence`` event and to ``done``."""
    start = time.perf_counter()
    first: float | None = None
    event = ""
    done: dict[str, Any] = {}
    with client.stream("POST", path, json=body, params={"stream": "true"}) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
                if event == "sentence" and first is None:
                    first = time.perf_counter() - start
            elif line.startswith("data: ") and event == "done":
                done = json.loads(line[6:])
            elif line.startswith("data: ") and event == "error":
                raise RuntimeError(line)
    return Call(first, time.perf_counter() - start, done)


def run_engine(name: str, env: dict[str, str], turns: int, questions: int, tmp: Path) -> Run:
    """A fresh chat server with ``env``; one debate of ``turns`` turns, then the questions."""
    port = free_port()
    command = [*debatebot_command(), "serve", "--port", str(port)]
    env = {"DEBATEBOT_DATA_DIR": str(tmp / name), "DEBATEBOT_CHROMA__MODE": "persistent", **env}
    run = Run(name)
    base = f"http://127.0.0.1:{port}"
    with (
        running(command, f"{base}/health", env=env, log=tmp / f"{name}.log"),
        httpx.Client(base_url=base, timeout=600) as client,
    ):
        created = client.post("/debates", json={"motion_id": MOTION, "user_side": "pro"})
        debate_id = created.json()["debate_id"]
        for message in SCRIPTS["pro"][:turns]:
            run.calls.append(streamed(client, f"/debates/{debate_id}/turns", {"message": message}))
        for question in QUESTIONS["answerable"][:questions]:
            run.calls.append(streamed(client, "/ask", {"question": question, "motion_id": MOTION}))
        run.documents = {
            c["doc_id"]: client.get(f"/documents/{c['doc_id']}").json()
            for call in run.calls
            for c in call.reply["citations"]
        }
    return run


class _Documents:
    def __init__(self, documents: dict[str, dict[str, Any]]) -> None:
        self.documents = documents

    def get_document(self, doc_id: str) -> Document | None:
        data = self.documents.get(doc_id)
        if data is None:
            return None
        return Document(
            doc_id=doc_id,
            title=data["title"],
            text=data["text"],
            source=data.get("source", ""),
            url=data.get("url"),
            metadata=data.get("metadata", {}),
        )


def verifier_ms_per_sentence(runs: list[Run]) -> float:
    """The offline grounding verifier re-checking every sent reply, per sentence (warm)."""
    embeddings = build_embeddings("onnx:all-MiniLM-L6-v2-int8")
    documents: dict[str, dict[str, Any]] = {}
    for run in runs:
        documents |= run.documents
    verifier = GroundingVerifier(embeddings, _Documents(documents))
    replies = [Reply.model_validate(c.reply) for run in runs for c in run.calls]
    verifier.verify(replies[0])  # warm-up
    sentences = sum(len(r.sentences) for r in replies)
    start = time.perf_counter()
    for reply in replies:
        verifier.verify(reply)
    return 1000 * (time.perf_counter() - start) / max(sentences, 1)


def claims(call: Call) -> tuple[int, int]:
    """(kept, drafted) claims of the engine that was asked, counting failed attempts."""
    reply = call.reply
    reason = reply.get("fallback_reason")
    if reason:
        found = [(int(k), int(n)) for k, n in _ATTEMPT.findall(reason)]
        return 0, sum(n for _, n in found)
    kept = reply["grounding"]["claims"]
    return kept, kept + reply["grounding"]["dropped"]


def row(run: Run, overhead: float) -> str:
    firsts = [c.first for c in run.calls if c.first is not None]
    totals = [c.total for c in run.calls]
    kept = sum(claims(c)[0] for c in run.calls)
    drafted = sum(claims(c)[1] for c in run.calls)
    fallbacks = sum(1 for c in run.calls if c.reply.get("fallback_reason"))
    return (
        f"| {run.name} | {len(run.calls)} | {statistics.median(firsts):.2f} "
        f"| {statistics.median(totals):.2f} | {max(totals):.2f} "
        f"| {kept}/{drafted} ({kept / max(drafted, 1):.0%}) "
        f"| {fallbacks}/{len(run.calls)} | {overhead:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--questions", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, start_server(DEFAULT_MODEL) as server:
        tmp = Path(folder)
        model = f"openai:{server.model}"
        llm_env = {
            "DEBATEBOT_LLM__MODEL": model,
            "DEBATEBOT_LLM__BASE_URL": server.base_url,
            "DEBATEBOT_LLM__MAX_TOKENS": "400",
        }
        runs = [
            run_engine("extractive", {}, args.turns, args.questions, tmp),
            run_engine(model, llm_env, args.turns, args.questions, tmp),
        ]
    overhead = verifier_ms_per_sentence(runs)
    header = (
        "| engine | calls | first verified sentence p50 (s) | full turn p50 (s) | max (s) "
        "| claims kept | fallbacks | verifier ms/sentence |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    base = statistics.median(c.total for c in runs[0].calls)
    ratio = statistics.median(c.total for c in runs[1].calls) / base
    table = "\n".join([header, *(row(run, overhead) for run in runs)])
    reasons = sorted(
        {str(c.reply["fallback_reason"])[:300] for run in runs for c in run.calls} - {"None"}
    )
    table += "\n\nFallback reasons:\n" + "\n".join(f"- {r}" for r in reasons or ["none"])
    text = (
        f"# LLM engine benchmark ({DEFAULT_MODEL} on llama.cpp, 2 shared cores)\n\n"
        f"{args.turns} debate turns + {args.questions} questions per engine, streamed, "
        f"same run. Full-turn ratio LLM / extractive: {ratio:.0f}x. Verifier: the offline "
        "grounding verifier re-checking every sent reply, warm, per sentence "
        "(target <= 10 ms).\n\n" + table + "\n"
    )
    print(text)
    out = REPO / "bench" / "results" / "llm.md"
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
