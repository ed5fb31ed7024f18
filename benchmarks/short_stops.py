"""Short stops that creep on are no holds: the ``short-stops`` scenario (stops of 1-1.6 s,
1.2-1.9 s stopped with the slowing down, then a creep at 1-3 cm/s; now and then a real 10 s
hold), raw serial streams through the decoder, with the gyro and pressure only.

Prints, per channel: reported holds that match no true hold (a short stop counted as a hold,
or a hold whose ends are more than 1 s off), and hold F1 (as ``benchmarks/accuracy.py``).

    PYTHONPATH=src:. python benchmarks/short_stops.py [--seeds 4] [--scenario NAME]
"""

from __future__ import annotations

import argparse
import os
import tempfile

from benchmarks.accuracy import hold_scores
from benchmarks.simrun import run_sim


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=4)
    ap.add_argument("--scenario", action="append")
    args = ap.parse_args()
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    for scenario in args.scenario or ["short-stops"]:
        for channels in (None, "pressure"):
            m = r = t = 0
            for seed in range(args.seeds):
                run = run_sim(scenario, seed, channels)
                a, b, c = hold_scores(run)
                m, r, t = m + a, r + b, t + c
            f1 = 2 * m / (r + t) if r + t else 1.0
            name = "gyro" if channels is None else "pressure only"
            print(f"{scenario} / {name}, {args.seeds} seeds: {r - m} reported holds match no "
                  f"true one; hold F1 {f1:.3f} ({m} matched / {r} reported / {t} true)")


if __name__ == "__main__":
    main()
