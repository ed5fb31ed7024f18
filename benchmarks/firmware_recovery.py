"""The sealed ball on its own: recovery, exact losses, BLE delivery and the core's size.

Runs the firmware's host simulator (``firmware/build/host/ball-sim``) and the core under QEMU
(``make -C firmware qemu``), decodes every stream with the package's decoder and prints:

- BMP390 reset, I2C held low, sensor NACK (at 4 s), in the host simulator and under QEMU:
  how long the stream had no samples (target: streaming again within 2 s), and the LOG;
- lost samples the host counts (index gaps, STATUS dropped_samples) against the samples the
  sensor model really lost, with the BMP390's clock off by -2..+2 % and the MCU stalled for
  0.1-2 s (target: exact in every run);
- BLE at connection intervals of 15-100 ms, 100 and 200 Hz (queue of 8, three notifications
  an event; and one an event as the worst radio): samples dropped (target: none);
- flash / RAM of the core + bare nRF52840 port (``make -C firmware cross``; target
  <= 24 KB / 6 KB).

    python benchmarks/firmware_recovery.py [--no-qemu] [--seeds 2]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]

from smartball.protocol import Log, Status  # noqa: E402
from smartball.protocol.decoder import Decoded, StreamDecoder  # noqa: E402

FIRMWARE = ROOT / "firmware"
BALL_SIM = FIRMWARE / "build" / "host" / "ball-sim"
FAULTS = ("bmp-reset", "i2c-stuck", "nack")


def decode(data: bytes) -> tuple[Decoded, StreamDecoder]:
    dec = StreamDecoder()
    parts = [dec.feed(data[i : i + 4096]) for i in range(0, len(data), 4096)]
    return Decoded.concat(parts), dec


def ball_sim(*args: str) -> tuple[bytes, int]:
    done = subprocess.run([str(BALL_SIM), *args], capture_output=True, check=True, timeout=120)
    truth = re.search(rb"sensor lost (\d+) samples", done.stderr)
    assert truth is not None, done.stderr
    return done.stdout, int(truth.group(1))


def recovery_row(where: str, fault: str, data: bytes, rate_hz: int) -> str:
    decoded, dec = decode(data)
    index = decoded.samples.index
    gaps = np.flatnonzero(np.diff(index) > 1)
    if len(gaps) != 1:
        return f"{where:6} {fault:10} {len(gaps)} gaps in the stream: not one recovery"
    before, after = int(index[gaps[0]]), int(index[gaps[0] + 1])
    no_samples_s = (after - before) / rate_hz
    dropped = [m.dropped_samples for m in decoded.messages if isinstance(m, Status)][-1]
    logs = [m.text for m in decoded.messages if isinstance(m, Log) and "sensor" in m.text]
    ok = no_samples_s < 2.0 and bool(logs) and index[-1] >= 0.98 * 10 * rate_hz - 2
    return (
        f"{where:6} {fault:10} no samples for {no_samples_s:5.2f} s, "
        f"{after - before - 1:3} lost (STATUS {dropped:3}, decoder {dec.counters.lost_samples:3}), "
        f"{'ok ' if ok else 'MISS'} LOG: {' | '.join(logs)}"
    )


def recovery(use_qemu: bool) -> None:
    print("Recovery (fault at 4 s of a 10 s stream at 100 Hz; target: samples again within 2 s)")
    for fault in FAULTS:
        data, _ = ball_sim("--seconds", "10", "--fault", fault, "--fault-at", "4")
        print("  " + recovery_row("host", fault, data, 100))
    if not use_qemu:
        return
    with tempfile.TemporaryDirectory() as tmp:
        for fault in FAULTS:
            out = Path(tmp) / f"{fault}.bin"
            subprocess.run(
                ["make", "-s", "-C", str(FIRMWARE), "qemu", f"QEMU_FAULT={fault}",
                 f"QEMU_OUT={out}"],
                check=True, capture_output=True, timeout=600,
            )
            print("  " + recovery_row("QEMU", fault, out.read_bytes(), 100))
        print("  " + watchdog_row(Path(tmp) / "hang.bin"))


def watchdog_row(out: Path) -> str:
    """QEMU_FAULT=hang: an I2C wait that never ends, which only the watchdog ends. The time
    without samples is the hang's NMI delay (measured by the board on SysTick) and one
    watchdog stage to the reset, then the new boot's first sample (10 ms after START)."""
    done = subprocess.run(["make", "-s", "-C", str(FIRMWARE), "qemu", "QEMU_FAULT=hang",
                           f"QEMU_OUT={out}"], check=True, capture_output=True, text=True,
                          timeout=600)
    said = re.search(r"watchdog NMI (\d\.\d{3}) s after the hang began; its reset one "
                     r"stage \((\d\.\d{3}) s\) later", done.stdout + done.stderr)
    decoded, dec = decode(out.read_bytes())
    segment, index = decoded.samples.segment, decoded.samples.index
    boots = np.unique(segment)
    logs = [m.text for m in decoded.messages if isinstance(m, Log) and "watchdog" in m.text]
    if said is None or len(boots) != 2 or not logs:
        return f"QEMU   hang       not recovered: {len(boots)} boot(s), LOG {logs}"
    hang_to_reset_s = float(said.group(1)) + float(said.group(2))
    first_sample_s = 0.01
    again = index[segment == boots[1]]
    ok = hang_to_reset_s + first_sample_s < 2.0 and len(again) >= 990
    return (f"QEMU   hang       no samples for {hang_to_reset_s + first_sample_s:5.2f} s "
            f"(watchdog NMI {said.group(1)} s, reset {said.group(2)} s later, first sample "
            f"{first_sample_s:.2f} s after the boot's START), restarts {dec.counters.restarts}, "
            f"{len(again)} samples after, {'ok ' if ok else 'MISS'} LOG: {logs[0]}")


