"""The LLM engine against the extractive engine, in one run, over streamed HTTP.

Starts the packaged local model (``bot/engines/llm/local_server.py``) and two real
``debatebot serve`` processes on loopback: one with the extractive engine, one pointed at the
local model. Each runs the same debate turns and questions with ``?stream=true`` and records:
the time to the first verified sentence, the full turn time, the share of draft claims kept,
how often the LLM engine fell back, and (in this process, on the sent replies) the offline
verifier's time per sentence, and what re-verifying a streamed reply's growing prefixes adds.

The packaged 135M model gets no claim through, so every one of its turns falls back and its
first sentence comes with the whole turn. To show what streaming does for a model whose
claims pass, the same turns also run in-process on a *replayed* model: a scripted chat model
that quotes the shown passages of its side verbatim, streamed at ``--replay-cps`` characters a
second, through the real LLM engine, services and verifier (service events, no HTTP).
Prints a markdown table and writes bench/results/llm.md.

    python bench/bench_llm.py [--turns 4] [--questions 2] [--replay-cps 200]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fastapi.testclient import TestClient  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.domain.replies import Reply  # noqa: E402
from bot.domain.sessions import Turn  # noqa: E402
from bot.engines.llm.draft import sentence_texts  # noqa: E402
from bot.engines.llm.engine import LLMEngine  # noqa: E402
from bot.engines.llm.local_server import DEFAULT_MODEL, start_server  # noqa: E402
from bot.engines.llm.prompts import PromptSet  # noqa: E402
from bot.services.events import DoneEvent, SentenceEvent, VerifiedPrefix  # noqa: E402
from bot.verify.base import ReplyVerifier, SupportResult  # noqa: E402
from bot.verify.grounding import GroundingVerifier  # noqa: E402
from retrieval.embeddings import build_embeddings  # noqa: E402
from retrieval.records import Document  # noqa: E402
from tests.support.fake_chat import ScriptedChatModel, draft, shown_passages  # noqa: E402
from tests.support.fixtures_chat import chat_settings  # noqa: E402
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


REPLAY = "replay:quoting-model"
REPLAY_WORDING = "replay:attributing-model"
# The attributing model's words around each quote: the claim is no longer its quote, so it is
# parsed and goes through every layer, as a model's own sentence does.
FRAME = "The record shows that "


def replay_model(chars_per_second: float, frame: str = "") -> ScriptedChatModel:
    """A chat model that quotes up to four shown passages of its side (any, for a question)
    as its claims (verbatim, or the first sentence after ``frame``), streamed in 4-character
    pieces at ``chars_per_second``."""

    def step(prompt: str) -> str:
        side = None if "<question>" in prompt else "con"  # the bench's user argues pro
        shown = [p for p in shown_passages(prompt) if len(p.text) <= 400 and side in {None, p.side}]
        # In its own words, a model writes a sentence per claim: it frames a passage's first.
        quotes = [sentence_texts(p.text)[0] if frame else p.text for p in shown]
        cites = [
            {"text": claim_text(quote, frame), "cites": [{"passage": p.number, "quote": quote}]}
            for p, quote in zip(shown, quotes, strict=True)
        ]
        return draft(*cites[:4])

    return ScriptedChatModel(script=[step], chunk_size=4, delay=4 / chars_per_second)


def claim_text(quote: str, frame: str) -> str:
    """The quote as a claim: bare, or after ``frame`` with its first letter lowercased."""
    return f"{frame}{quote[:1].lower()}{quote[1:]}" if frame else quote


class TimedVerifier:
    """The service's verifier, timing each check the engine makes while a reply streams."""

    def __init__(self, inner: ReplyVerifier) -> None:
        self.inner = inner
        self.checks: list[tuple[float, float]] = []  # (wall, CPU) seconds per claim check
        self.claims: list[float] = []  # wall seconds preparing each claim, ahead of its check

    def verify(self, reply: Reply, *args: Any, **kwargs: Any) -> Reply:
        return self.inner.verify(reply, *args, **kwargs)

    def check_span(self, claim: str, doc_id: str, start: int, end: int) -> SupportResult:
        began, began_cpu = time.perf_counter(), time.thread_time()
        result = self.inner.check_span(claim, doc_id, start, end)
        self.checks.append((time.perf_counter() - began, time.thread_time() - began_cpu))
        return result

    def prepare(self, evidence: Sequence[str]) -> None:
        self.inner.prepare(evidence)

    def prepare_claim(self, claim: str) -> None:
        began = time.perf_counter()
        self.inner.prepare_claim(claim)
        self.claims.append(time.perf_counter() - began)


