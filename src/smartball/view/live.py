"""The live coaching view: one figure, redrawn by blitting from a :class:`LiveBuffer`.

Every moving part (trace, gauge bar, labels, countdown, warning, coaching line, status) is
an animated artist inside an axes; everything else (zone bands, ticks, captions) is drawn
once into the background. Axes limits never change (the time axis is "seconds ago", the
force axis is fixed at 0-250 N), so the background stays valid and each frame costs only
the animated artists. The trace is min/max decimated for display: a one-sample spike into
too hard still shows.

This module lays the figure out and sets its artists for a frame; blitting them is
:mod:`smartball.view.blit`'s, and choosing a backend and running a loop
:mod:`smartball.view.app`'s.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from smartball.coach import Advice, CoachConfig, CoachState, StepCue, advise, advise_step
from smartball.hold_target import reached_target
from smartball.sensor_range import BEYOND_WORDS
from smartball.view.blit import BlitDriver
from smartball.view.buffer import LiveBuffer, LiveFrame
from smartball.view.routine_panel import RoutinePanel, RoutineWatch
from smartball.view.style import (
    BAND_ALPHA,
    FORCE_MAX_N,
    HOLD_COLOUR,
    TRACE_COLOUR,
    WARNING_COLOUR,
    ZONE_COLOURS,
    ZONE_TEXT_COLOURS,
    ZoneBounds,
    zone_words,
)

if TYPE_CHECKING:
    from matplotlib.animation import FuncAnimation
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

F64 = npt.NDArray[np.float64]

BEYOND_LINES = BEYOND_WORDS.replace(" ball ", "\nball ", 1)
"""The words in two lines, to fit where the force number stands."""

COACH_STYLE: dict[str, tuple[str, str]] = {
    # kind -> (face, text): the warning is the loudest thing on screen.
    "warning": (WARNING_COLOUR, "#FFFFFF"),
    "release": (HOLD_COLOUR, "#000000"),
    "hold": ("#FFFFFF", "#000000"),
    "praise": ("#FFFFFF", "#000000"),
    "adjust": ("#FFFFFF", "#000000"),
    "info": ("#FFFFFF", "#333333"),
}


def decimate_minmax(t: F64, y: F64, max_points: int) -> tuple[F64, F64]:
    """At most ``max_points`` points that keep each bucket's minimum and maximum."""
    n = t.shape[0]
    if n <= max_points:
        return t, y
    buckets = max(1, max_points // 2)
    per = math.ceil(n / buckets)
    usable = (n // per) * per
    tb = t[:usable].reshape(-1, per)
    yb = y[:usable].reshape(-1, per)
    lo = np.nanargmin(np.where(np.isnan(yb), np.inf, yb), axis=1)
    hi = np.nanargmax(np.where(np.isnan(yb), -np.inf, yb), axis=1)
    first = np.minimum(lo, hi)
    second = np.maximum(lo, hi)
    rows = np.arange(tb.shape[0])
    t_out = np.column_stack((tb[rows, first], tb[rows, second])).ravel()
    y_out = np.column_stack((yb[rows, first], yb[rows, second])).ravel()
    if usable < n:
        t_out = np.concatenate((t_out, t[usable:][-1:]))
        y_out = np.concatenate((y_out, y[usable:][-1:]))
    return t_out, y_out


class LiveView:
    """The coaching figure. Call :meth:`update` for each frame; it returns what changed."""

    def __init__(
        self,
        buffer: LiveBuffer,
        fig: Figure,
        *,
        title: str = "SmartBall",
        window_s: float = 20.0,
        bounds: ZoneBounds | None = None,
        coach: CoachConfig | None = None,
        max_points: int = 600,
        routine: RoutineWatch | None = None,
    ) -> None:
        self.buffer = buffer
        self.routine = routine
        """With a routine: its strip above the plot, and the coach follows its steps."""
        self.routine_panel: RoutinePanel | None = None
        self.fig = fig
        self.window_s = window_s
        self.bounds = bounds or ZoneBounds.of()
        # Without a coach of its own, the words fit the routine's body part.
        self.coach = coach or CoachConfig(
            part=routine.routine.part if routine is not None else "foot")
        self.max_points = max_points
        self.say_when_ended = True
        """Replace the coaching line by "session ended" at the end (a window, not a
        snapshot: a snapshot keeps the last coaching line)."""
        self.last_frame: LiveFrame | None = None
        self.last_advice: Advice | None = None
        self._build(title)
        self.driver = BlitDriver(fig, self.artists, self._show_latest,
                                 framed=(self.ax_trace, self.ax_gauge))

    # -- layout ----------------------------------------------------------------------------

    def _build(self, title: str) -> None:
        fig = self.fig
        fig.clear()
        fig.set_facecolor("#FFFFFF")
        heights = [0.55, 5.0, 0.95] if self.routine is None else [0.55, 1.4, 4.8, 1.15]
        gs = fig.add_gridspec(
            # The third column is a spacer for the gauge's band names.
            len(heights), 4, height_ratios=heights, width_ratios=[3.0, 0.34, 0.5, 1.6],
            left=0.06, right=0.985, top=0.985, bottom=0.025,
            hspace=0.18 if self.routine is None else 0.34, wspace=0.06,
        )
        main = len(heights) - 2  # the plot's row
        self.ax_status = fig.add_subplot(gs[0, :])
        self.ax_trace = fig.add_subplot(gs[main, 0])
        self.ax_gauge = fig.add_subplot(gs[main, 1])
        # The force number has its own axes: it changes every frame, the zone label rarely,
        # and a blitted frame redraws only the axes whose artists changed.
        right = gs[main, 3].subgridspec(3, 1, height_ratios=[0.75, 0.3, 1.25], hspace=0.04)
        self.ax_zone = fig.add_subplot(right[0])
        self.ax_force = fig.add_subplot(right[1])
        self.ax_hold = fig.add_subplot(right[2])
        self.ax_coach = fig.add_subplot(gs[main + 1, :])
        for ax in (self.ax_status, self.ax_zone, self.ax_force, self.ax_hold, self.ax_coach):
            _blank(ax)

        # Status bar: session clock, link, battery.
        kw: dict[str, Any] = dict(transform=self.ax_status.transAxes, va="center", fontsize=17,
                                  animated=True)
        self.title_text = self.ax_status.text(0.0, 0.5, title, ha="left", fontsize=17,
                                              fontweight="bold", va="center",
                                              transform=self.ax_status.transAxes)
        clock_x = self._fit_title(title, max_frac=0.30) + 0.02
        self.clock_text = self.ax_status.text(clock_x, 0.5, "", ha="left", **kw)
        self.link_text = self.ax_status.text(clock_x + 0.15, 0.5, "", ha="left", **kw)
        self.battery_text = self.ax_status.text(1.0, 0.5, "", ha="right", **kw)

        self._build_trace()
        self._build_gauge()
        if self.routine is not None:
            ax_routine = fig.add_subplot(gs[1, :])
            _blank(ax_routine)
            bands = {z: (lo, hi) for z, lo, hi in self.bounds.bands()}
            self.routine_panel = RoutinePanel(ax_routine, self.ax_trace, bands)

        # Current zone: the largest words on screen, on the zone's colour.
        self.zone_text = self.ax_zone.text(
            0.5, 0.5, "", ha="center", va="center", fontsize=34, fontweight="bold",
            transform=self.ax_zone.transAxes, animated=True,
            bbox=dict(boxstyle="round,pad=0.35", facecolor=ZONE_COLOURS["rest"],
                      edgecolor="#000000", linewidth=1.5),
        )
        self.force_text = self.ax_force.text(
            0.5, 0.5, "", ha="center", va="center", fontsize=30,
            transform=self.ax_force.transAxes, animated=True,
        )

        # Hold countdown.
        self.hold_caption = self.ax_hold.text(
            0.5, 0.86, "", ha="center", va="center", fontsize=20,
            transform=self.ax_hold.transAxes, animated=True,
        )
        self.hold_text = self.ax_hold.text(
            0.5, 0.45, "", ha="center", va="center", fontsize=58, fontweight="bold",
            transform=self.ax_hold.transAxes, animated=True,
            bbox=dict(boxstyle="round,pad=0.3", facecolor="#FFFFFF", edgecolor="none"),
        )
        self.hold_note = self.ax_hold.text(
            0.5, 0.07, "", ha="center", va="center", fontsize=17,
            transform=self.ax_hold.transAxes, animated=True,
        )

        # One coaching line, full width.
        self.coach_text = self.ax_coach.text(
            0.5, 0.5, "", ha="center", va="center", fontsize=26,
            transform=self.ax_coach.transAxes, animated=True,
            bbox=dict(boxstyle="round,pad=0.4", facecolor="#FFFFFF", edgecolor="#000000"),
        )

    def _fit_title(self, title: str, max_frac: float) -> float:
        """Shorten the title until it takes at most ``max_frac`` of the status bar; returns
        where it ends (axes fraction). A "SmartBall - " prefix goes first: the window's own
        title bar still has it."""
        for prefix in ("SmartBall - ", "SmartBall: "):
            if title.startswith(prefix) and len(title) > 16:
                title = title[len(prefix):]
        get_renderer = getattr(self.fig.canvas, "get_renderer", None)
        width = self.ax_status.bbox.width
        if get_renderer is None or width <= 0:
            self.title_text.set_text(_shorten(title, 16))
            return 0.21
        renderer = get_renderer()
        text = title
        for n in range(len(title), 3, -1):
            text = _shorten(title, n)
            self.title_text.set_text(text)
            frac = self.title_text.get_window_extent(renderer).width / width
            if frac <= max_frac:
                return frac
        return max_frac

    def _build_trace(self) -> None:
        ax = self.ax_trace
        ax.set_xlim(-self.window_s, 0.0)
        ax.set_ylim(0.0, FORCE_MAX_N)
        for zone, lo, hi in self.bounds.bands():
            ax.axhspan(lo, hi, color=ZONE_COLOURS[zone], alpha=BAND_ALPHA, linewidth=0)
        ax.set_ylabel("force (N)", fontsize=15)
        ax.set_xlabel("seconds ago", fontsize=15)
        ax.tick_params(labelsize=13)
        ax.set_yticks([0, self.bounds.light_n, self.bounds.moderate_n, self.bounds.deep_n,
                       self.bounds.too_hard_n, FORCE_MAX_N])
        (self.trace_line,) = ax.plot([], [], color=TRACE_COLOUR, linewidth=2.2, animated=True)
        # Where the sensor was at its end the trace has no force to draw: a bar along the
        # top of the plot marks the stretch instead (beyond what this ball can measure).
        (self.beyond_line,) = ax.plot([], [], color=WARNING_COLOUR, linewidth=9,
                                      animated=True, solid_capstyle="butt")
        self.warning_text = ax.text(
            0.5, 0.42, "TOO HARD\nEASE OFF", ha="center", va="center", fontsize=56,
            fontweight="bold", color="#FFFFFF", transform=ax.transAxes, animated=True,
            visible=False, clip_on=True, linespacing=1.1,
            bbox=dict(boxstyle="round,pad=0.4", facecolor=WARNING_COLOUR,
                      edgecolor="#000000", linewidth=3),
        )

    def _build_gauge(self) -> None:
        from matplotlib.patches import Rectangle

        ax = self.ax_gauge
        ax.set_xlim(0.0, 1.0)
        ax.set_ylim(0.0, FORCE_MAX_N)
        ax.set_xticks([])
        ax.yaxis.tick_right()
        # The band names sit beside the gauge, where no trace can cover them.
        bands = self.bounds.bands()
        ax.set_yticks([(lo + hi) / 2 for _z, lo, hi in bands[1:]],
                      [zone_words(z).lower() for z, _lo, _hi in bands[1:]])
        ax.tick_params(labelsize=13, length=0)
        for zone, lo, hi in bands:
            ax.axhspan(lo, hi, color=ZONE_COLOURS[zone], alpha=BAND_ALPHA, linewidth=0)
        self.gauge_bar = Rectangle((0.2, 0.0), 0.6, 0.0, facecolor=ZONE_COLOURS["rest"],
                                   edgecolor="#000000", linewidth=1.5, animated=True)
        ax.add_patch(self.gauge_bar)
        (self.gauge_mark,) = ax.plot([0.0, 1.0], [0.0, 0.0], color="#000000", linewidth=4,
                                     animated=True, solid_capstyle="butt")

    @property
    def artists(self) -> list[Artist]:
        """The animated artists, in drawing order (what a blitted frame redraws)."""
        return [
            self.trace_line, self.beyond_line, self.gauge_bar, self.gauge_mark,
            self.zone_text, self.force_text,
            self.hold_caption, self.hold_text, self.hold_note, self.clock_text,
            self.link_text, self.battery_text, self.coach_text, self.warning_text,
        ] + ([] if self.routine_panel is None else self.routine_panel.artists)

    # -- per frame -------------------------------------------------------------------------

    def update(self, _frame_no: object = None) -> list[Artist]:
        """Read the buffer and set every animated artist; the animation's frame function.
        Returns the artists of the axes that changed (:class:`~smartball.view.blit.BlitDriver`)."""
        return self.driver.update(_frame_no)

    def _show_latest(self) -> None:
        self.show(self.buffer.read(self.window_s))

    def animate(self, interval_ms: int = 50) -> FuncAnimation:
        """Start the blitted animation; the view keeps a reference (an animation that is
        garbage collected stops)."""
        return self.driver.animate(interval_ms, self.update)

    def stop_animation(self) -> None:
        self.driver.stop_animation()

    @property
    def animation(self) -> FuncAnimation | None:
        return self.driver.animation

    def show(self, frame: LiveFrame) -> None:
        self.last_frame = frame
        self._show_trace(frame)
        self._show_zone(frame)
        step = (self.routine.read() if self.routine is not None
                and self.routine_panel is not None else None)
        in_step = step is not None and step.started and not step.ended
        self._show_hold(frame, step.cue if step is not None and in_step else None)
        self._show_status(frame)
        state = CoachState(
            zone=frame.zone,
            too_hard=frame.too_hard_now,
            rolling=frame.rolling,
            speed_cm_s=frame.speed_cm_s,
            hold_elapsed_s=frame.hold_elapsed_s,
            since_too_hard_s=frame.since_too_hard_s,
            since_hold_end_s=frame.since_hold_end_s,
            last_hold_s=frame.last_hold_s,
            link_ok=frame.link in ("connected", "ended"),
        )
        if step is not None and self.routine_panel is not None:
            self.routine_panel.show(step)
            advice = (advise_step(state, step.cue, self.coach) if in_step
                      else advise(state, self.coach))
        else:
            advice = advise(state, self.coach)
        if frame.link == "ended" and self.say_when_ended:
            advice = Advice("Session ended. Close the window when you are done.", "info")
        self.last_advice = advice
        face, ink = COACH_STYLE.get(advice.kind, COACH_STYLE["info"])
        self.coach_text.set_text(advice.text)
        self.coach_text.set_color(ink)
        _face(self.coach_text, face)
        self.warning_text.set_visible(advice.kind == "warning")

    def _show_trace(self, frame: LiveFrame) -> None:
        if frame.t_s.shape[0] == 0:
            self.trace_line.set_data([], [])
            self.beyond_line.set_data([], [])
            return
        x = frame.t_s - frame.now_t_s
        # NaN where beyond: the line breaks there rather than draw a force not measured.
        y = np.clip(frame.force_n, 0.0, FORCE_MAX_N)
        xd, yd = decimate_minmax(x, y, self.max_points)
        self.trace_line.set_data(xd, yd)
        if frame.beyond.any():
            yb = np.where(frame.beyond, FORCE_MAX_N * 0.985, np.nan)
            self.beyond_line.set_data(*decimate_minmax(x, yb, self.max_points))
        else:
            self.beyond_line.set_data([], [])

    def _show_zone(self, frame: LiveFrame) -> None:
        zone = frame.zone
        beyond = frame.samples > 0 and frame.beyond_now
        has_data = frame.samples > 0 and (math.isfinite(frame.force_now_n) or beyond)
        self.zone_text.set_text(zone_words(zone) if has_data else "—")
        self.zone_text.set_color(ZONE_TEXT_COLOURS[zone])
        _face(self.zone_text, ZONE_COLOURS[zone])
        if beyond:
            # The sensor is at its end: the words, never a number it did not measure; the
            # gauge full and hatched.
            self.force_text.set_text(BEYOND_LINES)
            self.force_text.set_fontsize(17)
            shown = FORCE_MAX_N
        else:
            force = frame.force_now_n if has_data else 0.0
            self.force_text.set_text(f"{force:.0f} N" if has_data else "no data")
            self.force_text.set_fontsize(30)
            shown = float(np.clip(force, 0.0, FORCE_MAX_N))
        self.gauge_bar.set_height(shown)
        self.gauge_bar.set_facecolor(ZONE_COLOURS[zone])
        self.gauge_bar.set_hatch("xx" if beyond else "")
        self.gauge_mark.set_ydata([shown, shown])

    def _show_hold(self, frame: LiveFrame, cue: StepCue | None = None) -> None:
        """The hold count; ``cue``: the routine's current step, if one is running (only a
        holds step asks the user to stop on a sore spot, and a light routine never)."""
        hold = frame.hold_elapsed_s
        target = self.coach.hold_target_s
        if hold is not None:
            if hold >= target:
                self.hold_caption.set_text(f"held {hold:.0f} s")
                self.hold_text.set_text("RELEASE")
                self.hold_text.set_fontsize(40)
                _face(self.hold_text, HOLD_COLOUR)
                self.hold_note.set_text("then roll on")
            else:
                left = max(1, math.ceil(target - hold))
                self.hold_caption.set_text("HOLD: stay still")
                self.hold_text.set_text(f"{left} s")
                self.hold_text.set_fontsize(58)
                _face(self.hold_text, "#FFFFFF")
                self.hold_note.set_text(f"to go of {target:.0f} s")
            return
        self.hold_caption.set_text("holds")
        self.hold_text.set_text(f"{frame.holds}")
        self.hold_text.set_fontsize(58)
        _face(self.hold_text, "#FFFFFF")
        if cue is not None and cue.light_only:
            self.hold_note.set_text("light only: no holds")
        elif frame.last_hold_s is None:
            asks_holds = cue is None or cue.motion == "holds"
            self.hold_note.set_text("stop on a sore spot" if asks_holds else "")
        else:
            ok = "reached" if reached_target(frame.last_hold_s, target) else "short of"
            self.hold_note.set_text(f"last {frame.last_hold_s:.0f} s, {ok} {target:.0f} s")

    def _show_status(self, frame: LiveFrame) -> None:
        mins, secs = divmod(int(frame.elapsed_s), 60)
        self.clock_text.set_text(f"session {mins:02d}:{secs:02d}")
        link = {
            "waiting": "waiting for the ball…",
            "connected": "ball connected",
            "reconnecting": "LINK LOST: reconnecting…",
            "ended": "session ended",
        }.get(frame.link, frame.link)
        if frame.lost_samples:
            link += f" · {frame.lost_samples} samples lost"
        self.link_text.set_text(link)
        self.link_text.set_color(WARNING_COLOUR if frame.link == "reconnecting" else "#000000")
        self.link_text.set_fontweight("bold" if frame.link == "reconnecting" else "normal")
        pct, mv = frame.battery_percent, frame.battery_mv
        if pct is not None:
            battery = f"battery {pct} %"
        elif mv is not None:
            battery = f"battery {mv / 1000:.2f} V"
        else:
            battery = "battery —"
        low = pct is not None and pct <= 15
        if low:
            battery = "LOW " + battery
        if frame.charging:
            battery += " (charging)"
        self.battery_text.set_text(battery)
        self.battery_text.set_color(WARNING_COLOUR if low else "#000000")

    # -- drivers ---------------------------------------------------------------------------


def _shorten(text: str, n: int) -> str:
    """``text`` in ``n`` characters at most: its middle gives way, so a file name keeps
    both its beginning and its end (``replay of demo-se…ay.sbrec``)."""
    if len(text) <= n:
        return text
    tail = min(10, max(0, n - 14))
    return text[: n - 1 - tail] + "…" + (text[-tail:] if tail else "")


def _blank(ax: Axes) -> None:
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)


def _face(text: Any, colour: str) -> None:
    patch = text.get_bbox_patch()
    if patch is not None:
        patch.set_facecolor(colour)
