"""The SQLite session repository: round trip, restart, concurrent writers."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from bot.domain.motions import FORMATS
from bot.domain.replies import Reply
from bot.domain.sessions import Debate, SQLiteSessionRepository, Turn


def debate(debate_id: str) -> Debate:
    return Debate(debate_id, "m", "pro", "con", FORMATS["short"], "2025-01-01T00:00:00")


def turn(index: int) -> Turn:
    return Turn(index, "rebuttal", f"message {index}", Reply(text=f"reply {index}"), "now")


def test_round_trip_and_restart(tmp_path: Path) -> None:
    path = tmp_path / "sessions.db"
    repo = SQLiteSessionRepository(path)
    repo.create(debate("d1"))
    repo.append_turn("d1", turn(0), ("doc:0:10",), ("kp-a",))
    repo.append_turn("d1", turn(1), ("doc:0:10", "doc:20:30"), ("kp-a", "kp-b"))
    repo.close()
    reopened = SQLiteSessionRepository(path)
    got = reopened.get("d1")
    assert got is not None
    assert got.format == FORMATS["short"]
    assert [t.message for t in got.turns] == ["message 0", "message 1"]
    assert got.turns[1].reply.text == "reply 1"
    assert got.used_evidence == ("doc:0:10", "doc:20:30")
    assert got.advanced_points == ("kp-a", "kp-b")
    assert reopened.get("nope") is None


def test_a_failed_turn_write_changes_nothing(tmp_path: Path) -> None:
    repo = SQLiteSessionRepository(tmp_path / "s.db")
    repo.create(debate("d1"))
    repo.append_turn("d1", turn(0), ("a",), ())
    with pytest.raises(sqlite3.IntegrityError):
        repo.append_turn("d1", turn(0), ("b",), ())  # duplicate turn index
    got = repo.get("d1")
    assert got is not None
    assert len(got.turns) == 1
    assert got.used_evidence == ("a",)


def test_sixteen_threads_write_at_once(tmp_path: Path) -> None:
    repo = SQLiteSessionRepository(tmp_path / "s.db")
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            repo.create(debate(f"d{n}"))
            for i in range(10):
                repo.append_turn(f"d{n}", turn(i), (f"e{i}",), ())
                assert repo.get(f"d{n}") is not None
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(len(repo.get(f"d{n}").turns) == 10 for n in range(16))  # type: ignore[union-attr]
