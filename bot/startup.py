"""Checks ``debatebot serve`` makes before it builds anything: paths that exist, a free port.

Both fail with a :class:`StartupError` whose message says what is wrong and how to fix it;
the CLI prints it without a traceback.
"""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import TypeVar

from retrieval.settings import Settings

log = logging.getLogger(__name__)

# The checkout the package runs from (an editable install or PYTHONPATH): prompts/ and seeds/
# live there, next to bot/.
REPO_ROOT = Path(__file__).resolve().parents[1]

S = TypeVar("S", bound=Settings)


class StartupError(Exception):
    """The server cannot start; the message names the setting to change."""


def _located(path: Path, base: Path = REPO_ROOT) -> Path | None:
    """``path`` as given when it exists; else, when relative, under ``base``; else None."""
    if path.exists():
        return path
    if not path.is_absolute() and (base / path).exists():
        return base / path
    return None


def resolve_paths(settings: S, base: Path = REPO_ROOT) -> S:
    """Settings whose relative ``prompts_dir`` and ``seeds_dir`` are found from any directory.

    A relative path that does not exist under the working directory is looked up in the
    checkout the package runs from. Missing prompts are an error; missing seeds only mean
    that no motion is indexed on start.
    """
    updates: dict[str, Path] = {}
    prompts = getattr(settings, "prompts_dir", None)
    if prompts is not None:
        found = _located(prompts, base)
        if found is None:
            raise StartupError(
                f"prompt templates not found: {prompts} does not exist here ({Path.cwd()}) "
                f"nor in {base}. Run from the repository root, or set DEBATEBOT_PROMPTS_DIR "
                "to the repository's prompts/ folder."
            )
        updates["prompts_dir"] = found
    seeds = _located(settings.seeds_dir, base)
    if seeds is None:
        log.warning(
            "no seeds folder at %s (nor in %s): no motion is indexed on start; "
            "set DEBATEBOT_SEEDS_DIR to index one",
            settings.seeds_dir,
            base,
        )
    else:
        updates["seeds_dir"] = seeds
    return settings.model_copy(update=updates)


def bind_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` for the server to listen on; fails at once when busy."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise StartupError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}. Another server may be "
            "running there; pick another port with --port or DEBATEBOT_API__PORT."
        ) from exc
    sock.set_inheritable(True)
    return sock
