"""CPU used by ``smartball demo`` in its window (TkAgg on Xvfb), in % of one core.

Starts Xvfb on a free display, runs ``smartball demo --seconds S`` there and reads the
child's CPU time from /proc while it runs (steady state: from 5 s in, after start-up) and
from ``os.wait4`` at the end (whole run, start-up included). Everything the demo does is
counted: simulated ball, decoding, processing, the view. Target: at most 15 % of one core.

    python benchmarks/demo_cpu.py [--seconds 22]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICK_S = 1.0 / os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int) -> float:
    """utime + stime of a live process, seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_S


def free_display() -> int:
    for n in range(90, 200):
        if not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise SystemExit("no free X display number")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=22.0)
    ap.add_argument("--backend", default="TkAgg")
    args = ap.parse_args()
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise SystemExit("Xvfb is not installed")
    n = free_display()
    x = subprocess.Popen([xvfb, f":{n}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not Path(f"/tmp/.X11-unix/X{n}").exists():
            time.sleep(0.05)
        env = dict(os.environ, DISPLAY=f":{n}", MPLBACKEND=args.backend,
                   PYTHONPATH=str(ROOT / "src"))
        t0 = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-m", "smartball", "demo", "--seconds", str(args.seconds)],
            env=env, cwd=ROOT,
        )
        time.sleep(5.0)
        c0, w0 = cpu_s(child.pid), time.monotonic()
        time.sleep(max(1.0, args.seconds - 7.0))
        c1, w1 = cpu_s(child.pid), time.monotonic()
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - t0
    finally:
        x.terminate()
        x.wait()
    steady = 100.0 * (c1 - c0) / (w1 - w0)
    total_cpu = usage.ru_utime + usage.ru_stime
    print(f"smartball demo --seconds {args.seconds:g} on Xvfb with {args.backend}, "
          f"exit status {os.waitstatus_to_exitcode(status)}")
    print(f"  steady state ({w1 - w0:.1f} s from 5 s in): {steady:.1f} % of one core")
    print(f"  whole run incl. start-up: {total_cpu:.2f} s CPU in {wall:.1f} s = "
          f"{100.0 * total_cpu / wall:.1f} % of one core "
          f"(user {usage.ru_utime:.2f} s, system {usage.ru_stime:.2f} s)")
    print(f"  peak memory {usage.ru_maxrss / 1024:.0f} MiB")
    print(f"target <= 15 % of one core (steady state): {'met' if steady <= 15 else 'NOT met'}")


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
