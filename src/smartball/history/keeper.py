"""Keeping a ``live`` or ``record`` session: the hook the session runner calls.

At the start, :meth:`SessionKeeper.attach` opens the history's own recording under
``$SMARTBALL_HOME/sessions/`` and puts it beside the recorder the user asked for (``--record
FILE``: both files get the same header and the same bytes, so the history never depends on a
file the user may move or overwrite). A listener sums the session up from its own processing
results as they come. At the end, :meth:`SessionKeeper.finish` closes the recording and adds
one row to the database: a few milliseconds, nothing is read back.

Nothing here may end the live session: a home that cannot be written, a disk that fills, a
busy or damaged database each give one sentence on stderr and the session goes on.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartball.errors import SmartBallError
from smartball.history.row import SessionRow, context_columns

if TYPE_CHECKING:
    from smartball.context import SessionContext
    from smartball.history.store import HistoryStore
    from smartball.processing.summary import SummaryListener
    from smartball.recording import RecordingWriter
    from smartball.session import Recorder, Session


def _say(message: str) -> None:
    print(f"smartball: {message}", file=sys.stderr)


def new_recording_path(folder: Path, start_time_s: float, command: str,
                       suffix: str = ".sbrec") -> Path:
    """A new, unused file name in ``folder`` for a session that started at
    ``start_time_s``, created empty (so two sessions starting together get two files)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = time.strftime("%Y-%m-%d_%H-%M-%S", time.localtime(start_time_s)) + f"_{command}"
    for n in range(1, 1000):
        path = folder / (stem + ("" if n == 1 else f"-{n}") + suffix)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise FileExistsError(f"too many sessions named {stem} in {folder}")


class _Tee:
    """The user's recorder (errors go on up, as without history) and the history's own
    (errors become one sentence, and the session goes on)."""

    def __init__(self, user: Recorder | None, kept: RecordingWriter, keeper: SessionKeeper):
        self.user = user
        self.kept: RecordingWriter | None = kept
        self.keeper = keeper

    def on_chunk(self, chunk: Any) -> None:
        if self.user is not None:
            self.user.on_chunk(chunk)
        if self.kept is not None:
            self._guard(self.kept.on_chunk, chunk)

    def on_device_info(self, info: dict[str, Any]) -> None:
        if self.user is not None:
            self.user.on_device_info(info)
        if self.kept is not None:
            self._guard(self.kept.on_device_info, info)

    def tick(self) -> None:
        if self.user is not None:
            self.user.tick()
        if self.kept is not None:
            self._guard(self.kept.tick)

    def _guard(self, method: Any, *args: Any) -> None:
        try:
            method(*args)
        except (SmartBallError, OSError) as exc:
            kept, self.kept = self.kept, None
            assert kept is not None
            kept.close()
            self.keeper.say(
                f"the kept copy of this session stops here ({exc}); the session goes on"
            )
            self.keeper.recording_failed = True


