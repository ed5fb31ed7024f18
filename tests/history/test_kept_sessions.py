"""Every ``live`` and ``record`` session is kept, through real processes on real files and a
real SQLite database: listing, showing, importing, forgetting, replaying the last one, and
what happens when the database is busy or damaged or the session is killed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartball.recording import RecordingReader
from tests.clock import wait_until
from tests.history.test_store import hold_database


def smartball(*argv: str, check: bool = True,
              timeout: float = 120) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "smartball", *argv], capture_output=True,
                          text=True, timeout=timeout)
    assert "Traceback" not in done.stderr, done.stderr
    if check:
        assert done.returncode == 0, done.stderr
    return done


def rows(home: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(home / "history.sqlite3")
    try:
        return conn.execute("SELECT id, command, recording, source_key, torn_bytes "
                            "FROM sessions ORDER BY id").fetchall()
    finally:
        conn.close()


def listed(home: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = json.loads(smartball("history", "--json").stdout)
    return out


def test_a_live_session_is_kept_listed_shown_replayed_and_forgotten(
        smartball_home: Path) -> None:
    done = smartball("live", "--sim", "--no-plot", "--seconds", "3")
    assert "kept as session 1" in done.stderr
    [row] = listed(smartball_home)
    rec = Path(str(row["recording"]))
    assert rec.parent == smartball_home / "sessions" and rec.suffix == ".sbrec"
    assert row["command"] == "live" and 2.5 <= float(str(row["duration_s"])) <= 3.6
    assert "simulated ball" in str(row["device"])
    zones = row["time_in_zone_s"]
    assert isinstance(zones, dict) and sum(zones.values()) == pytest.approx(
        row["duration_s"], abs=0.05)
    # The row is the summary analyze gives of the kept recording.
    analysed = json.loads(smartball("analyze", str(rec), "--json").stdout)
    assert zones == pytest.approx(analysed["time_in_zone_s"], abs=0.02)
    assert row["too_hard_presses"] == len(analysed["too_hard"])
    assert row["holds"] == len(analysed["holds"])

    table = smartball("history").stdout
    assert "1 session," in table and "routine" in table
    shown = smartball("history", "show", "1").stdout
    assert "simulated ball" in shown and str(rec) in shown
    replayed = smartball("replay", "--last", "--no-plot", "--speed", "max")
    assert "samples" in replayed.stderr
    assert f"session 1, {rec}" in replayed.stderr  # which session is replayed

    forgot = smartball("history", "forget", "1").stdout
    assert "Forgot session 1" in forgot and "deleted" in forgot
    assert not rec.exists() and listed(smartball_home) == []
    bad = smartball("history", "show", "1", check=False)
    assert bad.returncode == 1 and "no session 1" in bad.stderr


def test_no_history_keeps_nothing_and_replay_devices_are_not_new_sessions(
        smartball_home: Path, tmp_path: Path) -> None:
    smartball("live", "--sim", "--no-plot", "--seconds", "1", "--no-history")
    assert not (smartball_home / "history.sqlite3").exists()
    out = tmp_path / "r.sbrec"
    smartball("record", "--sim", "--out", str(out), "--seconds", "2", "--no-history")
    smartball("live", "--replay", str(out), "--no-plot")
    assert not (smartball_home / "history.sqlite3").exists()
    assert "no session is kept" in smartball("replay", "--last", "--no-plot",
                                             check=False).stderr


def test_record_keeps_its_own_copy_and_import_knows_it(smartball_home: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "mine.sbrec"
    smartball("record", "--sim", "--out", str(out), "--seconds", "2")
    [(row_id, command, kept, _key, _torn)] = rows(smartball_home)
    assert command == "record" and Path(str(kept)).parent == smartball_home / "sessions"
    mine, copy = RecordingReader(out), RecordingReader(Path(str(kept)))
    assert mine.header == copy.header and list(mine) == list(copy)  # the same, twice
    again = smartball("history", "import", str(out))
    assert f"already listed as session {row_id}" in again.stdout
    smartball("history", "forget", str(row_id))
    assert out.exists() and not Path(str(kept)).exists()  # the user's own file stays


def test_import_lists_other_recordings_once_and_reports_bad_files(smartball_home: Path,
                                                                  tmp_path: Path) -> None:
    rec = tmp_path / "elsewhere.sbrec"
    smartball("simulate", "demo", "--seconds", "40", "--out", str(rec))
    bad = tmp_path / "notes.sbrec"
    bad.write_text("hello")
    done = smartball("history", "import", str(rec), str(bad), str(tmp_path / "nothing"),
                     check=False)
    assert done.returncode == 1
    assert "imported as session 1" in done.stdout
    assert "notes.sbrec: not imported" in done.stderr
    assert "nothing: not imported: there is no such file" in done.stderr
    [row] = listed(smartball_home)
    assert int(str(row["holds"])) >= 1
    assert Path(str(row["recording"])).parent == smartball_home / "sessions"
    folder = smartball("history", "import", str(tmp_path), check=False)
    assert "elsewhere.sbrec: already listed as session 1" in folder.stdout
    assert folder.returncode == 1 and "notes.sbrec: not imported" in folder.stderr


def test_two_sessions_ending_together_both_land(smartball_home: Path) -> None:
    argv = [sys.executable, "-m", "smartball", "live", "--sim", "--no-plot", "--seconds", "2"]
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    errs = [p.communicate(timeout=120)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errs
    found = rows(smartball_home)
    assert len(found) == 2, errs
    assert found[0][2] != found[1][2] and all(Path(str(r[2])).exists() for r in found)


def test_a_locked_database_is_waited_for_then_the_session_is_kept_unlisted(
        smartball_home: Path) -> None:
    smartball("live", "--sim", "--no-plot", "--seconds", "1")
    holder = hold_database(smartball_home / "history.sqlite3")
    try:
        t0 = time.monotonic()
        done = smartball("live", "--sim", "--no-plot", "--seconds", "1")
        waited = time.monotonic() - t0
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    notes = [ln for ln in done.stderr.splitlines() if "history" in ln]
    assert len(notes) == 1 and "not listed" in notes[0] and "stayed busy" in notes[0]
    assert waited >= 5.0
    kept = notes[0].split("history import ")[1].split("'")[0]
    assert Path(kept).exists() and len(rows(smartball_home)) == 1
    assert "imported as session 2" in smartball("history", "import", kept).stdout


def test_a_damaged_database_is_moved_aside_and_the_session_still_listed(
        smartball_home: Path) -> None:
    smartball("live", "--sim", "--no-plot", "--seconds", "1")
    db = smartball_home / "history.sqlite3"
    for side in ("history.sqlite3-wal", "history.sqlite3-shm"):
        (smartball_home / side).unlink(missing_ok=True)
    db.write_bytes(os.urandom(8192))
    done = smartball("live", "--sim", "--no-plot", "--seconds", "1")
    assert "damaged" in done.stderr and "kept as session 1" in done.stderr
    assert len(list(smartball_home.glob("history.sqlite3.damaged-*"))) == 1
    recordings = sorted((smartball_home / "sessions").glob("*.sbrec"))
    assert len(recordings) == 2  # no recording lost
    out = smartball("history", "import", str(smartball_home / "sessions")).stdout
    assert "imported as session 2" in out and "already listed as session 1" in out


def test_a_killed_session_leaves_a_recording_that_import_takes(smartball_home: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "smartball", "live", "--sim", "--no-plot"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sessions = smartball_home / "sessions"
    found: list[Path] = []

    def a_few_seconds_on_disk() -> bool:
        found[:] = list(sessions.glob("*.sbrec")) if sessions.exists() else []
        return bool(found) and found[0].stat().st_size > 12_000

    try:
        wait_until(a_few_seconds_on_disk, 60)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert rows(smartball_home) == []  # killed before its end: not listed
    rec = found[0]
    with open(rec, "ab") as f:
        f.write(b"\x40\x00\x00\x00\x02partial")  # the kill landed mid-record
    done = smartball("history", "import", str(rec))
    assert "imported as session 1" in done.stdout and "cut off" in done.stdout
    [(_id, _cmd, kept, _key, torn)] = rows(smartball_home)
    assert Path(str(kept)) == rec.resolve() and int(str(torn)) > 0  # not copied twice


def test_a_routine_session_keeps_its_routine_and_adherence_as_import_finds_them(
        smartball_home: Path, tmp_path: Path) -> None:
    smartball("live", "--sim", "plantar-fasciitis", "--routine", "plantar-fasciitis",
              "--no-plot", "--seconds", "8")
    [live] = listed(smartball_home)
    assert live["routine"] == "plantar-fasciitis"
    assert isinstance(live["adherence"], float) and 0.0 <= live["adherence"] <= 1.0
    copy = tmp_path / "copy.sbrec"
    copy.write_bytes(Path(str(live["recording"])).read_bytes())
    smartball("history", "forget", str(live["id"]))
    assert "imported as session" in smartball("history", "import", str(copy)).stdout
    [imported] = listed(smartball_home)
    assert imported["routine"] == "plantar-fasciitis"
    assert imported["adherence"] == pytest.approx(live["adherence"], abs=0.01)
    assert imported["time_in_zone_s"] == pytest.approx(live["time_in_zone_s"], abs=0.05)


def test_the_users_ball_is_the_calibration_listed_live_and_on_import(
        smartball_home: Path, tmp_path: Path) -> None:
    from smartball.io.calibration_file import save_calibration
    from smartball.processing import Calibration

    ball = smartball_home / "ball.json"
    save_calibration(Calibration.fit([(50.0, 4000.0), (150.0, 11000.0)]), ball)  # ~75 Pa/N
    out = tmp_path / "r.sbrec"
    smartball("record", "--sim", "--out", str(out), "--seconds", "3")
    [kept] = listed(smartball_home)
    assert str(ball) in str(kept["calibration"])
    smartball("history", "forget", str(kept["id"]))
    smartball("history", "import", str(out), "--calibration", "reference")
    [imported] = listed(smartball_home)
    assert imported["calibration"] is None  # the reference ball
    assert "reference ball" in smartball("history", "show", str(imported["id"])).stdout


def test_the_whole_recording_after_a_cut_off_copy_says_how_to_list_it_whole(
        smartball_home: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole.sbrec"
    smartball("simulate", "demo", "--seconds", "20", "--out", str(whole))
    cut = tmp_path / "cut.sbrec"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2 + 7])
    assert "imported as session 1 (it was cut off" in smartball("history", "import",
                                                                str(cut)).stdout
    again = smartball("history", "import", str(whole))
    assert "session 1 lists a cut-off copy of it" in again.stdout
    assert "'smartball history forget 1', then import this file again" in again.stdout
    assert "lists a cut-off copy" not in smartball("history", "import", str(cut)).stdout
    smartball("history", "forget", "1")
    assert "imported as session 2" in smartball("history", "import", str(whole)).stdout
    [row] = listed(smartball_home)
    assert float(str(row["duration_s"])) == pytest.approx(20.0, abs=0.1)
