"""The file commands as a user runs them, each a whole process timed from start to exit:
an hour's recording made by ``smartball simulate desk --out h.sbrec --seconds 3600`` through
``analyze``, ``replay --speed max --no-plot`` and ``report``; the same hour as a raw serial
capture through ``analyze``; a 5-minute recording through ``analyze``.

Printed per command: the median wall time of ``--runs`` runs (min and max beside it), the
median CPU time, the target, and the peak memory of the process (ru_maxrss).

    PYTHONPATH=src python benchmarks/file_commands.py [--runs 5] [--only analyze-hour]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

# A small wrapper process runs each command, so ru_maxrss and the CPU times are the command's
# own (not those of this process, forked before it execs).
_WRAPPER = """
import resource, subprocess, sys, time
t0 = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.perf_counter() - t0
if done.returncode:
    sys.exit(done.returncode)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, r.ru_utime + r.ru_stime, r.ru_maxrss)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", action="append", help="run only these (by name); repeatable")
    args = ap.parse_args()

    src = str(Path(__file__).resolve().parents[1] / "src")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", ""),
               "SMARTBALL_HOME": tmp, "MPLBACKEND": "Agg"}
        sb = [sys.executable, "-m", "smartball"]
        hour, five, capture = Path(tmp, "h.sbrec"), Path(tmp, "m5.sbrec"), Path(tmp, "h.bin")
        subprocess.run([*sb, "simulate", "desk", "--out", str(hour), "--seconds", "3600"],
                       env=env, check=True, capture_output=True)
        subprocess.run([*sb, "simulate", "desk", "--out", str(five), "--seconds", "300"],
                       env=env, check=True, capture_output=True)
        subprocess.run([sys.executable, "-c",
                        "import sys; from smartball.sim.ball import SimulatedBall; "
                        "open(sys.argv[1], 'wb').write("
                        "SimulatedBall('desk', seed=0, seconds=3600).serial_bytes())",
                        str(capture)], env=env, check=True)
        print(f"hour recording {hour.stat().st_size / 1e6:.1f} MB, hour capture "
              f"{capture.stat().st_size / 1e6:.1f} MB, 5-minute recording "
              f"{five.stat().st_size / 1e6:.2f} MB; {args.runs} runs each")
        commands = [
            ("analyze-hour", [*sb, "analyze", str(hour), "--json"], 1.5),
            ("replay-hour", [*sb, "replay", str(hour), "--speed", "max", "--no-plot"], 2.0),
            ("report-hour", [*sb, "report", str(hour), "--out", str(Path(tmp, "r.png"))], 4.0),
            ("analyze-capture-hour", [*sb, "analyze", str(capture), "--json"], 1.2),
            ("analyze-5min", [*sb, "analyze", str(five), "--json"], 0.6),
        ]
        for name, cmd, target in commands:
            if args.only and name not in args.only:
                continue
            walls, cpus, peaks = [], [], []
            for _ in range(args.runs):
                done = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], env=env,
                                      capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    print(f"{name}: failed\n{done.stderr}", file=sys.stderr)
                    return 1
                wall, cpu, peak_kb = done.stdout.split()[-3:]
                walls.append(float(wall))
                cpus.append(float(cpu))
                peaks.append(int(peak_kb) / 1024)
            wall = statistics.median(walls)
            print(f"{name:<22} wall median {wall:6.3f} s (min {min(walls):.3f}, max "
                  f"{max(walls):.3f}), CPU median {statistics.median(cpus):6.3f} s, target "
                  f"{target:g} s {'met' if wall <= target else 'MISSED'}; peak memory "
                  f"{max(peaks):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
