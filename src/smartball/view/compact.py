"""``--view compact``: a small always-on-top window for a corner of the screen, readable at
arm's length: the word (light / moderate / deep / TOO HARD), a force bar with the zone
boundaries, the hold count down to "release", and the routine's step with its time left.

Plain Tk (no matplotlib): a few canvas items whose text, colour and length change, checked
ten times a second and redrawn only when they change, so it costs next to nothing. The
listener runs in the device thread and only stores the latest values; Tk reads them in the
main thread.
"""

from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartball.errors import UsageError
from smartball.events import ZONES
from smartball.hold_target import HOLD_TARGET_S
from smartball.sensor_range import BEYOND_WORDS
from smartball.view.gauge import WORDS, StepClock, mmss

if TYPE_CHECKING:
    from smartball.events import Event
    from smartball.processing import ProcessResult
    from smartball.session import Session

WIDTH, HEIGHT = 320, 240
BAR_BOX = (16, WIDTH - 16, 92, 124)
"""The force bar's left, right, top and bottom, in pixels."""
SNAPSHOT_DPI = 100
TICK_MS = 100
BAR_MAX_N = 250.0
BOUNDARIES_N = (10.0, 50.0, 100.0, 200.0)
"""The foot's default zones; a session's own (the person's, for the part) replace them, and
the bar ends as far above their too-hard edge as :data:`BAR_MAX_N` is above 200 N."""
COLOURS = {"rest": "#9e9e9e", "light": "#4caf50", "moderate": "#2196f3", "deep": "#7b1fa2",
           "too_hard": "#d32f2f", "none": "#9e9e9e"}
BACKGROUND = "#fafafa"
BEYOND_LINES = BEYOND_WORDS.replace(" ball ", "\nball ", 1)
NO_DISPLAY = ("there is no display for the compact window: set DISPLAY (or run under "
              "xvfb-run), or use --no-plot")


def check_can_show_compact(hint: str | None = None) -> None:
    """One sentence if Tk is missing or there is no display to open the window on."""
    try:
        import tkinter  # noqa: F401
    except ImportError:
        raise UsageError("the compact window needs Tk (tkinter), which this Python lacks; "
                         "install python3-tk or use --no-plot") from None
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                  or os.environ.get("WAYLAND_DISPLAY")):
        text = hint or NO_DISPLAY
        raise UsageError(text[:1].upper() + text[1:])


class CompactState:
    """The latest values, written by the device thread, read by the window."""

    def __init__(self, boundaries_n: tuple[float, ...] = BOUNDARIES_N) -> None:
        self.boundaries_n = tuple(boundaries_n)
        self.bar_max_n = BAR_MAX_N * self.boundaries_n[-1] / BOUNDARIES_N[-1]
        self.zone = "none"
        self.too_hard = False
        self.force_n = math.nan
        self.beyond = False
        """The newest reading is at the sensor's end: the words, not a number."""
        self.hold_s = math.nan
        self.t_s = math.nan
        self.link_ok = False
        self.clock = StepClock()

    def on_samples(self, result: ProcessResult) -> None:
        if len(result) == 0:
            return
        self.link_ok = True
        self.zone = ZONES[int(result.zone[-1])]
        self.too_hard = bool(result.too_hard[-1])
        self.beyond = bool(result.saturated[-1])
        self.force_n = math.nan if self.beyond else float(result.force_n[-1])
        self.hold_s = float(result.hold_elapsed_s[-1])
        self.t_s = float(result.t_s[-1])

    def on_event(self, event: Event) -> None:
        self.clock.on_event(event)
        if event.type == "disconnected":
            self.link_ok = False

    def view(self) -> tuple[str, str, float, str, str]:
        """(word, colour, bar fraction, hold line, step line)."""
        if not self.link_ok:
            return "waiting", COLOURS["none"], 0.0, "for the ball", ""
        zone = "too_hard" if self.too_hard else self.zone
        word = WORDS.get(zone, zone)
        force = max(0.0, self.force_n) if math.isfinite(self.force_n) else 0.0
        if self.beyond:
            # Past the sensor's end: the words (the hold count can wait), the bar full.
            hold, force = BEYOND_LINES, BAR_MAX_N
        elif math.isfinite(self.hold_s):
            left = HOLD_TARGET_S - self.hold_s
            hold = f"hold {math.ceil(left)} s" if left > 0 else "release"
        else:
            hold = f"{force:.0f} N"
        c = self.clock
        if c.ended:
            step = "routine done"
        elif c.step:
            left_s = c.left_s(self.t_s)
            step = f"{c.step}. {c.name}"[:26] + (f"  {mmss(left_s)}" if math.isfinite(left_s)
                                                  else "")
        else:
            step = ""
        bar = min(1.0, force / self.bar_max_n)
        return word, COLOURS.get(zone, COLOURS["none"]), bar, hold, step


