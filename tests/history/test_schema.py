"""The schema version and the migration from the first version, on real SQLite files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from smartball.history.identity import source_key
from smartball.history.importer import import_file
from smartball.history.row import SessionRow
from smartball.history.schema import MIGRATIONS, SCHEMA_VERSION, create_v1
from smartball.history.store import HistoryError, HistoryStore
from smartball.recording import write_recording


def _v1_database(path: Path, recording: Path | None) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    create_v1(conn)
    conn.execute(
        "INSERT INTO sessions (started_at, duration_s, command, device, routine, light_s, "
        "moderate_s, holds, holds_reached, too_hard_presses, adherence, recording) "
        "VALUES (1700000000, 120.5, 'live', 'ball on /dev/ttyACM0', 'plantar-fasciitis', "
        "30, 60, 3, 2, 1, 0.8, ?)", (str(recording) if recording else None,))
    conn.execute("INSERT INTO sessions (started_at, duration_s, command) "
                 "VALUES (1700086400, 60, 'record')")
    conn.close()


def test_first_version_is_migrated_keeping_every_row(tmp_path: Path) -> None:
    rec = tmp_path / "old.sbrec"
    write_recording(rec, [(0.0, b"\x00")], start_time_s=1700000000.0)
    db = tmp_path / "history.sqlite3"
    _v1_database(db, rec)
    with HistoryStore(db) as store:
        rows = store.rows()
    assert [r.id for r in rows] == [1, 2]
    old = rows[0]
    assert (old.duration_s, old.routine, old.light_s, old.holds_reached, old.adherence) == (
        120.5, "plantar-fasciitis", 30.0, 2, 0.8)
    assert old.source_key == source_key(rec) and old.source_key.startswith("rec:")
    assert rows[1].source_key is None and rows[1].torn_bytes == 0
    # Sessions from before people had names are the default person's, on the foot.
    assert {(r.user, r.part, r.zones_n) for r in rows} == {("default", "foot", None)}
    assert {(r.ball, r.beyond_s) for r in rows} == {(None, 0.0)}
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with HistoryStore(db) as store:  # the ids go on after the old ones
        assert store.add(SessionRow(1700172800.0, 30.0, "live")) == 3


def test_the_second_version_becomes_the_third_one_step_at_a_time(tmp_path: Path) -> None:
    """One chain: every version migrates by the steps after it (a database the release before
    people wrote, version 2, gets whose session, the part and the zones)."""
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))
    db = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    create_v1(conn)
    MIGRATIONS[1](conn)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO sessions (started_at, duration_s, command, source_key, "
                 "max_force_n) VALUES (1700000000, 90, 'live', 'rec:abc', 150)")
    conn.close()
    with HistoryStore(db) as store:
        (old,) = store.rows()
        assert (old.user, old.part, old.zones_n, old.source_key, old.max_force_n) == (
            "default", "foot", None, "rec:abc", 150.0)
        new = SessionRow(1700086400.0, 60.0, "live", user="Ann", part="back",
                         zones_n="10/40/90/170")
        assert store.add(new) == 2
        assert store.users() == ["Ann", "default"]
        (ann,) = store.rows(user="ann")
        assert (ann.part, ann.zones_n) == ("back", "10/40/90/170")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_the_third_version_learns_each_rows_ball(tmp_path: Path) -> None:
    """A database people's release wrote (version 3): a row calibrated with a kept ball is that
    ball's; one with another calibration file, or the reference ball, has no name; nothing
    was beyond the ball's range."""
    db = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    create_v1(conn)
    MIGRATIONS[1](conn)
    MIGRATIONS[2](conn)
    conn.execute("PRAGMA user_version = 3")
    for calibration in (str(tmp_path / "balls" / "cork.json"), str(tmp_path / "mine.json"),
                        None):
        conn.execute("INSERT INTO sessions (started_at, duration_s, command, calibration) "
                     "VALUES (1700000000, 90, 'live', ?)", (calibration,))
    conn.close()
    with HistoryStore(db) as store:
        rows = store.rows()
        assert [(r.ball, r.beyond_s) for r in rows] == [("cork", 0.0), (None, 0.0), (None, 0.0)]
        new = SessionRow(1700086400.0, 60.0, "live", ball="tennis", beyond_s=12.5)
        row_id = store.add(new)
        assert [(r.ball, r.beyond_s) for r in store.rows() if r.id == row_id] == [
            ("tennis", 12.5)]


def test_a_migrated_row_makes_import_skip_its_recording(tmp_path: Path) -> None:
    from smartball.cli import main

    rec = tmp_path / "old.sbrec"
    assert main(["simulate", "demo", "--seconds", "5", "--out", str(rec)]) == 0
    db = tmp_path / "history.sqlite3"
    _v1_database(db, rec)
    with HistoryStore(db) as store:
        result = import_file(rec, store, tmp_path / "sessions")
    assert result.already == 1 and result.row_id is None


def test_a_newer_database_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(HistoryError, match="newer smartball"), HistoryStore(db) as store:
        store.rows()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()
