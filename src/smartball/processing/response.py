"""Undoing the ball's response over time: from the measured pressure rise to the settled one.

Protocol section 4: a ball reads its settled rise ``S`` plus an overshoot that fades,
``r = S + overshoot * HP(S)``, with ``HP`` a first-order high-pass of time constant ``tau_s``.
A quick press reads ``(1 + overshoot) * S`` at first and settles to ``S``; a quick release reads
``-overshoot * S`` below the baseline and recovers the same way. In Laplace form
``r / S = (1 + s tau (1 + overshoot)) / (1 + s tau)``, whose inverse
``S / r = (1 + s tau) / (1 + s tau (1 + overshoot))`` is a stable first-order filter.

Sampled at ``rate_hz``, the high-pass is discretised step-invariantly (a step of the settled
rise at a sample decays by ``e = exp(-1 / (tau_s rate_hz))`` per sample, as the continuous
one does): ``HP / S = (1 - z^-1) / (1 - e z^-1)``, so the measured rise is
``r / S = ((1 + o) - (e + o) z^-1) / (1 - e z^-1)`` and this module runs its exact inverse
``S / r = (1 - e z^-1) / ((1 + o) - (e + o) z^-1)``, whose pole ``(e + o) / (1 + o)`` is inside
the unit circle for any overshoot >= 0. Other discretisations of the same continuous response
differ from it by about a fraction ``1 / (tau_s rate_hz)`` of the overshoot (0.14 % of it on
the reference ball at 100 Hz).

The filter is linear and its DC gain is 1, so it can run on the whole (temperature-referred)
pressure, baseline included: a slow baseline passes through unchanged (delayed by
``overshoot * tau_s`` on a ramp, and the unloaded baseline is tracked on the same output), and
a release no longer undershoots it. The state is carried between chunks; the first sample is
taken as settled.

Pure: no I/O.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smartball.processing.filters import SosFilter

F64 = npt.NDArray[np.float64]


def inverse_sos(overshoot: float, tau_s: float, rate_hz: float) -> F64:
    """The inverse response as one second-order section (its second order terms are 0)."""
    if not (np.isfinite(overshoot) and overshoot >= 0.0):
        raise ValueError("the overshoot must be a fraction of 0 or more")
    if not (np.isfinite(tau_s) and tau_s > 0.0 and rate_hz > 0.0):
        raise ValueError("the time constant and the sample rate must be positive")
    o = float(overshoot)
    e = float(np.exp(-1.0 / (tau_s * rate_hz)))
    d = 1.0 + o
    return np.array([[1.0 / d, -e / d, 0.0, 1.0, -(e + o) / d, 0.0]])


class ResponseInverse:
    """Settled readings from measured ones, state carried between chunks.

    A missing reading (NaN) stays missing in the output and does not disturb the state: the
    filter is fed the last reading in its place.
    """

    def __init__(self, overshoot: float, tau_s: float, rate_hz: float) -> None:
        self.overshoot = float(overshoot)
        self.tau_s = float(tau_s)
        self.enabled = self.overshoot > 0.0
        self._filter = SosFilter(inverse_sos(overshoot, tau_s, rate_hz))
        self._last: float | None = None

    def __call__(self, measured: F64) -> F64:
        n = measured.shape[0]
        if not self.enabled or n == 0:
            return measured
        ok = np.isfinite(measured)
        if ok.all():
            self._last = float(measured[-1])
            return self._filter(measured)
        out = np.full(n, np.nan)
        idx = np.maximum.accumulate(np.where(ok, np.arange(n), -1))
        start = 0
        if self._last is None:  # nothing seen before: start at the first reading
            if not ok.any():
                return out
            start = int(np.argmax(ok))
        fill = self._last if self._last is not None else np.nan
        x = np.where(idx >= 0, measured[np.maximum(idx, 0)], fill)[start:]
        self._last = float(x[-1])
        out[start:] = self._filter(x)
        return np.where(ok, out, np.nan)
