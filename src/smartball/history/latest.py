"""The latest kept session's recording (``smartball replay --last``)."""

from __future__ import annotations

from pathlib import Path

from smartball.errors import InputError, InputFileNotFound

NONE_KEPT = ("no session is kept yet; 'smartball live' keeps every session (or give a "
             "recording FILE)")


def latest_recording() -> tuple[int | None, Path]:
    """The latest kept session's id and recording."""
    from smartball.history.store import HistoryStore
    from smartball.home import history_db_path

    path = history_db_path()
    if not path.exists():
        raise InputError(NONE_KEPT)
    with HistoryStore(path) as store:
        row = store.latest()
    if row is None:
        raise InputError(NONE_KEPT)
    if not row.recording or not Path(row.recording).exists():
        raise InputFileNotFound(
            f"the latest kept session ({row.id}) has no recording any more "
            f"({row.recording or 'none'}); 'smartball history' lists the others")
    return row.id, Path(row.recording)
