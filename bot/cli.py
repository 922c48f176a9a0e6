"""The ``debatebot`` command line: serve, ingest, search, local-llm."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from retrieval.settings import Settings

app = typer.Typer(help="Debate-practice chatbot with grounded citations.", no_args_is_help=True)
retrieval_app = typer.Typer(help="The retrieval service on its own.", no_args_is_help=True)
app.add_typer(retrieval_app, name="retrieval")

HostOpt = Annotated[str | None, typer.Option(help="Bind address (default from settings).")]
PortOpt = Annotated[int | None, typer.Option(help="Bind port (default from settings).")]


def _settings() -> Settings:
    """Retrieval's settings (ingest, search and the retrieval service need no more)."""
    from retrieval.settings import get_settings

    return get_settings()


def _chat_settings() -> Settings:
    from bot.settings import get_settings

    return get_settings()


def _serve(factory_path: str, settings: Settings, host: str | None, port: int | None) -> None:
    """Check paths and bind the port first, so a mistake fails before anything is indexed."""
    import importlib

    import uvicorn

    from bot.startup import StartupError, bind_socket, resolve_paths
    from retrieval.security import open_bind_problem

    bind = host or settings.api.host
    problem = open_bind_problem(bind, settings.security)
    if problem:
        typer.secho(f"error: {problem}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = resolve_paths(settings)
        sock = bind_socket(bind, port or settings.api.port)
    except StartupError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    module_name, _, attr = factory_path.partition(":")
    factory = getattr(importlib.import_module(module_name), attr)
    config = uvicorn.Config(factory(settings), log_level="info", timeout_graceful_shutdown=10)
    uvicorn.Server(config).run(sockets=[sock])


@app.command()
def serve(host: HostOpt = None, port: PortOpt = None) -> None:
    """Run the chat API (indexes seeds/ on first start; skips unchanged files after)."""
    _serve("bot.app:create_app", _chat_settings(), host, port)


@retrieval_app.command("serve")
def retrieval_serve(host: HostOpt = None, port: PortOpt = None) -> None:
    """Run the retrieval service alone."""
    _serve("retrieval.api:create_app", _settings(), host, port)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to index.")],
) -> None:
    """Index sources idempotently: new added, changed replaced, removed deleted."""
    from retrieval.factory import build_retrieval_service
    from retrieval.ingest.loaders import IngestError

    service = build_retrieval_service(_settings())
    try:
        report = service.ingest_paths(paths, progress=True)
    except IngestError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    typer.echo(
        f"added {len(report.added)}, replaced {len(report.replaced)}, "
        f"unchanged {len(report.unchanged)}, deleted {len(report.deleted)}, "
        f"passages written {report.passages}"
    )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 5,
    mode: Annotated[str, typer.Option(help="hybrid, dense or lexical.")] = "hybrid",
) -> None:
    """Print the ranked passages with document, offsets and score."""
    from retrieval.factory import build_retrieval_service

    service = build_retrieval_service(_settings())
    for rank, hit in enumerate(service.search(query, k, mode=mode), start=1):
        typer.echo(
            f"{rank}. score={hit.score:.4f} doc={hit.doc_id} [{hit.start}:{hit.end}] {hit.title}"
        )
        typer.echo(f"   {hit.text}")


@app.command("local-llm")
def local_llm(
    port: Annotated[int | None, typer.Option(help="Loopback port (default: a free one).")] = None,
    model: Annotated[str, typer.Option(help="The packaged model to serve.")] = "",
    log: Annotated[
        Path | None, typer.Option(help="Append the server's output to this file.")
    ] = None,
) -> None:
    """Serve a small packaged instruct model (OpenAI-compatible, llama.cpp) on 127.0.0.1.

    Prints the settings that point the chat API at it, then serves until interrupted.
    Needs the local-llm extra; nothing is downloaded.
    """
    from bot.engines.llm.local_server import (
        DEFAULT_MODEL,
        LocalLLMUnavailableError,
        start_server,
    )

    sink = log.open("ab") if log else None
    try:
        server = start_server(model or DEFAULT_MODEL, port=port, log=sink)
    except (LocalLLMUnavailableError, ValueError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    # SIGTERM ends the command like Ctrl-C does, so the server process is stopped with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with server:
        typer.echo(f"serving {server.gguf.name} at {server.base_url}")
        typer.echo(f"DEBATEBOT_LLM__MODEL=openai:{server.model}")
        typer.echo(f"DEBATEBOT_LLM__BASE_URL={server.base_url}")
        try:
            server.process.wait()
        except KeyboardInterrupt:
            typer.echo("stopping")


if __name__ == "__main__":
    app()
