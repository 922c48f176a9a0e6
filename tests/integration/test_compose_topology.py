"""docker-compose.yml's topology, run as plain processes (no Docker engine here).

The test reads the compose file itself: each service's command, environment and
healthcheck URL are taken from it, with hosts mapped to 127.0.0.1, ports to free
ports and volumes to temp folders. So the compose file and this test stay in step.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
import yaml

from tests.support.fixtures_retrieval import REPO, SEEDS
from tests.support.fixtures_servers import chroma_command, debatebot_command, free_port, running

pytestmark = pytest.mark.integration

_HEALTH_URL = re.compile(r"http://localhost:(\d+)(/[\w/.-]*)")


def _compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))


def _start_order(services: dict[str, Any]) -> list[str]:
    order: list[str] = []
    while len(order) < len(services):
        ready = [
            name
            for name, spec in services.items()
            if name not in order and all(dep in order for dep in spec.get("depends_on", {}))
        ]
        assert ready, "depends_on has a cycle"
        order.extend(sorted(ready))
    return order


_VARIABLE = re.compile(r"\$\{(\w+)(?::([?-])([^}]*))?\}")
# What the test exports for the compose file's required variables (`${VAR:?}`).
SECRETS = {"DEBATEBOT_API_KEY": "compose-api-key", "DEBATEBOT_SERVICE_KEY": "compose-service-key"}


def _interpolate(value: str) -> str:
    """Compose's variable syntax: required ones from SECRETS, defaults otherwise."""

    def replace(match: re.Match[str]) -> str:
        name, kind, rest = match.groups()
        if kind == "?":
            return SECRETS[name]
        return rest if kind == "-" else ""

    return _VARIABLE.sub(replace, value)


