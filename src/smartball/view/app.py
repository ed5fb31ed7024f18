"""Running the live view on a session: a window when there is a display, headless on Agg.

:func:`run_live_view` is what ``smartball live``, ``replay`` and ``demo`` call. It adds a
:class:`LiveBuffer` to the session's listeners, starts the session's device thread and then
either shows the window (a blitted FuncAnimation reads the buffer; closing the window stops
the session) or, with a non-interactive backend, waits for the session to end and renders
the final view once. ``--snapshot`` is written at the end in both cases.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from smartball.errors import SmartBallError
from smartball.view.buffer import LiveBuffer
from smartball.view.live import LiveView
from smartball.view.style import ZoneBounds

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from smartball.view.routine_panel import RoutineWatch

FIGSIZE_IN = (13.0, 7.5)
FRAME_INTERVAL_MS = 66
"""About 15 frames a second: the trace moves 2 px a frame, and the warning comes within
66 ms. On screen the cost is mostly the toolkit's blit (TkAgg copies each changed axes into
a Tk photo, ~2 ms); 15 rather than 20 frames a second keeps ``smartball demo`` under a
fifth of a core (benchmarks/demo_cpu.py)."""

NON_INTERACTIVE = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}

NO_DISPLAY_HINT = (
    "there is no display for the live window: set DISPLAY (or run under xvfb-run), "
    "use --no-plot --events - to follow the session as text, or run with MPLBACKEND=Agg "
    "and --seconds S --snapshot PNG to save a picture of the view"
)


class NoDisplayError(SmartBallError, RuntimeError):
    """No window can be opened and nothing headless was asked for."""


class SessionLike(Protocol):
    def add_listener(self, listener: Any) -> None: ...
    def start(self, seconds: float | None = None) -> None: ...
    def stop(self) -> None: ...
    def join(self) -> None: ...


def backend_is_interactive() -> bool:
    """Whether matplotlib's backend (after its own fallback for a missing display) opens
    windows."""
    import matplotlib

    return matplotlib.get_backend().lower() not in NON_INTERACTIVE


def check_can_show(*, seconds: float | None, snapshot: str | None, hint: str = NO_DISPLAY_HINT
                   ) -> bool:
    """True for a window, False for headless; raises when neither makes sense (no display
    and no ``--seconds``/``--snapshot``: a headless run would show nothing to anyone)."""
    if backend_is_interactive():
        return True
    if seconds is None and snapshot is None:
        raise NoDisplayError(hint[:1].upper() + hint[1:] + ".")
    return False


def run_live_view(
    session: SessionLike,
    *,
    seconds: float | None,
    snapshot: str | None,
    title: str,
    interval_ms: int = FRAME_INTERVAL_MS,
) -> None:
    """Show the coaching view on ``session`` until the window is closed, ``seconds`` have
    passed, or (headless) the session ends; then save ``snapshot`` if given (checked by
    the caller before the session began: :func:`smartball.out_file.check_args`)."""
    interactive = check_can_show(seconds=seconds, snapshot=snapshot)
    buffer = LiveBuffer()
    session.add_listener(buffer)
    routine = getattr(session, "routine", None)
    watch: RoutineWatch | None = None
    if routine is not None:
        from smartball.view.routine_panel import RoutineWatch

        watch = RoutineWatch(routine)
        session.add_listener(watch)
    if interactive:
        _run_window(session, buffer, seconds=seconds, snapshot=snapshot, title=title,
                    interval_ms=interval_ms, routine=watch)
    else:
        _run_headless(session, buffer, seconds=seconds, snapshot=snapshot, title=title,
                      routine=watch)


def _bounds(session: SessionLike) -> ZoneBounds:
    """The zones the session is processed with (the person's), for the bands and ticks."""
    context = getattr(getattr(session, "pipeline", None), "context", None)
    return ZoneBounds.of(None if context is None else context.processing_config())


class _Runner:
    """The session's thread watched from the plotting side."""

    def __init__(self, session: SessionLike, buffer: LiveBuffer, seconds: float | None) -> None:
        self.session = session
        self.buffer = buffer
        self.finished = threading.Event()
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self._stopped = False
        session.start(seconds)
        threading.Thread(target=self._watch, name="smartball-view-watch", daemon=True).start()

    def _watch(self) -> None:
        try:
            self.session.join()
        finally:
            self.buffer.mark_ended()
            self.finished.set()

    def past_deadline(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def stop(self, wait_s: float = 5.0) -> None:
        if not self._stopped:
            self._stopped = True
            self.session.stop()
        self.finished.wait(wait_s)


def _save(fig: Figure, view: LiveView, snapshot: str | None) -> None:
    if snapshot is None:
        return
    from smartball.view.figure_file import save_figure

    view.update()
    # savefig draws the animated artists too (they are skipped only on screen draws).
    save_figure(fig, Path(snapshot).expanduser())


def _run_headless(session: SessionLike, buffer: LiveBuffer, *, seconds: float | None,
                  snapshot: str | None, title: str,
                  routine: RoutineWatch | None = None) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIGSIZE_IN, dpi=100)
    FigureCanvasAgg(fig)
    view = LiveView(buffer, fig, title=title, routine=routine, bounds=_bounds(session))
    view.say_when_ended = False
    runner = _Runner(session, buffer, seconds)
    try:
        # Nobody looks at a headless view before the end: render once, then.
        while not runner.finished.wait(0.2):
            if runner.past_deadline():
                break
    finally:
        runner.stop()
        _save(fig, view, snapshot)


def _run_window(session: SessionLike, buffer: LiveBuffer, *, seconds: float | None,
                snapshot: str | None, title: str, interval_ms: int,
                routine: RoutineWatch | None = None) -> None:
    import matplotlib.pyplot as plt

    try:
        fig = plt.figure(figsize=FIGSIZE_IN)
    except Exception as exc:  # the toolkit could not reach a display (TclError, ImportError)
        raise NoDisplayError(
            f"the window could not be opened ({type(exc).__name__}: {exc}); "
            + NO_DISPLAY_HINT + "."
        ) from exc
    manager = fig.canvas.manager
    if manager is not None:
        manager.set_window_title(title)
    view = LiveView(buffer, fig, title=title, routine=routine, bounds=_bounds(session))
    saved = False

    def save_once() -> None:
        nonlocal saved
        if not saved:
            saved = True
            _save(fig, view, snapshot)

    def on_close(_event: object) -> None:
        save_once()
        runner.stop(wait_s=0.0)

    def poll() -> bool:
        if fig.canvas is not canvas:
            return False  # the window is going: this timer goes with it
        if runner.past_deadline() or (seconds is not None and runner.finished.is_set()):
            save_once()
            view.stop_animation()  # before close: a last queued frame must not find no canvas
            plt.close(fig)
        return True

    canvas = fig.canvas
    runner = _Runner(session, buffer, seconds)
    fig.canvas.mpl_connect("close_event", on_close)
    view.animate(interval_ms)  # the view keeps the reference that keeps it running
    timer = fig.canvas.new_timer(interval=200)
    timer.add_callback(poll)
    timer.start()
    try:
        plt.show()
    finally:
        if fig.canvas is canvas:  # a closed window has taken its timers with it
            timer.stop()
        runner.stop()
        save_once()
        plt.close(fig)
