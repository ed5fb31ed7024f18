"""Filters that carry their state between chunks (``sosfilt`` with ``zi``).

The state starts at the steady state of the first sample seen, so a filter does not ring
from zero at the start of a session, and feeding a signal in one chunk or in many gives the
same output.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import signal

F64 = npt.NDArray[np.float64]


class SosFilter:
    def __init__(self, sos: F64) -> None:
        self.sos = np.ascontiguousarray(sos, dtype=np.float64)
        self._zi_unit = signal.sosfilt_zi(self.sos)
        self._zi: F64 | None = None

    @staticmethod
    def lowpass(cutoff_hz: float, rate_hz: float, order: int = 2) -> SosFilter:
        wn = min(cutoff_hz / (rate_hz / 2.0), 0.99)
        return SosFilter(signal.butter(order, wn, btype="lowpass", output="sos"))

    @staticmethod
    def bandpass(low_hz: float, high_hz: float, rate_hz: float, order: int = 2) -> SosFilter:
        nyq = rate_hz / 2.0
        lo = min(low_hz / nyq, 0.9)
        hi = min(high_hz / nyq, 0.95)
        if hi <= lo:  # a slow stream: the band collapses to a high-pass
            return SosFilter(signal.butter(order, lo, btype="highpass", output="sos"))
        return SosFilter(signal.butter(order, [lo, hi], btype="bandpass", output="sos"))

    def __call__(self, x: F64) -> F64:
        if x.shape[0] == 0:
            return x.copy()
        if self._zi is None:
            self._zi = self._zi_unit * x[0]
        y, self._zi = signal.sosfilt(self.sos, x, zi=self._zi)
        return np.asarray(y, dtype=np.float64)


class Ema:
    """First-order low-pass ``y += a * (x - y)``, starting at the first sample."""

    def __init__(self, tau_s: float, rate_hz: float) -> None:
        self.alpha = float(1.0 - np.exp(-1.0 / max(tau_s * rate_hz, 1e-9)))
        self.y: float | None = None

    def __call__(self, x: F64) -> F64:
        if x.shape[0] == 0:
            return x.copy()
        if self.y is None:
            self.y = float(x[0])
        a = self.alpha
        y, _ = signal.lfilter([a], [1.0, a - 1.0], x, zi=[(1.0 - a) * self.y])
        self.y = float(y[-1])
        return np.asarray(y, dtype=np.float64)
