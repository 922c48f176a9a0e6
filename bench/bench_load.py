"""Load benchmark: concurrent debate clients against a real `debatebot serve` on loopback.

One run measures a single client (the baseline) and then ``--clients`` concurrent clients,
each posting ``--turns`` turns; every acknowledged turn is checked against the stored
transcripts afterwards. Prints a markdown table and writes bench/results/load.md.

    python bench/bench_load.py [--clients 50] [--turns 10]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.load_driver import LoadResult, lost_turns, run_load  # noqa: E402
from tests.support.fixtures_servers import debatebot_command, free_port, running  # noqa: E402


def _row(name: str, result: LoadResult, lost: int, baseline_p50: float) -> str:
    s = result.summary()
    ratio = s["p50_ms"] / baseline_p50 if baseline_p50 else float("nan")
    return (
        f"| {name} | {s['clients']:.0f} | {s['turns']:.0f} | {s['errors']:.0f} | {lost} | "
        f"{s['wall_s']:.1f} | {s['turns_per_s']:.1f} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | "
        f"{s['max_ms']:.0f} | {ratio:.1f}x |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--turns", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {"DEBATEBOT_DATA_DIR": f"{tmp}/data", "DEBATEBOT_SEEDS_DIR": str(REPO / "seeds")}
        command = [*debatebot_command(), "serve", "--port", str(port)]
        with running(command, f"{url}/health", env=env, log=Path(tmp) / "server.log"):
            asyncio.run(run_load(url, clients=2, turns=3))  # warm-up
            single = asyncio.run(run_load(url, clients=1, turns=args.turns * 3))
            loaded = asyncio.run(
                run_load(url, clients=args.clients, turns=args.turns, timeout_s=300)
            )
            lost_single = len(lost_turns(url, single.acknowledged))
            lost_loaded = len(lost_turns(url, loaded.acknowledged))
    base = single.summary()["p50_ms"]
    lines = [
        "# Load: concurrent debate turns (bench/bench_load.py)",
        "",
        "A real `debatebot serve` on loopback (embedded Chroma, extractive engine), after a "
        "warm-up; every message is unique. Shared 2-core machine: absolute numbers move with "
        "load, the ratio is to the single client of the same run.",
        "",
        "| run | clients | turns ok | errors | lost | wall (s) | turns/s | p50 (ms) | p95 (ms) "
        "| max (ms) | p50 / single |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        _row("single client (baseline)", single, lost_single, base),
        _row(f"{args.clients} clients x {args.turns} turns", loaded, lost_loaded, base),
        "",
    ]
    table = "\n".join(lines)
    print(table)
    (REPO / "bench" / "results" / "load.md").write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