def timed(events: Any) -> Call:
    """Consume a service's stream of events: the time to the first sentence and to the end."""
    start = time.perf_counter()
    first: float | None = None
    result: Turn | Reply | None = None
    for event in events:
        if isinstance(event, SentenceEvent) and first is None:
            first = time.perf_counter() - start
        elif isinstance(event, DoneEvent):
            result = event.result
    reply = result.reply if isinstance(result, Turn) else result
    assert reply is not None
    return Call(first, time.perf_counter() - start, reply.model_dump(mode="json"))


def replay_engine(
    turns: int, questions: int, tmp: Path, chars_per_second: float, frame: str = ""
) -> tuple[Run, TimedVerifier]:
    """The same turns and questions, in-process, on a replayed model (quoting, or
    attributing with ``frame``), with the engine's checks timed."""
    name = REPLAY_WORDING if frame else REPLAY
    run = Run(f"{name} ({chars_per_second:.0f} chars/s, in-process)")
    with TestClient(create_app(chat_settings(tmp / name.replace(":", "-")))) as client:
        services = client.app.state.services  # type: ignore[attr-defined]
        extractive = services.debates.engine
        verifier = TimedVerifier(services.debates.verifier)
        engine = LLMEngine(
            replay_model(chars_per_second, frame),
            name,
            mapper=extractive.mapper,
            retriever=extractive.retriever,
            index=extractive.index,
            verifier=verifier,
            prompts=PromptSet.load(REPO / "prompts" / "llm"),
            fallback=extractive,
            structured_output="json_mode",
        )
        services.debates.engine = services.questions.engine = engine
        debate = services.debates.create_debate(MOTION, "pro")
        for message in SCRIPTS["pro"][:turns]:
            run.calls.append(timed(services.debates.stream_turn(debate.debate_id, message)))
        for question in QUESTIONS["answerable"][:questions]:
            run.calls.append(timed(services.questions.stream_ask(question, MOTION)))
    return run, verifier


def check_ms(verifier: TimedVerifier) -> str:
    """The engine's checks on the stream's path: p50 wall and CPU ms per claim."""
    if not verifier.checks:
        return "(no checks)"
    wall = statistics.median(w for w, _ in verifier.checks)
    cpu = statistics.median(c for _, c in verifier.checks)
    return f"{1000 * wall:.1f} (CPU {1000 * cpu:.1f})"


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


def verifier_ms_per_sentence(runs: list[Run]) -> tuple[float, float]:
    """The offline grounding verifier re-checking every sent reply, per sentence (warm, its
    verdict cache emptied first), and what re-verifying each reply's growing prefixes, as a
    stream does, adds per sentence on top."""
    embeddings = build_embeddings("onnx:all-MiniLM-L6-v2-int8")
    documents: dict[str, dict[str, Any]] = {}
    for run in runs:
        documents |= run.documents
    verifier = GroundingVerifier(embeddings, _Documents(documents))
    replies = [Reply.model_validate(c.reply) for run in runs for c in run.calls]
    verifier.warm_chain()  # spaCy and WordNet loaded, as after a server's first paraphrase
    verifier.verify(replies[0])  # warm-up
    verifier.clear_cache()
    sentences = sum(len(r.sentences) for r in replies)
    start = time.perf_counter()
    for reply in replies:
        verifier.verify(reply)
    full = 1000 * (time.perf_counter() - start) / max(sentences, 1)
    start = time.perf_counter()
    for reply in replies:
        prefix = VerifiedPrefix(verifier.verify)
        for k in range(1, len(reply.sentences) + 1):
            for _ in prefix.progress(reply.model_copy(update={"sentences": reply.sentences[:k]})):
                pass
    prefixes = 1000 * (time.perf_counter() - start) / max(sentences, 1)
    return full, prefixes


