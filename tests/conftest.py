"""Every test runs with its own ``SMARTBALL_HOME``: no test reads or writes the user's files
(the default ball, kept sessions, the history), and subprocesses inherit the setting."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def smartball_home(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("smartball-home")
    monkeypatch.setenv("SMARTBALL_HOME", str(home))
    return home
