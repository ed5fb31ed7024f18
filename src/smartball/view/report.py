"""One figure that sums up a finished session: the report a user keeps.

The session file is processed exactly as ``analyze`` does (same processor, same summary
dict), and the figure shows: the headline figures (duration, max force, holds, time too
hard), the force over time on the zone bands with the holds and too-hard stretches marked,
the time in each zone, and each hold against the 10 s target. Where the pressure sensor was
at the end of its range the trace has no force: those stretches are marked "beyond what
this ball can measure" instead. Words accompany every colour
(zone names on the bars, "reached"/"short" on the holds).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from smartball.events import ZONES
from smartball.hold_target import HOLD_TARGET_S, reached_target
from smartball.out_file import FIGURE, check_output
from smartball.sensor_range import BEYOND_WORDS
from smartball.timefmt import mmss
from smartball.view.figure_file import save_figure
from smartball.view.live import decimate_minmax
from smartball.view.style import (
    BAND_ALPHA,
    FORCE_MAX_N,
    HOLD_COLOUR,
    TRACE_COLOUR,
    WARNING_COLOUR,
    ZONE_COLOURS,
    ZoneBounds,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from smartball.context import SessionContext
    from smartball.processing import Calibration, ProcessResult
    from smartball.routines.model import Routine

F64 = npt.NDArray[np.float64]
TRACE_POINTS = 4000


@dataclass(frozen=True, slots=True)
class ReportData:
    summary: dict[str, Any]
    """The ``analyze --json`` dict."""
    t_s: F64
    """Seconds from the first sample (decimated for plotting)."""
    force_n: F64
    """The measured force; NaN where the sensor was at its end."""
    bounds: ZoneBounds
    hold_target_s: float = HOLD_TARGET_S
    beyond_s: tuple[tuple[float, float], ...] = ()
    """``(start_s, end_s)`` of each stretch at the sensor's end, from the first sample."""


