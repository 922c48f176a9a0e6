"""Reading Server-Sent Events in tests: (event, data) pairs from a streamed body."""

from __future__ import annotations

import json
from typing import Any


def parse_sse(body: str) -> list[tuple[str, Any]]:
    """Every event of an SSE body, with its JSON data decoded."""
    events = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def check_stream(events: list[tuple[str, Any]]) -> dict[str, Any]:
    """Sentence events, then exactly one done event whose reply has exactly those sentences."""
    names = [name for name, _ in events]
    assert names, "no events"
    assert names[-1] == "done", names
    assert set(names[:-1]) <= {"sentence"}, names
    done = events[-1][1]
    streamed = [data for name, data in events if name == "sentence"]
    assert [s["sentence"] for s in streamed] == done["sentences"]
    by_marker = {c["marker"]: c for c in done["citations"]}
    for item in streamed:
        assert item["citations"] == [by_marker[m] for m in item["sentence"]["citations"]]
        assert item["sentence"]["supported"], "only verified sentences are streamed"
    return done
