"""The firmware's host build (``firmware/build/host/ball-sim``) against the Python side.

ball-sim runs the real C core against simulated BMP390 and LSM6DS3 register maps and writes
the serial stream; every byte of it must decode with the package's own stream decoder, and
``smartball inspect``, without a CRC error or a malformed frame, with the sample count the
rate promises and plausible pressures.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from smartball.protocol import Command, Info, Reply, Status, encode_serial
from smartball.protocol.decoder import Decoded, StreamDecoder

ROOT = Path(__file__).resolve().parents[2]
BALL_SIM = ROOT / "firmware" / "build" / "host" / "ball-sim"

pytestmark = pytest.mark.skipif(
    not BALL_SIM.exists(), reason=f"{BALL_SIM} not built (run `make -C firmware sim`)"
)


def run_ball_sim(*args: str) -> bytes:
    done = subprocess.run([str(BALL_SIM), *args], capture_output=True, timeout=60, check=True)
    return done.stdout


def decode(data: bytes) -> tuple[Decoded, StreamDecoder]:
    dec = StreamDecoder()
    # Fed in odd-sized pieces, as a serial port delivers it.
    parts = [dec.feed(data[i : i + 333]) for i in range(0, len(data), 333)]
    return Decoded.concat(parts), dec


@pytest.mark.parametrize(("rate_hz", "channels"), [(100, 7), (25, 1), (200, 7)])
def test_stream_decodes_cleanly(rate_hz: int, channels: int) -> None:
    seconds = 5
    decoded, dec = decode(
        run_ball_sim("--seconds", str(seconds), "--rate", str(rate_hz), "--channels", str(channels))
    )
    c = dec.counters
    assert c.crc_errors == 0
    assert c.malformed == 0
    assert c.missing_frames == 0, "seq must go +1 per frame"
    assert c.lost_samples == 0
    assert c.restarts == 0
    assert c.fifo_overflows == 0

    infos = [m for m in decoded.messages if isinstance(m, Info)]
    assert infos, "no INFO in the stream"
    assert infos[-1].sample_rate_hz == pytest.approx(rate_hz)
    assert infos[-1].name.startswith("SmartBall-")

    block = decoded.samples
    assert len(block.index) == seconds * rate_hz
    assert np.array_equal(block.index, np.arange(seconds * rate_hz))
    assert np.isnan(block.gyro_dps).all() == (channels & 2 == 0)

    statuses = [m for m in decoded.messages if isinstance(m, Status)]
    assert len(statuses) == seconds
    assert all(s.dropped_samples == 0 for s in statuses)


def test_pressure_is_plausible() -> None:
    decoded, _ = decode(run_ball_sim("--seconds", "5"))
    pressure_pa = decoded.samples.pressure_pa
    # The scenario rests for 1.5 s at 101.325 kPa, then rolls at about 35 N (60 Pa/N).
    assert np.median(pressure_pa[:100]) == pytest.approx(101_325, abs=30)
    assert 100_000 < pressure_pa.min() and pressure_pa.max() < 115_000
    assert pressure_pa.max() - pressure_pa.min() > 1_500
    assert np.all((decoded.samples.temp_c > 20.0) & (decoded.samples.temp_c < 30.0))
    # Rolling shows on the gyro: about 200 dps at its peak.
    assert 150 < np.abs(decoded.samples.gyro_dps[:, 0]).max() < 250


def test_inspect_reads_the_stream_without_error(tmp_path: Path) -> None:
    capture = tmp_path / "ball-sim.bin"
    capture.write_bytes(run_ball_sim("--seconds", "5"))
    done = subprocess.run(
        [sys.executable, "-m", "smartball", "inspect", str(capture), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["crc_errors"] == 0 and report["malformed"] == 0
    assert report["samples"] == 500 and report["lost_samples"] == 0
    assert report["device"]["name"].startswith("SmartBall-")


def test_pty_answers_commands_in_real_time() -> None:
    serial = pytest.importorskip("serial")

    proc = subprocess.Popen(
        [str(BALL_SIM), "--pty", "--seconds", "10"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        path = proc.stdout.readline().strip()
        assert path.startswith("/dev/")
        port = serial.Serial(path, timeout=0.1)
        try:
            port.write(encode_serial(Command.start(0, 42, 50, 7)))
            data = b""
            # 1 s of stream in real time, then STOP.
            t_end = time.monotonic() + 1.0
            while time.monotonic() < t_end:
                data += port.read(4096)
            port.write(encode_serial(Command(1, 0, 0x02, 43, b"")))
            t_end = time.monotonic() + 0.3
            while time.monotonic() < t_end:
                data += port.read(4096)
        finally:
            port.close()
    finally:
        proc.terminate()
        proc.wait(timeout=5)

    decoded, dec = decode(data)
    assert dec.counters.crc_errors == 0 and dec.counters.malformed == 0
    replies = [m for m in decoded.messages if isinstance(m, Reply)]
    assert [(r.token, r.result) for r in replies] == [(42, 0), (43, 0)]
    assert 40 <= len(decoded.samples.index) <= 70  # about 1 s at 50 Hz, paced by the clock


def test_the_firmware_flags_the_sensors_end_as_the_host_reads_it() -> None:
    """A ball stiff enough (250 Pa/N) that the scenario's 120 N hold reads past 1250 hPa:
    the firmware flags exactly the frames with a reading at the sensor's end, the host says
    those samples beyond (never a force), and the too-hard stretch there has no peak."""
    from smartball.processing import Processor
    from smartball.processing.summary import SessionSummary
    from smartball.sensor_range import SENSOR_MAX_PA

    decoded, dec = decode(run_ball_sim("--seconds", "12", "--pa-per-n", "250"))
    block = decoded.samples
    assert dec.counters.crc_errors == 0 and dec.counters.saturated_frames > 0
    at_end = block.pressure_pa >= SENSOR_MAX_PA
    assert at_end.sum() > 100, "the hold must read past the sensor's end"
    # Every reading at the end is in a flagged frame; a flagged frame (two samples at
    # 100 Hz) holds a reading at the end.
    assert block.saturated[at_end].all()
    near = np.convolve(at_end, np.ones(5), mode="same") > 0
    assert near[block.saturated].all()
    assert not block.saturated[~near].any()

    result = Processor(sample_rate_hz=100.0).process(block)
    assert result.saturated[at_end].all()
    assert np.isnan(result.measured_force_n[at_end]).all()
    summary = SessionSummary("ball-sim", 100.0)
    summary.add(result)
    d = summary.as_dict()
    assert d["too_hard"], "a press past the sensor's end is too hard"
    assert all(x["beyond"] is True and x["peak_force_n"] is None for x in d["too_hard"])
    assert d["beyond_s"] == pytest.approx(result.saturated.sum() / 100.0)
    assert d["max_force_n"] == pytest.approx(float(result.force_n[~result.saturated].max()),
                                             abs=1e-3)
