"""How fast `smartball --help` and `smartball --version` answer (target: well under 0.5 s).

    python benchmarks/cli_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    for argv in (["--help"], ["--version"], ["inspect", "--help"]):
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "smartball", *argv], check=True,
                           stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
        print(f"smartball {' '.join(argv):<16} median {statistics.median(times) * 1000:6.1f} ms "
              f"(max {max(times) * 1000:.1f} ms, {args.runs} runs)")


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
