"""CPU use of a live session on the simulated ball in real time, without a plot. Target: at
most 5 % of one core.

Two figures: the whole command (``smartball live --sim demo --no-plot --seconds S`` in a
child process, start-up included, from getrusage of the child), and the steady state (the
session loop alone in this process, imports and start-up excluded).

    PYTHONPATH=src python benchmarks/live_cpu.py [--seconds 20] [--scenario demo]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def cpu_s(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--scenario", default="demo")
    args = ap.parse_args()

    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    before = cpu_s(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "smartball", "live", "--sim", args.scenario, "--no-plot",
         "--seconds", str(args.seconds), "--events", os.devnull],
        env=env, check=True, stderr=subprocess.DEVNULL,
    )
    wall = time.monotonic() - t0
    used = cpu_s(resource.RUSAGE_CHILDREN) - before
    print(f"smartball live --sim {args.scenario} --no-plot --seconds {args.seconds:g}: "
          f"{used:.2f} s CPU in {wall:.1f} s = {100 * used / wall:.1f} % of one core "
          "(start-up included)")

    from smartball.session import Session
    from smartball.transport import open_transport

    # Warm up: the imports and the first processing call are start-up, not the session.
    Session(open_transport("sim", args.scenario, seconds=5, speed=None)).run()
    transport = open_transport("sim", args.scenario, seconds=args.seconds + 5)
    session = Session(transport)
    before = cpu_s(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    session.run(args.seconds)
    wall = time.monotonic() - t0
    used = cpu_s(resource.RUSAGE_SELF) - before
    print(f"session loop alone, {session.counters.samples} samples: {used:.2f} s CPU in "
          f"{wall:.1f} s = {100 * used / wall:.1f} % of one core (target <= 5 %)")


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
