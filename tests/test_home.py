from __future__ import annotations

from pathlib import Path

import pytest

from smartball import home


def test_home_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTBALL_HOME", str(tmp_path))
    assert home.smartball_home() == tmp_path
    assert home.default_calibration_path() == tmp_path / "ball.json"
    assert home.sessions_dir() == tmp_path / "sessions"
    assert home.history_db_path() == tmp_path / "history.sqlite3"


def test_home_defaults_to_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMARTBALL_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", "/nonexistent/data")
    assert home.smartball_home() == Path("/nonexistent/data/smartball")


def test_tests_never_see_the_users_home(smartball_home: Path) -> None:
    assert home.smartball_home() == smartball_home
    assert not str(smartball_home).startswith(str(Path.home() / ".local"))
