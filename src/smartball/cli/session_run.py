"""What ``live``, ``record`` and ``replay`` share: wire a transport to a session, a
recording, an events stream and (optionally) the live view; run it; clean up whatever
happens. Ctrl-C and SIGTERM end a session normally: the recording is closed properly."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

from smartball.errors import InputError, UsageError

if TYPE_CHECKING:
    from smartball.chunk import Received
    from smartball.context import SessionContext
    from smartball.processing import Calibration
    from smartball.routines.model import Routine
    from smartball.session import Session
    from smartball.transport.base import Transport

VIEW_MISSING = (
    "the live view is not available in this installation; run with --no-plot "
    "(and --events - to follow the session as text)"
)


def add_events_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--events", metavar="FILE|-",
                        help="write every event as a JSON line to FILE, or to stdout with '-', "
                             "flushed as it happens")


def add_history_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-history", action="store_true",
                        help="do not keep this session (by default its recording goes to "
                             "$SMARTBALL_HOME/sessions/ and it is listed by 'smartball "
                             "history'; a --replay device is never kept)")


def keeps_history(args: argparse.Namespace) -> bool:
    """Keep the session unless ``--no-history``; a replayed recording is no new session."""
    return not args.no_history and getattr(args, "replay", None) is None


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("give a number of seconds above 0")
    return value


def view_app() -> Any:
    """``smartball.view.app``, imported now (it brings matplotlib)."""
    import importlib

    try:
        return importlib.import_module("smartball.view.app")
    except ImportError as exc:
        raise UsageError(VIEW_MISSING) from exc


def check_view_available() -> None:
    import importlib.util

    try:
        found = importlib.util.find_spec("smartball.view.app") is not None
    except ImportError:
        found = False
    if not found:
        raise UsageError(VIEW_MISSING)


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """``kill PID`` ends a session like Ctrl-C does, so the recording is closed cleanly."""
    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _open_events(stack: ExitStack, target: str) -> IO[str]:
    if target == "-":
        return sys.stdout
    try:
        return stack.enter_context(open(target, "w", encoding="utf-8"))
    except OSError as exc:
        raise InputError(
            f"cannot write the events file {target} ({exc.strerror}); choose another path"
        ) from None


def recording_header(transport: Transport, command: str,
                     context: SessionContext | None = None) -> dict[str, Any]:
    """What a recording of this session starts with (``RecordingWriter`` keywords): the
    history's copy and the user's ``--record`` file get the same one, with the context the
    session is processed with (so it replays the same anywhere)."""
    from smartball import __version__

    return {
        "envelope": transport.envelope,
        "transport": transport.description,
        "session": {"command": command, "smartball": __version__, "argv": sys.argv[1:]},
        "start_time_s": time.time(),
        "context": None if context is None else context.to_json(),
    }


def make_recorder(transport: Transport, record: Path | None, command: str,
                  header: dict[str, Any] | None = None) -> Any:
    """A ``RecordingWriter`` of the transport's chunks to ``record`` (None: no recording)."""
    if record is None:
        return None
    from smartball.recording import RecordingWriter

    return RecordingWriter(record, **(header or recording_header(transport, command)))


