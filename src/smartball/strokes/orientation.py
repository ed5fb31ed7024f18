"""The ball's orientation, and its rotation seen from the floor.

A rolled ball turns about a horizontal axis; the gyro sees that rotation in the ball's own
frame, which tumbles with every stroke. The Fusion AHRS (``imufusion``, x-io Technologies)
keeps the orientation from gyro and accelerometer (gravity). The heading about the vertical
is the gyro's alone (no magnetometer): a gyro offset left in the readings turns it at the
offset's vertical part, a few deg/s on a MEMS gyro, so that a few tens of seconds would turn
along into across. :class:`GyroBias` takes the offset out first, and follows it as it drifts
with temperature:

- A ball rolling on a floor turns about a horizontal axis: the vertical part of its rate in
  the floor's frame is the offset's (seen through the gravity direction in the ball's frame,
  which turns with every stroke, so over a few strokes every axis of the offset is seen),
  plus the foot's tremor. That holds all the time the ball rolls, not only when it rests.
- A ball at rest (or held still under a foot) shows the whole offset on every axis.

Both are measurements of one Kalman filter whose state is the offset, a random walk (it
drifts with the die's temperature), and the accelerometer's offset, which tilts the vertical
the rate is measured along (see :class:`GyroBias`). A vertical rate far beyond what the
offset and the tremor explain is a real turn of the ball about the vertical (a foot twisting
it) and is left out. Fusion's own ``Bias`` estimator learns from still stretches only:
``benchmarks/stroke_fusion.py`` prints both.
:mod:`smartball.strokes.tracker` also compares stroke directions with a reference that
follows the strokes, for the heading drift that remains.

Imports ``imufusion`` on first use only.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]

BIAS_STATIONARY_DPS = 6.0
"""A gyro within this (plus the offset's uncertainty) of its offset on every axis for
``BIAS_STATIONARY_S`` is a ball at rest (or held still under a foot, whose tremor averages
out)."""
BIAS_STATIONARY_S = 1.0
BIAS_START_DPS = 5.0
"""What the offset may be before anything is seen (standard deviation per axis)."""
BIAS_WALK_DPS_PER_SQRT_S = 0.02
"""How fast the filter lets the offset wander (temperature, random walk)."""
BIAS_READING_DPS = 3.0
"""Noise of one reading of the offset: the foot's tremor (correlated over a few samples)."""
ACCEL_OFFSET_START_G = 0.05
"""What the accelerometer's offset may be (standard deviation per axis; LSM6DS3: 40 mg)."""
ACCEL_WALK_G_PER_SQRT_S = 0.0003
BIAS_GATE = 4.0
"""A vertical rate more than this many standard deviations from the offset is the ball
really turning about the vertical."""
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
        self.bias = GyroBias(rate_hz)

    def update(self, gyro_dps: F64, accel_g: F64) -> F64:
        """Floor-frame angular rate per sample, shape (n, 3); rows without a reading are NaN."""
        n = gyro_dps.shape[0]
        out = np.full((n, 3), np.nan)
        ok = np.isfinite(gyro_dps).all(axis=1) & np.isfinite(accel_g).all(axis=1)
        ahrs, bias = self._ahrs, self.bias
        to_matrix = self._fusion.quaternion_to_matrix
        for i in np.flatnonzero(ok).tolist():
            g = gyro_dps[i] - bias.offset_dps
            ahrs.update_no_magnetometer(g, accel_g[i])
            out[i] = to_matrix(ahrs.get_quaternion()) @ g
            bias.update(gyro_dps[i], accel_g[i])
        return out


class GyroBias:
    """The gyro's offset (deg/s, ball frame): a Kalman filter fed by the vertical part of the
    rate while the ball rolls and by the whole rate while it is still (see the module).

    Its state also holds the accelerometer's offset across gravity (in g, about radians of
    tilt): the vertical is the accelerometer's reading, so its offset tilts it, and a
    tilted vertical sees a share of the rolling itself, the rate times the offset (up to
    3 deg/s at 40 mg, turning sign with each stroke). Left out, it would pass for the gyro's
    offset in the first strokes."""

    def __init__(self, rate_hz: float) -> None:
        self.state = np.zeros(6)
        """The gyro's offset (deg/s) and the accelerometer's (g), ball frame."""
        self.cov = np.diag([BIAS_START_DPS**2] * 3 + [ACCEL_OFFSET_START_G**2] * 3)
        """The state's covariance."""
        fs = float(rate_hz)
        self._walk = np.array([BIAS_WALK_DPS_PER_SQRT_S**2 / fs] * 3
                              + [ACCEL_WALK_G_PER_SQRT_S**2 / fs] * 3)
        self._reading = BIAS_READING_DPS**2
        self._confirm = max(1, round(BIAS_STATIONARY_S * rate_hz))
        self._run = 0
        self._recent: deque[F64] = deque(maxlen=self._confirm // 2 + 1)
        self._h = np.zeros(6)

    @property
    def offset_dps(self) -> F64:
        out: F64 = self.state[:3]
        return out

    def update(self, gyro_dps: F64, accel_g: F64) -> None:
        """Learn from one raw reading of gyro and accelerometer."""
        p = self.cov
        p.flat[::7] += self._walk
        dev = gyro_dps - self.state[:3]
        limit = BIAS_STATIONARY_DPS + 2.0 * np.sqrt(p.flat[:21:7])
        if bool((np.abs(dev) < limit).all()):
            self._run += 1
        else:
            self._run = 0
        self._recent.append(gyro_dps.copy())
        if self._run >= self._confirm:
            # Still: every axis reads the offset. The reading taken is the one half a still
            # stretch back, so that the start of a roll (slow at first) is never taken.
            gain = p[:, :3] @ np.linalg.inv(p[:3, :3] + np.eye(3) * self._reading)
            self.state = self.state + gain @ (self._recent[0] - self.state[:3])
            self.cov = p - gain @ p[:3, :]
            return
        # Rolling on the floor: no turn about the vertical but the offset's. The vertical is
        # the accelerometer's own (gravity), not the orientation filter's: the filter's tilt
        # leans with the offset it is given, which would feed its error back.
        norm = float(np.sqrt(accel_g @ accel_g))
        if not 0.5 < norm < 1.5:
            return  # a knock, not gravity
        h = self._h
        h[:3] = accel_g / norm
        h[3:] = dev
        innovation = float(h[:3] @ dev - dev @ self.state[3:])
        ph = p @ h
        s = float(h @ ph) + self._reading
        if innovation * innovation > BIAS_GATE * BIAS_GATE * s:
            return  # the ball really turns about the vertical
        k = ph / s
        self.state = self.state + k * innovation
        self.cov = p - np.outer(k, ph)
