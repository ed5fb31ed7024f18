"""``history import``: list recordings made elsewhere, before the history existed, or by a
session that was killed (its recording is torn at the end) or could not reach the database.

Each file goes through exactly the path ``analyze`` uses, is copied into
``$SMARTBALL_HOME/sessions/`` (unless it is there already: the history keeps what it lists,
whatever becomes of the original) and gets a row. A file already listed is skipped: see
:mod:`smartball.history.identity`.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartball.errors import SmartBallError
from smartball.history.identity import source_key
from smartball.history.keeper import new_recording_path
from smartball.history.row import SessionRow, context_columns
from smartball.history.store import HistoryStore

if TYPE_CHECKING:
    from smartball.io.file_context import Override

SUFFIXES = (".sbrec", ".csv", ".bin", ".raw")
"""Files taken from a folder given to ``history import`` (a named file is always tried)."""


@dataclass(frozen=True, slots=True)
class Imported:
    path: Path
    row_id: int | None = None
    """The new session's id; None if skipped or failed."""
    already: int | None = None
    """The id of the session that already lists this file."""
    torn_bytes: int = 0
    error: str | None = None
    longer: bool = False
    """Skipped, but the session listed is a cut-off copy and this file holds more of it."""


def expand(paths: Iterable[str]) -> Iterator[Path]:
    """Files named, and the session files in folders named, in a stable order."""
    for name in paths:
        p = Path(name)
        if p.is_dir():
            yield from sorted(f for f in p.iterdir() if f.is_file() and f.suffix in SUFFIXES)
        else:
            yield p


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _header(path: Path) -> dict[str, Any] | None:
    from smartball.recording import RecordingReader, is_recording

    if not is_recording(path):
        return None
    h = RecordingReader(path).header
    return {"start_time_s": h.start_time_s, "transport": h.transport, "session": h.session}


def import_file(path: Path, store: HistoryStore, sessions: Path,
                overrides: Sequence[Override] = (),
                say: Callable[[str], None] | None = None,
                unrecorded: Sequence[Override] = ()) -> Imported:
    """Analyse, copy and list one file (a failure is returned, not raised), with the
    context it recorded (or today's defaults for a file without one) and ``overrides``
    over it; ``say`` tells the user of an override replacing what was recorded.
    ``unrecorded``: set only for a file that carries no context (whose session a file that
    does not say is, on which part)."""
    from smartball.analysis import analyze_file
    from smartball.io.file_context import file_context, routine_name_of_command_line
    from smartball.io.load import open_file
    from smartball.recording import TornRecordingWarning

    key = source_key(path)
    if key is None:
        reason = "there is no such file" if not path.exists() else "it cannot be read"
        return Imported(path, error=f"{reason}; check the path")
    already = store.has_key(key)
    if already is not None:
        return Imported(path, already=already, longer=_longer_than_listed(path, store, already))
    try:
        header = _header(path)
        session_file = open_file(path)
        if session_file.recorded_context is None:
            overrides = [*unrecorded, *overrides]
        chosen = file_context(session_file, overrides, say)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            done = analyze_file(str(path), context=chosen.context)
    except SmartBallError as exc:
        return Imported(path, error=str(exc))
    context = chosen.context
    routine_name = None if context.routine is None else context.routine.name
    if routine_name is None and header is not None and not chosen.recorded:
        # An older recording's routine that cannot be read from here is named only.
        routine_name = routine_name_of_command_line((header.get("session") or {}).get("argv")
                                                    or [])
    torn = [w for w in caught if issubclass(w.category, TornRecordingWarning)]
    torn_bytes = _torn_bytes(path) if torn else 0
    details: dict[str, Any] = (header or {}).get("session") or {}
    if header is not None:
        started_at = float(header["start_time_s"])
        device: str | None = str(header["transport"]) or None
    else:
        started_at = path.stat().st_mtime - done.totals.duration_s
        device = None
    kept = path
    if not _inside(path, sessions):
        try:
            kept = new_recording_path(sessions, started_at, "import", path.suffix or ".sbrec")
            shutil.copyfile(path, kept)
        except OSError as exc:
            if kept != path:
                kept.unlink(missing_ok=True)
            return Imported(path, error=f"cannot copy it into {sessions} ({exc.strerror}); "
                                        "free some space")
    row = SessionRow.from_totals(
        done.totals, started_at=started_at, command=str(details.get("command") or "import"),
        hold_target_s=float(done.config.hold_target_s), lost_samples=done.lost_samples,
        device=device, routine=routine_name, adherence=done.adherence,
        calibration=chosen.calibration_name if context.calibration is not None else None,
        recording=str(kept.resolve()), source_key=key, torn_bytes=torn_bytes,
        **context_columns(context),
    )
    try:
        row_id = store.add(row)
    except SmartBallError:
        if kept != path:
            kept.unlink(missing_ok=True)
        raise
    if row_id is None:  # listed by someone else meanwhile
        if kept != path:
            kept.unlink(missing_ok=True)
        return Imported(path, already=store.has_key(key))
    return Imported(path, row_id=row_id, torn_bytes=torn_bytes)


def _longer_than_listed(path: Path, store: HistoryStore, row_id: int) -> bool:
    row = store.get(row_id)
    if row is None or not row.torn_bytes or not row.recording:
        return False
    try:
        return path.stat().st_size > Path(row.recording).stat().st_size
    except OSError:
        return True  # the cut-off copy is gone: this file is all there is


def _torn_bytes(path: Path) -> int:
    from smartball.recording import RecordingReader

    reader = RecordingReader(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in reader:
            pass
    return reader.torn_bytes


def describe(result: Imported) -> str:
    """One line for the user about one file."""
    if result.error is not None:
        return f"{result.path}: not imported: {result.error}"
    if result.already is not None and result.longer:
        return (f"{result.path}: skipped: session {result.already} lists a cut-off copy of it; "
                f"'smartball history forget {result.already}', then import this file again, "
                "lists the whole session")
    if result.already is not None:
        return f"{result.path}: already listed as session {result.already}; skipped"
    line = f"{result.path}: imported as session {result.row_id}"
    if result.torn_bytes:
        line += (f" (it was cut off: the last {result.torn_bytes} bytes were a partial "
                 "record and were left out; everything before them is in)")
    return line
