"""The HTTP client to a ``chroma run`` server, with a timeout on every call, connect included.

chromadb's HTTP client has no timeout at all: its session is built with ``timeout=None``,
and its constructor already calls the server (who am I, does the tenant and the database
exist). A frozen server would hang startup for good, and a frozen one later every request.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import httpx

from retrieval.errors import BackendUnavailableError
from retrieval.settings import ChromaSettings


def _unavailable(where: str, why: str) -> BackendUnavailableError:
    return BackendUnavailableError(
        f"the chroma server at {where} is unavailable ({why})", backend="chroma"
    )


class Guarded:
    """Wraps a Chroma client or collection: a transport failure (refused, timed out)
    becomes :class:`BackendUnavailableError` naming Chroma, so it answers 503."""

    def __init__(self, target: Any, where: str) -> None:
        self._target = target
        self._where = where

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not callable(value):
            return value
        return self._guard(value)

    def _guard(self, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                result = method(*args, **kwargs)
            except httpx.TransportError as exc:
                raise _unavailable(self._where, type(exc).__name__) from exc
            # Collections handed out by the client are guarded too.
            if type(result).__name__ == "Collection":
                return Guarded(result, self._where)
            return result

        return call


def _construct_within(settings: ChromaSettings, config: Any, where: str) -> Any:
    """``chromadb.HttpClient(...)``, given up after ``settings.timeout_s``.

    The constructor runs in a daemon thread, since its calls cannot be given a timeout; a
    thread given up on ends when the server answers or drops the connection, and never
    holds up the process's exit.
    """
    import chromadb

    box: dict[str, Any] = {}

    def construct() -> None:
        try:
            box["client"] = chromadb.HttpClient(
                host=settings.host or "", port=settings.port, settings=config
            )
        except Exception as exc:  # handed to the caller's thread below
            box["error"] = exc

    thread = threading.Thread(target=construct, name="chroma-connect", daemon=True)
    thread.start()
    thread.join(settings.timeout_s)
    if thread.is_alive():
        raise _unavailable(where, f"no answer within {settings.timeout_s:g} s")
    error = box.get("error")
    # chromadb turns a refused connection into a ValueError ("Could not connect ...").
    if isinstance(error, httpx.TransportError | ValueError):
        raise _unavailable(where, type(error).__name__) from error
    if error is not None:
        raise error
    return box["client"]


def connect_http(settings: ChromaSettings, config: Any) -> Guarded:
    """A guarded client to the Chroma server at ``settings.host``, every call timed out.

    Connecting takes at most ``settings.timeout_s``: an absent or frozen server raises
    :class:`BackendUnavailableError` naming Chroma instead of hanging.
    """
    where = f"{settings.host}:{settings.port}"
    client = _construct_within(settings, config, where)
    session = getattr(getattr(client, "_server", None), "_session", None)
    if not isinstance(session, httpx.Client):
        raise TypeError("chromadb's HTTP client changed: cannot set a timeout on it")
    session.timeout = httpx.Timeout(settings.timeout_s)
    return Guarded(client, where)
