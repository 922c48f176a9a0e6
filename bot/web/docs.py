"""``/docs`` and ``/redoc`` served offline, with Swagger UI and ReDoc from an installed package.

FastAPI's default pages load their scripts from a CDN. The ``fastapi-offline`` package ships
the same files; they are mounted under ``/docs-assets`` and the pages point there.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS_PATH = "/docs-assets"
ASSETS_PACKAGE = "fastapi_offline"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
# The one remote asset in ReDoc's bundle: its footer logo. It is pointed at a local image.
REDOC_JS = "redoc.standalone.js"
REDOC_REMOTE_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"


def docs_assets_dir() -> Path:
    """The folder of the installed package holding swagger-ui and redoc files."""
    try:
        folder = Path(str(resources.files(ASSETS_PACKAGE) / "static"))
    except ModuleNotFoundError as exc:
        raise RuntimeError(
            "offline /docs needs the 'fastapi-offline' package; install the project again"
        ) from exc
    if not (folder / "swagger-ui-bundle.js").is_file():
        raise RuntimeError(f"{folder} holds no swagger-ui-bundle.js")
    return folder


@cache
def redoc_bundle(folder: Path) -> bytes:
    """ReDoc's bundle with its remote footer logo replaced by the local favicon."""
    data = (folder / REDOC_JS).read_bytes()
    return data.replace(REDOC_REMOTE_LOGO, f"{ASSETS_PATH}/favicon.png".encode())


def docs_policy(html: str) -> str:
    """A CSP for a docs page: own origin only, its inline scripts allowed by hash.

    Swagger UI is started by one inline script, and ReDoc injects its styles at run time.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; font-src 'self'; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


def _with_policy(page: HTMLResponse) -> HTMLResponse:
    html = bytes(page.body).decode("utf-8")
    page.headers["content-security-policy"] = docs_policy(html)
    return page


def _drop_default_docs(app: FastAPI) -> None:
    """Remove FastAPI's CDN-backed doc routes, if the app was built with them."""
    cdn_paths = {app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url} - {None}
    app.router.routes[:] = [
        r for r in app.router.routes if getattr(r, "path", None) not in cdn_paths
    ]
    app.docs_url = None
    app.redoc_url = None


def install_docs(app: FastAPI, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    """Serve Swagger UI at ``docs_url`` and ReDoc at ``redoc_url`` from local files."""
    _drop_default_docs(app)
    folder = docs_assets_dir()

    async def redoc_js() -> Response:
        return Response(redoc_bundle(folder), media_type="text/javascript")

    # Before the mount, which would otherwise serve the unpatched file.
    app.add_api_route(
        f"{ASSETS_PATH}/{REDOC_JS}", redoc_js, methods=["GET"], include_in_schema=False
    )
    app.mount(ASSETS_PATH, StaticFiles(directory=folder), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect_url = f"{docs_url}/oauth2-redirect"
    favicon = f"{ASSETS_PATH}/favicon.png"

    async def swagger_ui() -> HTMLResponse:
        return _with_policy(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=f"{app.title} - Swagger UI",
                swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
                swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
                swagger_favicon_url=favicon,
                oauth2_redirect_url=oauth2_redirect_url,
                swagger_ui_parameters={"validatorUrl": None},
            )
        )

    async def swagger_ui_redirect() -> HTMLResponse:
        return _with_policy(get_swagger_ui_oauth2_redirect_html())

    async def redoc() -> HTMLResponse:
        return _with_policy(
            get_redoc_html(
                openapi_url=openapi_url,
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{ASSETS_PATH}/{REDOC_JS}",
                redoc_favicon_url=favicon,
                with_google_fonts=False,
            )
        )

    app.add_api_route(docs_url, swagger_ui, methods=["GET"], include_in_schema=False)
    app.add_api_route(
        oauth2_redirect_url, swagger_ui_redirect, methods=["GET"], include_in_schema=False
    )
    app.add_api_route(redoc_url, redoc, methods=["GET"], include_in_schema=False)
