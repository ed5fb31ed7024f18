"""The history database on real SQLite: rows in and out, a damaged file moved aside, and a
database held by another process waited for, then given up with :class:`HistoryBusy`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartball.history.row import SessionRow
from smartball.history.store import HistoryBusy, HistoryStore


def _row(started_at: float, **kw: object) -> SessionRow:
    return SessionRow(started_at=started_at, duration_s=60.0, command="live", **kw)  # type: ignore[arg-type]


def test_rows_in_and_out(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        a = store.add(_row(200.0, routine="desk", source_key="k1"))
        b = store.add(_row(100.0, adherence=0.5))
        assert store.add(_row(300.0, source_key="k1")) is None  # same source: not twice
        assert [r.id for r in store.rows()] == [b, a]  # oldest first
        assert [r.id for r in store.rows(since=150.0)] == [a]
        latest = store.latest()
        assert latest is not None and latest.id == a and latest.routine == "desk"
        assert store.has_key("k1") == a
        assert store.remove(a) and not store.remove(a)
        assert store.get(a) is None
        last = store.add(_row(400.0))
        assert last is not None and last > b
        store.remove(last)
        again = store.add(_row(500.0))
        assert again is not None and again > last  # a forgotten id is never given again


def test_a_damaged_database_is_moved_aside_and_a_new_one_started(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    db.write_bytes(b"this is not a database, just bytes " * 200)
    said: list[str] = []
    with HistoryStore(db, notice=said.append) as store:
        assert store.add(_row(1.0)) == 1
    assert len(said) == 1 and "damaged" in said[0] and "history import" in said[0]
    aside = list(tmp_path.glob("h.sqlite3.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")


def test_a_database_damaged_inside_is_moved_aside(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    with HistoryStore(db) as store:
        for k in range(300):
            store.add(_row(float(k), device="x" * 200))
    data = bytearray(db.read_bytes())
    data[4096 * 2:4096 * 6] = b"\xff" * (4096 * 4)  # table pages overwritten
    db.write_bytes(bytes(data))
    said: list[str] = []
    with HistoryStore(db, notice=said.append) as store:
        rows = store.rows()
    assert rows == [] and len(said) == 1 and "damaged" in said[0]


HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("CREATE TABLE IF NOT EXISTS held (x)")
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO held VALUES (1)")
print("holding", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def hold_database(db: Path) -> subprocess.Popen[str]:
    """Another process that holds the write lock until its stdin is closed."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


def test_a_database_held_by_another_process_is_waited_for(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    with HistoryStore(db) as store:
        store.add(_row(1.0))
    holder = hold_database(db)
    try:
        with HistoryStore(db, busy_timeout_s=0.5) as store:
            t0 = time.monotonic()
            with pytest.raises(HistoryBusy, match="busy"):
                store.add(_row(2.0))
            assert time.monotonic() - t0 >= 0.45  # it waited before giving up
            assert len(store.rows()) == 1  # reading is not blocked (WAL)
        # Released while we wait: the write goes through.
        with HistoryStore(db, busy_timeout_s=30.0) as store:
            assert holder.stdin is not None
            holder.stdin.close()
            assert store.add(_row(3.0)) == 2
    finally:
        holder.wait(timeout=30)
