"""``debatebot serve`` checks: prompts and seeds found from any directory, a busy port refused."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot import settings as bot_settings
from bot.cli import app
from bot.settings import ChatSettings
from bot.startup import REPO_ROOT, StartupError, bind_socket, resolve_paths


def test_relative_defaults_are_found_in_the_checkout_from_another_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    resolved = resolve_paths(ChatSettings())
    assert resolved.prompts_dir == REPO_ROOT / "prompts"
    assert resolved.seeds_dir == REPO_ROOT / "seeds"
    assert (resolved.prompts_dir / "extractive").is_dir()


def test_paths_that_exist_where_the_user_runs_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "prompts").mkdir()
    (tmp_path / "seeds").mkdir()
    monkeypatch.chdir(tmp_path)
    resolved = resolve_paths(ChatSettings())
    assert (resolved.prompts_dir, resolved.seeds_dir) == (Path("prompts"), Path("seeds"))


def test_missing_prompts_name_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StartupError, match="DEBATEBOT_PROMPTS_DIR"):
        resolve_paths(ChatSettings(prompts_dir=Path("no-such-prompts")), base=tmp_path)


def test_missing_seeds_only_mean_no_motion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "prompts").mkdir()
    resolved = resolve_paths(ChatSettings(seeds_dir=Path("nowhere")), base=tmp_path)
    assert resolved.seeds_dir == Path("nowhere")


def test_a_busy_port_is_refused_with_the_way_out() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(StartupError, match="DEBATEBOT_API__PORT"):
            bind_socket("127.0.0.1", port)


def test_serve_on_a_busy_port_exits_before_building_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DEBATEBOT_DATA_DIR", str(data_dir))
    bot_settings.get_settings.cache_clear()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    bot_settings.get_settings.cache_clear()
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not data_dir.exists()
