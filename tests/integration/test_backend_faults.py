"""Backend outages fail cleanly: a real `chroma run` server, killed and frozen (SIGSTOP).

The retrieval service answers 503 naming Chroma, with Retry-After, within its timeout;
/livez stays 200; and the service recovers without a restart once Chroma is back.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.fixtures_retrieval import SEEDS
from tests.support.fixtures_servers import (
    REPO,
    chroma_command,
    debatebot_command,
    free_port,
    running,
    wait_until_ready,
)

pytestmark = pytest.mark.integration

TIMEOUT_S = 2.0
# The timeout, plus the embedding and the request itself on a busy 2-core machine.
BOUND_S = TIMEOUT_S + 4.0
SEARCH = {"query": "Boehler talks with Hamas in Doha", "k": 3}


@dataclass
class Chroma:
    """A `chroma run` process that the test may kill, freeze and start again."""

    path: Path
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [*chroma_command(), "run", "--path", str(self.path), "--port", str(self.port)]
        out = open(self.log, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        wait_until_ready(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", self.process)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def signal(self, sig: signal.Signals) -> None:
        assert self.process is not None
        os.kill(self.process.pid, sig)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=15)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Chroma, httpx.Client]]:
    root = tmp_path_factory.mktemp("faults")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    chroma = Chroma(root / "chroma", free_port(), root / "chroma.log")
    chroma.start()
    port = free_port()
    env = {
        "DEBATEBOT_DATA_DIR": str(root / "data"),
        "DEBATEBOT_SEEDS_DIR": str(seeds),
        "DEBATEBOT_CHROMA__HOST": "127.0.0.1",
        "DEBATEBOT_CHROMA__PORT": str(chroma.port),
        "DEBATEBOT_CHROMA__TIMEOUT_S": str(TIMEOUT_S),
    }
    command = [*debatebot_command(), "retrieval", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    try:
        with (
            running(command, f"{url}/health", env=env, log=root / "retrieval.log"),
            httpx.Client(base_url=url, timeout=30) as client,
        ):
            yield chroma, client
    finally:
        chroma.stop()


def _timed(
    client: httpx.Client, method: str, path: str, **kwargs: object
) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    return response, time.monotonic() - started


def _assert_unavailable(client: httpx.Client) -> None:
    search, elapsed = _timed(client, "POST", "/search", json=SEARCH)
    assert search.status_code == 503, search.text
    assert elapsed < BOUND_S
    assert int(search.headers["retry-after"]) > 0
    item = search.json()["detail"][0]
    assert item["backend"] == "chroma"
    assert item["type"] == "backend_unavailable"
    health, elapsed = _timed(client, "GET", "/health")
    assert health.status_code == 503
    assert elapsed < BOUND_S
    assert health.json()["backends"] == {"chroma": "unavailable"}
    livez, elapsed = _timed(client, "GET", "/livez")
    assert livez.status_code == 200
    assert elapsed < 1.0
    # Nothing can be stored while Chroma is down: a clear 503, not a 500.
    upload = client.post("/documents", json={"title": "T", "text": "Talks in Cairo."})
    assert upload.status_code == 503


def _wait_for_recovery(client: httpx.Client, deadline_s: float = 30.0) -> httpx.Response:
    deadline = time.monotonic() + deadline_s
    while True:
        response = client.post("/search", json=SEARCH)
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def test_a_healthy_backend_answers(setup: tuple[Chroma, httpx.Client]) -> None:
    _, client = setup
    assert client.post("/search", json=SEARCH).status_code == 200
    assert client.get("/health").json()["backends"] == {"chroma": "ok"}


def test_a_frozen_chroma_is_a_bounded_503_and_recovers(setup: tuple[Chroma, httpx.Client]) -> None:
    chroma, client = setup
    chroma.signal(signal.SIGSTOP)
    try:
        _assert_unavailable(client)
    finally:
        chroma.signal(signal.SIGCONT)
    recovered = _wait_for_recovery(client)
    assert recovered.status_code == 200, recovered.text
    assert len(recovered.json()["results"]) == 3


def test_a_killed_chroma_is_a_503_and_a_restart_recovers(
    setup: tuple[Chroma, httpx.Client],
) -> None:
    chroma, client = setup
    chroma.kill()
    _assert_unavailable(client)
    chroma.start()
    recovered = _wait_for_recovery(client)
    assert recovered.status_code == 200, recovered.text
    assert client.get("/health").json()["status"] == "ok"
