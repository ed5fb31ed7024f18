"""The firmware core on a real instruction set: ``make -C firmware qemu`` runs it on QEMU's
mps2-an386 (a Cortex-M4) for 10 s of device time and the host decodes the UART's bytes with
the package's own stream decoder.

Without a fault the stream is whole: 100 Hz, consecutive indices, no CRC error. With
``QEMU_FAULT=bmp-reset`` (the BMP390 resets at 4 s: it answers, but streams nothing),
``i2c-stuck`` (a device holds SDA low) or ``nack`` (the sensor does not answer for 0.4 s),
samples arrive again within 2 s, the gap in indices equals STATUS ``dropped_samples``, and a
LOG frame says what happened. With ``hang`` (an I2C wait that never ends) QEMU's CMSDK
watchdog resets the board, which boots again with "reset: watchdog" and streams on.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from smartball.protocol import Info, Log, Status
from smartball.protocol.decoder import Decoded, StreamDecoder

ROOT = Path(__file__).resolve().parents[2]
FIRMWARE = ROOT / "firmware"

pytestmark = pytest.mark.skipif(
    shutil.which("qemu-system-arm") is None or shutil.which("arm-none-eabi-gcc") is None,
    reason="qemu-system-arm or arm-none-eabi-gcc missing (apt-get install qemu-system-arm "
    "gcc-arm-none-eabi libnewlib-arm-none-eabi)",
)

FAULT_AT_INDEX = 400  # 4 s at 100 Hz


def run_qemu(out: Path, fault: str = "") -> tuple[Decoded, StreamDecoder]:
    args = ["make", "-s", "-C", str(FIRMWARE), "qemu", f"QEMU_OUT={out}"]
    if fault:
        args.append(f"QEMU_FAULT={fault}")
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    dec = StreamDecoder()
    data = out.read_bytes()
    parts = [dec.feed(data[i : i + 500]) for i in range(0, len(data), 500)]
    return Decoded.concat(parts), dec


def test_stream_on_cortex_m4_decodes_whole(tmp_path: Path) -> None:
    decoded, dec = run_qemu(tmp_path / "stream.bin")
    c = dec.counters
    assert (c.crc_errors, c.malformed, c.missing_frames, c.lost_samples) == (0, 0, 0, 0)
    index = decoded.samples.index
    # 10 s of device time at 100 Hz: the first sample is taken 10 ms after START.
    assert 995 <= len(index) <= 1000
    assert np.array_equal(index, np.arange(len(index)))
    pressure_pa = decoded.samples.pressure_pa
    assert np.median(pressure_pa[:100]) == pytest.approx(101_325, abs=30)
    assert pressure_pa.max() - pressure_pa.min() > 1_500  # the scenario rolls and presses
    assert 150 < np.abs(decoded.samples.gyro_dps[:, 0]).max() < 250
    logs = [m.text for m in decoded.messages if isinstance(m, Log)]
    assert logs == ["reset: power on"]
    statuses = [m for m in decoded.messages if isinstance(m, Status)]
    assert len(statuses) >= 9 and all(s.dropped_samples == 0 for s in statuses)


@pytest.mark.parametrize(
    ("fault", "what"),
    [
        ("bmp-reset", "pressure sensor reset itself: restarted"),
        ("i2c-stuck", "pressure sensor did not answer: restarted"),
        ("nack", "pressure sensor did not answer: restarted"),
    ],
)
def test_fault_mid_stream_recovers_within_two_seconds(
    tmp_path: Path, fault: str, what: str
) -> None:
    decoded, dec = run_qemu(tmp_path / f"stream-{fault}.bin", fault)
    assert dec.counters.crc_errors == 0 and dec.counters.malformed == 0
    index = decoded.samples.index
    assert index[-1] >= 990, "streaming to the end"
    jumps = np.flatnonzero(np.diff(index) > 1)
    assert len(jumps) == 1, "one gap, at the fault"
    before, after = int(index[jumps[0]]), int(index[jumps[0] + 1])
    assert FAULT_AT_INDEX - 5 <= before <= FAULT_AT_INDEX
    assert (after - before) * 0.01 < 2.0, "streaming again within 2 s"
    lost = after - before - 1
    assert dec.counters.lost_samples == lost
    statuses = [m for m in decoded.messages if isinstance(m, Status)]
    assert statuses[-1].dropped_samples == lost
    logs = [m.text for m in decoded.messages if isinstance(m, Log)]
    assert any(what in text and f"at sample {after}, {lost} lost" in text for text in logs), logs


def test_a_hang_is_ended_by_the_watchdog(tmp_path: Path) -> None:
    """Nothing in the firmware ends the hang: the watchdog's NMI comes after one stage
    without a feed, its reset one stage later, and the board boots again and streams."""
    out = tmp_path / "stream-hang.bin"
    done = subprocess.run(["make", "-s", "-C", str(FIRMWARE), "qemu", f"QEMU_OUT={out}",
                           "QEMU_FAULT=hang"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    said = re.search(r"watchdog NMI (\d\.\d{3}) s after the hang began; its reset one stage "
                     r"\((\d\.\d{3}) s\) later", done.stdout + done.stderr)
    assert said, done.stdout + done.stderr
    nmi_s, stage_s = float(said.group(1)), float(said.group(2))
    assert nmi_s == pytest.approx(stage_s, abs=0.002) and nmi_s + stage_s <= 1.0 + 0.002
    dec = StreamDecoder()
    data = out.read_bytes()
    decoded = Decoded.concat([dec.feed(data[i : i + 500]) for i in range(0, len(data), 500)])
    c = dec.counters
    assert (c.crc_errors, c.malformed, c.restarts) == (0, 0, 1)
    index, segment = decoded.samples.index, decoded.samples.segment
    first = index[segment == segment[0]]
    again = index[segment != segment[0]]
    assert FAULT_AT_INDEX - 5 <= first[-1] <= FAULT_AT_INDEX, "streaming up to the hang"
    assert again[0] == 0 and len(again) >= 990, "a new boot, streaming its 10 s"
    logs = [m.text for m in decoded.messages if isinstance(m, Log)]
    assert logs == ["reset: power on", "reset: watchdog (the firmware stopped, and restarted)"]
    assert len({m.boot_id for m in decoded.messages if isinstance(m, Info)}) == 2


def test_unknown_fault_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        ["make", "-s", "-C", str(FIRMWARE), "qemu", "QEMU_FAULT=flood",
         f"QEMU_OUT={tmp_path / 'x.bin'}"],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode != 0
    refused = "QEMU_FAULT=flood is not a fault: use one of bmp-reset i2c-stuck nack hang"
    assert refused in done.stdout