class SessionKeeper:
    """``keeper = SessionKeeper("live")``; ``recorder = keeper.attach(...)``;
    ``session.add_listener(keeper.listener())``; at the end ``keeper.finish(session)``."""

    def __init__(self, command: str, *, home: Path | None = None, quiet: bool = False,
                 context: SessionContext | None = None) -> None:
        from smartball.home import history_db_path, sessions_dir

        self.command = command
        self.context = context
        """What the session is processed with: whose it is, on which part, with which zones
        (None: the default person's foot)."""
        self.sessions_dir = (home / "sessions") if home is not None else sessions_dir()
        self.db_path = (home / "history.sqlite3") if home is not None else history_db_path()
        self.quiet = quiet
        self.recording: Path | None = None
        self.recording_failed = False
        self.start_time_s = 0.0
        self.device = ""
        self.row_id: int | None = None
        self.finish_s = 0.0
        """Wall time :meth:`finish` took (the history's cost at the end of a session)."""
        self._tee: _Tee | None = None
        self._summing: SummaryListener | None = None
        self._store: HistoryStore | None = None

    def say(self, message: str) -> None:
        _say(message)

    def attach(self, user: Recorder | None, *, envelope: Any, transport: str,
               session: dict[str, Any], start_time_s: float,
               context: dict[str, Any] | None = None) -> Recorder | None:
        """The recorder the session should use: the user's and the history's together
        (or only the user's, with one sentence, when the history's cannot be written)."""
        from smartball.recording import RecordingWriter

        self.start_time_s = start_time_s
        self.device = transport
        try:
            self.recording = new_recording_path(self.sessions_dir, start_time_s, self.command)
            kept = RecordingWriter(self.recording, envelope=envelope, transport=transport,
                                   session=session, start_time_s=start_time_s,
                                   overwrite=True,  # the empty file reserved just now
                                   context=context)
        except (SmartBallError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.say(f"this session is not kept in the history (cannot write in "
                     f"{self.sessions_dir}: {reason}); the session goes on (free some space, "
                     f"or set SMARTBALL_HOME to a writable folder; --no-history skips keeping)")
            self._discard()
            self.recording = None
            return user
        self._tee = _Tee(user, kept, self)
        self._open_history()
        return self._tee

    def _open_history(self) -> None:
        """Open the database now, so that the end of the session only writes its row (a
        damaged one is moved aside now; one that cannot be opened is tried again at the
        end)."""
        import smartball.history.identity  # noqa: F401  (imported now, not at the end)
        from smartball.history.store import HistoryError, HistoryStore

        self._store = HistoryStore(self.db_path)
        try:
            self._store.open()
        except HistoryError:
            self._store.close()

    def listener(self) -> SummaryListener:
        """The listener that sums the session up from its processing results, as
        ``analyze`` of its recording would."""
        from smartball.processing.summary import SummaryListener

        self._summing = SummaryListener()
        return self._summing

    def finish(
        self,
        session: Session,
        *,
        routine: str | None = None,
        adherence: float | None = None,
        calibration: str | None = None,
    ) -> int | None:
        """Close the kept recording and list the session; its id, or None if not listed."""
        t0 = time.perf_counter()
        try:
            return self._finish(session, routine, adherence, calibration)
        finally:
            self.finish_s = time.perf_counter() - t0

    def _finish(self, session: Session, routine: str | None, adherence: float | None,
                calibration: str | None) -> int | None:
        if self._tee is None or self.recording is None or self._store is None:
            return None
        if self._tee.kept is not None:
            self._tee.kept.close()
        summing = self._summing
        if summing is None or summing.summary is None or summing.summary.samples == 0:
            self._discard()  # the ball sent nothing: there is no session to keep
            return None
        from smartball.history.identity import source_key
        from smartball.history.store import HistoryBusy, HistoryError

        if routine is None:
            routine, adherence = summing.routine()
        row = SessionRow.from_totals(
            summing.summary.totals(), started_at=self.start_time_s, command=self.command,
            lost_samples=session.counters.lost_samples,
            device=self.device, routine=routine, adherence=adherence, calibration=calibration,
            recording=str(self.recording), source_key=source_key(self.recording),
            **context_columns(self.context),
        )
        later = f"'smartball history import {self.recording}' lists it"
        try:
            with self._store as store:
                self.row_id = store.add(row)
        except HistoryBusy as exc:
            self.say(f"this session is kept in {self.recording} but not listed in the history: "
                     f"{exc}; {later}.")
            return None
        except HistoryError as exc:
            self.say(f"this session is kept in {self.recording} but not listed in the history "
                     f"({exc}); {later}.")
            return None
        if self.row_id is not None and not self.quiet:
            self.say(f"kept as session {self.row_id} ('smartball history show {self.row_id}')")
        return self.row_id

    def _discard(self) -> None:
        if self.recording is not None:
            try:
                self.recording.unlink()
            except OSError:
                pass