def _localize(value: str, ports: dict[str, tuple[int, int]]) -> str:
    """Rewrite service host names and container ports to loopback and free ports."""
    for name, (inner, outer) in ports.items():
        value = value.replace(f"{name}:{inner}", f"127.0.0.1:{outer}")
        value = re.sub(rf"^{name}$", "127.0.0.1", value)
        value = re.sub(rf"^{inner}$", str(outer), value)
    return value


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Start every compose service in depends_on order; yield service -> base URL."""
    root = tmp_path_factory.mktemp("compose")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    services = _compose()["services"]
    ports: dict[str, tuple[int, int]] = {}
    for name, spec in services.items():
        inner = int(_HEALTH_URL.search(str(spec["healthcheck"]["test"])).group(1))  # type: ignore[union-attr]
        ports[name] = (inner, free_port())
    urls: dict[str, str] = {}
    with ExitStack() as stack:
        for name in _start_order(services):
            spec = services[name]
            inner, outer = ports[name]
            command = [str(part) for part in spec["command"]]
            for flag, value in (("--port", str(outer)), ("--host", "127.0.0.1")):
                if flag in command:
                    command[command.index(flag) + 1] = value
            if "--path" in command:
                command[command.index("--path") + 1] = str(root / f"{name}-store")
            head = {"chroma": chroma_command(), "debatebot": debatebot_command()}[command[0]]
            env = {
                k: _localize(_interpolate(str(v)), ports)
                for k, v in spec.get("environment", {}).items()
            }
            env["DEBATEBOT_DATA_DIR"] = str(root / f"{name}-data")
            env["DEBATEBOT_SEEDS_DIR"] = str(seeds)
            match = _HEALTH_URL.search(str(spec["healthcheck"]["test"]))
            assert match
            health = f"http://127.0.0.1:{outer}{match.group(2)}"
            stack.enter_context(
                running([*head, *command[1:]], health, env=env, log=root / f"{name}.log")
            )
            urls[name] = f"http://127.0.0.1:{outer}"
        yield urls


def test_compose_declares_three_healthchecked_services_with_conditions() -> None:
    services = _compose()["services"]
    assert set(services) == {"chroma", "retrieval", "chat"}
    assert services["retrieval"]["depends_on"]["chroma"]["condition"] == "service_healthy"
    assert services["chat"]["depends_on"]["retrieval"]["condition"] == "service_healthy"
    assert services["chat"]["command"][:2] == ["debatebot", "serve"]


def test_compose_requires_both_keys_from_the_environment() -> None:
    services = _compose()["services"]
    retrieval_env = services["retrieval"]["environment"]
    chat_env = services["chat"]["environment"]
    assert retrieval_env["DEBATEBOT_SECURITY__API_KEY"].startswith("${DEBATEBOT_SERVICE_KEY:?")
    assert chat_env["DEBATEBOT_SECURITY__API_KEY"].startswith("${DEBATEBOT_API_KEY:?")
    assert chat_env["DEBATEBOT_SECURITY__SERVICE_KEY"].startswith("${DEBATEBOT_SERVICE_KEY:?")


def test_writes_need_the_keys_and_the_chat_api_labels_with_its_service_key(
    topology: dict[str, str],
) -> None:
    retrieval, chat = topology["retrieval"], topology["chat"]
    body = {"title": "Compose note", "text": "Negotiators met in Cairo on a Tuesday."}
    assert httpx.post(f"{retrieval}/documents", json=body).status_code == 401
    service_auth = {"Authorization": f"Bearer {SECRETS['DEBATEBOT_SERVICE_KEY']}"}
    created = httpx.post(f"{retrieval}/documents", json=body, headers=service_auth, timeout=60)
    assert created.status_code == 201, created.text
    motion = {
        "id": "compose-m",
        "title": "M",
        "question": "Q?",
        "sides": {"pro": "Y.", "con": "N."},
    }
    assert httpx.post(f"{chat}/motions", json=motion).status_code == 401
    # The chat API labelled the seed passages through the retrieval service at start.
    passages = httpx.get(f"{retrieval}/passages", params={"where": '{"motion": "us-hamas"}'})
    labelled = [p for p in passages.json()["passages"] if "stance" in p["metadata"]]
    assert len(labelled) >= 100


def test_search_through_the_retrieval_service_on_the_chroma_server(
    topology: dict[str, str],
) -> None:
    body = {"query": "Boehler talks with Hamas in Doha", "k": 3}
    results = httpx.post(f"{topology['retrieval']}/search", json=body, timeout=60).json()["results"]
    assert len(results) == 3
    doc = httpx.get(f"{topology['retrieval']}/documents/{results[0]['doc_id']}").json()
    assert doc["text"][results[0]["start"] : results[0]["end"]] == results[0]["text"]
    collections = httpx.get(
        f"{topology['chroma']}/api/v2/tenants/default_tenant/databases/default_database/collections"
    ).json()
    assert "debatebot_passages" in {c["name"] for c in collections}


def test_chat_api_answers_through_the_retrieval_service(topology: dict[str, str]) -> None:
    health = httpx.get(f"{topology['chat']}/health", timeout=30).json()
    assert health["status"] == "ok"
    assert health["documents"] >= 15
    question = {"question": "When was Hamas designated a terrorist organization?"}
    reply = httpx.post(f"{topology['chat']}/ask", json=question, timeout=60).json()
    assert reply["citations"]
    assert reply["grounding"]["rate"] == 1.0
    for citation in reply["citations"]:
        doc = httpx.get(f"{topology['retrieval']}/documents/{citation['doc_id']}").json()
        assert doc["text"][citation["start"] : citation["end"]] == citation["quote"]


def test_a_debate_runs_against_the_remote_retrieval_service(topology: dict[str, str]) -> None:
    chat = topology["chat"]
    created = httpx.post(f"{chat}/debates", json={"motion_id": "us-hamas", "user_side": "con"})
    assert created.status_code in (200, 201), created.text
    debate_id = created.json()["debate_id"]
    message = {"message": "Hamas is a designated terrorist group, so talks are illegal."}
    turn = httpx.post(f"{chat}/debates/{debate_id}/turns", json=message, timeout=60)
    assert turn.status_code in (200, 201), turn.text
    body = turn.json()
    reply = body.get("reply", body)
    assert reply["citations"]
    assert reply["grounding"]["rate"] == 1.0
