"""The ball's orientation, and its rotation seen from the floor.

A rolled ball turns about a horizontal axis; the gyro sees that rotation in the ball's own
frame, which tumbles with every stroke. The Fusion AHRS (``imufusion``, x-io Technologies)
keeps the orientation from gyro and accelerometer (gravity); its gyroscope bias estimator
takes the gyro's offset out whenever the ball stands still. The heading about the vertical is
the gyro's alone (no magnetometer), so it drifts slowly: :mod:`smartball.strokes.tracker`
compares stroke directions with a reference that follows the strokes.

Imports ``imufusion`` on first use only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]

BIAS_STATIONARY_DPS = 6.0
"""A gyro (offset removed) under this on every axis for ``BIAS_STATIONARY_S`` is a ball at
rest, whose reading is offset: the sim's worst offset is 2.5 deg/s an axis, plus a foot's
tremor."""
BIAS_STATIONARY_S = 1.5
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
        bias_settings = imufusion.BiasSettings()
        bias_settings.sample_rate = float(rate_hz)
        bias_settings.stationary_threshold = BIAS_STATIONARY_DPS
        bias_settings.stationary_period = BIAS_STATIONARY_S
        self._bias: Any = imufusion.Bias()
        self._bias.set_settings(bias_settings)

    def update(self, gyro_dps: F64, accel_g: F64) -> F64:
        """Floor-frame angular rate per sample, shape (n, 3); rows without a reading are NaN."""
        n = gyro_dps.shape[0]
        out = np.full((n, 3), np.nan)
        ok = np.isfinite(gyro_dps).all(axis=1) & np.isfinite(accel_g).all(axis=1)
        ahrs, bias = self._ahrs, self._bias
        to_matrix = self._fusion.quaternion_to_matrix
        for i in np.flatnonzero(ok).tolist():
            g = bias.update(gyro_dps[i])
            ahrs.update_no_magnetometer(g, accel_g[i])
            out[i] = to_matrix(ahrs.get_quaternion()) @ g
        return out
