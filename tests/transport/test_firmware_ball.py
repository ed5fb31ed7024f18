"""The firmware's host build (``ball-sim --pty``: the real C core on simulated sensors) as
the ball at the far end of a pseudo-terminal: ``smartball live --port`` connects, sends
START (the firmware does not stream without it), and decodes its stream cleanly."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from smartball.cli import main
from smartball.recording import RecordingReader

ROOT = Path(__file__).resolve().parents[2]
BALL_SIM = ROOT / "firmware" / "build" / "host" / "ball-sim"

pytestmark = [
    pytest.mark.firmware,
    pytest.mark.skipif(not BALL_SIM.exists(),
                       reason=f"{BALL_SIM} not built (run `make -C firmware sim`)"),
]


def test_live_on_the_firmware_over_a_pty(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    proc = subprocess.Popen([str(BALL_SIM), "--pty", "--seconds", "20"],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        path = proc.stdout.readline().strip()
        rec = tmp_path / "fw.sbrec"
        rc = main(["live", "--port", path, "--no-plot", "--seconds", "1.5", "--events", "-",
                   "--record", str(rec)])
    finally:
        proc.terminate()
        proc.wait(timeout=5)
    out, err = capsys.readouterr()
    assert rc == 0, err
    events = [json.loads(x) for x in out.splitlines()]
    assert events[0]["type"] == "connected"
    info = next(e for e in events if e["type"] == "info")
    assert info["sample_rate_hz"] == 100.0
    rc = main(["inspect", str(rec), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["crc_errors"] == 0 and report["malformed"] == 0
    assert report["frames"]["reply"] == 1
    assert 80 <= report["samples"] <= 160  # 1.5 s at 100 Hz, less the time to START
    assert RecordingReader(rec).header.device is not None
