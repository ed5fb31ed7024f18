"""Find the held loads of a scale calibration in the pressure as it comes: the ball pressed,
held steady, released. What ``smartball calibrate`` uses with a ball to mark each load's
steady window itself, so the user only types what the scale showed.

A press is the reading rising well above the rest before it; it ends when the reading falls
below halfway between that rest and the hold's peak (a release). Its steady window runs from
the first to the last moment the reading was above that halfway mark and moved slowly (less
than a tenth of the load's rise per second: the hand's ramps are far quicker, the response's
settling far slower), less a margin at each end.

Pure: samples in, holds out, state carried between calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]

PRESS_MIN_PA = 300.0
"""A rise this far over the rest is a press (5 N on the reference ball)."""
SMOOTH_S = 0.2
QUIET_SLOPE_PER_S = 0.1
MARGIN_S = 0.3


@dataclass(frozen=True, slots=True)
class SteadyHold:
    start_s: float
    end_s: float
    """The window in which the load was steady (device seconds)."""
    rise_pa: float
    """Roughly how far the hold read over the rest before it."""

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


class HoldFinder:
    """``feed(t_s, pressure_pa)`` returns the holds that ended (were released) in it."""

    def __init__(self) -> None:
        self._t: list[float] = []
        self._p: list[float] = []
        self._sum = 0.0
        self._rest_min: float | None = None
        self._press_i: int | None = None
        self._peak = 0.0

    @property
    def pressed(self) -> bool:
        """The ball is pressed now."""
        return self._press_i is not None

    def feed(self, t_s: F64, pressure_pa: F64) -> list[SteadyHold]:
        out: list[SteadyHold] = []
        for t, p in zip(t_s.tolist(), pressure_pa.tolist(), strict=True):
            if p != p:  # NaN: a sample without pressure
                continue
            self._t.append(t)
            self._p.append(p)
            s = self._smoothed()
            if self._press_i is None:
                self._rest_min = s if self._rest_min is None else min(self._rest_min, s)
                if s > self._rest_min + PRESS_MIN_PA:
                    self._press_i = len(self._p) - 1
                    self._peak = s
            else:
                assert self._rest_min is not None
                self._peak = max(self._peak, s)
                if s < self._rest_min + 0.5 * (self._peak - self._rest_min):
                    hold = self._steady(self._press_i, len(self._p))
                    if hold is not None:
                        out.append(hold)
                    self._press_i = None
                    self._rest_min = s
        return out

    def _smoothed(self) -> float:
        """Mean of the last ``SMOOTH_S`` of readings."""
        t_now = self._t[-1]
        k = len(self._t) - 1
        while k > 0 and t_now - self._t[k - 1] < SMOOTH_S:
            k -= 1
        return float(np.mean(self._p[k:]))

    def _steady(self, a: int, b: int) -> SteadyHold | None:
        t = np.array(self._t[a:b])
        p = np.array(self._p[a:b])
        if len(t) < 5:
            return None
        n = max(1, int(np.searchsorted(t, t[0] + SMOOTH_S)))
        smooth = np.convolve(p, np.ones(n) / n, mode="same")
        assert self._rest_min is not None
        # Loaded: above halfway to the peak (a reading still recovering from the release
        # before, which may have crept over the press threshold, is not).
        loaded = smooth > self._rest_min + 0.5 * (self._peak - self._rest_min)
        rise = float(np.median(smooth[loaded])) - self._rest_min if loaded.any() else 0.0
        slow = np.abs(np.gradient(smooth, t)) < QUIET_SLOPE_PER_S * rise
        quiet = np.flatnonzero(loaded & slow)
        if len(quiet) < 2:
            return None
        start, end = t[quiet[0]] + MARGIN_S, t[quiet[-1]] - MARGIN_S
        if end <= start:
            return None
        return SteadyHold(float(start), float(end), rise)
