"""Throughput of ``smartball analyze`` on an hour of 100 Hz pressure+IMU data.

The simulated ball writes an hour-long raw serial capture; the whole command (a fresh Python
process: start-up, reading, decoding, processing, summary) runs on it several times. Printed:
median wall time, the speed-up over real time, and the child's peak memory (ru_maxrss).

Run: PYTHONPATH=src python benchmarks/analyze_throughput.py [--runs 5] [--scenario desk]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

_WRAPPER = """
import resource, subprocess, sys, time
t0 = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.perf_counter() - t0
if done.returncode:
    sys.exit(done.returncode)
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scenario", default="desk")
    ap.add_argument("--seconds", type=float, default=3600.0)
    args = ap.parse_args()
    from smartball.sim.ball import SimulatedBall

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hour.bin"
        t0 = time.perf_counter()
        ball = SimulatedBall(args.scenario, seed=1, seconds=args.seconds)
        path.write_bytes(ball.serial_bytes())
        duration_s = ball.duration_s
        print(f"capture: {args.scenario}, {duration_s:.0f} s, {path.stat().st_size / 1e6:.1f} MB "
              f"(made in {time.perf_counter() - t0:.1f} s)")
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parent.parent / "src")
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
        del ball  # the simulator's arrays are no part of the measurement
        cmd = [sys.executable, "-m", "smartball", "analyze", str(path), "--json"]
        walls = []
        peaks = []
        for _ in range(args.runs):
            # A small wrapper process runs the command: ru_maxrss of our own children would
            # also count the forked copy of this (large) process before it execs.
            done = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], env=env,
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
            wall_s, maxrss_kb = done.stdout.split()[-2:]
            walls.append(float(wall_s))
            peaks.append(int(maxrss_kb) / 1024.0)
        peak_mb = max(peaks)
    wall = float(np.median(walls))
    print(f"analyze wall time: median {wall:.3f} s over {args.runs} runs "
          f"(min {min(walls):.3f}, max {max(walls):.3f})")
    print(f"speed: {duration_s / wall:.0f}x real time (target >= 2000x)")
    print(f"peak memory of the child: {peak_mb:.0f} MB (target <= 300 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
