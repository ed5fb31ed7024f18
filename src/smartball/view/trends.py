"""The trends figure: how the kept sessions went over the days (``smartball trends``).

Minutes pressing per zone per day, holds per day (reached the target or short), too-hard
presses per day, each routine's adherence, and on which days (morning, afternoon, evening)
each routine was done. Okabe-Ito colours as in the report, and words beside every colour:
zone names in the legend, totals in each panel's title.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from smartball.history.trends import PRESSING_ZONES, RoutineDays, Trends
from smartball.hold_target import HOLD_TARGET_S
from smartball.out_file import FIGURE, check_output
from smartball.view.figure_file import save_figure
from smartball.view.style import HOLD_COLOUR, WARNING_COLOUR, ZONE_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ROUTINE_COLOURS = ("#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
                   "#000000", "#F0E442")
"""Okabe-Ito, darker first; with a name beside each routine, colour is never the only cue."""
ROUTINE_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")
PART_MARKERS = {"morning": "^", "afternoon": "o", "evening": "v"}
PART_OFFSETS = {"morning": 0.25, "afternoon": 0.0, "evening": -0.25}
SHORT_COLOUR = "#BBBBBB"
# Every day tick names its month ('29 Nov', '01 Dec'), and the year goes below: a lone '05'
# under a month named only at its end is read as that month.
DATE_FORMATS = ["%Y", "%b", "%d %b", "%H:%M", "%H:%M", "%S.%f"]
DATE_ZERO_FORMATS = ["", "%Y", "%d %b", "%d %b", "%H:%M", "%H:%M"]
DATE_OFFSET_FORMATS = ["", "%Y", "%Y", "%Y-%b-%d", "%Y-%b-%d", "%Y-%b-%d %H:%M"]


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _hm(minutes: float) -> str:
    """A total to read at a glance; under a minute in seconds, so a sliver drawn is never
    called '0 min'."""
    if 0 < minutes < 1:
        return f"{max(1, round(minutes * 60))} s"
    h, m = divmod(round(minutes), 60)
    return f"{h} h {m} min" if h else f"{m} min"


def draw(t: Trends, fig: Figure, hold_target_s: float = HOLD_TARGET_S) -> None:
    fig.clear()
    fig.set_facecolor("#FFFFFF")
    n_rout = len(t.routines)
    heights = [0.55, 2.6, 1.5, 1.2] + ([1.5, 0.5 + 0.55 * n_rout] if n_rout else [0.8])
    if t.tolerance:
        heights.append(1.6)
    gs = fig.add_gridspec(len(heights), 1, height_ratios=heights, left=0.115, right=0.78,
                          top=0.95, bottom=0.05, hspace=0.55)
    head = fig.add_subplot(gs[0])
    ax_min = fig.add_subplot(gs[1])
    ax_hold = fig.add_subplot(gs[2], sharex=ax_min)
    ax_th = fig.add_subplot(gs[3], sharex=ax_min)
    _headline(head, t)
    _minutes(ax_min, t)
    _holds(ax_hold, t, hold_target_s)
    _too_hard(ax_th, t)
    if n_rout:
        ax_adh = fig.add_subplot(gs[4], sharex=ax_min)
        ax_done = fig.add_subplot(gs[5], sharex=ax_min)
        _adherence(ax_adh, t)
        _done(ax_done, t)
        axes = [ax_min, ax_hold, ax_th, ax_adh, ax_done]
    else:
        note = fig.add_subplot(gs[4])
        note.set_axis_off()
        note.text(0.0, 0.5, "No routine in these days: 'smartball live --routine NAME' "
                  "follows one ('smartball routines' lists them).", fontsize=13,
                  transform=note.transAxes, va="center")
        axes = [ax_min, ax_hold, ax_th]
    if t.tolerance:
        ax_tol = fig.add_subplot(gs[len(heights) - 1], sharex=ax_min)
        _tolerance(ax_tol, t)
        axes.append(ax_tol)
    _date_axis(axes, t)


def _headline(ax: Axes, t: Trends) -> None:
    ax.set_axis_off()
    first, last = t.days[0], t.days[-1]
    pressing = sum(sum(v) for v in t.minutes.values())
    ax.text(0.0, 1.0, "SmartBall trends", fontsize=20, fontweight="bold",
            transform=ax.transAxes, va="bottom")
    active = sum(1 for n in t.sessions if n)
    too_hard = sum(t.too_hard)
    ax.text(0.0, 0.0,
            f"{first:%d %b %Y} to {last:%d %b %Y} ({len(t.days)} days): "
            f"{_n(t.total_sessions, 'session')} on {_n(active, 'day')}, {_hm(pressing)} "
            f"pressing;\n{_n(sum(t.holds), 'hold')} ({sum(t.holds_reached)} reached the "
            f"target); " + (f"too hard {_n(too_hard, 'time')}" if too_hard else "never too hard"),
            fontsize=13, transform=ax.transAxes, va="bottom")


WEEKLY_AFTER_DAYS = 92
"""Longer spans are drawn a bar a week: a year of daily bars is noise, not a trend."""


def _step(t: Trends) -> int:
    return 7 if len(t.days) > WEEKLY_AFTER_DAYS else 1


def _num(days: list[dt.date] | list[dt.datetime]) -> list[float]:
    """Dates as matplotlib's date numbers (days since its epoch)."""
    from matplotlib.dates import date2num

    return [float(x) for x in date2num(days)]  # type: ignore[no-untyped-call]


