"""Write protection: the router-level key checks, CORS, and the refusal to serve open.

Routers that change state are included with ``dependencies=[WRITE_ACCESS]``, the others
with ``[READ_ACCESS]``; no handler checks a key itself. The app keeps its
:class:`SecuritySettings` on ``app.state.security`` from the factory on, so the checks
work before (and without) the lifespan.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware

from retrieval.settings import SecuritySettings

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def _security(request: Request) -> SecuritySettings:
    security: SecuritySettings = request.app.state.security
    return security


def _check_bearer(request: Request, security: SecuritySettings) -> None:
    if security.api_key is None:
        return
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = security.api_key.get_secret_value().encode("utf-8")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode("utf-8"), expected
    ):
        raise HTTPException(401, "a valid API key is needed", headers=_CHALLENGE)


def _check_origin(request: Request, security: SecuritySettings) -> None:
    """Refuse a browser's cross-site write (a form post from another page) unless allowed."""
    origin = request.headers.get("origin")
    if not origin or origin in security.cors_origins:
        return
    if urlsplit(origin).netloc != request.headers.get("host", ""):
        raise HTTPException(403, "cross-site writes are not allowed from this origin")


def require_write_access(request: Request) -> None:
    """For routes that change state: same-site or allowed origin, and the key when set."""
    security = _security(request)
    _check_origin(request, security)
    _check_bearer(request, security)


def require_read_access(request: Request) -> None:
    """For reading, sparring and asking: the key only when ``protect_reads`` is on."""
    security = _security(request)
    if security.protect_reads:
        _check_bearer(request, security)


WRITE_ACCESS = Depends(require_write_access)
READ_ACCESS = Depends(require_read_access)


def install_security(app: FastAPI, security: SecuritySettings) -> None:
    """Keep the settings for the key checks; open CORS only to the configured origins."""
    app.state.security = security
    if security.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=security.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["authorization", "content-type"],
        )


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def open_bind_problem(host: str, security: SecuritySettings) -> str | None:
    """Why serving on ``host`` is refused, or None when it is allowed."""
    if is_loopback(host) or security.api_key is not None or security.allow_open_bind:
        return None
    return (
        f"refusing to serve on {host} without an API key: anyone who can reach it could "
        "change the index. Set DEBATEBOT_SECURITY__API_KEY to a long random secret "
        "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`), "
        "or set DEBATEBOT_SECURITY__ALLOW_OPEN_BIND=true on a trusted network."
    )
