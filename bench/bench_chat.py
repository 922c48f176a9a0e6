"""Chat latency and throughput against a real uvicorn server on loopback.

Starts ``debatebot serve`` (embedded defaults, state in a temp dir), warms up, then
measures side by side: a bare POST /search (the floor), debate turns and /ask, one
client at a time and with 16 concurrent clients. Prints a markdown table and writes it
to bench/results/chat.md.

    python bench/bench_chat.py [--requests 60] [--clients 16]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from itertools import count, cycle
from pathlib import Path

import httpx
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.fixtures_servers import debatebot_command, free_port, running  # noqa: E402

SCRIPTS = yaml.safe_load((REPO / "tests/support/data/debate_scripts.yaml").read_text())
QUESTIONS = yaml.safe_load((REPO / "tests/support/data/chat_questions.yaml").read_text())
MOTION = "us-hamas"
TURNS_PER_DEBATE = 6

Call = Callable[[httpx.Client], httpx.Response]


def unique(text: str, n: int) -> str:
    """Make every sentence of ``text`` new, so no cache answers for the model."""
    return f"Speech {n}: " + text.replace(". ", f" (speech {n}). ")


class Workload:
    """Endless request makers per kind; each debate gets a fresh session every six turns.

    Every message and question is made unique, so the numbers include embedding them.
    """

    def __init__(self) -> None:
        self.messages = cycle([m for side in ("pro", "con") for m in SCRIPTS[side]])
        self.questions = cycle(QUESTIONS["answerable"])
        self.counter = count()
        self.lock = threading.Lock()

    def question(self) -> str:
        with self.lock:
            return f"{next(self.questions)} ({next(self.counter)})"

    def search(self, client: httpx.Client) -> httpx.Response:
        return client.post("/search", json={"query": self.question(), "k": 5})

    def ask(self, client: httpx.Client) -> httpx.Response:
        return client.post("/ask", json={"question": self.question(), "motion_id": MOTION})

    def turn_maker(self) -> Call:
        """A per-client turn function that holds its own debate."""
        debate_id = ""
        turns = TURNS_PER_DEBATE

        def turn(client: httpx.Client) -> httpx.Response:
            nonlocal debate_id, turns
            if turns >= TURNS_PER_DEBATE:
                created = client.post("/debates", json={"motion_id": MOTION, "user_side": "pro"})
                debate_id, turns = created.json()["debate_id"], 0
            with self.lock:
                message = unique(next(self.messages), next(self.counter))
            turns += 1
            return client.post(f"/debates/{debate_id}/turns", json={"message": message})

        return turn


def timed(call: Call, client: httpx.Client, n: int) -> tuple[list[float], int]:
    """Latencies (ms) of ``n`` sequential calls and the number of non-2xx answers."""
    latencies, errors = [], 0
    for _ in range(n):
        start = time.perf_counter()
        try:
            ok = call(client).is_success
        except httpx.HTTPError:
            ok = False
        latencies.append((time.perf_counter() - start) * 1000)
        errors += not ok
    return latencies, errors


def concurrent(base: str, make: Callable[[], Call], clients: int, per_client: int) -> dict:
    """``clients`` threads, each with its own connection, ``per_client`` calls each."""
    results: list[tuple[list[float], int]] = []
    lock = threading.Lock()

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            outcome = timed(make(), client, per_client)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    latencies = [x for lat, _ in results for x in lat]
    return {
        "rps": len(latencies) / wall,
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "errors": sum(e for _, e in results),
    }


def pct(values: list[float], q: int) -> float:
    """The q-th percentile."""
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="Sequential calls per kind.")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent clients.")
    parser.add_argument("--per-client", type=int, default=6, help="Calls per concurrent client.")
    args = parser.parse_args()
    work = Workload()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [*debatebot_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
        env = {"DEBATEBOT_DATA_DIR": str(Path(tmp) / "state")}
        with running(command, f"{base}/health", env=env), httpx.Client(base_url=base) as client:
            client.timeout = httpx.Timeout(120)
            warm_turn = work.turn_maker()
            for call in (work.search, work.ask, warm_turn):
                timed(call, client, 12)  # warm-up: model, caches, connections
            rows = []
            kinds: list[tuple[str, Callable[[], Call]]] = [
                ("POST /search (floor)", lambda: work.search),
                ("POST /debates/{id}/turns", work.turn_maker),
                ("POST /ask", lambda: work.ask),
            ]
            for name, make in kinds:
                latencies, errors = timed(make(), client, args.requests)
                load = concurrent(base, make, args.clients, args.per_client)
                rows.append((name, latencies, errors, load))
    table = render(rows, args)
    print(table)
    out = REPO / "bench" / "results" / "chat.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table + "\n", encoding="utf-8")


def render(rows: list, args: argparse.Namespace) -> str:
    """The results as a markdown table."""
    lines = [
        "# Chat benchmark (embedded defaults, real uvicorn on loopback, after warm-up)",
        "",
        f"Sequential: {args.requests} calls per kind. Concurrent: {args.clients} clients x "
        f"{args.per_client} calls. Targets: turn p50 <= 150 ms, p95 <= 400 ms, 0 errors.",
        "",
        "| request | p50 ms | p95 ms | errors | concurrent req/s | concurrent p50 ms "
        "| concurrent p95 ms | concurrent errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, latencies, errors, load in rows:
        lines.append(
            f"| {name} | {pct(latencies, 50):.1f} | {pct(latencies, 95):.1f} | {errors} "
            f"| {load['rps']:.1f} | {load['p50']:.1f} | {load['p95']:.1f} | {load['errors']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
