"""What a replay says of itself: the session's length (not how fast it played), and the
recording's name (not its folder, and not cut at its end)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from smartball.cli import main

SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("a-folder-with-a-long-name") / "and-another"
    folder.mkdir()
    path = folder / "monday-evening-after-the-long-walk.sbrec"
    assert main(["simulate", "demo", "--seconds", "20", "--out", str(path)]) == 0
    return path


def test_a_replay_at_full_speed_tells_the_sessions_length(recording: Path) -> None:
    env = dict(os.environ, PYTHONPATH=SRC)
    proc = subprocess.run([sys.executable, "-m", "smartball", "replay", str(recording),
                           "--speed", "max", "--no-plot"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    first = proc.stderr.splitlines()[0]
    assert "2000 samples in 20.0 s of session, played in " in first, first


def test_the_replay_title_is_the_recordings_name(recording: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from smartball.cli import replay_cmd

    seen: dict[str, Any] = {}

    def fake_run_session(transport: Any, **kw: Any) -> int:
        seen.update(kw)
        transport.close()
        return 0

    monkeypatch.setattr(replay_cmd, "run_session", fake_run_session)
    assert main(["replay", str(recording), "--no-plot"]) == 0
    assert seen["title"] == f"SmartBall - replay of {recording.name}"


def test_a_long_title_keeps_the_end_of_the_name() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from smartball.view.buffer import LiveBuffer
    from smartball.view.live import LiveView

    fig = Figure(figsize=(13, 7.5), dpi=100)
    FigureCanvasAgg(fig)
    name = "monday-evening-after-the-long-walk-with-the-dog.sbrec"
    view = LiveView(LiveBuffer(), fig, title=f"SmartBall - replay of {name}")
    shown = view.title_text.get_text()
    assert shown.startswith("replay of mon") and shown.endswith(".sbrec"), shown
    assert "…" in shown and len(shown) < len(name)


def test_live_names_a_replayed_recording_by_its_name() -> None:
    from smartball.cli.device_args import describe

    args = argparse.Namespace(sim=None, port=None, ble=None, replay="/a/b/c/s.sbrec")
    assert describe(args) == "replay of s.sbrec"
