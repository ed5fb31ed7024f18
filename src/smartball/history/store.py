"""The history database (``$SMARTBALL_HOME/history.sqlite3``): stdlib ``sqlite3`` in WAL mode.

Several programs may use it at once (two sessions ending together, a listing while a session
ends): writes take the write lock with ``BEGIN IMMEDIATE`` and wait up to
:data:`BUSY_TIMEOUT_S` for it. What can go wrong is sorted into the errors below, each with
one sentence for the user; a database that is not one any more (damaged, or another file) is
moved aside and a new one started, because the recordings it listed are still on disk and
``history import`` lists them again.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from smartball.errors import SmartBallError
from smartball.history.row import SessionRow
from smartball.history.schema import SCHEMA_VERSION, NewerSchema, upgrade

BUSY_TIMEOUT_S = 5.0

_T = TypeVar("_T")

_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED


class HistoryError(SmartBallError):
    """The history database cannot be used; the message says why and what to do."""


class HistoryBusy(HistoryError, TimeoutError):
    """Another program held the database longer than :data:`BUSY_TIMEOUT_S`."""


class HistoryUnwritable(HistoryError, OSError):
    """The database cannot be written (read-only folder, full disk, no permission)."""


def _say(message: str) -> None:
    print(f"smartball: {message}", file=sys.stderr)


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _is_corrupt(exc: sqlite3.Error) -> bool:
    return _code(exc) in _CORRUPT or "not a database" in str(exc) or "malformed" in str(exc)


class HistoryStore:
    """``HistoryStore(path)``: the database at ``path``, opened on first use; ``close()``.

    ``notice`` receives sentences for the user (a damaged database moved aside)."""

    def __init__(
        self,
        path: Path,
        *,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        notice: Callable[[str], None] = _say,
    ) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self.notice = notice
        self._conn: sqlite3.Connection | None = None

    # ------------------------------------------------------------------ opening

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def open(self) -> None:
        """Open now (a session opens the history at its start, so its end only writes)."""
        try:
            self._open()
        except sqlite3.Error as exc:
            raise self._translate(exc) from None

    def _open(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._unwritable(exc.strerror or str(exc)) from None
        for attempt in range(2):
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")  # WAL: safe, no fsync per commit
                if int(conn.execute("PRAGMA user_version").fetchone()[0]) != SCHEMA_VERSION:
                    upgrade(conn)
                conn.execute("SELECT count(*) FROM sessions WHERE id < 0").fetchone()
            except NewerSchema as exc:
                conn.close()
                raise HistoryError(
                    f"the history {self.path} was written by a newer smartball (schema "
                    f"{exc.version}); update smartball"
                ) from None
            except sqlite3.Error as exc:
                conn.close()
                if _is_corrupt(exc) and attempt == 0:
                    self._move_aside()
                    continue
                raise self._translate(exc) from None
            self._conn = conn
            return conn
        raise AssertionError("unreachable")

    def _move_aside(self) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{os.getpid()}")
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                side = Path(str(self.path) + suffix)
                if side.exists():
                    os.replace(side, Path(str(aside) + suffix))
        except OSError as exc:
            raise self._unwritable(exc.strerror or str(exc)) from None
        self.notice(
            f"the history {self.path} was damaged; it is kept as {aside.name} and a new one is "
            f"started (no recording is lost: 'smartball history import "
            f"{self.path.parent / 'sessions'}' lists them again)."
        )

    def _unwritable(self, reason: str) -> HistoryUnwritable:
        return HistoryUnwritable(
            f"cannot write the history in {self.path.parent} ({reason}); free some space or "
            "make it writable (or set SMARTBALL_HOME to another folder)"
        )

    def _translate(self, exc: sqlite3.Error) -> HistoryError:
        if _code(exc) in _BUSY or "locked" in str(exc):
            return HistoryBusy(
                f"the history {self.path} stayed busy (another smartball held it for "
                f"{self.busy_timeout_s:g} s)"
            )
        return self._unwritable(str(exc))

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        """The open connection; sqlite errors become :class:`HistoryError`. A database found
        damaged in use is moved aside (the operation is then retried by the caller)."""
        conn = self._open()
        try:
            yield conn
        except sqlite3.Error as exc:
            if _is_corrupt(exc):
                self.close()
                self._move_aside()
                raise _Retry from None
            raise self._translate(exc) from None

    def _run(self, op: Callable[[sqlite3.Connection], _T]) -> _T:
        for attempt in range(2):
            try:
                with self._guard() as conn:
                    return op(conn)
            except _Retry:
                if attempt:
                    raise self._unwritable("it is damaged again") from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ operations

    def add(self, row: SessionRow) -> int | None:
        """Insert ``row``; its new id, or None if a row with its ``source_key`` is there."""
        names = [n for n in SessionRow.columns() if n != "id"]
        values = [getattr(row, n) for n in names]
        sql = (f"INSERT OR IGNORE INTO sessions ({', '.join(names)}) "
               f"VALUES ({', '.join('?' * len(names))})")

        def op(conn: sqlite3.Connection) -> int | None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                cur = conn.execute(sql, values)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return cur.lastrowid if cur.rowcount == 1 else None

        return self._run(op)

    def has_key(self, key: str) -> int | None:
        """The id of the row with this ``source_key``, if any."""
        def op(conn: sqlite3.Connection) -> int | None:
            found = conn.execute("SELECT id FROM sessions WHERE source_key = ?",
                                 (key,)).fetchone()
            return None if found is None else int(found[0])

        return self._run(op)

    def rows(self, since: float | None = None, user: str | None = None) -> list[SessionRow]:
        """Every row (started at or after ``since``, unix seconds; of ``user`` only, names
        compared without case), oldest first."""
        cols = ", ".join(SessionRow.columns())
        conditions: list[str] = []
        values: list[float | str] = []
        if since is not None:
            conditions.append("started_at >= ?")
            values.append(since)
        if user is not None:
            conditions.append("lower(user) = lower(?)")
            values.append(user)
        where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
        params = tuple(values)

        def op(conn: sqlite3.Connection) -> list[SessionRow]:
            cur = conn.execute(
                f"SELECT {cols} FROM sessions {where} ORDER BY started_at, id", params)
            return [SessionRow.from_db(v) for v in cur.fetchall()]

        return self._run(op)

    def get(self, row_id: int) -> SessionRow | None:
        cols = ", ".join(SessionRow.columns())

        def op(conn: sqlite3.Connection) -> SessionRow | None:
            v = conn.execute(f"SELECT {cols} FROM sessions WHERE id = ?", (row_id,)).fetchone()
            return None if v is None else SessionRow.from_db(v)

        return self._run(op)

    def latest(self) -> SessionRow | None:
        """The session that started last."""
        cols = ", ".join(SessionRow.columns())

        def op(conn: sqlite3.Connection) -> SessionRow | None:
            v = conn.execute(
                f"SELECT {cols} FROM sessions ORDER BY started_at DESC, id DESC LIMIT 1"
            ).fetchone()
            return None if v is None else SessionRow.from_db(v)

        return self._run(op)

    def users(self) -> list[str]:
        """The people with a session listed."""
        def op(conn: sqlite3.Connection) -> list[str]:
            return [str(v[0]) for v in
                    conn.execute("SELECT DISTINCT user FROM sessions ORDER BY user")]

        return self._run(op)

    def remove(self, row_id: int) -> bool:
        def op(conn: sqlite3.Connection) -> bool:
            cur = conn.execute("DELETE FROM sessions WHERE id = ?", (row_id,))
            return cur.rowcount == 1

        return self._run(op)


class _Retry(Exception):
    pass

