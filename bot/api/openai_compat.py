"""OpenAI-compatible routes: ``GET /v1/models`` and ``POST /v1/chat/completions``.

Every error on these routes is an OpenAI error object, so OpenAI clients raise their usual
exceptions; when ``security.api_key`` is set, /v1 always checks it as a bearer token (the
way OpenAI clients send their key), also when ``protect_reads`` is off.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine, Iterator
from itertools import chain
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute

from bot.api.deps import ServicesDep
from bot.api.openai_schemas import (
    ChatCompletion,
    ChatCompletionRequest,
    ModelList,
    OpenAIErrorBody,
    OpenAIErrorResponse,
    completion_body,
    error_chunk,
    stream_body,
)
from bot.domain.errors import DomainError
from bot.services.chat_completions import ChatCompletionService, completion_id
from retrieval.errors import BackendError
from retrieval.http_errors import COMMON_ERRORS

_TYPES = {401: "authentication_error", 403: "permission_error", 404: "invalid_request_error"}


def openai_error(
    status: int, message: str, param: str | None = None, code: str | None = None
) -> JSONResponse:
    """OpenAI's error envelope; 422 becomes 400, which is what OpenAI clients expect."""
    status = 400 if status == 422 else status
    kind = _TYPES.get(status, "invalid_request_error" if status < 500 else "server_error")
    body = OpenAIErrorResponse(
        error=OpenAIErrorBody(message=message, type=kind, param=param, code=code)
    )
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _validation_error(exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0]
    loc = [str(part) for part in first.get("loc", ()) if part != "body"]
    path = "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in loc).lstrip(".")
    param = path if path and not path.startswith("[") else None
    return openai_error(400, f"{param or 'request'}: {first.get('msg')}", param)


class OpenAIErrorRoute(APIRoute):
    """A route whose errors (validation, domain, auth, backend) are OpenAI error objects."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return _validation_error(exc)
            except (DomainError, BackendError) as exc:
                status = int(getattr(exc, "status_code", 400))
                param, code = getattr(exc, "param", None), getattr(exc, "code", None)
                return openai_error(status, str(exc), param, code)
            except HTTPException as exc:
                return openai_error(exc.status_code, str(exc.detail))

        return handle


def get_api_key(request: Request) -> str | None:
    """The configured key (``security.api_key``), or None when the API is open."""
    security = getattr(request.app.state, "security", None)
    key = getattr(security, "api_key", None)
    return key.get_secret_value() if key is not None else None


def require_bearer(request: Request, key: Annotated[str | None, Depends(get_api_key)]) -> None:
    """401 unless ``Authorization: Bearer <key>`` matches, when a key is configured."""
    if not key:
        return
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(token.strip(), key):
        raise HTTPException(401, "invalid or missing API key: send Authorization: Bearer <key>")


def get_completions(services: ServicesDep) -> ChatCompletionService:
    """The completion use case over the native debate and question services."""
    return ChatCompletionService(services.motions.registry, services.debates, services.questions)


CompletionsDep = Annotated[ChatCompletionService, Depends(get_completions)]
# The request guard's refusals (413, 415, 422, 429) keep the app's shape; /v1's own are OpenAI's.
_ERRORS: dict[int | str, dict[str, Any]] = {
    **COMMON_ERRORS,
    **{code: {"model": OpenAIErrorResponse} for code in (400, 401, 404)},
}

router = APIRouter(
    prefix="/v1",
    tags=["openai"],
    route_class=OpenAIErrorRoute,
    dependencies=[Depends(require_bearer)],
    responses=_ERRORS,
)


@router.get("/models", response_model=ModelList)
def list_models(completions: CompletionsDep) -> ModelList:
    """One model per motion and bot side (debate:<motion>:<side>), one ask:<motion> each."""
    return ModelList.of(completions.models())


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def chat_completions(body: ChatCompletionRequest, completions: CompletionsDep) -> Any:
    """The bot's grounded reply to the conversation's last user message (stateless)."""
    messages = [m.message() for m in body.messages]
    cid = completion_id()
    if not body.stream:
        return completion_body(completions.complete(body.model, messages, body.format), body, cid)
    events = completions.stream(body.model, messages, body.format)
    first = next(events)  # raises bad requests here, before any byte is sent
    return StreamingResponse(
        _guarded(stream_body(chain([first], events), body.model, cid)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _guarded(chunks: Iterator[str]) -> Iterator[str]:
    """A failure after the stream started is sent as an error chunk, not a cut connection."""
    try:
        yield from chunks
    except (DomainError, BackendError) as exc:
        yield error_chunk(str(exc))
