"""Server-Sent Events: the HTTP shape of a service's stream of domain events.

Events: ``sentence`` (one verified sentence and its citations), ``done`` (the whole result,
the same JSON as the non-streamed answer) and ``error`` (a clear message; the stream ends).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.services.events import DoneEvent, SentenceEvent, StreamEvent
from retrieval.errors import BackendError

log = logging.getLogger(__name__)
EVENT_STREAM = "text/event-stream"

StreamQuery = Annotated[
    bool,
    Query(description="Stream Server-Sent Events (also chosen by Accept: text/event-stream)."),
]
# OpenAPI: the streamed alternative of a route's JSON answer.
STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            EVENT_STREAM: {
                # One Server-Sent Event: its name and its JSON payload as text.
                "schema": {
                    "type": "object",
                    "properties": {
                        "event": {"type": "string", "enum": ["sentence", "done", "error"]},
                        "data": {"type": "string", "description": "The event's JSON payload."},
                    },
                    "required": ["event", "data"],
                }
            }
        },
        "description": "JSON, or with ?stream=true / Accept: text/event-stream, "
        "Server-Sent Events: sentence*, then done (or error).",
    }
}


def wants_stream(request: Request, stream: bool) -> bool:
    """Whether the client asked for Server-Sent Events."""
    return stream or EVENT_STREAM in request.headers.get("accept", "")


def _frame(event: str, data: str) -> str:
    return f"event: {event}\ndata: {data}\n\n"


def sse_frames(events: Iterator[StreamEvent], done: Callable[[Any], BaseModel]) -> Iterator[str]:
    """The SSE text of ``events``; ``done`` shapes the final result like the JSON route."""
    try:
        for event in events:
            if isinstance(event, SentenceEvent):
                data = {
                    "sentence": event.sentence.model_dump(mode="json"),
                    "citations": [c.model_dump(mode="json") for c in event.citations],
                }
                yield _frame("sentence", json.dumps(data))
            elif isinstance(event, DoneEvent):
                yield _frame("done", done(event.result).model_dump_json())
    except (DomainError, BackendError) as exc:
        yield _frame("error", json.dumps({"error": str(exc)}))
    except Exception:
        log.exception("a streamed reply failed")
        yield _frame("error", json.dumps({"error": "the reply could not be written; try again"}))


def sse_response(
    events: Iterator[StreamEvent], done: Callable[[Any], BaseModel]
) -> StreamingResponse:
    """A streaming response of ``events`` as Server-Sent Events."""
    return StreamingResponse(
        sse_frames(events, done),
        media_type=EVENT_STREAM,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
