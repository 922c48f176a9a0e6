"""The chat API over a real uvicorn server on loopback, including a restart."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support.fixtures_chat import MOTION_ID, Checker, debate_scripts
from tests.support.fixtures_servers import debatebot_command, free_port, running

pytestmark = pytest.mark.integration


@contextmanager
def chat_server(data_dir: Path) -> Iterator[httpx.Client]:
    """``debatebot serve`` on a free port with state in ``data_dir``; polled until ready."""
    port = free_port()
    command = [*debatebot_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    env = {"DEBATEBOT_DATA_DIR": str(data_dir), "DEBATEBOT_CHROMA__MODE": "persistent"}
    base = f"http://127.0.0.1:{port}"
    with (
        running(command, f"{base}/health", env=env, log=data_dir.parent / f"chat-{port}.log"),
        httpx.Client(base_url=base, timeout=60) as client,
    ):
        yield client


def test_debate_over_a_real_server_survives_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "state"
    script = debate_scripts()["pro"]
    motion = {
        "id": "added-at-runtime",
        "title": "Added at runtime",
        "question": "Does a motion added over HTTP survive a restart?",
        "sides": {"pro": "It does.", "con": "It does not."},
    }
    with chat_server(data_dir) as client:
        checker = Checker(client)
        debate = client.post("/debates", json={"motion_id": MOTION_ID, "user_side": "pro"}).json()
        first = client.post(f"/debates/{debate['debate_id']}/turns", json={"message": script[0]})
        assert first.status_code == 200
        checker.grounded(first.json())
        checker.holds_side(first.json(), "pro")
        answer = client.post("/ask", json={"question": "Who is Adam Boehler?"}).json()
        assert answer["grounding"]["claims"] >= 1
        checker.grounded(answer)
        assert client.post("/motions", json=motion).status_code == 201

    with chat_server(data_dir) as client:
        checker = Checker(client)
        transcript = client.get(f"/debates/{debate['debate_id']}").json()
        assert [t["message"] for t in transcript["turns"]] == [script[0]]
        assert transcript["turns"][0]["reply"] == {
            k: v for k, v in first.json().items() if k not in {"debate_id", "turn", "round"}
        }
        second = client.post(f"/debates/{debate['debate_id']}/turns", json={"message": script[1]})
        assert second.json()["turn"] == 1
        checker.grounded(second.json())
        earlier = {(c["doc_id"], c["start"]) for c in first.json()["citations"]}
        assert not earlier & {(c["doc_id"], c["start"]) for c in second.json()["citations"]}
        assert client.get("/motions/added-at-runtime").status_code == 200