def run_session(
    transport: Transport,
    *,
    command: str,
    record: Path | None = None,
    events: str | None = None,
    seconds: float | None = None,
    plot: bool = False,
    snapshot: str | None = None,
    title: str = "SmartBall",
    process: bool = True,
    quiet: bool = False,
    calibration: Calibration | None = None,
    calibration_name: str | None = None,
    routine: Routine | None = None,
    history: bool = False,
    progress: bool = False,
    context: SessionContext | None = None,
    compact: bool = False,
    outputs: Callable[[ExitStack, Session], None] | None = None,
    zones_name: str | None = None,
    pick_ball: bool = False,
) -> int:
    """Run one session to its end; returns the exit status. ``context``: what the session
    is processed with (recorded in its header); or, for short, ``calibration`` (the ball's
    response, None: the reference ball) and ``routine``. ``calibration_name`` names the
    calibration in the summary. ``history``: keep the session (its recording under
    ``$SMARTBALL_HOME/sessions/`` and a row in the history). ``progress``: on a terminal,
    keep one line up to date while the session runs (time, samples, lost, the zone:
    :mod:`smartball.cli.progress`). ``compact``: the small always-on-top window instead of
    the plot. ``outputs``: attaches more listeners (cues, LSL, a gauge) to the session.
    ``zones_name``: whose zones, for which part, said in the summary (None: not said).
    ``pick_ball``: the kept ball measured with the board that connects, if there is one
    (:mod:`smartball.cli.ball_pick`), instead of the calibration given."""
    from smartball.cli.progress import ProgressLine, shows_progress
    from smartball.context import SessionContext
    from smartball.events import EventWriter
    from smartball.pipeline import EventSink
    from smartball.session import Recorder, Session

    line_on = progress and not quiet and shows_progress(sys.stderr)
    if line_on:
        process = True  # the line tells the zone
    if context is None:
        context = SessionContext(calibration=calibration, routine=routine)
    with ExitStack() as stack:
        stack.callback(transport.close)
        pending: list[Received] = []
        if pick_ball:
            from smartball.cli.ball_pick import pick_ball_on_connect

            context, ball, pending = pick_ball_on_connect(
                transport, context, lambda m: print(f"smartball {command}: {m}",
                                                    file=sys.stderr))
            if ball is not None:
                from smartball.people.zones import check_fits_ball

                calibration_name = f"your ball {ball.name!r} ({ball.pa_per_n:.0f} Pa/N)"
                check_fits_ball(context.zones_n, context.calibration, context.user)
        calibration = context.calibration
        header = recording_header(transport, command, context)
        writer = make_recorder(transport, record, command, header)
        if writer is not None:
            stack.callback(writer.close)
        recorder: Recorder | None = writer
        keeper = None
        if history:
            from smartball.history.keeper import SessionKeeper

            keeper = SessionKeeper(command, quiet=quiet, context=context)
            recorder = keeper.attach(recorder, **header)
            process = True  # the history sums the session up from its processing
        session = Session(transport, recorder=recorder, process=process, context=context,
                          pending=pending)
        if keeper is not None:
            session.add_listener(keeper.listener())
            # Also when the session ends in an error; the reference ball is listed as none.
            stack.callback(keeper.finish, session,
                           calibration=calibration_name if calibration is not None else None)
        if events is not None:
            session.add_listener(EventSink(EventWriter(_open_events(stack, events))))
        line = ProgressLine(session, sys.stderr) if line_on else None
        if line is not None:
            session.add_listener(line)
            stack.callback(line.stop)  # wiped also when the session ends in an error
            line.start()
        if outputs is not None:
            outputs(stack, session)
        started = time.monotonic()
        try:
            with _sigterm_as_interrupt():
                if plot and compact:
                    from smartball.view.compact import run_compact_view

                    try:
                        run_compact_view(session, seconds=seconds, title=title,
                                         snapshot=snapshot)
                    finally:
                        session.stop()
                        session.join()
                elif plot:
                    try:
                        view_app().run_live_view(
                            session, seconds=seconds, snapshot=snapshot, title=title
                        )
                    finally:
                        session.stop()
                        session.join()
                else:
                    session.run(seconds)
        except KeyboardInterrupt:
            session.stop()
        if line is not None:
            line.stop()
        if not quiet:
            _summary(session, record, time.monotonic() - started, calibration_name,
                     replayed=command == "replay")
            if zones_name is not None and process:
                print(f"smartball: {zones_name}", file=sys.stderr)
    return 0


def session_seconds(session: Any) -> float | None:
    """How long the session lasted in the ball's own time (its samples, those lost
    included, at its sample rate); None before the ball said its rate."""
    info = session.info
    if info is None or not info.sample_period_us:
        return None
    c = session.counters
    return float((c.samples + c.lost_samples) * info.sample_period_us / 1e6)


def _summary(session: Any, record: Path | None, wall_s: float,
             calibration_name: str | None = None, *, replayed: bool = False) -> None:
    c = session.counters
    # A replay tells the session's length, and the time it took when that is not the same
    # (at full speed a minute plays in a second); a live session's length is the time it ran.
    length_s = session_seconds(session) if replayed else None
    if length_s is None or abs(length_s - wall_s) <= max(0.15, 0.1 * length_s):
        parts = [f"{c.samples} samples in {wall_s:.1f} s"]
    else:
        parts = [f"{c.samples} samples in {length_s:.1f} s of session, played in "
                 f"{wall_s:.1f} s"]
    if c.lost_samples:
        parts.append(f"{c.lost_samples} lost")
    if c.crc_errors:
        parts.append(f"{c.crc_errors} damaged frames")
    links = sum(1 for e in session.events if e.type == "disconnected")
    if links:
        parts.append(f"the ball went away {links} time{'s' if links > 1 else ''}")
    where = f"; recorded to {record}" if record is not None else ""
    print(f"smartball: {', '.join(parts)}{where}", file=sys.stderr)
    if calibration_name is not None:
        print(f"smartball: force from {calibration_name}", file=sys.stderr)
