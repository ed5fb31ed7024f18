"""Strokes between reversals: length (rolled angle x radius), speed, direction on the floor.

The ball rolls without slipping, so its centre moves at ``radius x (omega x up)``: the
floor-frame angular rate (:mod:`.orientation`) gives the velocity on the floor. A stroke is
one pass between two reversals: it ends where the velocity turns against the stroke's own
direction (reported as soon as the turn is clear, dated at the turn) or where the ball stops.

Directions are axes (a stroke and its way back are the same line), compared with the
session's first heel-to-toe strokes: within 45 degrees of them is ``along``, else ``across``.
The reference follows the strokes it classifies, so the gyro's slow heading drift does not
turn along into across over a long session.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartball.strokes.orientation import FloorRotation

F64 = npt.NDArray[np.float64]

START_CM_S = 2.0
"""Faster than this on the floor, the ball is rolling a stroke."""
STOP_CM_S = 1.0
STOP_S = 0.15
"""Slower than ``STOP_CM_S`` this long ends a stroke at a stop (a hold, a rest)."""
REVERSE_CM_S = 1.5
"""Velocity against the stroke's direction beyond this is a reversal."""
MIN_LENGTH_CM = 2.0
"""Shorter passes are a wobble, not a stroke."""
SMOOTH_S = 0.04
REFERENCE_STROKES = 3
"""Heel-to-toe strokes averaged into the reference direction."""
FOLLOW = 0.3
"""How far the reference moves towards each classified stroke's axis."""
FOLLOW_WITHIN_DEG = 25.0
"""Only strokes this close to the reference (or to its perpendicular) move it."""


@dataclass(frozen=True, slots=True)
class Stroke:
    start_s: float
    end_s: float
    """Device time of the reversal (or stop) that ended it."""
    length_cm: float
    speed_cm_s: float
    heading_deg: float
    """Its axis on the floor, 0-180 degrees, in the tracker's own floor frame."""
    direction: str | None
    """``along`` or ``across`` the first heel-to-toe strokes; None before they are known."""
    known_s: float
    """Device time of the sample at which the stroke was reported."""


class _Pass:
    """Displacement (cm) and path length of a stretch of rolling."""

    __slots__ = ("dx", "dy", "path", "t0")

    def __init__(self, t0: float) -> None:
        self.t0 = t0
        self.dx = self.dy = self.path = 0.0

    def add(self, vx: float, vy: float, dt: float) -> None:
        self.dx += vx * dt
        self.dy += vy * dt
        self.path += math.hypot(vx, vy) * dt

    def merge(self, other: _Pass) -> None:
        self.dx += other.dx
        self.dy += other.dy
        self.path += other.path

    @property
    def net(self) -> float:
        return math.hypot(self.dx, self.dy)


