"""The ball's orientation, and its rotation seen from the floor.

A rolled ball turns about a horizontal axis; the gyro sees that rotation in the ball's own
frame, which tumbles with every stroke. The Fusion AHRS (``imufusion``, x-io Technologies)
keeps the orientation from gyro and accelerometer (gravity). The gyro's offset is taken out
first by :class:`GyroOffset`, the mean of the readings over still stretches, rather than by
Fusion's own ``Bias`` estimator: the two agree on most sessions, but on one simulated
bedtime session (careless, seed 1) Fusion's estimator turned 94 of 120 stroke directions
wrong where this one got all of them (``benchmarks/stroke_fusion.py`` prints both). The
heading about the vertical is the gyro's alone (no magnetometer), so it drifts slowly:
:mod:`smartball.strokes.tracker` compares stroke directions with a reference that follows
the strokes.

Imports ``imufusion`` on first use only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]

BIAS_STATIONARY_DPS = 6.0
"""A gyro within this of its offset on every axis for ``BIAS_STATIONARY_S`` is a ball at
rest (or held still under a foot, whose tremor averages out)."""
BIAS_STATIONARY_S = 1.0
BIAS_TAU_S = 3.0
"""The offset is the running mean of still readings, over about this long once known."""
BIAS_FIRST_DPS = 30.0
"""Before any offset is known, a reading under this on every axis may be one at rest (the
offset of a MEMS gyro is a few deg/s)."""
AHRS_GAIN = 0.5


class FloorRotation:
    """Angular rate in the floor's frame (deg/s; z up) from body-frame gyro and accelerometer.

    ``update`` takes samples one block at a time and keeps its state between blocks, so any
    chunking gives the same result."""

    def __init__(self, rate_hz: float) -> None:
        import imufusion

        self._fusion: Any = imufusion
        settings = imufusion.AhrsSettings()
        settings.sample_rate = float(rate_hz)
        settings.gain = AHRS_GAIN
        settings.convention = imufusion.CONVENTION_NWU  # z up
        self._ahrs: Any = imufusion.Ahrs()
        self._ahrs.set_settings(settings)
        self._bias = GyroOffset(rate_hz)

    def update(self, gyro_dps: F64, accel_g: F64) -> F64:
        """Floor-frame angular rate per sample, shape (n, 3); rows without a reading are NaN."""
        n = gyro_dps.shape[0]
        out = np.full((n, 3), np.nan)
        ok = np.isfinite(gyro_dps).all(axis=1) & np.isfinite(accel_g).all(axis=1)
        ahrs, bias = self._ahrs, self._bias
        to_matrix = self._fusion.quaternion_to_matrix
        for i in np.flatnonzero(ok).tolist():
            g = gyro_dps[i] - bias.update(gyro_dps[i])
            ahrs.update_no_magnetometer(g, accel_g[i])
            out[i] = to_matrix(ahrs.get_quaternion()) @ g
        return out


class GyroOffset:
    """The gyro's offset: the mean reading over still stretches (see the module)."""

    def __init__(self, rate_hz: float) -> None:
        self.offset_dps = np.zeros(3)
        self.known = False
        self._confirm = max(1, round(BIAS_STATIONARY_S * rate_hz))
        self._tau_n = BIAS_TAU_S * rate_hz
        self._pending: list[F64] = []
        self._run = 0
        self._n = 0

    def update(self, gyro_dps: F64) -> F64:
        """The offset to take out of this reading."""
        limit = BIAS_STATIONARY_DPS if self.known else BIAS_FIRST_DPS
        if float(np.max(np.abs(gyro_dps - self.offset_dps))) > limit:
            self._pending.clear()
            self._run = 0
            return self.offset_dps
        self._run += 1
        self._pending.append(gyro_dps)
        if self._run >= self._confirm:
            # Still long enough: this stretch's readings go into the mean.
            for g in self._pending:
                self._n += 1
                weight = max(1.0 / self._n, 1.0 / self._tau_n)
                self.offset_dps = self.offset_dps + weight * (g - self.offset_dps)
            self._pending.clear()
            self.known = True
        return self.offset_dps
