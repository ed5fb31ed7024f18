"""CPU used by ``smartball demo --view compact`` (the small always-on-top window, on Xvfb),
in % of one core, with its sound cues playing into a user-space PulseAudio null sink
(the audio stream's callback runs all along, so it is counted).

Starts Xvfb and the sound server, runs ``smartball demo --view compact --seconds S`` and
reads the child's CPU time from /proc while it runs (steady state: from 6 s in, after
start-up). Everything the demo does is counted: simulated ball, decoding, processing, the
window, the audio stream. Target: at most 8 % of one core.

    PYTHONPATH=src:. python benchmarks/compact_cpu.py [--seconds 40] [--cues sound|none]
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
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.cues.sound_server import SoundServer  # noqa: E402

from benchmarks.demo_cpu import cpu_s, free_display  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=40.0)
    ap.add_argument("--cues", default="sound", choices=("sound", "none"))
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
        with SoundServer() as server, tempfile.TemporaryDirectory() as home:
            env = dict(server.env(), DISPLAY=f":{n}", PYTHONPATH=str(ROOT / "src"),
                       SMARTBALL_HOME=home)
            child = subprocess.Popen(
                [sys.executable, "-m", "smartball", "demo", "--view", "compact", "--cues",
                 args.cues, "--seconds", str(args.seconds)],
                env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
            time.sleep(6.0)
            c0, w0 = cpu_s(child.pid), time.monotonic()
            time.sleep(max(1.0, args.seconds - 8.0))
            c1, w1 = cpu_s(child.pid), time.monotonic()
            _pid, status, usage = os.wait4(child.pid, 0)
            err = child.stderr.read() if child.stderr else ""
    finally:
        x.terminate()
        x.wait()
    steady = 100.0 * (c1 - c0) / (w1 - w0)
    print(f"smartball demo --view compact --cues {args.cues} --seconds {args.seconds:g} on "
          f"Xvfb, exit status {os.waitstatus_to_exitcode(status)}"
          + (f" ({err.strip()})" if err.strip() else ""))
    print(f"  steady state ({w1 - w0:.1f} s from 6 s in): {steady:.1f} % of one core")
    print(f"  peak memory {usage.ru_maxrss / 1024:.0f} MiB")
    print(f"target <= 8 % of one core (steady state): {'met' if steady <= 8 else 'NOT met'}")


if __name__ == "__main__":
    main()