def claims(call: Call) -> tuple[int, int]:
    """(kept, drafted) claims of the engine that was asked, counting failed attempts."""
    reply = call.reply
    reason = reply.get("fallback_reason")
    if reason:
        found = [(int(k), int(n)) for k, n in _ATTEMPT.findall(reason)]
        return 0, sum(n for _, n in found)
    kept = reply["grounding"]["claims"]
    return kept, kept + reply["grounding"]["dropped"]


def row(run: Run, overhead: str) -> str:
    firsts = [c.first for c in run.calls if c.first is not None] or [float("nan")]
    totals = [c.total for c in run.calls]
    kept = sum(claims(c)[0] for c in run.calls)
    drafted = sum(claims(c)[1] for c in run.calls)
    fallbacks = sum(1 for c in run.calls if c.reply.get("fallback_reason"))
    return (
        f"| {run.name} | {len(run.calls)} | {statistics.median(firsts):.2f} "
        f"| {statistics.median(totals):.2f} | {max(totals):.2f} "
        f"| {kept}/{drafted} ({kept / max(drafted, 1):.0%}) "
        f"| {fallbacks}/{len(run.calls)} | {overhead} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--questions", type=int, default=2)
    parser.add_argument("--replay-cps", type=float, default=200.0)
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
        replay, _ = replay_engine(args.turns, args.questions, tmp, args.replay_cps)
        wording, timed_checks = replay_engine(
            args.turns, args.questions, tmp, args.replay_cps, FRAME
        )
    overhead, prefixes = verifier_ms_per_sentence(runs)
    header = (
        "| engine | calls | first verified sentence p50 (s) | full turn p50 (s) | max (s) "
        "| claims kept | fallbacks | verifier ms/sentence |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    base = statistics.median(c.total for c in runs[0].calls)
    ratio = statistics.median(c.total for c in runs[1].calls) / base
    measured = f"{overhead:.1f}"
    table = "\n".join(
        [
            header,
            *(row(run, measured) for run in runs),
            row(replay, "(verbatim quotes)"),
            row(wording, check_ms(timed_checks)),
        ]
    )
    ahead = statistics.median(timed_checks.claims) if timed_checks.claims else float("nan")
    reasons = sorted(
        {str(c.reply["fallback_reason"])[:300] for run in runs for c in run.calls} - {"None"}
    )
    table += "\n\nFallback reasons:\n" + "\n".join(f"- {r}" for r in reasons or ["none"])
    text = (
        f"# LLM engine benchmark ({DEFAULT_MODEL} on llama.cpp, 2 shared cores)\n\n"
        f"{args.turns} debate turns + {args.questions} questions per engine, streamed, "
        f"same run. Full-turn ratio LLM / extractive: {ratio:.0f}x. Verifier: the offline "
        "grounding verifier re-checking every sent reply of the first two rows, warm, per "
        f"sentence (target <= 10 ms); re-verifying their growing prefixes as a stream does adds "
        f"{prefixes:.2f} ms per sentence (cached verdicts). The replay row is the real engine, "
        "services and verifier on a scripted model that quotes its sources, in-process; the "
        f"attributing row's model writes each claim as '{FRAME}<quote>', so every claim is "
        "parsed and goes through every layer: its verifier column is the engine's own check "
        "of each claim on the stream's path (the passages prepared while the model read the "
        "prompt, the claim while it wrote the citations; preparing a claim took "
        f"{1000 * ahead:.1f} ms p50, off the path).\n\n" + table + "\n"
    )
    print(text)
    out = REPO / "bench" / "results" / "llm.md"
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
