"""``smartball demo`` and the view behind ``live``: headless on Agg, one sentence without a
display, and the real window under Xvfb that closes itself with exit status 0."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..view.conftest import XDisplay
from ..view.conftest import xdisplay as xdisplay  # the Xvfb fixture, shared
from ..view.pngcheck import assert_real_picture

ROOT = Path(__file__).resolve().parents[2]


def smartball(*args: str, env: dict[str, str], timeout: float = 90.0
              ) -> subprocess.CompletedProcess[str]:
    env = dict(env, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-m", "smartball", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def no_display_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["MPLBACKEND"] = "Agg"
    return env


def test_demo_without_a_display_says_how_to_proceed() -> None:
    proc = smartball("demo", env=no_display_env(), timeout=30)
    assert proc.returncode == 1
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "no display" in err
    assert "--no-plot --events -" in err and "--snapshot" in err


def test_demo_headless_writes_a_snapshot(tmp_path: Path) -> None:
    snap = tmp_path / "demo.png"
    proc = smartball("demo", "--seconds", "3", "--snapshot", str(snap), env=no_display_env())
    assert proc.returncode == 0, proc.stderr
    assert_real_picture(snap, min_w=1200, min_h=700)


def test_live_on_agg_runs_headless_and_writes_the_snapshot(tmp_path: Path) -> None:
    snap = tmp_path / "live.png"
    proc = smartball("live", "--sim", "demo", "--seconds", "2", "--snapshot", str(snap),
                     env=no_display_env())
    assert proc.returncode == 0, proc.stderr
    assert_real_picture(snap, min_w=1200, min_h=700)


def test_snapshot_folder_missing_is_one_sentence(tmp_path: Path) -> None:
    proc = smartball("demo", "--seconds", "1", "--snapshot", str(tmp_path / "x" / "d.png"),
                     env=no_display_env(), timeout=30)
    assert proc.returncode == 1
    assert "does not exist" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.xvfb
def test_demo_window_opens_and_closes_cleanly(xdisplay: XDisplay, tmp_path: Path) -> None:
    snap = tmp_path / "window.png"
    proc = smartball("demo", "--seconds", "3", "--snapshot", str(snap), env=xdisplay.env())
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert_real_picture(snap, min_w=1200, min_h=700)


def test_replay_with_the_view_headless(tmp_path: Path) -> None:
    rec = tmp_path / "s.sbrec"
    proc = smartball("record", "--sim", "demo", "--out", str(rec), "--seconds", "2",
                     env=no_display_env())
    assert proc.returncode == 0, proc.stderr
    snap = tmp_path / "replay.png"
    proc = smartball("replay", str(rec), "--speed", "4", "--snapshot", str(snap),
                     env=no_display_env())
    assert proc.returncode == 0, proc.stderr
    assert_real_picture(snap, min_w=1200, min_h=700)


def test_demo_follows_a_routine_file_of_ones_own(tmp_path: Path) -> None:
    """Someone follows the user's own routine file, as they would one of the guides'."""
    routine = tmp_path / "mine.json"
    routine.write_text(json.dumps({"name": "mine", "title": "Mine", "when": "tests", "steps": [
        {"name": "a", "instruction": "Roll lightly.", "seconds": 30.0, "targets": ["light"],
         "motion": "along", "foot": "left"}]}))
    snap = tmp_path / "mine.png"
    proc = smartball("demo", "--routine", str(routine), "--seconds", "3", "--snapshot",
                     str(snap), env=no_display_env())
    assert proc.returncode == 0, proc.stderr
    assert_real_picture(snap, min_w=1200, min_h=700)
