"""Frames of the coaching view rendered with Agg: the artists show the state."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from smartball.events import Event
from smartball.view.buffer import LiveBuffer
from smartball.view.live import LiveView, decimate_minmax
from smartball.view.style import HOLD_COLOUR, WARNING_COLOUR, ZONE_COLOURS
from tests.view.blit import Blitter

from .pngcheck import assert_real_picture, count_colour
from .synthetic import story


def view_at(seconds: float, *events: Event) -> LiveView:
    """The view after the story has played up to ``seconds``, with ``events`` delivered."""
    buf = LiveBuffer()
    buf.on_event(Event(0.0, "connected"))
    r = story()
    n = round(seconds * 100)
    for i in range(0, n, 10):
        buf.on_samples(r[i : min(i + 10, n)])
    for ev in events:
        buf.on_event(ev)
    fig = Figure(figsize=(13, 7.5), dpi=100)
    FigureCanvasAgg(fig)
    view = LiveView(buf, fig, title="test")
    view.update()
    return view


def face(text: object) -> str:
    return to_hex(text.get_bbox_patch().get_facecolor())  # type: ignore[attr-defined]


def test_rolling_at_moderate_shows_the_zone_in_words_and_colour() -> None:
    view = view_at(5.0)
    assert view.zone_text.get_text() == "MODERATE"
    assert face(view.zone_text) == ZONE_COLOURS["moderate"].lower()
    assert to_hex(view.zone_text.get_color()) == "#ffffff"  # white on the dark blue
    assert not view.warning_text.get_visible()
    assert view.force_text.get_text().endswith(" N")
    assert view.hold_caption.get_text() == "holds"


def test_hold_shows_a_countdown_to_ten_seconds() -> None:
    view = view_at(16.5)  # hold began at 12 s
    assert view.zone_text.get_text() == "DEEP"
    assert view.hold_caption.get_text().startswith("HOLD")
    assert view.hold_text.get_text() == "6 s"
    assert "6 s to go" in view.coach_text.get_text()


def test_hold_past_ten_seconds_says_release() -> None:
    view = view_at(23.0)
    assert view.hold_text.get_text() == "RELEASE"
    assert face(view.hold_text) == HOLD_COLOUR.lower()
    assert view.coach_text.get_text().startswith("Release now")


def test_too_hard_raises_a_warning_that_cannot_be_missed() -> None:
    view = view_at(26.5, Event(26.0, "too_hard", {"force_n": 215.0}))
    assert view.warning_text.get_visible()
    assert "TOO HARD" in view.warning_text.get_text()
    assert face(view.warning_text) == WARNING_COLOUR.lower()
    assert view.warning_text.get_fontsize() >= 40
    assert view.zone_text.get_text() == "TOO HARD"
    assert face(view.coach_text) == WARNING_COLOUR.lower()
    assert "ease off" in view.coach_text.get_text().lower()


def test_warning_lingers_briefly_after_the_press(tmp_path: Path) -> None:
    view = view_at(28.5, Event(26.0, "too_hard", {"force_n": 215.0}))
    assert view.zone_text.get_text() == "LIGHT"
    assert view.warning_text.get_visible()  # 2.5 s after the warning began, 0.5 s after it ended
    later = view_at(31.0, Event(26.0, "too_hard", {"force_n": 215.0}))
    assert not later.warning_text.get_visible()


def test_warning_is_on_the_rendered_picture(tmp_path: Path) -> None:
    calm = view_at(5.0)
    hard = view_at(26.5, Event(26.0, "too_hard", {"force_n": 215.0}))
    calm.fig.savefig(tmp_path / "calm.png")
    hard.fig.savefig(tmp_path / "hard.png")
    calm_rgb = assert_real_picture(tmp_path / "calm.png")
    hard_rgb = assert_real_picture(tmp_path / "hard.png")
    # Solid red-orange (not the pale band) covers a large area only when warning.
    assert count_colour(calm_rgb, WARNING_COLOUR) < 500
    assert count_colour(hard_rgb, WARNING_COLOUR) > 40_000


def test_status_bar_shows_clock_link_loss_and_battery() -> None:
    view = view_at(
        35.0,
        Event(30.0, "status", {"battery_percent": 12, "battery_mv": 3500}),
        Event(31.0, "gap", {"lost_samples": 9}),
        Event(32.0, "disconnected"),
    )
    assert view.clock_text.get_text() == "session 00:34"
    assert "reconnecting" in view.link_text.get_text()
    assert "9 samples lost" in view.link_text.get_text()
    assert to_hex(view.link_text.get_color()) == WARNING_COLOUR.lower()
    assert view.battery_text.get_text() == "LOW battery 12 %"
    assert view.coach_text.get_text().startswith("Waiting for the ball")


def test_empty_buffer_draws_without_data() -> None:
    buf = LiveBuffer()
    fig = Figure(figsize=(13, 7.5), dpi=100)
    FigureCanvasAgg(fig)
    view = LiveView(buf, fig)
    view.update()
    assert view.force_text.get_text() == "no data"
    assert "waiting" in view.link_text.get_text()


def test_trace_shows_the_window_in_seconds_ago() -> None:
    view = view_at(30.0)
    x, y = view.trace_line.get_data()
    assert len(x) <= view.max_points + 1
    assert -20.01 <= float(np.min(x)) and float(np.max(x)) == 0.0
    assert float(np.max(y)) == pytest.approx(215.0)  # the too-hard press at 26-28 s


def test_decimation_keeps_a_one_sample_spike() -> None:
    t = np.arange(5000) / 100.0
    y = np.zeros(5000)
    y[2345] = 240.0
    td, yd = decimate_minmax(t, y, 400)
    assert td.shape[0] <= 402
    assert float(yd.max()) == 240.0
    assert np.all(np.diff(td) >= 0)


def test_blitted_frames_follow_the_buffer() -> None:
    buf = LiveBuffer()
    fig = Figure(figsize=(13, 7.5), dpi=100)
    FigureCanvasAgg(fig)
    view = LiveView(buf, fig)
    blit = Blitter(view)
    blit.frame()
    before = np.asarray(fig.canvas.buffer_rgba()).copy()  # type: ignore[attr-defined]
    r = story()
    for i in range(0, 2650, 10):
        buf.on_samples(r[i : i + 10])
    blit.frame()
    after = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]
    assert view.warning_text.get_visible()
    changed = np.any(before != after, axis=2)
    assert changed.mean() > 0.05


def test_frames_redraw_only_what_changed_and_everything_after_a_full_draw() -> None:
    buf = LiveBuffer()
    r = story()
    for i in range(0, 500, 10):
        buf.on_samples(r[i : i + 10])
    fig = Figure(figsize=(13, 7.5), dpi=100)
    FigureCanvasAgg(fig)
    view = LiveView(buf, fig)
    assert len(view.update()) == len(view.artists)  # first frame: all
    buf.on_samples(r[500:502])
    second = view.update()
    assert view.trace_line in second and view.force_text in second
    assert view.coach_text not in second and view.zone_text not in second
    fig.canvas.draw()  # a full draw (resize, expose) leaves animated artists out
    assert len(view.update()) == len(view.artists)
    for i in range(502, 1400, 2):  # into the hold: zone, countdown and coach line change
        buf.on_samples(r[i : i + 2])
    changed = view.update()
    assert view.zone_text in changed and view.hold_text in changed


def test_blitted_frames_leave_the_frames_of_trace_and_gauge_whole() -> None:
    """A blitted frame restores its axes' box rounded to whole pixels, without the frame's
    last column: after a minute of frames the frames of the trace and the level bar are
    what a full draw makes of them, with no trace or level mark left on them."""
    buf = LiveBuffer()
    buf.on_event(Event(0.0, "connected"))
    fig = Figure(figsize=(13, 7.5), dpi=100)
    FigureCanvasAgg(fig)
    view = LiveView(buf, fig)
    blit = Blitter(view)
    blit.frame()
    r = story()
    for i in range(0, 3000, 10):
        buf.on_samples(r[i : i + 10])
        if i % 50 == 0:
            blit.frame()
    blitted = np.asarray(fig.canvas.buffer_rgba()).copy()  # type: ignore[attr-defined]
    fig.canvas.draw()
    for a in view.artists:
        assert a.axes is not None
        a.axes.draw_artist(a)
    full = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]
    height = full.shape[0]
    for ax in (view.ax_trace, view.ax_gauge):
        x0, y0, x1, y1 = ax.bbox.extents
        rows = slice(int(height - y1) - 2, int(height - y0) + 3)
        cols = slice(int(x0) - 2, int(x1) + 3)
        differ = np.any(blitted[rows, cols] != full[rows, cols], axis=2)
        edge = np.zeros_like(differ)
        edge[:5] = edge[-5:] = True
        edge[:, :5] = edge[:, -5:] = True
        assert int((differ & edge).sum()) == 0
        assert int(differ.sum()) == 0
