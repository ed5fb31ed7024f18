"""``--view compact`` under Xvfb: a 320x240 always-on-top window whose word, bar, hold count
and step follow the session; screenshots of it are saved and checked for what they show."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.view.conftest import XDisplay


def test_the_compact_window_follows_the_session(xdisplay: XDisplay, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import ImageGrab

    from smartball.session import Session
    from smartball.transport.simulated import SimulatedTransport
    from smartball.view.compact import COLOURS, HEIGHT, WIDTH, run_compact_view

    monkeypatch.setenv("DISPLAY", xdisplay.display)
    session = Session(SimulatedTransport("demo", seed=2, seconds=90.0, speed=8.0))
    shots: dict[str, Any] = {}
    seen: dict[str, Any] = {}

    def on_frame(window: Any) -> None:
        word, _, _, hold, _ = window.state.view()
        root = window.root
        if not seen:
            seen["topmost"] = bool(root.attributes("-topmost"))
            seen["size"] = (root.winfo_width(), root.winfo_height())
        key = "too_hard" if word == "TOO HARD" else "hold" if hold.startswith("hold") else None
        if key and key not in shots:
            root.update()
            x, y = root.winfo_rootx(), root.winfo_rooty()
            img = ImageGrab.grab(bbox=(x, y, x + WIDTH, y + HEIGHT), xdisplay=xdisplay.display)
            img.save(tmp_path / f"compact-{key}.png")
            shots[key] = (np.asarray(img.convert("RGB")), hold)

    run_compact_view(session, seconds=None, title="SmartBall", on_frame=on_frame)
    assert seen == {"topmost": True, "size": (WIDTH, HEIGHT)}
    assert set(shots) == {"too_hard", "hold"}
    red = tuple(int(COLOURS["too_hard"][k:k + 2], 16) for k in (1, 3, 5))
    pixels, _ = shots["too_hard"]
    word_band = pixels[20:80].reshape(-1, 3)
    assert (np.abs(word_band.astype(int) - red).sum(axis=1) < 30).sum() > 300  # a big red word
    pixels, hold = shots["hold"]
    assert hold.startswith("hold ")
    assert (pixels[140:180] < 100).all(axis=2).sum() > 200  # the dark count, legible


def test_compact_without_a_display_is_one_sentence(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-m", "smartball", "live", "--sim", "demo",
                           "--view", "compact", "--seconds", "1"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and "display" in done.stderr


@pytest.mark.parametrize("command", ["demo", "replay"])
def test_the_compact_snapshot_is_what_the_window_showed_at_the_end(
        command: str, xdisplay: XDisplay, tmp_path: Path) -> None:
    """``--view compact --snapshot PNG``: a picture of the window's size with its word in
    its zone's colour and the force bar, written when the session ends."""
    from PIL import Image

    from smartball.view.compact import COLOURS, HEIGHT, WIDTH

    snap = tmp_path / "compact.png"
    env = dict(os.environ, DISPLAY=xdisplay.display, SMARTBALL_HOME=str(tmp_path / "home"))
    if command == "demo":
        argv = ["demo", "--seconds", "4"]
    else:
        rec = tmp_path / "demo.sbrec"
        subprocess.run([sys.executable, "-m", "smartball", "simulate", "demo", "--seconds",
                        "8", "--out", str(rec)], check=True, capture_output=True, env=env)
        argv = ["replay", str(rec), "--speed", "4"]
    done = subprocess.run([sys.executable, "-m", "smartball", *argv, "--view", "compact",
                           "--cues", "none", "--snapshot", str(snap)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    img = Image.open(snap)
    assert img.size == (WIDTH, HEIGHT)
    pixels = np.asarray(img.convert("RGB")).astype(int)
    colours = {z: np.array([int(c[k:k + 2], 16) for k in (1, 3, 5)])
               for z, c in COLOURS.items() if z not in ("rest", "none")}
    word_band = pixels[20:80].reshape(-1, 3)
    bar_band = pixels[96:120, 20:300].reshape(-1, 3)
    shown = {z for z, rgb in colours.items()
             if (np.abs(word_band - rgb).sum(axis=1) < 30).sum() > 100}
    assert len(shown) == 1, shown  # the word, in one zone's colour
    rgb = colours[shown.pop()]
    assert (np.abs(bar_band - rgb).sum(axis=1) < 30).sum() > 50  # the bar in the same
