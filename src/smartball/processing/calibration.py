"""The response of one ball: its settled pressure-to-force curve, overshoot and time constant.

Protocol section 4: once the reading has settled under a steady load, the pressure rise over
the unloaded baseline is ``curve(force)``; a quick press reads ``1 + overshoot`` times that at
first and settles with ``tau_s`` (a release reads low the same way). The curve is the monotone
cubic (PCHIP) through the origin and the measured points, extended linearly past both ends
with its slope there. Without a calibration the reference ball holds:
60 Pa/N, overshoot 0.20, 7 s.

Pure: ``to_json``/``from_json`` work on text; reading and writing files is for ``smartball.io``.
"""

from __future__ import annotations

import dataclasses
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
REFERENCE_TAU_S = 7.0
FILE_VERSION = 2
KNOTS = 97
"""Knots of the tabulated curve between the origin and the last point."""

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Calibration:
    points: tuple[tuple[float, float], ...]
    """``(force_n, pressure_rise_pa)`` pairs, sorted by force, force and pressure rising."""
    overshoot: float = REFERENCE_OVERSHOOT
    """How much higher a quick press reads at first, as a fraction of the settled rise."""
    tau_s: float = REFERENCE_TAU_S
    """Time constant with which the reading settles after a quick change of load."""
    residual_n: float | None = None
    """RMS distance of the measured points from a smooth curve through them, newton."""
    created: str | None = None
    """When it was measured (ISO 8601), if known."""
    ball: str | None = None
    """The device it was measured on (name or id), if known."""
    name: str | None = None
    """The ball's name as its owner calls it (``calibrate --name``), if given."""
    device_id: str | None = None
    """The INFO ``device_id`` (hex) of the board it was measured with, if known: the ball
    picked when that board connects."""

    @staticmethod
    def reference() -> Calibration:
        return Calibration(((100.0, 100.0 * REFERENCE_PA_PER_N),))

    @staticmethod
    def fit(points: Iterable[tuple[float, float]], *, overshoot: float = REFERENCE_OVERSHOOT,
            tau_s: float = REFERENCE_TAU_S, residual_n: float | None = None,
            created: str | None = None, ball: str | None = None) -> Calibration:
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
        if not (np.isfinite(overshoot) and 0.0 <= overshoot < 5.0):
            raise InputError(f"an overshoot of {overshoot} is not a ball's; it is a fraction "
                             "of the settled rise between 0 and 5.")
        if not (np.isfinite(tau_s) and tau_s > 0.0):
            raise InputError(f"a settling time constant of {tau_s} s is not a ball's; it must "
                             "be above 0 s.")
        return Calibration(tuple(merged), float(overshoot), float(tau_s), residual_n,
                           created, ball)

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
        """The file form, ``version: 2``."""
        pts = [{"force_n": f, "pressure_rise_pa": p} for f, p in self.points]
        return json.dumps({
            "version": FILE_VERSION,
            "points": pts,
            "response": {"overshoot": self.overshoot, "tau_s": self.tau_s},
            "residual_n": self.residual_n,
            "created": self.created,
            "ball": self.ball,
            **({"name": self.name} if self.name is not None else {}),
            **({"device_id": self.device_id} if self.device_id is not None else {}),
        }, indent=2)

    @staticmethod
    def from_json(text: str) -> Calibration:
        """A calibration from its file form; version 1 (points only) gets the reference
        response."""
        try:
            doc = json.loads(text)
            version = int(doc.get("version", 1))
            pts = [(float(d["force_n"]), float(d["pressure_rise_pa"])) for d in doc["points"]]
            response = doc.get("response") or {} if version >= 2 else {}
            overshoot = float(response.get("overshoot", REFERENCE_OVERSHOOT))
            tau_s = float(response.get("tau_s", REFERENCE_TAU_S))
            residual = doc.get("residual_n")
            residual_n = None if residual is None else float(residual)
            created, ball = doc.get("created"), doc.get("ball")
            name, device_id = doc.get("name"), doc.get("device_id")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(
                "this is not a SmartBall calibration file (JSON with a 'points' list of "
                "force_n and pressure_rise_pa); calibrate again to make one."
            ) from exc
        if version > FILE_VERSION:
            raise InputError(f"this calibration file is version {version}, newer than this "
                             f"smartball reads ({FILE_VERSION}); update smartball.")
        fitted = Calibration.fit(pts, overshoot=overshoot, tau_s=tau_s, residual_n=residual_n,
                                 created=None if created is None else str(created),
                                 ball=None if ball is None else str(ball))
        return dataclasses.replace(fitted, name=None if name is None else str(name),
                                   device_id=None if device_id is None else str(device_id))


@functools.lru_cache(maxsize=16)
def _knots(points: tuple[tuple[float, float], ...]) -> tuple[F64, F64]:
    """Force and pressure knots of a curve, the origin first (made once per curve: a live
    session converts a couple of samples at a time). Read-only: they are shared.

    Between the measured points the curve is the monotone cubic (PCHIP) through the origin
    and the points, tabulated densely: a wall that stiffens with load bends between two
    loads, and straight chords would read a few percent off there."""
    f = np.array([0.0] + [p[0] for p in points])
    p = np.array([0.0] + [p[1] for p in points])
    if len(f) > 2:
        from scipy.interpolate import PchipInterpolator

        dense = np.union1d(f, np.linspace(0.0, f[-1], KNOTS))
        p = PchipInterpolator(f, p)(dense)
        f = dense
    f.flags.writeable = False
    p.flags.writeable = False
    return f, p
