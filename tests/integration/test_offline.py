"""The embedded default needs no network: ingest and search run in a namespace without one."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.fixtures_retrieval import SEEDS
from tests.support.fixtures_servers import debatebot_command

pytestmark = pytest.mark.integration


def test_ingest_and_search_work_with_the_network_removed(tmp_path: Path) -> None:
    unshare = shutil.which("unshare")
    assert unshare, "util-linux unshare is needed to cut the network for this test"
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"}  # prove we never need them
    }
    env["DEBATEBOT_DATA_DIR"] = str(tmp_path / "data")
    cli = " ".join(debatebot_command())
    script = f'{cli} ingest "{seeds}" && {cli} search "Who signed the Doha agreement?" -k 3'
    done = subprocess.run(
        [unshare, "--net", "sh", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    sources = [p for p in seeds.rglob("*") if p.suffix in {".md", ".txt"}]
    assert f"added {len(sources)}," in done.stdout
    assert "Khalilzad" in done.stdout
