"""Concurrent debate clients against a running chat API, for the load test and its benchmark.

Each client starts a debate and posts its turns one after another; every message is unique,
so no cache answers. The result records each request's status and latency and which turns
were acknowledged (a 200), so a caller can check none was lost.
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import httpx

MESSAGES = [
    "Adam Boehler already met Hamas officials in Doha, so direct talks can be done.",
    "Washington talked to the PLO over Israeli objections, which is a clear precedent.",
    "The hostages are American citizens, and their families asked for direct contact.",
    "Qatar and Egypt carry messages anyway, so talking directly only removes a middleman.",
    "The Taliban deal was signed without the Afghan government in the room.",
    "A ceasefire needs Hamas to agree, so someone has to talk to Hamas.",
]

T = TypeVar("T")


@dataclass
class LoadResult:
    """What a load run did: per-request latencies, statuses and acknowledged turns."""

    clients: int
    turns_per_client: int
    wall_s: float = 0.0
    turn_latencies_ms: list[float] = field(default_factory=list)
    create_latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    acknowledged: dict[str, list[str]] = field(default_factory=dict)

    @property
    def turns_ok(self) -> int:
        """Turns answered with a 200."""
        return sum(len(messages) for messages in self.acknowledged.values())

    def percentile(self, share: float) -> float:
        """A turn-latency percentile in ms (0.5 is the median)."""
        values = sorted(self.turn_latencies_ms)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(share * len(values)))]

    def summary(self) -> dict[str, float]:
        """Throughput and latency figures of the run."""
        return {
            "clients": self.clients,
            "turns": self.turns_ok,
            "errors": len(self.errors),
            "wall_s": round(self.wall_s, 2),
            "turns_per_s": round(self.turns_ok / self.wall_s, 2) if self.wall_s else 0.0,
            "p50_ms": round(self.percentile(0.5), 1),
            "p95_ms": round(self.percentile(0.95), 1),
            "max_ms": round(max(self.turn_latencies_ms, default=0.0), 1),
            "create_p50_ms": round(statistics.median(self.create_latencies_ms or [0.0]), 1),
        }


async def _client(
    http: httpx.AsyncClient, number: int, turns: int, result: LoadResult, stop: asyncio.Event
) -> None:
    started = time.perf_counter()
    side = "pro" if number % 2 else "con"
    created = await http.post("/debates", json={"motion_id": "us-hamas", "user_side": side})
    result.create_latencies_ms.append((time.perf_counter() - started) * 1000)
    if created.status_code != 201:
        result.errors.append(f"client {number}: create {created.status_code}")
        return
    debate_id = created.json()["debate_id"]
    result.acknowledged[debate_id] = []
    for turn in range(turns):
        if stop.is_set():
            return
        message = f"{MESSAGES[(number + turn) % len(MESSAGES)]} (client {number}, turn {turn})"
        started = time.perf_counter()
        try:
            response = await http.post(f"/debates/{debate_id}/turns", json={"message": message})
        except httpx.TransportError as exc:
            result.errors.append(f"client {number} turn {turn}: {type(exc).__name__}")
            return
        result.turn_latencies_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            result.errors.append(f"client {number} turn {turn}: {response.status_code}")
            return
        result.acknowledged[debate_id].append(message)


async def run_load(
    base_url: str,
    clients: int,
    turns: int,
    timeout_s: float = 120.0,
    stop: asyncio.Event | None = None,
) -> LoadResult:
    """``clients`` concurrent debates of ``turns`` turns each; returns what happened."""
    result = LoadResult(clients, turns)
    # Idle connections expire well before uvicorn's 5 s keep-alive timeout: reusing one the
    # server is closing at that moment is a client-side race (a ReadError), not a lost turn.
    limits = httpx.Limits(
        max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=1.0
    )
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout_s, limits=limits) as http:
        await asyncio.gather(
            *(_client(http, n, turns, result, stop or asyncio.Event()) for n in range(clients))
        )
    result.wall_s = time.perf_counter() - started
    return result


def run_in_fresh_loop(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on a new event loop in its own thread.

    ``asyncio.run`` refuses to start while the calling thread already has a running loop (as
    after a browser test drove Playwright's sync API in the same process), so the loop gets a
    thread of its own.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="load-driver")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return cast(T, box["value"])


def lost_turns(base_url: str, acknowledged: dict[str, list[str]]) -> list[str]:
    """Acknowledged turns missing from the stored transcripts (should be none)."""
    lost: list[str] = []
    with httpx.Client(base_url=base_url, timeout=60) as http:
        for debate_id, messages in acknowledged.items():
            response = http.get(f"/debates/{debate_id}")
            if response.status_code != 200:
                lost.extend(f"{debate_id}: {m}" for m in messages)
                continue
            stored = [t["message"] for t in response.json()["turns"]]
            lost.extend(f"{debate_id}: {m}" for m in messages if m not in stored)
    return lost
