"""Latency of the too-hard warning over a serial link: from the moment the ball writes the
frame that makes the warning due to the moment ``smartball live --no-plot --events -`` (a
separate process) prints the ``too_hard`` line. Targets: median <= 20 ms, p95 <= 40 ms.

The ball is this script, on the far end of a pseudo-terminal: INFO, STATUS once a second,
SAMPLES of two samples every 20 ms at 100 Hz (as the firmware batches), unloaded, with a
short press of 250 N (over the 200 N too-hard line) every ``--period`` seconds. Each press
starts on a frame boundary; the frame holding the sample the event names is the reference.

    PYTHONPATH=src python benchmarks/live_latency_pty.py [--presses 40] [--period 1.5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tty
from pathlib import Path

import numpy as np

from smartball.protocol import Info, Samples, Status, encode_serial

RATE_HZ = 100
PER_FRAME = 2
BASE_PA = 101_325.0
PA_PER_N = 60.0
PRESS_N = 250.0
PRESS_S = 0.2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presses", type=int, default=40)
    ap.add_argument("--period", type=float, default=1.5, help="seconds between presses")
    args = ap.parse_args()

    master, slave = os.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartball", "live", "--port", path, "--no-plot",
         "--events", "-"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True, bufsize=1,
    )
    lines: list[tuple[float, dict[str, object]]] = []
    connected = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            now = time.perf_counter()
            ev = json.loads(line)
            lines.append((now, ev))
            if ev["type"] == "connected":
                connected.set()

    def drain_commands() -> None:
        while True:
            try:
                if not os.read(master, 4096):
                    return
            except OSError:
                return

    threading.Thread(target=read, daemon=True).start()
    threading.Thread(target=drain_commands, daemon=True).start()
    if not connected.wait(20):
        proc.kill()
        err = proc.stderr.read() if proc.stderr else ""
        raise SystemExit(f"smartball live did not connect: {err}")
    time.sleep(0.3)  # the port is open and its input flushed

    written: dict[int, float] = {}  # frame number -> perf_counter when written
    seq = 0
    info = Info(0, 0, (1, 0, 0), b"\x01" * 8, 42, 1_000_000 // RATE_HZ, 1, 0.0, 0.0, 80,
                "SmartBall-BENC")
    os.write(master, encode_serial(info))
    seq += 1
    period_frames = round(args.period * RATE_HZ / PER_FRAME)
    lead_frames = int(3.0 * RATE_HZ / PER_FRAME)  # 3 s unloaded first: the baseline settles
    press_frames = int(PRESS_S * RATE_HZ / PER_FRAME)
    total = lead_frames + args.presses * period_frames
    t0 = time.perf_counter()
    for f in range(total):
        due = t0 + f * PER_FRAME / RATE_HZ
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        pressed = f >= lead_frames and (f - lead_frames) % period_frames < press_frames
        force = PRESS_N if pressed else 0.0
        p = np.full(PER_FRAME, round((BASE_PA + PA_PER_N * force) * 100), np.uint32)
        frame = encode_serial(Samples(seq & 0xFFFF, f * PER_FRAME, 1, 2200, p, None, None))
        seq += 1
        os.write(master, frame)
        written[f] = time.perf_counter()
        if f % (RATE_HZ // PER_FRAME) == 0:
            os.write(master, encode_serial(Status(seq & 0xFFFF, f * 20, 4000, 90, 0, 0)))
            seq += 1
    time.sleep(0.5)
    proc.terminate()
    proc.wait(10)

    latencies_ms = []
    for when, ev in lines:
        if ev["type"] != "too_hard":
            continue
        index = round(float(ev["t_s"]) * RATE_HZ)  # type: ignore[arg-type]
        frame = index // PER_FRAME
        if frame in written:
            latencies_ms.append((when - written[frame]) * 1000)
    if len(latencies_ms) < args.presses * 0.9:
        raise SystemExit(f"only {len(latencies_ms)} too_hard events for {args.presses} presses")
    lat = np.array(latencies_ms)
    print(f"too_hard latency over a pseudo-terminal, {len(lat)} presses "
          f"(frame written -> event line read from 'smartball live --events -'):")
    print(f"  median {statistics.median(latencies_ms):5.1f} ms   "
          f"p95 {np.percentile(lat, 95):5.1f} ms   min {lat.min():5.1f} ms   "
          f"max {lat.max():5.1f} ms   (targets: median <= 20, p95 <= 40)")


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
