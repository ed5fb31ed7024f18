"""Calibration accuracy on every simulated ball: ``smartball simulate scale-calibration
--ball NAME --seed N --out FILE`` (which writes the marks a person would note), then
``smartball calibrate --from FILE --marks FILE.marks.csv --out CAL.json``, both as whole
processes; the saved calibration is compared with the simulated ball's truth.

Prints, per ball: the settled Pa/N error (worst over the loads the calibration spans), the
overshoot and the time constant found against the ball's, medians over the seeds.
Targets: Pa/N within 3 %, overshoot within 0.05, time constant within 20 %.

    python -m benchmarks.calibration_fit [--seeds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from smartball.processing.calibration import Calibration
from smartball.sim.balls import BALLS

SMARTBALL = [sys.executable, "-m", "smartball"]


def measure(ball: str, seed: int, folder: Path) -> dict[str, float]:
    rec = folder / f"{ball}-{seed}.sbrec"
    cal_path = folder / f"{ball}-{seed}.json"
    env = dict(os.environ, SMARTBALL_HOME=str(folder / "home"))
    subprocess.run([*SMARTBALL, "simulate", "scale-calibration", "--ball", ball, "--seed",
                    str(seed), "--out", str(rec)], check=True, env=env, capture_output=True)
    subprocess.run([*SMARTBALL, "calibrate", "--from", str(rec), "--marks",
                    f"{rec}.marks.csv", "--out", str(cal_path)], check=True, env=env,
                   capture_output=True)
    cal = Calibration.from_json(cal_path.read_text())
    truth = BALLS[ball]
    lo, hi = cal.points[0][0], cal.points[-1][0]
    loads = np.linspace(lo, hi, 50)
    gain_err = cal.rise_pa(loads) / truth.settled_rise_pa(loads) - 1.0
    return {
        "gain_err": float(np.max(np.abs(gain_err))),
        "overshoot": cal.overshoot,
        "overshoot_err": cal.overshoot - truth.overshoot,
        "tau_s": cal.tau_s,
        "tau_err": cal.tau_s / truth.tau_s - 1.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    print(f"{'ball':12} {'Pa/N err (worst load)':>22} {'overshoot (truth)':>19} "
          f"{'tau s (truth)':>15} {'tau err':>8}   medians over {args.seeds} seeds")
    with tempfile.TemporaryDirectory() as tmp:
        for name, ball in BALLS.items():
            rows = [measure(name, seed, Path(tmp)) for seed in range(args.seeds)]

            def med(key: str, rows: list[dict[str, float]] = rows) -> float:
                return float(np.median([r[key] for r in rows]))

            worst = max(abs(r["gain_err"]) for r in rows)
            print(f"{name:12} {100 * med('gain_err'):8.2f} % (max {100 * worst:4.2f} %) "
                  f"{med('overshoot'):9.3f} ({ball.overshoot:.2f}) "
                  f"{med('tau_s'):8.2f} ({ball.tau_s:4.1f}) {100 * med('tau_err'):+7.1f} %")
    print(json.dumps({"note": "Pa/N error: worst |calibrated/true - 1| over the loads each "
                      "calibration spans; overshoot and tau: the fitted values"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
