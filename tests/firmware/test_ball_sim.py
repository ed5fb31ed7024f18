"""The firmware's host build (``firmware/build/host/ball-sim``) against the Python codec.

ball-sim runs the real C core against simulated BMP390 and LSM6DS3 register maps and writes
the serial stream; every byte of it must decode here without a CRC error or a malformed
frame, with the sample count the rate promises and plausible pressures.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from smartball.protocol import Info, Samples, Status, cobs, decode_frame
from smartball.protocol.crc import crc16
from smartball.protocol.messages import MalformedFrame, Message

BALL_SIM = Path(__file__).resolve().parents[2] / "firmware" / "build" / "host" / "ball-sim"

pytestmark = pytest.mark.skipif(
    not BALL_SIM.exists(), reason=f"{BALL_SIM} not built (run `make -C firmware sim`)"
)


@dataclass
class Decoded:
    messages: list[Message] = field(default_factory=list)
    crc_errors: int = 0
    malformed: int = 0


def decode_serial(data: bytes) -> Decoded:
    """Split at 0x00, undo COBS, check the CRC, decode each frame; count what fails."""
    out = Decoded()
    for packet in data.split(b"\x00")[:-1]:
        if not packet:
            continue
        try:
            raw = cobs.decode(packet)
        except cobs.CobsError:
            out.malformed += 1
            continue
        if len(raw) < 2 or crc16(raw[:-2]) != raw[-2] | raw[-1] << 8:
            out.crc_errors += 1
            continue
        try:
            out.messages.append(decode_frame(raw[:-2]))
        except MalformedFrame:
            out.malformed += 1
    return out


def run_ball_sim(*args: str) -> bytes:
    done = subprocess.run([str(BALL_SIM), *args], capture_output=True, timeout=60, check=True)
    return done.stdout


@pytest.mark.parametrize(("rate_hz", "channels"), [(100, 7), (25, 1), (200, 7)])
def test_stream_decodes_cleanly(rate_hz: int, channels: int) -> None:
    seconds = 5
    decoded = decode_serial(
        run_ball_sim("--seconds", str(seconds), "--rate", str(rate_hz), "--channels", str(channels))
    )
    assert decoded.crc_errors == 0
    assert decoded.malformed == 0

    infos = [m for m in decoded.messages if isinstance(m, Info)]
    assert infos, "no INFO in the stream"
    assert infos[-1].sample_rate_hz == pytest.approx(rate_hz)
    assert infos[-1].name.startswith("SmartBall-")

    samples = [m for m in decoded.messages if isinstance(m, Samples)]
    assert sum(m.count for m in samples) == seconds * rate_hz
    index = 0
    for frame in samples:
        assert frame.first_index == index, "a gap in sample indices"
        assert frame.channels == channels
        assert not frame.fifo_overflow
        index += frame.count

    seqs = [m.seq for m in decoded.messages]
    assert seqs == list(range(len(seqs))), "seq must go +1 per frame"

    statuses = [m for m in decoded.messages if isinstance(m, Status)]
    assert len(statuses) == seconds
    assert all(s.dropped_samples == 0 for s in statuses)


def test_pressure_is_plausible() -> None:
    decoded = decode_serial(run_ball_sim("--seconds", "5"))
    frames = [m for m in decoded.messages if isinstance(m, Samples)]
    pressure_pa = np.concatenate([m.pressure_cpa for m in frames if m.pressure_cpa is not None])
    pressure_pa = pressure_pa / 100.0
    # The scenario rests for 1.5 s at 101.325 kPa, then rolls at about 35 N (60 Pa/N).
    assert np.median(pressure_pa[:100]) == pytest.approx(101_325, abs=30)
    assert 100_000 < pressure_pa.min() and pressure_pa.max() < 115_000
    assert pressure_pa.max() - pressure_pa.min() > 1_500
    temps_c = [m.temperature_cdeg / 100 for m in frames]
    assert all(20.0 < t < 30.0 for t in temps_c)


def test_pty_answers_commands_in_real_time() -> None:
    serial = pytest.importorskip("serial")
    from smartball.protocol import Command, Reply, encode_serial

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

    decoded = decode_serial(data)
    assert decoded.crc_errors == 0 and decoded.malformed == 0
    replies = [m for m in decoded.messages if isinstance(m, Reply)]
    assert [(r.token, r.result) for r in replies] == [(42, 0), (43, 0)]
    n = sum(m.count for m in decoded.messages if isinstance(m, Samples))
    assert 40 <= n <= 70  # about 1 s at 50 Hz, paced by the wall clock
