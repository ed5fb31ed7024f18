"""Where the user's own files live: the default ball calibration and the kept sessions.

``$SMARTBALL_HOME`` when set (tests and benchmarks always set it to a temporary folder),
otherwise the platform's user data folder (``~/.local/share/smartball`` on Linux). Nothing
here creates a folder: callers that write create what they need, so reading never leaves a
trace.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "SMARTBALL_HOME"


def smartball_home() -> Path:
    """The folder that holds ``ball.json``, ``sessions/`` and ``history.sqlite3``."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("smartball", appauthor=False))


def default_calibration_path() -> Path:
    """The user's default ball, written by ``smartball calibrate`` without ``--out``."""
    return smartball_home() / "ball.json"


def sessions_dir() -> Path:
    """Raw recordings of every kept session."""
    return smartball_home() / "sessions"


def history_db_path() -> Path:
    """The SQLite file that lists the kept sessions."""
    return smartball_home() / "history.sqlite3"
