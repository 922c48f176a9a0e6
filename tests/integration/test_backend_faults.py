"""Backend outages fail cleanly: a real `chroma run` server, killed and frozen (SIGSTOP).

The retrieval service answers 503 naming Chroma, with Retry-After, within its timeout;
/livez stays 200; and the service recovers without a restart once Chroma is back. Connecting
is bounded too: `serve` against a frozen or absent Chroma stops at startup, naming it.
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

from retrieval.errors import BackendUnavailableError
from retrieval.settings import ChromaSettings
from retrieval.stores.chroma import make_chroma_client
from tests.support.fixtures_retrieval import SEEDS
from tests.support.fixtures_servers import (
    REPO,
    chroma_command,
    debatebot_command,
    free_port,
    running,
    stop_process,
    wait_until_ready,
)

pytestmark = pytest.mark.integration

TIMEOUT_S = 2.0
# The timeout, plus the embedding and the request itself on a busy 2-core machine.
BOUND_S = TIMEOUT_S + 4.0
# Imports and model loading come before the first Chroma call; without a connect timeout a
# frozen server keeps serve starting for good.
STARTUP_BOUND_S = 120.0
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


# -- connecting: chromadb's client calls the server in its constructor, with no timeout ------


def test_connecting_to_a_frozen_chroma_gives_up_within_the_timeout(
    setup: tuple[Chroma, httpx.Client], tmp_path: Path
) -> None:
    chroma, _ = setup
    settings = ChromaSettings(host="127.0.0.1", port=chroma.port, timeout_s=TIMEOUT_S)
    chroma.signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        with pytest.raises(BackendUnavailableError, match="chroma server") as caught:
            make_chroma_client(settings, tmp_path)
        elapsed = time.monotonic() - started
    finally:
        chroma.signal(signal.SIGCONT)
    assert caught.value.backend == "chroma"
    assert elapsed < BOUND_S
    # Once it answers again, connecting works.
    assert make_chroma_client(settings, tmp_path).heartbeat() > 0


def _serve_against(chroma_port: int, root: Path) -> tuple[int, str]:
    """Start `debatebot serve` on Chroma at ``chroma_port``: (its exit code, its log)."""
    log = root / "serve.log"
    env = {
        **os.environ,
        "DEBATEBOT_DATA_DIR": str(root / "data"),
        "DEBATEBOT_INDEX_SEEDS_ON_START": "false",
        "DEBATEBOT_CHROMA__HOST": "127.0.0.1",
        "DEBATEBOT_CHROMA__PORT": str(chroma_port),
        "DEBATEBOT_CHROMA__TIMEOUT_S": str(TIMEOUT_S),
    }
    command = [*debatebot_command(), "serve", "--port", str(free_port())]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=out)
        try:
            code = process.wait(timeout=STARTUP_BOUND_S)
        except subprocess.TimeoutExpired:
            stop_process(process)
            code = None
    text = log.read_text(errors="replace")
    assert code is not None, f"serve still starting after {STARTUP_BOUND_S} s:\n{text[-2000:]}"
    return code, text


def test_serve_with_a_frozen_chroma_stops_at_startup_naming_it(
    setup: tuple[Chroma, httpx.Client], tmp_path: Path
) -> None:
    chroma, _ = setup
    chroma.signal(signal.SIGSTOP)
    try:
        code, log = _serve_against(chroma.port, tmp_path)
    finally:
        chroma.signal(signal.SIGCONT)
    assert code != 0
    assert f"chroma server at 127.0.0.1:{chroma.port} is unavailable (no answer within" in log


def test_serve_with_no_chroma_stops_at_startup_naming_it(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    code, log = _serve_against(port, tmp_path)
    assert code != 0
    assert f"chroma server at 127.0.0.1:{port} is unavailable" in log
