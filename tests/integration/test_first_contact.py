"""``debatebot serve`` as a new user runs it: from another directory, and on a busy port."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.support.fixtures_servers import debatebot_command, free_port, running

pytestmark = pytest.mark.integration


def test_serve_from_outside_the_repository_finds_prompts_and_seeds(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"DEBATEBOT_API__PORT": str(port), "DEBATEBOT_DATA_DIR": ".debatebot"}
    with running(
        [*debatebot_command(), "serve"],
        f"{base}/motions",
        env=env,
        log=tmp_path / "server.log",
        cwd=elsewhere,
    ):
        motions = httpx.get(f"{base}/motions", timeout=30).json()["motions"]
        assert [m["id"] for m in motions] == ["us-hamas"]
        debate = httpx.post(
            f"{base}/debates", json={"motion_id": "us-hamas", "user_side": "pro"}, timeout=30
        )
        assert debate.status_code == 201, debate.text
        page = httpx.get(f"{base}/", timeout=30)
        assert page.status_code == 200
        assert 'data-testid="motion"' in page.text
    assert (elsewhere / ".debatebot").is_dir()  # the data dir is relative to where you run


def test_a_busy_port_fails_at_once_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [*debatebot_command(), "serve", "--port", str(port)],
            cwd=tmp_path,
            env={**os.environ, "DEBATEBOT_DATA_DIR": str(data_dir)},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert f"error: cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "DEBATEBOT_API__PORT" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not data_dir.exists()  # nothing was indexed


def test_missing_prompts_are_named_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [*debatebot_command(), "serve", "--port", str(free_port())],
        cwd=tmp_path,
        env={**os.environ, "DEBATEBOT_PROMPTS_DIR": "no-such-prompts"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "prompt templates not found" in done.stderr
    assert "DEBATEBOT_PROMPTS_DIR" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
