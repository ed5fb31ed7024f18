"""The live window on a real X server (Xvfb): it opens, animates, closes itself after
``--seconds``, writes the snapshot, and the process exits with status 0."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import XDisplay
from .pngcheck import assert_real_picture

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.xvfb

SCRIPT = textwrap.dedent("""
    import sys, time
    import matplotlib
    from tests.view.synthetic import SyntheticSession
    from smartball.view.app import run_live_view, backend_is_interactive

    assert backend_is_interactive(), matplotlib.get_backend()
    session = SyntheticSession(speed=1.0)
    frames = []
    import smartball.view.live as live
    original = live.LiveView.update
    def counting(self, n=None):
        frames.append(n)
        return original(self, n)
    live.LiveView.update = counting
    t0 = time.monotonic()
    run_live_view(session, seconds=2.0, snapshot=sys.argv[1], title="window test")
    took = time.monotonic() - t0
    print(f"frames={len(frames)} took={took:.2f} backend={matplotlib.get_backend()}")
""")


def test_window_opens_animates_and_closes_cleanly(xdisplay: XDisplay, tmp_path: Path) -> None:
    snap = tmp_path / "window.png"
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(snap)], cwd=ROOT, capture_output=True, text=True,
        timeout=60, env=xdisplay.env(PYTHONPATH=f"{ROOT / 'src'}:{ROOT}"),
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    stats = dict(kv.split("=") for kv in proc.stdout.split())
    assert stats["backend"].lower() == xdisplay.backend.lower()
    # closed by itself after --seconds (the story runs 40 s; a loaded machine is slow)
    assert 1.8 < float(stats["took"]) < 30.0
    assert int(stats["frames"]) >= 10  # the animation ran (66 ms frames for 2 s)
    assert_real_picture(snap, min_w=1200, min_h=700)


CLOSE_SCRIPT = textwrap.dedent("""
    import sys, time
    import matplotlib.pyplot as plt
    from tests.view.synthetic import SyntheticSession
    import smartball.view.live as live
    from smartball.view.app import run_live_view

    original = live.LiveView.animate
    def animate_then_close(self, interval_ms=66):
        anim = original(self, interval_ms)
        # The user closes the window after 1.5 s (a Tk timer: Tk is single-threaded).
        self._closer = self.fig.canvas.new_timer(interval=1500)
        self._closer.add_callback(lambda: plt.close(self.fig))
        self._closer.single_shot = True
        self._closer.start()
        return anim
    live.LiveView.animate = animate_then_close
    session = SyntheticSession(speed=1.0)  # 40 s of story: still running at the close
    t0 = time.monotonic()
    run_live_view(session, seconds=None, snapshot=sys.argv[1], title="close test")
    took = time.monotonic() - t0
    alive = session._thread.is_alive()
    print(f"took={took:.2f} alive={alive}")
""")


def test_closing_the_window_stops_the_session(xdisplay: XDisplay, tmp_path: Path) -> None:
    snap = tmp_path / "closed.png"
    proc = subprocess.run(
        [sys.executable, "-c", CLOSE_SCRIPT, str(snap)], cwd=ROOT, capture_output=True,
        text=True, timeout=60, env=xdisplay.env(PYTHONPATH=f"{ROOT / 'src'}:{ROOT}"),
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    stats = dict(kv.split("=") for kv in proc.stdout.split())
    assert float(stats["took"]) < 30.0  # long before the 40 s story ends
    assert stats["alive"] == "False"  # closing the window stopped the device thread
    assert_real_picture(snap, min_w=1200, min_h=700)