def _bins(t: Trends) -> list[float]:
    """Where each bar starts: its first day (a day, or a week for long spans), inset so
    that bars of neighbouring spans do not touch."""
    inset = dt.timedelta(days=0.1 * _step(t))
    return _num([dt.datetime(d.year, d.month, d.day) + inset for d in t.days[::_step(t)]])


def _width(t: Trends) -> float:
    return 0.8 * _step(t)


def _per_bin(values: list[float] | list[int], t: Trends, *, mean: bool = False) -> list[float]:
    """Sums over each bar's days (or means per day with ``mean``)."""
    k = _step(t)
    out = []
    for i in range(0, len(values), k):
        part = values[i:i + k]
        out.append(sum(part) / len(part) if mean else float(sum(part)))
    return out


def _unit(t: Trends) -> str:
    return "per week" if _step(t) > 1 else "per day"


def _minutes(ax: Axes, t: Trends) -> None:
    x = _bins(t)
    bottom = [0.0] * len(x)
    for z in PRESSING_ZONES:
        values = _per_bin(t.minutes[z], t, mean=True)
        total = sum(t.minutes[z])
        ax.bar(x, values, bottom=bottom, width=_width(t), align="edge", color=ZONE_COLOURS[z],
               edgecolor="none", label=f"{z.replace('_', ' ')}: {_hm(total)}")
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylim(0, max(max(bottom), 1.0) * 1.1)
    ax.set_ylabel("minutes", fontsize=12)
    how = "per day (mean of each week)" if _step(t) > 1 else "per day"
    ax.set_title(f"minutes pressing {how}, by zone", fontsize=14, loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=12, frameon=False,
              title="zone: total", title_fontsize=12, alignment="left")


def _holds(ax: Axes, t: Trends, target_s: float) -> None:
    x, w = _bins(t), _width(t)
    reached = _per_bin(t.holds_reached, t)
    short = [h - r for h, r in zip(_per_bin(t.holds, t), reached, strict=True)]
    ax.bar(x, reached, width=w, align="edge", color=HOLD_COLOUR, edgecolor="none",
           label=f"reached {target_s:g} s: {sum(t.holds_reached)}")
    ax.bar(x, short, bottom=reached, width=w, align="edge", color=SHORT_COLOUR,
           edgecolor="none", label=f"short: {sum(t.holds) - sum(t.holds_reached)}")
    ax.set_ylim(0, max(max(_per_bin(t.holds, t)), 1) * 1.15)
    ax.set_ylabel("holds", fontsize=12)
    _whole_numbers(ax)
    ax.set_title(f"holds on sore spots {_unit(t)} (target {target_s:g} s)", fontsize=14,
                 loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=12, frameon=False)


