"""Pressure to force: the unloaded baseline, tracked through temperature and leaks.

The air in a sealed ball follows the gas law, so the unloaded pressure is
``p0(T) = p_ref * T_K / T_ref_K``. Dividing every reading by ``T_K / T_ref_K`` (with the
sensor's temperature) removes that part; what is left of the baseline moves only with leaks
and with the lag between the sensor's and the air's temperature. A slow follower tracks it,
but only while the ball is unloaded: under a foot the baseline is frozen at its last unloaded
value, so a long hold does not sink into it.

The unloaded/loaded decision depends on the baseline itself, so it is sequential; it is
computed window by window, looping only at the points where the ball is loaded or released.

The baseline is tracked on the settled pressure (``smartball.processing.response`` undoes the
ball's response on the whole reading, baseline included, which passes a slow baseline through
unchanged): after a release the measured reading undershoots and recovers over several time
constants, the settled one does not, so the baseline never restarts at a reading that is
still recovering. Nothing presses a settled reading under the unloaded one, so a reading
under the baseline means the baseline is too high (a host that attached while a foot was on
the ball, whose first reading was no baseline; a foot that rested very still on the ball):
the baseline follows it down at once. Slow drifts (a leak, a lag of the temperature sensor)
stay inside the unloaded band and are followed.

A baseline frozen too low (the air warmed under the foot faster than the sensor could follow,
say) would read a small constant force forever, and never be released. A foot is never still
to a fraction of a newton for long, an unloaded ball is: a reading that stays within
``quiet_range`` for ``quiet_s`` while it reads little force is taken as unloaded, and the
baseline restarts there. (A foot resting on the ball between presses can be that still for a
few seconds, so ``quiet_s`` is longer than such a rest.)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smartball.processing.calibration import Calibration
from smartball.processing.filters import first_order
from smartball.processing.response import ResponseInverse
from smartball.processing.runs import TrailingRange

F64 = npt.NDArray[np.float64]
KELVIN = 273.15

_WINDOW = 2048  # samples looked ahead at a time for the next load/release


class BaselineTracker:
    def __init__(self, calibration: Calibration, unloaded_n: float, tau_s: float,
                 rate_hz: float, quiet_range_n: float = 0.5, quiet_s: float = 3.0,
                 quiet_max_n: float = 30.0) -> None:
        self.calibration = calibration
        self._settle = ResponseInverse(calibration.overshoot, calibration.tau_s, rate_hz)
        self.unloaded_rise_pa = float(calibration.rise_pa(unloaded_n))
        self.quiet_range_pa = float(calibration.rise_pa(quiet_range_n))
        self.quiet_max_pa = float(calibration.rise_pa(quiet_max_n))
        self._range_long = TrailingRange(max(3, round(quiet_s * rate_hz)))
        self.alpha = float(1.0 - np.exp(-1.0 / max(tau_s * rate_hz, 1e-9)))
        self.t_ref_k: float | None = None
        self.last_temp_k: float | None = None
        self.baseline_pa: float | None = None
        """Unloaded pressure at the reference temperature."""
        self.loaded = False

    def _temperature_k(self, temp_c: F64) -> F64:
        """Sensor temperature in kelvin, a missing reading carried from the last one."""
        tk = temp_c + KELVIN
        ok = np.isfinite(tk)
        if not ok.all():
            idx = np.where(ok, np.arange(tk.shape[0]), -1)
            idx = np.maximum.accumulate(idx)
            fill = self.last_temp_k if self.last_temp_k is not None else np.nan
            tk = np.where(idx >= 0, tk[np.maximum(idx, 0)], fill)
        if self.t_ref_k is None:
            finite = tk[np.isfinite(tk)]
            if finite.size:
                self.t_ref_k = float(finite[0])
        if np.isfinite(tk[-1]):
            self.last_temp_k = float(tk[-1])
        if self.t_ref_k is None:
            return np.ones_like(tk)
        # Before the first temperature reading nothing can be compensated: ratio 1.
        return np.where(np.isfinite(tk), tk / self.t_ref_k, 1.0)

    def rise_pa(self, pressure_pa: F64, temp_c: F64) -> F64:
        """Pressure rise over the unloaded baseline, in pascal at the current temperature."""
        n = pressure_pa.shape[0]
        if n == 0:
            return np.empty(0)
        ratio = self._temperature_k(temp_c)
        # Pressure referred to the reference temperature, then settled: the ball's response
        # undone, so a press reads its settled rise at once and a release does not undershoot.
        pn = self._settle(pressure_pa / ratio)
        # A missing pressure reading (NaN) neither loads nor moves the baseline.
        valid = np.isfinite(pn)
        if self.baseline_pa is None:
            first = np.flatnonzero(valid)
            if first.size == 0:
                return np.full(n, np.nan)
            self.baseline_pa = float(pn[first[0]])
        base = self._track(np.where(valid, pn, np.nan), self._quiet(pn))
        return (pn - base) * ratio

    def _quiet(self, pn: F64) -> npt.NDArray[np.bool_]:
        """Whether the readings stay within the quiet range over the last ``quiet_s``, up to
        each sample."""
        return self._range_long.update(pn) <= self.quiet_range_pa

    def _track(self, pn: F64, quiet: npt.NDArray[np.bool_]) -> F64:
        """Baseline before each sample (the value the sample is judged against)."""
        n = pn.shape[0]
        out = np.empty(n)
        a = self.alpha
        thr = self.unloaded_rise_pa
        b = float(self.baseline_pa)  # type: ignore[arg-type]
        i = 0
        while i < n:
            j = min(n, i + _WINDOW)
            x = pn[i:j]
            if self.loaded:
                # NaN compares False: stays loaded.
                rise = x - b
                released = (rise < thr) & (rise >= -thr)
                # Under the baseline by more than the band: the baseline is too high.
                stuck = (quiet[i:j] & (rise < self.quiet_max_pa)) | (rise < -thr)
                hits = np.flatnonzero(released | stuck)
                k = int(hits[0]) if hits.size else j - i
                out[i : i + k] = b
                i += k
                if hits.size:
                    self.loaded = False
                    if not released[k]:
                        b = float(x[k])  # a frozen, wrong baseline: restart it here
                continue
            # Unloaded: the baseline follows the pressure; missing samples hold it.
            xf = np.where(np.isfinite(x), x, np.nan)
            held = ~np.isfinite(xf)
            if held.any():
                # A NaN would poison the filter state: feed the held value instead, which
                # leaves an exponential follower where it is only approximately; a NaN
                # sample is rare (decoder gaps are not NaN), so this is acceptable.
                xf = xf.copy()
                xf[held] = b
            y, _ = first_order(a, a - 1.0, xf, (1.0 - a) * b)
            before = np.empty(j - i)
            before[0] = b
            before[1:] = y[:-1]
            hits = np.flatnonzero(np.abs(x - before) >= thr)
            k = int(hits[0]) if hits.size else j - i
            out[i : i + k] = before[:k]
            if hits.size:
                b = float(before[k])
                self.loaded = True
            else:
                b = float(y[-1])
            i += k
        self.baseline_pa = b
        return out
