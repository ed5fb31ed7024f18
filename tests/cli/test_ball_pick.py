"""A kept ball is picked when the board it was measured with connects."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

from smartball.cli import main
from smartball.io.balls import save_ball
from smartball.processing.calibration import Calibration
from smartball.recording import RecordingReader
from smartball.sim.ball import SimulatedBall
from tests.clock import wait_until


def _keep(name: str, pa_per_n: float, device_id: str | None) -> None:
    cal = Calibration.fit([(f, f * pa_per_n) for f in (40.0, 100.0, 200.0)],
                          created="2026-11-01T10:00:00+00:00")
    save_ball(dataclasses.replace(cal, device_id=device_id), name, replace=False)


def test_the_simulated_board_gets_its_own_ball(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    board = SimulatedBall("demo", seed=0).device_id.hex()
    _keep("cork", 80.0, board)
    _keep("tennis", 40.0, "00" * 8)
    out = tmp_path / "s.sbrec"
    assert main(["record", "--sim", "demo", "--seconds", "2", "--out", str(out),
                 "--no-history"]) == 0
    assert "the ball 'cork', measured with this board" in capsys.readouterr().err
    context = RecordingReader(out).context
    assert context is not None and context.calibration is not None
    assert context.calibration.name == "cork"
    # The chunks read to learn the board are in the recording: nothing is missing.
    assert main(["inspect", str(out), "--json"]) == 0
    import json

    doc = json.loads(capsys.readouterr().out)
    assert doc["lost_samples"] == 0 and doc["samples"] > 100
    # --calibration (or --ball) says otherwise: no pick.
    out2 = tmp_path / "t.sbrec"
    assert main(["record", "--sim", "demo", "--seconds", "1", "--out", str(out2),
                 "--no-history", "--ball", "tennis"]) == 0
    assert "measured with this board" not in capsys.readouterr().err
    ctx2 = RecordingReader(out2).context
    assert ctx2 is not None and ctx2.calibration is not None
    assert ctx2.calibration.name == "tennis"


def test_a_serial_board_gets_its_own_ball(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from smartball.sim.pty import serve_pty

    board = SimulatedBall("demo", seed=3).device_id.hex()
    _keep("spiky", 70.0, board)
    ready: list[str] = []
    stop = threading.Event()
    server = threading.Thread(target=serve_pty, daemon=True, kwargs=dict(
        make_ball=lambda seed: SimulatedBall("demo", seed=seed, seconds=30), seed=3,
        on_ready=ready.append, should_stop=stop.is_set))
    server.start()
    try:
        wait_until(lambda: bool(ready), 10)
        out = tmp_path / "p.sbrec"
        assert main(["record", "--port", ready[0], "--seconds", "2", "--out", str(out),
                     "--no-history"]) == 0
    finally:
        stop.set()
        server.join(5)
    assert "the ball 'spiky'" in capsys.readouterr().err
    context = RecordingReader(out).context
    assert context is not None and context.calibration is not None
    assert context.calibration.name == "spiky"