def losses(seeds: int) -> None:
    print("Lost samples counted vs truly lost (sensor clock -2..+2 %, MCU stalls 0.1-2 s)")
    rng = random.Random(2026)
    runs = exact = with_loss = lost_total = 0
    worst = ""
    for clock_pct in (-2.0, -1.0, -0.3, 0.0, 0.6, 1.0, 2.0):
        for stall_s in (0.1, 0.4, 0.8, 1.0, 1.5, 2.0):
            for rate in (100, 200):
                for _ in range(seeds):
                    stall_at = rng.uniform(1.0, 8.0)
                    data, truth = ball_sim(
                        "--seconds", "12", "--rate", str(rate), "--channels", "1",
                        "--clock-error", f"{clock_pct}", "--stall-at", f"{stall_at:.4f}",
                        "--stall-s", f"{stall_s + rng.uniform(0, 0.001):.4f}",
                    )
                    decoded, dec = decode(data)
                    status = [m.dropped_samples for m in decoded.messages if isinstance(m, Status)]
                    counted = dec.counters.lost_samples
                    runs += 1
                    with_loss += truth > 0
                    lost_total += truth
                    if counted == truth == status[-1]:
                        exact += 1
                    elif not worst:
                        worst = (f"clock {clock_pct:+.1f} % stall {stall_s} s at {rate} Hz: "
                                 f"counted {counted}, STATUS {status[-1]}, truly lost {truth}")
    summary = f"  exact in {exact} / {runs} runs ({with_loss} lost samples, {lost_total} in all)"
    print(summary + (f"; first miss: {worst}" if worst else ""))


def ble(seeds: int) -> None:
    del seeds
    print("BLE delivery (host simulator, 10 s, every channel; target: no sample dropped)")
    for per_event in (3, 1):
        for rate in (100, 200):
            cells = []
            for interval_ms in (15, 30, 50, 75, 100):
                data, _ = ball_sim(
                    "--seconds", "10", "--rate", str(rate), "--ble-interval-ms", str(interval_ms),
                    "--ble-per-event", str(per_event),
                )
                decoded, dec = decode(data)
                status = [m.dropped_samples for m in decoded.messages if isinstance(m, Status)]
                lost = max(dec.counters.lost_samples, status[-1] if status else 0)
                cells.append(f"{interval_ms} ms: {lost}")
            print(f"  {per_event} notification(s)/event, {rate} Hz: dropped " + ", ".join(cells))


def size() -> None:
    done = subprocess.run(["make", "-s", "-C", str(FIRMWARE), "cross"], capture_output=True,
                          text=True, check=True, timeout=600)
    print("Size (core + bare nRF52840 port, arm-none-eabi-size; target <= 24576 / 6144 bytes)")
    for line in done.stdout.splitlines():
        print("  " + line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-qemu", action="store_true", help="skip the runs under QEMU")
    parser.add_argument("--seeds", type=int, default=2, help="stall positions per case")
    args = parser.parse_args()
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    subprocess.run(["make", "-s", "-C", str(FIRMWARE), "sim"], check=True, timeout=600)
    use_qemu = not args.no_qemu and shutil.which("qemu-system-arm") is not None
    recovery(use_qemu)
    losses(args.seeds)
    ble(args.seeds)
    size()
    return 0


if __name__ == "__main__":
    sys.exit(main())
