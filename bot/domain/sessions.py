"""Debate sessions: a repository interface and its SQLite implementation.

Each turn is written in one transaction together with the debate's running state
(evidence already cited, key points already made), so a restart loses nothing.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot.domain.motions import DebateFormat, Side
from bot.domain.replies import Reply

_SCHEMA = """
CREATE TABLE IF NOT EXISTS debates (
    debate_id TEXT PRIMARY KEY,
    motion_id TEXT NOT NULL,
    user_side TEXT NOT NULL,
    bot_side TEXT NOT NULL,
    format_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_json TEXT NOT NULL DEFAULT '[]',
    advanced_json TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS turns (
    debate_id TEXT NOT NULL REFERENCES debates(debate_id),
    idx INTEGER NOT NULL,
    round TEXT NOT NULL,
    message TEXT NOT NULL,
    reply_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (debate_id, idx)
);
"""


@dataclass(frozen=True)
class Turn:
    """One exchange: the user's message and the bot's checked reply."""

    index: int
    round: str
    message: str
    reply: Reply
    created_at: str


@dataclass(frozen=True)
class Debate:
    """A debate with its running state and turns."""

    debate_id: str
    motion_id: str
    user_side: Side
    bot_side: Side
    format: DebateFormat
    created_at: str
    used_evidence: tuple[str, ...] = ()
    advanced_points: tuple[str, ...] = ()
    turns: tuple[Turn, ...] = field(default=())


class SessionRepository(Protocol):
    """Where debates are kept."""

    def create(self, debate: Debate) -> None:
        """Store a new debate (no turns yet)."""
        ...

    def get(self, debate_id: str) -> Debate | None:
        """A debate with all its turns, or None."""
        ...

    def append_turn(
        self, debate_id: str, turn: Turn, used_evidence: tuple[str, ...], advanced: tuple[str, ...]
    ) -> None:
        """Add a turn and update the debate's state, atomically."""
        ...

    def close(self) -> None:
        """Release the storage."""
        ...


class SQLiteSessionRepository:
    """Sessions in one SQLite file; one connection shared under a lock (thread-safe)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)

    def create(self, debate: Debate) -> None:
        """Store a new debate (no turns yet)."""
        with self._lock:
            self._db.execute(
                "INSERT INTO debates VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    debate.debate_id,
                    debate.motion_id,
                    debate.user_side,
                    debate.bot_side,
                    debate.format.model_dump_json(),
                    debate.created_at,
                    json.dumps(list(debate.used_evidence)),
                    json.dumps(list(debate.advanced_points)),
                ),
            )

    def get(self, debate_id: str) -> Debate | None:
        """A debate with all its turns, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT debate_id, motion_id, user_side, bot_side, format_json, created_at, "
                "used_json, advanced_json FROM debates WHERE debate_id = ?",
                (debate_id,),
            ).fetchone()
            if row is None:
                return None
            turns = self._db.execute(
                "SELECT idx, round, message, reply_json, created_at FROM turns "
                "WHERE debate_id = ? ORDER BY idx",
                (debate_id,),
            ).fetchall()
        return Debate(
            debate_id=row[0],
            motion_id=row[1],
            user_side=row[2],
            bot_side=row[3],
            format=DebateFormat.model_validate_json(row[4]),
            created_at=row[5],
            used_evidence=tuple(json.loads(row[6])),
            advanced_points=tuple(json.loads(row[7])),
            turns=tuple(
                Turn(t[0], t[1], t[2], Reply.model_validate_json(t[3]), t[4]) for t in turns
            ),
        )

    def append_turn(
        self, debate_id: str, turn: Turn, used_evidence: tuple[str, ...], advanced: tuple[str, ...]
    ) -> None:
        """Add a turn and update the debate's state in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        debate_id,
                        turn.index,
                        turn.round,
                        turn.message,
                        turn.reply.model_dump_json(),
                        turn.created_at,
                    ),
                )
                self._db.execute(
                    "UPDATE debates SET used_json = ?, advanced_json = ? WHERE debate_id = ?",
                    (json.dumps(list(used_evidence)), json.dumps(list(advanced)), debate_id),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()
