"""The pressure-to-force curve of one ball.

A user presses the ball on a kitchen scale at a few loads and notes the pressure rise over
the unloaded baseline at each; the curve is the monotone piecewise-linear line through the
origin and those points, extended past the last point with the slope of the last segment.
Without a calibration the reference ball's 60 Pa/N holds (protocol section 4). The curve is
the settled rise; ``overshoot`` and ``tau_s`` say how the reading gets there over time
(``smartball.processing.response`` undoes that).

Pure: ``to_json``/``from_json`` work on text; reading and writing files is for ``smartball.io``.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartball.errors import InputError

REFERENCE_PA_PER_N = 60.0
REFERENCE_OVERSHOOT = 0.2
"""How much higher than settled the reference ball reads right after a quick press."""
REFERENCE_TAU_S = 7.0
"""Time constant over which the reference ball's reading settles."""

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Calibration:
    points: tuple[tuple[float, float], ...]
    """``(force_n, pressure_rise_pa)`` pairs, sorted by force, force and pressure rising."""
    overshoot: float = REFERENCE_OVERSHOOT
    """Fraction by which a quick press reads above the settled rise at first (protocol 4)."""
    tau_s: float = REFERENCE_TAU_S
    """Time constant of the settling, seconds."""

    @staticmethod
    def reference() -> Calibration:
        return Calibration(((100.0, 100.0 * REFERENCE_PA_PER_N),))

    @staticmethod
    def fit(points: Iterable[tuple[float, float]]) -> Calibration:
        """A calibration from measured ``(force_n, pressure_rise_pa)`` points.

        Points at the same force are averaged (several readings of one load). The curve must
        rise: a larger load that gave a smaller pressure rise is a misreading, and is refused.
        """
        pts = [(float(f), float(p)) for f, p in points]
        if not pts:
            raise InputError("a calibration needs at least one (force, pressure rise) point.")
        if any(not (np.isfinite(f) and np.isfinite(p)) for f, p in pts):
            raise InputError("calibration points must be finite numbers.")
        if any(f <= 0 or p <= 0 for f, p in pts):
            raise InputError(
                "calibration loads and pressure rises must be positive; weigh the ball "
                "under a real load and subtract the unloaded reading."
            )
        by_force: dict[float, list[float]] = {}
        for f, p in pts:
            by_force.setdefault(f, []).append(p)
        merged = sorted((f, float(np.mean(ps))) for f, ps in by_force.items())
        rises = [p for _f, p in merged]
        if any(b <= a for a, b in itertools.pairwise(rises)):
            raise InputError(
                "calibration pressure rises must grow with the load; repeat the reading "
                "that does not."
            )
        return Calibration(tuple(merged))

    def _knots(self) -> tuple[F64, F64]:
        return _knots(self.points)

    def force_n(self, rise_pa: npt.ArrayLike) -> F64:
        """Force for a pressure rise over the baseline (linear beyond both ends)."""
        x = np.asarray(rise_pa, dtype=np.float64)
        f, p = self._knots()
        out = np.interp(x, p, f)
        slope_lo = (f[1] - f[0]) / (p[1] - p[0])
        slope_hi = (f[-1] - f[-2]) / (p[-1] - p[-2])
        out = np.where(x < 0, x * slope_lo, out)
        return np.where(x > p[-1], f[-1] + (x - p[-1]) * slope_hi, out)

    def rise_pa(self, force_n: npt.ArrayLike) -> F64:
        """Pressure rise for a force (the inverse of :meth:`force_n`)."""
        x = np.asarray(force_n, dtype=np.float64)
        f, p = self._knots()
        out = np.interp(x, f, p)
        slope_lo = (p[1] - p[0]) / (f[1] - f[0])
        slope_hi = (p[-1] - p[-2]) / (f[-1] - f[-2])
        out = np.where(x < 0, x * slope_lo, out)
        return np.where(x > f[-1], p[-1] + (x - f[-1]) * slope_hi, out)

    def to_json(self) -> str:
        pts = [{"force_n": f, "pressure_rise_pa": p} for f, p in self.points]
        return json.dumps({"version": 1, "points": pts})

    @staticmethod
    def from_json(text: str) -> Calibration:
        try:
            doc = json.loads(text)
            pts = [(float(d["force_n"]), float(d["pressure_rise_pa"])) for d in doc["points"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(
                "this is not a SmartBall calibration file (JSON with a 'points' list of "
                "force_n and pressure_rise_pa); calibrate again to make one."
            ) from exc
        return Calibration.fit(pts)


@functools.lru_cache(maxsize=16)
def _knots(points: tuple[tuple[float, float], ...]) -> tuple[F64, F64]:
    """Force and pressure knots of a curve, the origin first (made once per curve: a live
    session converts a couple of samples at a time). Read-only: they are shared."""
    f = np.array([0.0] + [p[0] for p in points])
    p = np.array([0.0] + [p[1] for p in points])
    f.flags.writeable = False
    p.flags.writeable = False
    return f, p
