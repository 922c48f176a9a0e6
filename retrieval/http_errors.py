"""One JSON shape for every error, the handlers that produce it, and its OpenAPI entries.

Every error answers ``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}``: FastAPI's
own validation shape, so a domain 422 and a schema 422 read alike. Messages are cut short
and validation errors drop the ``input`` they were given, so no error echoes a client's
input back in full.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from retrieval.errors import BackendError, BackendUnavailableError
from retrieval.ingest.loaders import IngestError
from retrieval.labels import LabelError

MAX_MESSAGE_CHARS = 300
MAX_LOC_CHARS = 32

ERROR_TYPES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    502: "backend_failed",
    503: "backend_unavailable",
}


class ErrorItem(BaseModel):
    """One problem with a request."""

    loc: list[str | int] = Field(description="Where the problem is (e.g. body, field).")
    msg: str = Field(description="What is wrong, in words.")
    type: str = Field(description="Machine-readable kind, e.g. not_found, invalid.")
    backend: str | None = Field(None, description="The backend that failed (503 only).")


class ErrorBody(BaseModel):
    """The body of every error answer."""

    detail: list[ErrorItem] = Field(description="The problems found.")


_LONG_QUOTED = re.compile(rf"'[^']{{{MAX_LOC_CHARS},}}'|\"[^\"]{{{MAX_LOC_CHARS},}}\"")


def _short(text: str, limit: int) -> str:
    """Cut to ``limit`` characters, a long quoted value (a client's id, say) left out."""
    text = _LONG_QUOTED.sub("'(long value)'", text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def error_json(
    status: int,
    message: str,
    *,
    loc: Iterable[str | int] = (),
    backend: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """An error answer in the shared shape."""
    item: dict[str, Any] = {
        "loc": list(loc),
        "msg": _short(message, MAX_MESSAGE_CHARS),
        "type": ERROR_TYPES.get(status, "error"),
    }
    if backend is not None:
        item["backend"] = backend
    return JSONResponse(status_code=status, content={"detail": [item]}, headers=headers)


def _loc_part(part: Any) -> str | int:
    """A location step; a long one is a client's own key, not a field name: not echoed."""
    if isinstance(part, int):
        return part
    text = str(part)
    return text if len(text) <= MAX_LOC_CHARS else "(long key)"


def validation_items(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic errors without their input and context, locations cut short."""
    return [
        {
            "loc": [_loc_part(p) for p in error.get("loc", ())],
            "msg": _short(str(error.get("msg", "invalid")), MAX_MESSAGE_CHARS),
            "type": str(error.get("type", "invalid")),
        }
        for error in list(errors)[:20]
    ]


def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(status_code=422, content={"detail": validation_items(exc.errors())})


def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail
    if isinstance(detail, list):
        return JSONResponse(
            status_code=exc.status_code,
            content={"detail": validation_items(detail)},
            headers=exc.headers,
        )
    return error_json(exc.status_code, str(detail), headers=exc.headers)


def unhealthy(report: BaseModel, retry_after_s: int = 5) -> JSONResponse:
    """A health report with a backend down: 503 with ``Retry-After``, as probes expect."""
    return JSONResponse(
        status_code=503,
        content=report.model_dump(),
        headers={"Retry-After": str(retry_after_s)},
    )


def status_error(_: Request, exc: Exception) -> JSONResponse:
    """An error that carries its own ``status_code`` (ingest, labels, domain, backends)."""
    status = int(getattr(exc, "status_code", 400))
    if isinstance(exc, BackendUnavailableError):
        return error_json(
            503,
            str(exc),
            backend=exc.backend,
            headers={"Retry-After": str(exc.retry_after_s)},
        )
    return error_json(status, str(exc))


def install_error_handlers(app: FastAPI, *kinds: type[Exception]) -> None:
    """Answer every error of ``app`` in the shared shape (plus ``kinds`` with a status)."""
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for kind in (IngestError, LabelError, BackendError, *kinds):
        app.add_exception_handler(kind, status_error)


_DESCRIPTIONS = {
    400: "The request cannot be used.",
    401: "A key is needed: send 'Authorization: Bearer <key>'.",
    403: "Not allowed (a cross-site request, or a protected resource).",
    404: "No such resource.",
    409: "The resource exists already.",
    413: "The body or file is over its size limit.",
    415: "Unsupported content type.",
    422: "The request is not valid.",
    429: "Too many requests: retry after the Retry-After header's seconds.",
    502: "A backend failed.",
    503: "A backend is unavailable: retry after the Retry-After header's seconds.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for ``statuses``, each with the shared error model."""
    return {
        status: {"model": ErrorBody, "description": _DESCRIPTIONS[status]} for status in statuses
    }


# Every route can meet these: the request guard, the key check, validation and backends.
COMMON_ERRORS = error_responses(400, 401, 403, 404, 409, 413, 415, 422, 429, 502, 503)
WRITE_ERRORS = error_responses(409)
