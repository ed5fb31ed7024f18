"""``smartball simulate``: to a file with its truth, on a pseudo-terminal, and bad input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartball.cli import main
from smartball.protocol.decoder import StreamDecoder
from smartball.recording import RecordingReader
from smartball.sim.truth import Truth

ROOT = Path(__file__).resolve().parents[2]


def recorded_bytes(path: Path) -> bytes:
    """The serial bytes a recording holds, in order."""
    reader = RecordingReader(path)
    assert reader.header.envelope == "serial"
    data = b"".join(c.data for c in reader)
    assert reader.complete
    return data


def test_simulate_writes_recording_and_truth(tmp_path: Path) -> None:
    out = tmp_path / "s.sbrec"
    assert main(["simulate", "demo", "--out", str(out), "--seconds", "6", "--seed", "3"]) == 0
    truth = Truth.from_json((tmp_path / "s.sbrec.truth.json").read_text())
    assert truth.scenario == "demo" and truth.seed == 3
    assert truth.duration_s == pytest.approx(6.0)
    reader = RecordingReader(out)
    assert reader.header.session["scenario"] == "demo" and reader.header.session["seed"] == 3
    dec = StreamDecoder()
    decoded = dec.feed(recorded_bytes(out))
    assert len(decoded.samples) == len(truth)
    assert dec.counters.crc_errors == 0
    assert reader.device is not None and reader.device["name"].startswith("SmartBall-")


def test_simulate_pressure_only(tmp_path: Path) -> None:
    out = tmp_path / "p.bin"
    assert main(["simulate", "demo", "--out", str(out), "--seconds", "3",
                 "--channels", "pressure"]) == 0
    decoded = StreamDecoder().feed(recorded_bytes(out))
    assert decoded.samples.has_pressure and not decoded.samples.has_gyro


def test_unknown_scenario_is_one_sentence_listing_the_scenarios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "nope", "--out", str(tmp_path / "x.bin")]) != 0
    err = capsys.readouterr().err.strip()
    assert "nope" in err and "demo" in err and "plantar-fasciitis" in err
    assert "quick-faithful" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "x.bin").exists()


@pytest.mark.parametrize("argv", [
    ["simulate"],
    ["simulate", "demo"],
    ["simulate", "demo", "--out", "x.bin", "--pty"],
    ["simulate", "demo", "--out", "x.bin", "--seconds", "0"],
    ["simulate", "demo", "--out", "x.bin", "--channels", "smell"],
    ["simulate", "demo", "--out", "/nonexistent-folder/x.bin"],
])
def test_bad_arguments_fail_with_one_sentence(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("smartball simulate: ") and len(err.splitlines()) == 1


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--list"]) == 0
    out = capsys.readouterr().out
    assert "demo" in out and "cold-ball" in out
    assert "reference" in out and "stiffening" in out and "creep" in out
    assert "quick-faithful, quick-careless" in out  # performers can be found


def test_simulate_on_another_ball(tmp_path: Path) -> None:
    out = tmp_path / "soft.sbrec"
    assert main(["simulate", "demo", "--ball", "soft", "--out", str(out), "--seconds", "5"]) == 0
    truth = Truth.from_json((tmp_path / "soft.sbrec.truth.json").read_text())
    assert truth.ball["name"] == "soft" and truth.ball["pa_per_n"] == 40.0


def test_unknown_ball_is_one_sentence_naming_the_balls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "demo", "--ball", "squishy", "--out", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err.strip()
    assert "squishy" in err and "reference" in err and len(err.splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_pty_streams_in_real_time_and_stops_on_ctrl_c() -> None:
    import serial  # pyserial

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartball", "simulate", "demo", "--pty"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert proc.stdout is not None
        path = proc.stdout.readline().strip()
        assert path.startswith("/dev/")
        port = serial.Serial(path, timeout=0.2)
        start = time.monotonic()
        data = b""
        while time.monotonic() - start < 1.5:
            data += port.read(4096)
        port.close()
        dec = StreamDecoder()
        decoded = dec.feed(data)
        # About 100 samples a second arrive, paced, not all at once.
        assert 80 <= len(decoded.samples) <= 200
        assert dec.counters.crc_errors <= 1  # the first bytes may be the tail of a frame
    finally:
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(timeout=5)
    assert rc in (0, 130)
