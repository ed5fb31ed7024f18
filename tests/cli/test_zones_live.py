"""``smartball zones DEVICE``: interactive, as a person at a terminal would use it. A real
process on a pseudo-terminal plays a short simulated feel session (three presses, each
resting a moment at 30, 70 and 150 N); Enter is pressed on each plateau as the live line
shows it, and the saved zones are the plateaus'."""

from __future__ import annotations

import json
import os
import pty
import re
import selectors
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartball.people.store import load_zones

ROOT = Path(__file__).resolve().parents[2]
LIVE = re.compile(r"^\s+(-?\d+\.\d) s\s+(-?\d+) N")
PLATEAUS_N = (30.0, 70.0, 150.0)


def short_feel(path: Path) -> None:
    press = [{"kind": "hold", "duration_s": 1.0, "force_n": 8, "ramp_s": 0.5}]
    for force in PLATEAUS_N:
        press.append({"kind": "hold", "duration_s": 2.0, "force_n": force, "ramp_s": 0.6,
                      "wobble": 0.01})
    press.append({"kind": "rest", "duration_s": 1.5, "ramp_s": 0.4})
    path.write_text(json.dumps({"name": "short-feel", "fill": "rest", "channels": ["pressure"],
                                "routine": [{"kind": "rest", "duration_s": 2.0},
                                            {"repeat": 3, "phases": press}]}))


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_interactive_zones_on_a_simulated_ball_are_saved(tmp_path: Path,
                                                         smartball_home: Path) -> None:
    scenario = tmp_path / "short-feel.json"
    short_feel(scenario)
    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SMARTBALL_HOME=str(smartball_home))
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartball", "zones", "--sim", str(scenario), "--user", "ann",
         "--record", str(tmp_path / "feel.sbrec")],
        stdin=slave, stderr=slave, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    os.close(slave)
    sel = selectors.DefaultSelector()
    sel.register(master, selectors.EVENT_READ)
    buffer, screen = "", []
    sent, since = 0, None  # marks sent; when the force reached the next plateau
    deadline = time.monotonic() + 90
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if not sel.select(timeout=0.05):
                continue
            try:
                buffer += os.read(master, 4096).decode("utf-8", "replace")
            except OSError:
                break
            *lines, buffer = re.split(r"[\r\n]", buffer)
            for line in lines:
                m = LIVE.match(line)
                if not m:
                    screen.append(line)
                    continue
                force = float(m.group(2))
                want = PLATEAUS_N[sent % 3]
                if abs(force / want - 1) < 0.06:
                    since = since or time.monotonic()
                    if time.monotonic() - since > 0.6:  # settled on it: that is the feeling
                        os.write(master, b"\n")
                        sent, since = sent + 1, None
                else:
                    since = None
        out, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()
        os.close(master)
    text = "\n".join(screen)
    assert proc.returncode == 0, text
    assert sent == 9, text
    assert "Press 1 of 3" in text and "deep at" in text
    saved = load_zones("ann").latest("foot")
    assert saved is not None and saved.how == "feel"
    assert saved.thresholds_n[1:] == pytest.approx(PLATEAUS_N, rel=0.06)
    assert "too hard" in out
    marks = (tmp_path / "feel.sbrec.feel.csv").read_text().splitlines()
    assert marks[0] == "t_s,feel" and len(marks) == 10
