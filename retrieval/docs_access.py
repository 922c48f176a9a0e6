"""The API schema and its docs pages are reads: with ``security.protect_reads`` they need the key.

FastAPI adds ``/openapi.json`` (in the retrieval service also ``/docs`` and ``/redoc``), and
in the chat app ``bot.web.docs`` adds the offline docs pages: plain routes that no router
dependency reaches. They are rebuilt in place with the same
:data:`~retrieval.security.READ_ACCESS` dependency as every other read. A browser cannot send
the key to the docs pages, so with reads protected the schema is for clients such as
``curl -H "Authorization: Bearer $KEY" .../openapi.json``.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Route

from retrieval.security import READ_ACCESS

DOC_PAGES = ("/docs", "/docs/oauth2-redirect", "/redoc")


def protect_docs(app: FastAPI) -> None:
    """Put the schema and the docs pages behind the read check (open unless protect_reads)."""
    paths = {app.openapi_url, *DOC_PAGES} - {None}
    routes = app.router.routes
    for index, route in enumerate(routes):
        if isinstance(route, Route) and route.path in paths:
            routes[index] = _guarded(route)


def _guarded(route: Route) -> APIRoute:
    """The same endpoint at the same path, with the read check as a dependency."""
    return APIRoute(
        route.path,
        route.endpoint,
        methods=sorted(route.methods or {"GET"}),
        dependencies=[READ_ACCESS],
        include_in_schema=False,
        name=route.name,
    )
