"""The OpenAPI schema tells the truth: schemathesis against a running `debatebot serve`.

Every operation gets a bounded number of generated requests, valid and invalid; every
answer must be a declared status with its declared body and content type, and none a 5xx.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.fixtures_retrieval import SEEDS
from tests.support.fixtures_servers import debatebot_command, free_port, running

pytestmark = pytest.mark.integration

EXAMPLES_PER_OPERATION = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 20}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("schemathesis")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    port = free_port()
    env = {"DEBATEBOT_DATA_DIR": str(root / "data"), "DEBATEBOT_SEEDS_DIR": str(seeds)}
    command = [*debatebot_command(), "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with running(command, f"{url}/health", env=env, log=root / "server.log"):
        yield url


def _fuzz(operation: schemathesis.APIOperation, base_url: str, mode: GenerationMode) -> list[str]:
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION[mode],
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=base_url, timeout=60)
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # collect every failure, then report them together
            failures.append(f"{operation.label} [{mode}] -> {response.status_code}: {exc}"[:800])

    try:
        run()
    except Unsatisfiable:  # no invalid request exists (an operation without parameters)
        assert mode is GenerationMode.NEGATIVE
    return failures


def test_no_5xx_and_no_schema_violations(base_url: str) -> None:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    started = time.monotonic()
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in EXAMPLES_PER_OPERATION:
            failures.extend(_fuzz(operation, base_url, mode))
    assert operations >= 12
    assert not failures, "\n\n".join(failures[:15])
    assert time.monotonic() - started < 600  # bounded by the example counts, not a speed goal
