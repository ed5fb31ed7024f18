"""``smartball history`` on bad input and on an empty home: one sentence, no traceback, and
nothing created by merely looking."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartball.cli import main
from smartball.history.row import SessionRow
from smartball.history.store import HistoryStore


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        rc = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        rc = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return rc, out, err


def test_an_empty_home_lists_nothing_and_creates_nothing(
        smartball_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "history")
    assert rc == 0 and "No sessions kept yet" in out
    assert run(capsys, "history", "--json")[1] == "[]\n"
    rc, _, err = run(capsys, "history", "forget", "3")
    assert rc == 1 and "no session 3" in err
    assert list(smartball_home.iterdir()) == []


def test_bad_ids_days_and_files(smartball_home: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    with HistoryStore(smartball_home / "history.sqlite3") as store:
        store.add(SessionRow(1.0, 60.0, "live"))
    rc, _, err = run(capsys, "history", "show", "first")
    assert rc == 2 and "is not a session id" in err
    rc, _, err = run(capsys, "history", "show", "9" * 30)
    assert rc == 2 and "is not a session id" in err
    rc, _, err = run(capsys, "history", "--days", "-2")
    assert rc == 2 and "from 1 to 36500" in err
    rc, _, err = run(capsys, "history", "forget", "7")
    assert rc == 1 and err.count("\n") == 1 and "'smartball history' lists them" in err
    rc, out, _ = run(capsys, "history", "--days", "3")
    assert rc == 0 and "No sessions in the last 3 days" in out  # the one row is from 1970
    empty = smartball_home / "empty"
    empty.mkdir()
    rc, _, err = run(capsys, "history", "import", str(empty))
    assert rc == 1 and "no session files there" in err
    rc, _, err = run(capsys, "replay", "--last", "x.sbrec", "--no-plot")
    assert rc == 1 and "either a recording FILE or --last" in err


def test_forget_keeps_a_recording_outside_the_sessions_folder(
        smartball_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine.sbrec"
    mine.write_bytes(b"x")
    with HistoryStore(smartball_home / "history.sqlite3") as store:
        row_id = store.add(SessionRow(1.0, 60.0, "live", recording=str(mine)))
    rc, out, _ = run(capsys, "history", "forget", str(row_id))
    assert rc == 0 and "outside the sessions folder and is kept" in out and mine.exists()
    rc, _, err = run(capsys, "replay", "--last", "--no-plot")
    assert rc == 1 and "no session is kept" in err


def test_a_history_emptied_by_forget_says_nothing_is_kept(
        smartball_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with HistoryStore(smartball_home / "history.sqlite3") as store:
        row_id = store.add(SessionRow(1.0, 60.0, "live"))
    assert run(capsys, "history", "forget", str(row_id))[0] == 0
    rc, out, _ = run(capsys, "history")
    assert rc == 0 and "No sessions kept yet" in out and "None" not in out
