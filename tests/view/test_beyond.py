"""At the sensor's end every view says "beyond what this ball can measure", never a force:
the live figure (the number and the gauge), the terminal gauge, the compact window's state
and the report figure."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from smartball.events import Event
from smartball.sensor_range import BEYOND_WORDS
from smartball.view.buffer import LiveBuffer
from smartball.view.live import LiveView
from smartball.view.style import FORCE_MAX_N, ZoneBounds

from .synthetic import SyntheticResult, result


def floor_story() -> SyntheticResult:
    """Rolling at 150 N, then the whole weight past the sensor's end from 6 s (the reading
    stops at the end: a force computed from it would read about 394 N)."""
    t = np.arange(0.0, 10.0, 0.01)
    f = np.where(t < 6.0, 150.0, 394.0)
    return result(t, f, rolling=t < 6.0, saturated=t >= 6.0)


def _view(r: SyntheticResult, upto: int) -> LiveView:
    buf = LiveBuffer()
    buf.on_event(Event(0.0, "connected"))
    for i in range(0, upto, 10):
        buf.on_samples(r[i : min(i + 10, upto)])
    fig = Figure(figsize=(13, 7.5), dpi=100)
    FigureCanvasAgg(fig)
    view = LiveView(buf, fig, title="test")
    view.update()
    return view


def test_the_live_view_says_beyond_instead_of_a_number() -> None:
    r = floor_story()
    before = _view(r, 500)
    assert before.force_text.get_text() == "150 N"
    assert not before.gauge_bar.get_hatch()
    assert len(before.beyond_line.get_xdata()) == 0

    view = _view(r, 900)
    text = view.force_text.get_text()
    assert " ".join(text.split()) == BEYOND_WORDS and "N" not in text
    assert view.gauge_bar.get_hatch() == "xx"
    assert view.gauge_bar.get_height() == FORCE_MAX_N
    # The trace draws no force past the end; the bar along the top marks the stretch.
    x, y = view.trace_line.get_data()
    x, y = np.asarray(x), np.asarray(y)
    assert np.isnan(y[x > -2.9]).all() and np.isfinite(y[x < -3.1]).all()
    bx, by = (np.asarray(a, float) for a in view.beyond_line.get_data())
    assert np.isfinite(by).any() and bx[np.isfinite(by)].min() >= -3.05


def test_the_terminal_gauge_says_beyond() -> None:
    from smartball.view.gauge import Gauge

    r = floor_story()
    gauge = Gauge(io.StringIO())
    gauge.on_samples(r[:500])  # type: ignore[arg-type]
    assert "150 N" in gauge.line()
    gauge.on_samples(r[500:900])  # type: ignore[arg-type]
    line = gauge.line()
    assert BEYOND_WORDS in line and " N" not in line


def test_the_compact_window_says_beyond_with_the_bar_full() -> None:
    from smartball.view.compact import CompactState

    r = floor_story()
    state = CompactState()
    state.on_samples(r[:500])  # type: ignore[arg-type]
    assert state.view()[3] == "150 N"
    state.on_samples(r[500:900])  # type: ignore[arg-type]
    word, _colour, bar, hold, _step = state.view()
    assert word == "TOO HARD" and bar == 1.0
    assert " ".join(hold.split()) == BEYOND_WORDS


def test_the_report_marks_the_stretches_beyond() -> None:
    from smartball.view.report import ReportData, draw

    t = np.arange(0.0, 60.0, 0.5)
    f = np.where((t >= 20) & (t < 30), np.nan, 150.0)  # the measured force: none past the end
    summary = {
        "source": "floor.sbrec", "duration_s": 60.0, "samples": 6000, "sample_rate_hz": 100.0,
        "lost_samples": 0, "crc_errors": 0,
        "time_in_zone_s": {"rest": 0.0, "light": 0.0, "moderate": 0.0, "deep": 45.0,
                           "too_hard": 15.0},
        "segments": [], "holds": [],
        "too_hard": [{"start_s": 18.0, "end_s": 31.0, "peak_force_n": None, "beyond": True}],
        "max_force_n": 230.0, "beyond_s": 10.0,
    }
    fig = Figure(figsize=(14, 9.5), dpi=100)
    FigureCanvasAgg(fig)
    draw(ReportData(summary=summary, t_s=t, force_n=f, bounds=ZoneBounds.of(),
                    beyond_s=((20.0, 30.0),)), fig)
    fig.canvas.draw()
    texts = [a.get_text() for ax in fig.axes for a in ax.texts]
    assert BEYOND_WORDS in texts
    assert any("230 N; 10 s beyond" in x for x in texts)
    assert any(BEYOND_WORDS in ax.get_title(loc="left") for ax in fig.axes)
