"""Which orientation filter the stroke tracker uses: imufusion (Fusion AHRS) against ahrs
(Madgwick, Mahony), on simulated performers whose true strokes are known.

Each filter gets the same gyro offset removal (:class:`GyroBias`) and the same stroke
segmentation; only the orientation differs. One more row gives the Fusion AHRS with Fusion's
own gyro ``Bias`` estimator (still stretches only) instead of :class:`GyroBias`, which is why
the tracker keeps its own offset. Prints, per filter: strokes found, length median error,
direction right, and CPU per sample.

    PYTHONPATH=src python benchmarks/stroke_fusion.py [--seeds 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from typing import Any

import numpy as np

from smartball.sim.ball import SimulatedBall
from smartball.sim.performers import performer_scenario
from smartball.sim.routine_truth import true_strokes
from smartball.strokes.orientation import FloorRotation, GyroBias
from smartball.strokes.tracker import StrokeTracker

F64 = Any


class AhrsRotation(FloorRotation):
    """The same interface with a filter of the ``ahrs`` package."""

    def __init__(self, rate_hz: float, kind: str) -> None:
        from ahrs.common.orientation import q2R
        from ahrs.filters import Madgwick, Mahony

        self._filter = Madgwick(frequency=rate_hz) if kind == "madgwick" else Mahony(
            frequency=rate_hz)
        self._q2r = q2R
        self._q = np.array([1.0, 0.0, 0.0, 0.0])
        self.bias = GyroBias(rate_hz)

    def update(self, gyro_dps: F64, accel_g: F64) -> F64:
        n = gyro_dps.shape[0]
        out = np.full((n, 3), np.nan)
        ok = np.isfinite(gyro_dps).all(axis=1) & np.isfinite(accel_g).all(axis=1)
        for i in np.flatnonzero(ok).tolist():
            g = gyro_dps[i] - self.bias.offset_dps
            self._q = np.asarray(self._filter.updateIMU(self._q, gyr=np.radians(g),
                                                        acc=accel_g[i] * 9.80665))
            out[i] = self._q2r(self._q) @ g
            self.bias.update(gyro_dps[i], accel_g[i])
        return out


class FusionBias:
    """Fusion's gyroscope bias estimator, as :class:`GyroBias`'s interface (the offset)."""

    def __init__(self, rate_hz: float) -> None:
        import imufusion

        from smartball.strokes.orientation import BIAS_STATIONARY_DPS, BIAS_STATIONARY_S

        settings = imufusion.BiasSettings()
        settings.sample_rate = float(rate_hz)
        settings.stationary_threshold = BIAS_STATIONARY_DPS
        settings.stationary_period = BIAS_STATIONARY_S
        self._estimator = imufusion.Bias()
        self._estimator.set_settings(settings)
        self.offset_dps = np.zeros(3)

    def update(self, gyro_dps: F64, accel_g: F64) -> None:
        self.offset_dps = gyro_dps - self._estimator.update(gyro_dps)


class FusionWithItsBias(FloorRotation):
    def __init__(self, rate_hz: float) -> None:
        super().__init__(rate_hz)
        self.bias = FusionBias(rate_hz)  # type: ignore[assignment]


def score(ball: SimulatedBall, make: Any) -> tuple[int, int, list[float], int, int, float]:
    s = ball.signals
    rotation = make(s.rate_hz)
    tracker = StrokeTracker(s.rate_hz, 80.0, rotation=rotation)
    t0 = time.process_time()
    got = []
    for a in range(0, len(s), 2):
        got += tracker.update(s.t_s[a:a + 2], s.gyro_dps[a:a + 2], s.accel_g[a:a + 2])
    cpu = time.process_time() - t0
    truth = true_strokes(ball)
    ends = np.array([g.end_s for g in got])
    errs, right, known = [], 0, 0
    for t in truth:
        k = int(np.argmin(np.abs(ends - t["end_s"])))
        if abs(ends[k] - t["end_s"]) > 0.6:
            continue
        errs.append(abs(got[k].length_cm - t["length_cm"]) / t["length_cm"])
        if got[k].direction is not None:
            known += 1
            right += got[k].direction == t["direction"]
    return len(got), len(truth), errs, right, known, cpu / len(s)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=2)
    args = ap.parse_args()
    makers = {
        "imufusion (Fusion AHRS)": FloorRotation,
        "imufusion + Fusion Bias": FusionWithItsBias,
        "ahrs Madgwick": lambda r: AhrsRotation(r, "madgwick"),
        "ahrs Mahony": lambda r: AhrsRotation(r, "mahony"),
    }
    balls = [SimulatedBall(performer_scenario(name, style, seed), seed=seed)
             for name in ("quick", "after-run", "inflamed", "plantar-fasciitis", "sore-spots",
                          "bedtime")
             for style in ("faithful", "careless")
             for seed in range(args.seeds)]
    for label, make in makers.items():
        found = true_n = right = known = 0
        errs: list[float] = []
        cpu: list[float] = []
        for ball in balls:
            f, t, e, r, k, c = score(ball, make)
            found, true_n, right, known = found + f, true_n + t, right + r, known + k
            errs += e
            cpu.append(c)
        print(f"{label:24} strokes {found} of {true_n} true; length median error "
              f"{100 * np.median(errs):.1f} %; direction right {100 * right / max(1, known):.1f} "
              f"% of {known}; CPU {1e6 * np.median(cpu):.0f} us a sample "
              f"({100 * np.median(cpu) * 100:.2f} % of a core at 100 Hz)", flush=True)


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