class StrokeTracker:
    """``update(t_s, gyro_dps, accel_g)`` per block gives the strokes that ended in it.

    ``asked(t_s)``: what the user was asked to roll at a device time (``along``, ``across``
    or None); the reference is learnt from the first strokes that began while ``along`` was
    asked (default: always, as the coach first asks for heel to toe). A function of time,
    not of when it is called, so any chunking gives the same strokes."""

    def __init__(self, rate_hz: float, ball_diameter_mm: float,
                 rotation: FloorRotation | None = None,
                 asked: Callable[[float], str | None] | None = None) -> None:
        self.dt = 1.0 / float(rate_hz)
        self.radius_cm = ball_diameter_mm / 20.0
        self.rotation = rotation or FloorRotation(rate_hz)
        self.asked = asked or _always_along
        self.strokes: list[Stroke] = []
        self._alpha = 1.0 - math.exp(-self.dt / SMOOTH_S)
        self._vx = self._vy = 0.0
        self._stroke: _Pass | None = None
        self._back: _Pass | None = None  # the part since the velocity last agreed
        self._slow_since: float | None = None
        self._seed: list[float] = []  # doubled heading angles of the reference strokes
        self._ref2: float | None = None

    def update(self, t_s: F64, gyro_dps: F64, accel_g: F64) -> list[Stroke]:
        omega = self.rotation.update(gyro_dps, accel_g)
        out: list[Stroke] = []
        k = self.radius_cm * math.pi / 180.0  # deg/s -> cm/s
        vx_all = (omega[:, 1] * k).tolist()
        vy_all = (-omega[:, 0] * k).tolist()
        for t, vx, vy in zip(t_s.tolist(), vx_all, vy_all, strict=True):
            if vx != vx:  # no reading
                continue
            self._step(t, vx, vy, out)
        return out

    def finish(self, t_s: float) -> list[Stroke]:
        """Close a stroke still open at the end of input."""
        out: list[Stroke] = []
        if self._stroke is not None:
            self._end(t_s, t_s, out)
        return out

    # ------------------------------------------------------------------ per sample

    def _step(self, t: float, vx_raw: float, vy_raw: float, out: list[Stroke]) -> None:
        a = self._alpha
        self._vx += a * (vx_raw - self._vx)
        self._vy += a * (vy_raw - self._vy)
        vx, vy, dt = self._vx, self._vy, self.dt
        speed = math.hypot(vx, vy)
        stroke = self._stroke
        if stroke is None:
            if speed > START_CM_S:
                self._stroke = _Pass(t)
                self._stroke.add(vx, vy, dt)
                self._slow_since = None
            return
        # Slow for a while: a stop ends the stroke where it slowed.
        if speed < STOP_CM_S:
            if self._slow_since is None:
                self._slow_since = t
            elif t - self._slow_since >= STOP_S:
                self._end(self._slow_since, t, out)
                return
        else:
            self._slow_since = None
        net = stroke.net
        ux, uy = (stroke.dx / net, stroke.dy / net) if net > 0.5 else (vx, vy)
        along = vx * ux + vy * uy
        if along > 0 or net <= 0.5:
            if self._back is not None:
                stroke.merge(self._back)
                self._back = None
            stroke.add(vx, vy, dt)
            return
        if self._back is None:
            self._back = _Pass(t)
        self._back.add(vx, vy, dt)
        if along < -REVERSE_CM_S:
            back = self._back
            self._back = None
            if stroke.net >= MIN_LENGTH_CM:
                self._emit(stroke, back.t0, t, out)
            self._stroke = back

    def _end(self, end_s: float, known_s: float, out: list[Stroke]) -> None:
        stroke = self._stroke
        assert stroke is not None
        if self._back is not None:
            # Slowing to a stop while turning: the part after the turn is no stroke.
            end_s = min(end_s, self._back.t0)
            self._back = None
        if stroke.net >= MIN_LENGTH_CM:
            self._emit(stroke, end_s, known_s, out)
        self._stroke = None
        self._slow_since = None

    def _emit(self, p: _Pass, end_s: float, known_s: float, out: list[Stroke]) -> None:
        duration = max(end_s - p.t0, self.dt)
        heading2 = math.atan2(p.dy, p.dx) * 2.0  # an axis: doubled angle
        stroke = Stroke(
            start_s=p.t0, end_s=end_s, length_cm=p.path, speed_cm_s=p.path / duration,
            heading_deg=math.degrees(heading2 / 2.0) % 180.0,
            direction=self._classify(heading2, self.asked(p.t0)), known_s=known_s,
        )
        self.strokes.append(stroke)
        out.append(stroke)

    def _classify(self, heading2: float, asked: str | None) -> str | None:
        if self._ref2 is None:
            if asked != "along":
                return None
            self._seed.append(heading2)
            if len(self._seed) >= REFERENCE_STROKES:
                s = sum(math.sin(h) for h in self._seed)
                c = sum(math.cos(h) for h in self._seed)
                self._ref2 = math.atan2(s, c)
            return "along"
        diff = _wrap(heading2 - self._ref2)
        direction = "along" if abs(diff) < math.pi / 2 else "across"
        off = diff if direction == "along" else _wrap(diff - math.pi)
        if abs(off) < math.radians(2 * FOLLOW_WITHIN_DEG):
            self._ref2 = _wrap(self._ref2 + FOLLOW * off)
        return direction


def _always_along(t_s: float) -> str | None:
    return "along"


def _wrap(x: float) -> float:
    return (x + math.pi) % (2 * math.pi) - math.pi
