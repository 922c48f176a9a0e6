"""Under load and through kill -9: no errors, no lost turns (loopback, bounded count and time).

Throughput and latency of the same run are a benchmark (bench/bench_load.py), not asserted.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from bench.load_driver import lost_turns, run_in_fresh_loop, run_load
from tests.support.fixtures_retrieval import REPO
from tests.support.fixtures_servers import debatebot_command, free_port, running, wait_until_ready

pytestmark = pytest.mark.integration


def _env(data_dir: Path) -> dict[str, str]:
    return {
        "DEBATEBOT_DATA_DIR": str(data_dir),
        "DEBATEBOT_SEEDS_DIR": str(REPO / "seeds"),
        "DEBATEBOT_CHROMA__MODE": "persistent",
    }


def _command(port: int) -> list[str]:
    return [*debatebot_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]


def test_50_clients_by_10_turns_lose_nothing(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running(
        _command(port), f"{url}/health", env=_env(tmp_path / "data"), log=tmp_path / "s.log"
    ):
        result = run_in_fresh_loop(run_load(url, clients=50, turns=10, timeout_s=300))
        assert result.errors == []
        assert result.turns_ok == 500
        assert lost_turns(url, result.acknowledged) == []


def _start(port: int, data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    out = open(log, "ab")  # noqa: SIM115
    process = subprocess.Popen(
        _command(port),
        cwd=REPO,
        env={**os.environ, **_env(data_dir)},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    wait_until_ready(f"http://127.0.0.1:{port}/health", process)
    return process


async def _load_until_killed(url: str, process: subprocess.Popen[bytes], after_s: float):
    stop = asyncio.Event()
    load = asyncio.create_task(run_load(url, clients=10, turns=1000, timeout_s=60, stop=stop))
    await asyncio.sleep(after_s)
    os.kill(process.pid, signal.SIGKILL)  # no shutdown hooks, mid-write
    stop.set()
    return await load


def test_kill_9_under_load_loses_no_acknowledged_turn(tmp_path: Path) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "server.log"
    acknowledged: dict[str, list[str]] = {}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    for _ in range(2):
        process = _start(port, data_dir, log)
        result = run_in_fresh_loop(_load_until_killed(url, process, after_s=6.0))
        process.wait(timeout=30)
        assert result.turns_ok > 0
        for debate_id, messages in result.acknowledged.items():
            acknowledged.setdefault(debate_id, []).extend(messages)
    process = _start(port, data_dir, log)
    try:
        started = time.monotonic()
        assert lost_turns(url, acknowledged) == []
        assert time.monotonic() - started < 120
    finally:
        process.terminate()
        process.wait(timeout=30)