def collect(path: str, calibration: Calibration | None = None,
            routine: Routine | None = None, *,
            context: SessionContext | None = None) -> ReportData:
    """Process a session file (any form ``open_file`` reads) into what the report shows;
    with ``routine``, scored against it."""
    from smartball.analysis import analyze_file

    t_parts: list[F64] = []
    f_parts: list[F64] = []
    beyond: list[list[float]] = []  # [start, end] of stretches at the sensor's end

    def keep_trace(result: ProcessResult) -> None:
        # Decimate per chunk so an hours-long file never holds every sample twice.
        t, f = decimate_minmax(result.t_s, result.measured_force_n, max(2, len(result) // 8))
        t_parts.append(t)
        f_parts.append(f)
        _keep_stretches(beyond, result.t_s, result.saturated, result.sample_rate_hz)

    done = analyze_file(path, calibration, on_result=keep_trace, routine=routine,
                        context=context)
    t_all, f_all = decimate_minmax(np.concatenate(t_parts), np.concatenate(f_parts),
                                   TRACE_POINTS)
    return ReportData(
        summary=done.summary,
        t_s=t_all - done.t_first_s,
        force_n=f_all,
        bounds=ZoneBounds.of(done.config),
        hold_target_s=float(done.config.hold_target_s),
        beyond_s=tuple((a - done.t_first_s, b - done.t_first_s) for a, b in beyond),
    )


def _keep_stretches(out: list[list[float]], t_s: F64, mask: npt.NDArray[np.bool_],
                    rate_hz: float) -> None:
    """Add the stretches where ``mask`` holds to ``out``, joining one that goes on from the
    last block (each ends one sample period after its last sample)."""
    if not mask.any():
        return
    period = 1.0 / rate_hz if rate_hz > 0 else 0.0
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    for a, b in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        start, end = float(t_s[a]), float(t_s[b - 1]) + period
        if out and start - out[-1][1] <= 1.5 * period:
            out[-1][1] = end
        else:
            out.append([start, end])


def draw(data: ReportData, fig: Figure) -> None:
    s = data.summary
    fig.clear()
    fig.set_facecolor("#FFFFFF")
    routine = s.get("routine")
    heights = [0.9, 3.0, 2.3] if routine is None else [0.9, 2.1, 2.6, 2.0]
    gs = fig.add_gridspec(len(heights), 2, height_ratios=heights, width_ratios=[1.0, 1.25],
                          left=0.085, right=0.93, top=0.9 if routine is None else 0.93,
                          bottom=0.08 if routine is None else 0.06, hspace=0.45, wspace=0.28)
    ax_head = fig.add_subplot(gs[0, :])
    ax_force = fig.add_subplot(gs[-2, :])
    ax_zone = fig.add_subplot(gs[-1, 0])
    ax_hold = fig.add_subplot(gs[-1, 1])
    if routine is not None:
        from smartball.view.routine_report import draw_routine, mark_steps

        draw_routine(fig.add_subplot(gs[1, :]), routine)
        mark_steps(ax_force, routine)
    _headline(ax_head, data)
    _force(ax_force, data)
    _zones(ax_zone, data)
    _holds(ax_hold, data)
    lost, crc = int(s.get("lost_samples", 0)), int(s.get("crc_errors", 0))
    note = f"{Path(str(s['source'])).name}: {s['samples']} samples at {s['sample_rate_hz']:g} Hz"
    if lost or crc:
        note += f"; {lost} samples lost, {crc} damaged frames"
    fig.text(0.99, 0.008, note, fontsize=11, color="#444444", ha="right", va="bottom")


def _headline(ax: Axes, data: ReportData) -> None:
    s = data.summary
    ax.set_axis_off()
    holds = s["holds"]
    reached = sum(reached_target(h["end_s"] - h["start_s"], data.hold_target_s) for h in holds)
    too_hard = s["too_hard"]
    th_s = sum(x["end_s"] - x["start_s"] for x in too_hard)
    beyond_s = float(s.get("beyond_s") or 0.0)
    measured = s.get("max_force_n")
    max_card = (("max force", f"{float(s['max_force_n']):.0f} N", "#000000") if not beyond_s else
                ("max force measured, and beyond",
                 ("none" if measured is None else f"{float(measured):.0f} N")
                 + f"; {beyond_s:.0f} s beyond", WARNING_COLOUR))
    cards = [
        ("duration", mmss(float(s["duration_s"])), "#000000"),
        max_card,
        (f"holds that reached {data.hold_target_s:g} s",
         f"{reached} of {len(holds)}" if holds else "no holds", "#000000"),
        ("time too hard", f"{th_s:.1f} s ({len(too_hard)}×)" if too_hard else "never",
         WARNING_COLOUR if too_hard else "#000000"),
    ]
    ax.text(0.0, 1.25, "SmartBall session report", fontsize=20, fontweight="bold",
            transform=ax.transAxes, va="bottom")
    for i, (label, value, colour) in enumerate(cards):
        x = i / len(cards)
        ax.text(x, 0.62, label, fontsize=15, color="#444444", transform=ax.transAxes)
        ax.text(x, 0.05, value, fontsize=22, fontweight="bold", color=colour,
                transform=ax.transAxes)


def _force(ax: Axes, data: ReportData) -> None:
    s = data.summary
    top = max(FORCE_MAX_N, float(np.nanmax(data.force_n)) * 1.05 if data.force_n.size else 0.0)
    duration = max(float(s["duration_s"]), 1e-3)
    for zone, lo, hi in data.bounds.bands(top):
        ax.axhspan(lo, hi, color=ZONE_COLOURS[zone], alpha=BAND_ALPHA, linewidth=0)
        ax.text(1.005, (lo + hi) / 2, zone.replace("_", " "), transform=ax.get_yaxis_transform(),
                va="center", fontsize=12)
    for h in s["holds"]:
        dur = h["end_s"] - h["start_s"]
        ok = reached_target(dur, data.hold_target_s)
        ax.axvspan(h["start_s"], h["end_s"], facecolor=HOLD_COLOUR, alpha=0.3,
                   hatch=None if ok else "//", edgecolor=HOLD_COLOUR, linewidth=1.5)
        ax.text((h["start_s"] + h["end_s"]) / 2, top * 0.97, f"hold\n{dur:.0f} s",
                ha="center", va="top", fontsize=11, color="#000000")
    for a, b in data.beyond_s:
        # No force there: a hatched band over the whole height, and the words.
        ax.axvspan(a, b, facecolor="none", hatch="xx", edgecolor=WARNING_COLOUR, linewidth=0)
    if data.beyond_s:
        a, b = max(data.beyond_s, key=lambda x: x[1] - x[0])
        ax.text((a + b) / 2, top * 0.5, BEYOND_WORDS, rotation=90, ha="center", va="center",
                fontsize=10, color="#000000",
                bbox=dict(boxstyle="round,pad=0.2", facecolor="#FFFFFF", edgecolor="none"))
    for x in s["too_hard"]:
        ax.axvspan(x["start_s"], x["end_s"], color=WARNING_COLOUR, alpha=0.75, linewidth=0)
        peak = x["peak_force_n"] if x["peak_force_n"] is not None else top * 0.9
        ax.annotate("too hard", xy=(x["start_s"], peak),
                    xytext=(0, 14), textcoords="offset points", ha="center", fontsize=12,
                    fontweight="bold", color=WARNING_COLOUR,
                    arrowprops=dict(arrowstyle="-|>", color=WARNING_COLOUR))
    ax.plot(data.t_s, data.force_n, color=TRACE_COLOUR, linewidth=1.0)
    ax.set_xlim(0.0, duration)
    ax.set_ylim(0.0, top)
    ax.set_ylabel("force (N)", fontsize=13)
    title = "force over time (shaded: holds; red-orange: too hard"
    title += f"; hatched: {BEYOND_WORDS})" if data.beyond_s else ")"
    ax.set_title(title, fontsize=14, loc="left")
    if duration > 180:
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: mmss(v)))
        ax.set_xlabel("time (min:s)", fontsize=13)
    else:
        ax.set_xlabel("time (s)", fontsize=13)
    ax.tick_params(labelsize=11)


