"""Errors of the retrieval backend, shared by the retrieval service and the chat app.

Each carries the HTTP status the chat app answers with, so a failing backend is never a 500.
"""

from __future__ import annotations


class BackendError(Exception):
    """The retrieval backend failed; answered with ``status_code`` (502 by default)."""

    status_code = 502

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        if status_code is not None:
            self.status_code = status_code


class BackendUnavailableError(BackendError):
    """A backend cannot be reached (connection refused, timeout); ``backend`` names it."""

    status_code = 503
    retry_after_s = 5

    def __init__(self, message: str, backend: str = "retrieval") -> None:
        super().__init__(message)
        self.backend = backend


class BackendRequestError(BackendError):
    """The retrieval backend refused the request (its own 4xx, passed through)."""
