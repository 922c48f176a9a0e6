"""Start real servers as subprocesses on free loopback ports and wait until they answer."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.engines.llm.local_server import wait_until_ready

REPO = Path(__file__).resolve().parents[2]


def stop_process(process: subprocess.Popen[Any], timeout: float = 15.0) -> None:
    """Terminate ``process``, and kill it when it does not exit within ``timeout``."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def debatebot_command() -> list[str]:
    """How to run the project's CLI from this interpreter."""
    exe = Path(sys.executable).with_name("debatebot")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "bot.cli"]


def chroma_command() -> list[str]:
    """The ``chroma`` CLI installed with chromadb; fails loudly when missing."""
    exe = Path(sys.executable).with_name("chroma")
    found = str(exe) if exe.exists() else shutil.which("chroma")
    if not found:
        raise RuntimeError("the chroma CLI (from the chromadb package) is not installed")
    return [found]


@contextmanager
def running(
    command: list[str],
    health_url: str,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    cwd: Path = REPO,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` in ``cwd`` until the block ends; yields once ``health_url`` answers."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    try:
        try:
            wait_until_ready(health_url, process)
        except Exception:
            if log:
                sys.stderr.write(log.read_text(errors="replace")[-4000:])
            raise
        yield process
    finally:
        stop_process(process)
        if log:
            out.close()  # type: ignore[union-attr]


@contextmanager
def chroma_server(path: Path) -> Iterator[int]:
    """A real ``chroma run`` server on a free port; yields the port."""
    port = free_port()
    command = [*chroma_command(), "run", "--path", str(path), "--port", str(port)]
    with running(
        command, f"http://127.0.0.1:{port}/api/v2/heartbeat", log=path.parent / "chroma.log"
    ):
        yield port
