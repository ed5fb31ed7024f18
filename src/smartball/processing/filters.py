"""Filters that carry their state between chunks (``sosfilt`` with ``zi``).

The state starts at the steady state of the first sample seen, so a filter does not ring
from zero at the start of a session, and feeding a signal in one chunk or in many gives the
same output.

A live session feeds a couple of samples at a time, 50 times a second; scipy's filters then
spend almost all their time on argument checks and axis handling (over 0.1 ms a call), not on
filtering. Up to :data:`SMALL_CHUNK` samples the same recurrences run as a plain loop over
Python floats instead: the same operations in the same order as scipy's compiled loops
(transposed direct form II), so both paths give bit-identical output and chunked input stays
identical to whole input (``tests/processing/test_filters.py`` checks both against each other).
``benchmarks/fast_paths.py`` on a 2-sample live chunk: ``SosFilter`` 2.1 us against 64 us
(four filters a chunk: about 1.2 % of a core at 50 chunks a second), ``first_order`` 1.1 us
against 12.9 us (six calls a chunk: about 0.35 %); the live session's budget is 5 %.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import signal

F64 = npt.NDArray[np.float64]

SMALL_CHUNK = 16
"""Longest chunk filtered by the Python loop; longer ones go through scipy."""


def first_order(b0: float, a1: float, x: F64, z0: float) -> tuple[F64, float]:
    """``lfilter([b0], [1, a1], x, zi=[z0])`` for a 1-D ``x``: the output and the final
    state. ``y[k] = z + b0 * x[k]``, then ``z = 0 * x[k] - a1 * y[k]``."""
    n = x.shape[0]
    if n > SMALL_CHUNK:
        y, zf = signal.lfilter([b0], [1.0, a1], x, zi=[z0])
        return np.asarray(y, dtype=np.float64), float(zf[0])
    out = [0.0] * n
    b0, a1, z = float(b0), float(a1), float(z0)  # numpy scalars would be slow here
    for k, v in enumerate(x.tolist()):
        y_k = z + b0 * v
        z = v * 0.0 - y_k * a1  # scipy pads b with a zero: keeps NaN and signed zeros alike
        out[k] = y_k
    return np.array(out, dtype=np.float64), z


class SosFilter:
    def __init__(self, sos: F64) -> None:
        self.sos = np.ascontiguousarray(sos, dtype=np.float64)
        self._zi_unit = signal.sosfilt_zi(self.sos)
        self._zi: F64 | None = None
        # (b0, b1, b2, a1, a2) per section, for the loop (a0 is 1 in a valid SOS matrix).
        self._sections = [(float(s[0]), float(s[1]), float(s[2]), float(s[4]), float(s[5]))
                          for s in self.sos]

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
        n = x.shape[0]
        if n == 0:
            return x.copy()
        if self._zi is None:
            self._zi = self._zi_unit * x[0]
        if n > SMALL_CHUNK:
            y, self._zi = signal.sosfilt(self.sos, x, zi=self._zi)
            return np.asarray(y, dtype=np.float64)
        return self._loop(x)

    def _loop(self, x: F64) -> F64:
        """scipy's ``_sosfilt`` loop, section by section for each sample."""
        assert self._zi is not None
        zi = self._zi.tolist()
        out = [0.0] * x.shape[0]
        for k, v in enumerate(x.tolist()):
            for z, (b0, b1, b2, a1, a2) in zip(zi, self._sections, strict=True):
                y = b0 * v + z[0]
                z[0] = b1 * v - a1 * y + z[1]
                z[1] = b2 * v - a2 * y
                v = y
            out[k] = v
        self._zi = np.array(zi, dtype=np.float64)
        return np.array(out, dtype=np.float64)


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
        y, _ = first_order(a, a - 1.0, x, (1.0 - a) * self.y)
        self.y = float(y[-1])
        return y
