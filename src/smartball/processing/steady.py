"""How much the force swings about what the user means to press, over a stroke.

A foot's force swings about +-10 % between heel, arch and ball as it rolls, a hedgehog ball's
spikes ripple it, and nobody presses exactly steadily; the user means the stroke's average.
The zone label and the too-hard warning ask how far a reading may stray from that average
before it says something new about it. This module answers with the RMS deviation of a signal
from its slow average (a low-pass well under the stroke rate), in newton, measured over the
last few seconds.

Only a rolling ball swings: a still one (a hold, a press) counts no swing, and the estimate
fades over ``tau_s`` after the ball stops, so a press from a hold is judged with the fixed
hysteresis alone.

A deliberate change of pressure is not a swing: while the force ramps the deviation is large
for a moment. So each deviation is capped at a fraction of the force, and the estimate used at
a sample is the one of ``delay_s`` earlier: a crossing is judged against how much the force
swung before it began to move, not against the move itself.

Pure: no I/O; state carried between chunks (the filters' state and the delay line).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smartball.processing.filters import Ema

F64 = npt.NDArray[np.float64]


class SwingEstimator:
    def __init__(self, tau_s: float, delay_s: float, cap: float, floor_n: float,
                 rate_hz: float) -> None:
        self.cap = float(cap)
        self.floor_n = float(floor_n)
        self._energy = Ema(tau_s, rate_hz)
        self._energy.y = 0.0
        self._delay = max(0, round(delay_s * rate_hz))
        self._tail = np.zeros(self._delay)

    def update(self, force_n: F64, slow_n: F64, rolling: npt.NDArray[np.bool_]) -> F64:
        """RMS swing of ``force_n`` about ``slow_n`` (N) while rolling, as known ``delay_s``
        ago."""
        n = force_n.shape[0]
        if n == 0:
            return np.empty(0)
        limit = self.cap * np.maximum(np.abs(slow_n), self.floor_n)
        dev = np.where(rolling, np.clip(force_n - slow_n, -limit, limit), 0.0)
        rms = np.sqrt(np.maximum(self._energy(dev * dev), 0.0))
        if not self._delay:
            return rms
        ext = np.concatenate([self._tail, rms])
        self._tail = ext[n:].copy()
        return ext[:n]