def _too_hard(ax: Axes, t: Trends) -> None:
    total = sum(t.too_hard)
    values = _per_bin(t.too_hard, t)
    ax.bar(_bins(t), values, width=_width(t), align="edge", color=WARNING_COLOUR,
           edgecolor="none")
    ax.set_ylim(0, max(max(values), 1) * 1.2)
    ax.set_ylabel("presses", fontsize=12)
    _whole_numbers(ax)
    words = ("never too hard: well done" if total == 0
             else f"too hard {_n(total, 'time')} on {_n(sum(1 for n in t.too_hard if n), 'day')}")
    ax.set_title(f"too-hard presses {_unit(t)}: {words}", fontsize=14, loc="left",
                 color="#000000" if total == 0 else WARNING_COLOUR)


PART_COLOURS = {"foot": "#0072B2", "back": "#D55E00", "shoulder": "#009E73",
                "neck": "#CC79A7", "hip": "#E69F00"}
PART_STYLES = {"foot": "o", "back": "s", "shoulder": "D", "neck": "^", "hip": "v"}


def _tolerance(ax: Axes, t: Trends) -> None:
    """Each part's edge of too much in force each day (a step line), a marker on each
    measurement: the person's pressure tolerance over the days."""
    edges = [dt.datetime(d.year, d.month, d.day) for d in t.days]
    edges.append(edges[-1] + dt.timedelta(days=1))
    top = 0.0
    for part, row in t.tolerance.items():
        colour = PART_COLOURS.get(part, "#000000")
        ys = [float("nan") if v is None else v for v in row]
        ax.stairs(ys, _num(edges), color=colour, linewidth=2.0, baseline=None)
        got = t.measured.get(part, [])
        days = [dt.datetime(d.year, d.month, d.day, 12) for d, _ in got]
        ax.plot(_num(days), [v for _, v in got], linestyle="none",
                marker=PART_STYLES.get(part, "o"), color=colour, markersize=7)
        now = next((v for v in reversed(row) if v is not None), None)
        first = next((v for v in row if v is not None), None)
        words = f"{part}: {now:.0f} N" if now is not None else part
        if now is not None and first is not None and abs(now - first) >= 0.5:
            words += f" ({now - first:+.0f} N)"
        ax.plot([], [], color=colour, marker=PART_STYLES.get(part, "o"), label=words)
        top = max([top, *(v for v in row if v is not None)])
    ax.set_ylim(0, max(top, 1.0) * 1.25)
    ax.set_ylabel("N", fontsize=12)
    who = f" of {t.user}" if t.user and t.user != "default" else ""
    ax.set_title(f"pressure tolerance{who}: the edge of too much in force each day "
                 "(a mark where measured)", fontsize=14, loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=12, frameon=False,
              title="part: now (change)", title_fontsize=12, alignment="left")


def _whole_numbers(ax: Axes) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))


def _style(k: int) -> tuple[str, str]:
    return ROUTINE_COLOURS[k % len(ROUTINE_COLOURS)], ROUTINE_MARKERS[k % len(ROUTINE_MARKERS)]


def _adherence(ax: Axes, t: Trends) -> None:
    for k, rd in enumerate(t.routines):
        colour, marker = _style(k)
        days, values = _adherence_points(rd, t)
        every = [a for v in rd.adherence.values() for a in v]
        mean = f"{100.0 * sum(every) / len(every):.0f} %" if every else "not measured"
        ax.plot(_num(days), values, color=colour, marker=marker, markersize=5, linewidth=1.5,
                label=f"{rd.name}: {mean}")
    ax.set_ylim(0, 105)
    ax.set_yticks([0, 50, 100], ["0 %", "50 %", "100 %"])
    ax.axhline(100, color="#888888", linewidth=0.8, linestyle=":")
    ax.set_ylabel("in target", fontsize=12)
    how = "mean per week" if _step(t) > 1 else "mean per day"
    ax.set_title(f"routine adherence (time in the target zones; {how})", fontsize=14,
                 loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=12, frameon=False,
              title="routine: mean", title_fontsize=12, alignment="left")


