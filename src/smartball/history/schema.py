"""The history database's tables, their version (``PRAGMA user_version``) and the steps
from each older version to the current one.

Version 1 was the first release's table. Version 2 adds ``source_key`` (what makes two files
the same session, so ``history import`` skips one already listed), ``max_force_n``,
``lost_samples`` and ``torn_bytes``. A database of a newer version than this program knows is
left alone (read-only use still works; writing says to update).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

SCHEMA_VERSION = 2

V1_TABLE = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    duration_s REAL NOT NULL,
    command TEXT NOT NULL,
    device TEXT,
    routine TEXT,
    rest_s REAL NOT NULL DEFAULT 0,
    light_s REAL NOT NULL DEFAULT 0,
    moderate_s REAL NOT NULL DEFAULT 0,
    deep_s REAL NOT NULL DEFAULT 0,
    too_hard_s REAL NOT NULL DEFAULT 0,
    holds INTEGER NOT NULL DEFAULT 0,
    holds_reached INTEGER NOT NULL DEFAULT 0,
    too_hard_presses INTEGER NOT NULL DEFAULT 0,
    adherence REAL,
    calibration TEXT,
    recording TEXT
);
CREATE INDEX sessions_started_at ON sessions (started_at);
"""


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    from smartball.history.identity import source_key

    conn.execute("ALTER TABLE sessions ADD COLUMN source_key TEXT")
    conn.execute("ALTER TABLE sessions ADD COLUMN max_force_n REAL")
    conn.execute("ALTER TABLE sessions ADD COLUMN lost_samples INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE sessions ADD COLUMN torn_bytes INTEGER NOT NULL DEFAULT 0")
    # Rows of version 1 learn their key from their recording, where it is still there; two
    # rows of one recording keep the first its key (the unique index allows NULLs).
    seen: set[str] = set()
    rows = conn.execute("SELECT id, recording FROM sessions ORDER BY id").fetchall()
    for row_id, recording in rows:
        key = source_key(Path(recording)) if recording else None
        if key is not None and key not in seen:
            seen.add(key)
            conn.execute("UPDATE sessions SET source_key = ? WHERE id = ?", (key, row_id))
    conn.execute("CREATE UNIQUE INDEX sessions_source_key ON sessions (source_key)")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_to_v2}
"""``MIGRATIONS[n]`` takes a database of version ``n`` to version ``n + 1``."""


class NewerSchema(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(f"history schema version {version}")
        self.version = version


def create_v1(conn: sqlite3.Connection) -> None:
    """The first version's tables (new databases start here, then migrate like old ones)."""
    for statement in V1_TABLE.split(";"):
        if statement.strip():
            conn.execute(statement)  # not executescript: that would commit the transaction
    conn.execute("PRAGMA user_version = 1")


def upgrade(conn: sqlite3.Connection) -> int:
    """Bring the database to :data:`SCHEMA_VERSION` in one transaction; the version before.

    Raises :class:`NewerSchema` for a database written by a newer program."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        before = version
        if version > SCHEMA_VERSION:
            raise NewerSchema(version)
        if version == 0:
            create_v1(conn)
            version = 1
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return before