def _zones(ax: Axes, data: ReportData) -> None:
    s = data.summary
    in_zone = s["time_in_zone_s"]
    total = sum(in_zone.values()) or 1.0
    names = list(ZONES)
    values = [float(in_zone.get(z, 0.0)) for z in names]
    y = np.arange(len(names))
    ax.barh(y, values, color=[ZONE_COLOURS[z] for z in names], edgecolor="#000000")
    ax.set_yticks(y, [z.replace("_", " ") for z in names], fontsize=13)
    ax.invert_yaxis()
    right = max(values) if max(values) > 0 else 1.0
    for yi, v in enumerate(values):
        ax.text(v + right * 0.02, yi, f"{mmss(v)}  ({100 * v / total:.0f} %)", va="center",
                fontsize=12)
    ax.set_xlim(0, right * 1.45)
    ax.set_xlabel("seconds", fontsize=12)
    ax.set_title("time in each zone", fontsize=14, loc="left")
    ax.tick_params(axis="x", labelsize=11)


def _holds(ax: Axes, data: ReportData) -> None:
    holds = data.summary["holds"]
    target = data.hold_target_s
    ax.set_title(f"holds (target {target:g} s)", fontsize=14, loc="left")
    if not holds:
        ax.set_axis_off()
        ax.text(0.5, 0.5, f"No holds this time.\nStop on a sore spot for {target:g} s.",
                ha="center", va="center", fontsize=15, transform=ax.transAxes)
        return
    durs = [h["end_s"] - h["start_s"] for h in holds]
    x = np.arange(len(holds))
    for xi, d in enumerate(durs):
        ok = d >= target - 0.5
        ax.bar(xi, d, width=0.7, facecolor=HOLD_COLOUR if ok else "#FFFFFF",
               edgecolor=HOLD_COLOUR, hatch=None if ok else "//", linewidth=2)
        ax.text(xi, d + target * 0.04, f"{d:.0f} s\n{'reached' if ok else 'short'}",
                ha="center", va="bottom", fontsize=11)
    ax.axhline(target, color="#000000", linestyle="--", linewidth=1.5)
    ax.text(1.0, target, f" {target:g} s", transform=ax.get_yaxis_transform(), va="center",
            fontsize=12)
    labels = [f"{i + 1}\n{mmss(h['start_s'])}" for i, h in enumerate(holds)]
    step = max(1, len(holds) // 12)
    ax.set_xticks(x[::step], labels[::step], fontsize=10)
    ax.set_xlim(-0.6, max(len(holds), 5) - 0.4)  # a lone hold is not a wall of green
    ax.set_ylim(0, max(max(durs), target) * 1.35)
    ax.set_ylabel("seconds", fontsize=12)
    ax.tick_params(axis="y", labelsize=11)


def write_report(path: str, out: str, calibration: Calibration | None = None,
                 routine: Routine | None = None, *,
                 context: SessionContext | None = None,
                 calibration_name: str | None = None) -> ReportData:
    """Read ``path`` and write the report figure to ``out`` (format from its suffix); with
    ``routine`` its steps and how each went; with ``calibration_name`` a line naming the
    calibration the force came from."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    out_path = check_output(out, FIGURE, "--out")
    data = collect(path, calibration, routine, context=context)
    if context is not None:
        routine = context.routine
    fig = Figure(figsize=(14.0, 9.5 if routine is None else 12.0), dpi=100)
    FigureCanvasAgg(fig)
    draw(data, fig)
    if calibration_name:
        fig.text(0.01, 0.008, f"force from {calibration_name}", fontsize=11, color="#444444",
                 ha="left", va="bottom")
    save_figure(fig, out_path)
    return data
