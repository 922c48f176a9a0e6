"""The request guard: rate limit, body size, strict content types and sane JSON, before routing.

A pure ASGI middleware, so a 200 MB body is refused after the first chunk over the limit
instead of being parsed in full. JSON bodies are checked once here: ``NaN``/``Infinity``
and lone surrogates (``"\\ud800"``) are refused with a clear 422, because they parse in
Python but break everything downstream (SQLite, UTF-8 output, the models).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from retrieval.http_errors import error_json
from retrieval.settings import SecuritySettings

JSON_TYPES = frozenset({"application/json"})
MULTIPART = "multipart/form-data"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
UNLIMITED_PATHS = frozenset({"/livez", "/health"})  # probes are never rate limited
MAX_JSON_DEPTH = 64


class BadJSONError(ValueError):
    """A JSON body that does not parse, or holds NaN, Infinity or a lone surrogate."""


def _no_constants(name: str) -> Any:
    raise BadJSONError(f"{name} is not valid JSON")


def _check_strings(value: Any, depth: int = 0) -> None:
    if depth > MAX_JSON_DEPTH:
        raise BadJSONError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise BadJSONError("a string holds a lone surrogate (e.g. \\ud800)") from exc
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, depth + 1)
            _check_strings(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_strings(item, depth + 1)


def check_json(body: bytes) -> None:
    """Raise :class:`BadJSONError` unless ``body`` is strict JSON with valid Unicode."""
    try:
        parsed = json.loads(body, parse_constant=_no_constants)
    except BadJSONError:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
        raise BadJSONError("the body is not valid JSON") from exc
    _check_strings(parsed)


class RateLimiter:
    """A fixed one-minute window of requests per client address."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._windows: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str, now: float | None = None) -> int:
        """0 when the request may pass, else seconds until the client's window resets."""
        now = time.monotonic() if now is None else now
        window = int(now // 60)
        with self._lock:
            if len(self._windows) > 100_000:  # forget old windows rather than grow
                self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
            start, count = self._windows.get(client, (window, 0))
            if start != window:
                start, count = window, 0
            if count >= self.per_minute:
                return max(1, int(60 - now % 60))
            self._windows[client] = (start, count + 1)
            return 0


class RequestGuard:
    """Refuses oversized, mistyped or malformed requests before any route runs.

    ``upload_paths`` maps paths that take file uploads to their body limit; they also
    accept ``multipart/form-data``. Every other body is JSON, at most ``max_body_bytes``.
    """

    def __init__(
        self, app: ASGIApp, security: SecuritySettings, upload_paths: Mapping[str, int]
    ) -> None:
        self.app = app
        self.max_body = security.max_body_bytes
        self.upload_paths = dict(upload_paths)
        self.limiter = (
            RateLimiter(security.rate_limit_per_minute) if security.rate_limit_per_minute else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if self.limiter is not None and path not in UNLIMITED_PATHS:
            client = scope.get("client")
            wait = self.limiter.retry_after(client[0] if client else "?")
            if wait:
                message = "too many requests from this address; retry later"
                headers = {"Retry-After": str(wait)}
                await error_json(429, message, headers=headers)(scope, receive, send)
                return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        limit = self.upload_paths.get(path, self.max_body)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._too_large(limit, scope, receive, send)
            return
        if scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        allowed = JSON_TYPES | ({MULTIPART} if path in self.upload_paths else set())
        body, over = await _read_body(receive, limit)
        if over:
            await self._too_large(limit, scope, receive, send)
            return
        if body and media not in allowed:
            wanted = " or ".join(sorted(allowed))
            await error_json(415, f"send the body as {wanted}")(scope, receive, send)
            return
        if body and media in JSON_TYPES:
            try:
                check_json(body)
            except BadJSONError as exc:
                await error_json(422, str(exc), loc=["body"])(scope, receive, send)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _too_large(self, limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request body is over the limit of {limit} bytes"
        await error_json(413, message)(scope, receive, send)


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The whole body, or (what was read, True) as soon as it passes ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks), False


def _replay(body: bytes, upstream: Receive) -> Receive:
    """The body once, then the client's own messages (a streaming reply waits on them
    to learn of a disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await upstream()

    return receive
