"""run_live_view without a display: headless on Agg with a final snapshot, or one clear
sentence when a headless run would show nothing."""

from __future__ import annotations

import time
from pathlib import Path

import matplotlib
import pytest

from smartball.view.app import NoDisplayError, backend_is_interactive, run_live_view
from smartball.view.style import WARNING_COLOUR

from .pngcheck import assert_real_picture, count_colour
from .synthetic import SyntheticSession


@pytest.fixture(autouse=True)
def agg() -> None:
    matplotlib.use("Agg")
    assert not backend_is_interactive()


def test_headless_run_writes_the_final_view(tmp_path: Path) -> None:
    snap = tmp_path / "snap.png"
    session = SyntheticSession(speed=20.0)  # 40 s of story in 2 s
    t0 = time.monotonic()
    run_live_view(session, seconds=None, snapshot=str(snap), title="headless")
    assert time.monotonic() - t0 < 10.0
    rgb = assert_real_picture(snap, min_w=1200, min_h=700)
    assert count_colour(rgb, WARNING_COLOUR) < 500  # the story ends calm, at light


def test_headless_run_stops_at_seconds_and_shows_that_moment(tmp_path: Path) -> None:
    snap = tmp_path / "snap.png"
    session = SyntheticSession(speed=20.0)
    run_live_view(session, seconds=1.33, snapshot=str(snap), title="headless")
    # The session was asked for 1.33 s; at 20x that is 26.6 s of story: the too-hard press.
    assert session.started_with == pytest.approx(1.33)
    rgb = assert_real_picture(snap)
    assert count_colour(rgb, WARNING_COLOUR) > 20_000


def test_no_display_and_nothing_headless_asked_is_one_sentence() -> None:
    session = SyntheticSession()
    with pytest.raises(NoDisplayError) as exc:
        run_live_view(session, seconds=None, snapshot=None, title="x")
    msg = str(exc.value)
    assert msg.startswith("There is no display")
    assert "--no-plot" in msg and "--snapshot" in msg
    assert session.started_with is None and not session.listeners  # nothing was started