class CompactWindow:
    def __init__(self, state: CompactState, title: str) -> None:
        import tkinter as tk

        self.state = state
        self.root = tk.Tk()
        self.root.title(title)
        self.root.geometry(f"{WIDTH}x{HEIGHT}")
        self.root.resizable(False, False)
        self.root.attributes("-topmost", True)
        c = self.canvas = tk.Canvas(self.root, width=WIDTH, height=HEIGHT, bg=BACKGROUND,
                                    highlightthickness=0)
        c.pack(fill="both", expand=True)
        self.word = c.create_text(WIDTH / 2, 48, text="", font=("DejaVu Sans", 34, "bold"))
        x0, x1, y0, y1 = self.bar_box = BAR_BOX
        c.create_rectangle(x0, y0, x1, y1, outline="#616161", width=2)
        self.bar = c.create_rectangle(x0, y0, x0, y1, fill="", width=0)
        for b in state.boundaries_n:
            x = x0 + (x1 - x0) * b / state.bar_max_n
            c.create_line(x, y0 - 4, x, y1 + 4, fill="#424242", width=2)
        self.hold = c.create_text(WIDTH / 2, 160, text="", font=("DejaVu Sans", 24, "bold"),
                                  justify="center",
                                  fill="#212121")
        self.step = c.create_text(WIDTH / 2, 208, text="", font=("DejaVu Sans", 15),
                                  fill="#212121")
        self._shown: tuple[Any, ...] = ()
        self.frames = 0

    def draw(self) -> None:
        shown = self.state.view()
        word, colour, frac, hold, step = shown
        frac = round(frac, 3)
        if shown[:2] + (frac,) + shown[3:] == self._shown:
            return
        self._shown = (word, colour, frac, hold, step)
        c = self.canvas
        x0, x1, y0, y1 = self.bar_box
        c.itemconfigure(self.word, text=word, fill=colour)
        c.coords(self.bar, x0, y0, x0 + (x1 - x0) * frac, y1)
        c.itemconfigure(self.bar, fill=colour)
        c.itemconfigure(self.hold, text=hold,
                        font=("DejaVu Sans", 17 if "\n" in hold else 24, "bold"))
        c.itemconfigure(self.step, text=step)
        self.frames += 1


def save_compact_snapshot(state: CompactState, path: Path) -> None:
    """What the window shows now, as a PNG of its size: the same word, bar with the zone
    boundaries, hold line and step, drawn with matplotlib (Tk cannot write an image)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from smartball.view.figure_file import save_figure

    word, colour, frac, hold, step = state.view()
    fig = Figure(figsize=(WIDTH / SNAPSHOT_DPI, HEIGHT / SNAPSHOT_DPI), dpi=SNAPSHOT_DPI,
                 facecolor=BACKGROUND)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(HEIGHT, 0)  # Tk's canvas: y down, in pixels
    ax.axis("off")
    pt = 72.0 / SNAPSHOT_DPI  # a pixel, in points (line widths); font sizes are points in both
    ax.text(WIDTH / 2, 48, word, color=colour, fontsize=34, fontweight="bold",
            ha="center", va="center")
    x0, x1, y0, y1 = BAR_BOX
    ax.add_patch(Rectangle((x0, y0), (x1 - x0) * frac, y1 - y0, color=colour, lw=0))
    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#616161",
                           lw=2 * pt))
    for b in state.boundaries_n:
        x = x0 + (x1 - x0) * b / state.bar_max_n
        ax.plot([x, x], [y0 - 4, y1 + 4], color="#424242", lw=2 * pt)
    ax.text(WIDTH / 2, 160, hold, color="#212121", fontweight="bold", ha="center",
            va="center", multialignment="center",
            fontsize=17 if "\n" in hold else 24)
    ax.text(WIDTH / 2, 208, step, color="#212121", fontsize=15, ha="center",
            va="center")
    save_figure(fig, path, dpi=SNAPSHOT_DPI)


def run_compact_view(session: Session, *, seconds: float | None, title: str,
                     on_frame: Any = None, snapshot: str | os.PathLike[str] | None = None,
                     ) -> None:
    """The window on ``session`` until it is closed, ``seconds`` pass or the session ends;
    ``snapshot``: a PNG of it as it was at the end. ``on_frame(window)``: called after each
    check (screenshots in tests)."""
    context = getattr(getattr(session, "pipeline", None), "context", None)
    state = CompactState(BOUNDARIES_N if context is None else context.zones_n)
    session.add_listener(state)
    window = CompactWindow(state, title)
    deadline = None if seconds is None else time.monotonic() + seconds
    session.start(seconds)

    def tick() -> None:
        window.draw()
        if on_frame is not None:
            on_frame(window)
        ended = not session.running or (deadline is not None and time.monotonic() >= deadline)
        if ended:
            window.root.destroy()
            return
        window.root.after(TICK_MS, tick)

    window.root.protocol("WM_DELETE_WINDOW", window.root.destroy)
    window.root.after(TICK_MS, tick)
    try:
        window.root.mainloop()
    finally:
        session.stop()
        session.join()
    if snapshot is not None:
        save_compact_snapshot(state, Path(snapshot))
