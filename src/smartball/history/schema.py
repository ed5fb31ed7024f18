"""The history database's tables, their version (``PRAGMA user_version``) and the steps
from each older version to the current one.

Version 1 was the first release's table. Version 2 adds ``source_key`` (what makes two files
the same session, so ``history import`` skips one already listed), ``max_force_n``,
``lost_samples`` and ``torn_bytes``, and never gives an id twice. Version 3 adds whose
session it was (``user``; older rows are the default person's), the body part (``part``;
older rows the foot) and the zones it was processed with (``zones_n``). Version 4 adds the
ball's name (``ball``; older rows learn it from a calibration kept as ``balls/NAME.json``)
and the time beyond what the ball can measure (``beyond_s``; older rows 0). A database of a newer
version than this program knows is left alone (read-only use still works; writing says to update).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

SCHEMA_VERSION = 4

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


V1_COLUMNS = ("id, started_at, duration_s, command, device, routine, rest_s, light_s, "
              "moderate_s, deep_s, too_hard_s, holds, holds_reached, too_hard_presses, "
              "adherence, calibration, recording")

V2_TABLE = """
CREATE TABLE sessions_v2 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
    recording TEXT,
    source_key TEXT,
    max_force_n REAL,
    lost_samples INTEGER NOT NULL DEFAULT 0,
    torn_bytes INTEGER NOT NULL DEFAULT 0
)
"""


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """New columns, and ids that are never given twice (AUTOINCREMENT: a forgotten session's
    id does not come back as another's), so the table is rebuilt."""
    from smartball.history.identity import source_key

    conn.execute(V2_TABLE)
    conn.execute(f"INSERT INTO sessions_v2 ({V1_COLUMNS}) SELECT {V1_COLUMNS} FROM sessions")
    conn.execute("DROP TABLE sessions")
    conn.execute("ALTER TABLE sessions_v2 RENAME TO sessions")
    conn.execute("CREATE INDEX sessions_started_at ON sessions (started_at)")
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


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """Whose session, which part, which zones: rows from before are the default person's
    foot with the default zones."""
    conn.execute("ALTER TABLE sessions ADD COLUMN user TEXT NOT NULL DEFAULT 'default'")
    conn.execute("ALTER TABLE sessions ADD COLUMN part TEXT NOT NULL DEFAULT 'foot'")
    conn.execute("ALTER TABLE sessions ADD COLUMN zones_n TEXT")
    conn.execute("CREATE INDEX sessions_user ON sessions (user, started_at)")


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """The ball's name and the time beyond its range: a row whose calibration was a kept
    ball (``.../balls/NAME.json``) is that ball's; others stay unnamed, with 0 s beyond."""
    conn.execute("ALTER TABLE sessions ADD COLUMN ball TEXT")
    conn.execute("ALTER TABLE sessions ADD COLUMN beyond_s REAL NOT NULL DEFAULT 0")
    rows = conn.execute("SELECT id, calibration FROM sessions WHERE calibration IS NOT NULL")
    for row_id, calibration in rows.fetchall():
        path = Path(calibration)
        if path.parent.name == "balls" and path.suffix == ".json":
            conn.execute("UPDATE sessions SET ball = ? WHERE id = ?", (path.stem, row_id))


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}
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