def _adherence_points(rd: RoutineDays, t: Trends) -> tuple[list[dt.datetime], list[float]]:
    """Mean adherence (%) of each bar's span that has any, dated at the span's middle."""
    k = _step(t)
    days: list[dt.datetime] = []
    values: list[float] = []
    for start in t.days[::k]:
        got = [a for i in range(k)
               for a in rd.adherence.get(start + dt.timedelta(days=i), [])]
        if got:
            days.append(dt.datetime(start.year, start.month, start.day)
                        + dt.timedelta(days=k / 2))
            values.append(100.0 * sum(got) / len(got))
    return days, values


def _done(ax: Axes, t: Trends) -> None:
    n = len(t.routines)
    for k, rd in enumerate(t.routines):
        colour, _marker = _style(k)
        y0 = n - 1 - k
        for part, marker in PART_MARKERS.items():
            days = [dt.datetime(d.year, d.month, d.day, 12) for d, parts in rd.done.items()
                    if part in parts]
            ax.scatter(_num(days), [y0 + PART_OFFSETS[part]] * len(days), marker=marker, s=40,
                       color=colour, linewidths=0)
        ax.text(1.01, y0, _done_words(rd, len(t.days)), transform=ax.get_yaxis_transform(),
                va="center", fontsize=11)
    ax.set_yticks(range(n), [rd.name for rd in reversed(t.routines)], fontsize=12)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_title("when each routine was done (▲ morning, ● afternoon, ▼ evening)",
                 fontsize=14, loc="left")
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.8)


def _done_words(rd: RoutineDays, n_days: int) -> str:
    parts = [f"{len(rd.done)} of {n_days} days"]
    m, e = rd.days_with("morning"), rd.days_with("evening")
    if m:
        parts.append(_n(m, "morning"))
    if e:
        parts.append(_n(e, "evening"))
    if m and e:
        parts.append(f"both on {rd.days_both()}")
    return "\n".join([", ".join(parts[:2]), ", ".join(parts[2:])]).strip()


def _date_axis(axes: list[Axes], t: Trends) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)  # type: ignore[no-untyped-call]
    for ax in axes:
        ax.xaxis.set_major_locator(locator)
        formatter = mdates.ConciseDateFormatter(  # type: ignore[no-untyped-call]
            locator, formats=DATE_FORMATS, zero_formats=DATE_ZERO_FORMATS,
            offset_formats=DATE_OFFSET_FORMATS)
        ax.xaxis.set_major_formatter(formatter)
        ax.tick_params(labelsize=11)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    axes[0].set_xlim(*_num([t.days[0], t.days[-1] + dt.timedelta(days=1)]))


def write_trends(t: Trends, out: str) -> None:
    """Draw ``t`` and write it to ``out`` (.png, .pdf or .svg)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    out_path = check_output(out, FIGURE, "--out")
    height = 11.0 + (0.45 * len(t.routines) if t.routines else -2.5)
    height += 1.8 if t.tolerance else 0.0
    fig = Figure(figsize=(15.0, height), dpi=100)
    FigureCanvasAgg(fig)
    draw(t, fig)
    if t.calibrations:
        fig.text(0.01, 0.005, force_from(t.calibrations), fontsize=10, color="#444444",
                 ha="left", va="bottom")
    save_figure(fig, out_path)


def force_from(calibrations: dict[str, int]) -> str:
    """The line naming the calibrations of the sessions drawn: 'force from your ball
    (/home/me/ball.json): 12 sessions; the reference ball (60 Pa/N): 3 sessions'."""
    if len(calibrations) == 1:
        return f"force from {next(iter(calibrations))}"
    parts = [f"{name}: {_n(count, 'session')}" for name, count in calibrations.items()]
    return "force from " + "; ".join(parts)
