"""What the ball's IMU reads: an LSM6DS3's gyro and accelerometer with their errors, on a
floor that shakes.

:mod:`smartball.sim.physics` gives the ideal readings (the rotation of a ball rolling without
slip, gravity turning with it); this module makes them as imperfect as the datasheet and a
home. Every simulated ball with an IMU reads this way; there is no ideal IMU to opt into.

- Gyro offset (zero-rate level): up to +-3 deg/s per axis at the start of a session, drifting
  with the die's temperature (up to +-0.1 deg/s per degree; the LSM6DS3's typical figure is
  0.05) and in a slow random walk. The die is the ball's air (which a foot warms and a cold
  ball out of the freezer brings up to the room) plus the board's own warming after it is
  switched on (a few degrees over minutes; a session starts at any time after that).
- Gyro noise (0.08 deg/s RMS, about twice the datasheet's density over the bandwidth) and
  the foot's tremor while it touches the ball.
- Accelerometer offset up to +-40 mg per axis (the datasheet's typical zero-g level),
  drifting 0.5 mg per degree, and 0.7 mg RMS of noise.
- The floor: footsteps in the room (decaying 12-25 Hz knocks of 10-60 mg) and a machine's
  hum (10-40 Hz, up to 5 mg), vertical in the floor's frame; see :func:`floor_vibration_g`.

Pure numpy; the draws come from the generator passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

F64 = npt.NDArray[np.float64]

GYRO_OFFSET_MAX_DPS = 3.0
GYRO_TEMPCO_MAX_DPS_PER_C = 0.1
GYRO_WALK_DPS_PER_SQRT_S = 0.015
"""The offset's random walk: about 0.2 deg/s over three minutes."""
GYRO_NOISE_DPS = 0.08
TREMOR_DPS = 1.5
ACCEL_OFFSET_MAX_G = 0.040
ACCEL_TEMPCO_MAX_G_PER_C = 0.0005
ACCEL_NOISE_G = 0.0007
BOARD_HEAT_C = (2.0, 6.0)
"""How much warmer than the air the board gets once it has been on a while."""
BOARD_HEAT_TAU_S = (120.0, 400.0)
BOARD_ON_BEFORE_S = (0.0, 600.0)
"""How long the ball has been switched on when the session starts."""
STEPS_PER_MIN = (0.0, 90.0)
"""Footsteps in the room: none (an empty house) to someone walking about."""
STEP_KNOCK_G = (0.010, 0.060)
STEP_HZ = (12.0, 25.0)
HUM_G = 0.005
HUM_HZ = (10.0, 40.0)


@dataclass(frozen=True, slots=True)
class ImuErrors:
    """The errors drawn for one session (for the truth and for tests)."""

    gyro_offset_dps: F64
    """The gyro's offset per sample, shape (n, 3): start, temperature drift, random walk."""
    accel_offset_g: F64
    """The accelerometer's offset per sample, shape (n, 3)."""
    die_c: F64
    """The IMU's die temperature per sample."""


def die_temperature_c(t_s: F64, air_c: F64, rng: np.random.Generator) -> F64:
    """The die: the ball's air plus the board's own warming since it was switched on."""
    heat = rng.uniform(*BOARD_HEAT_C)
    tau = rng.uniform(*BOARD_HEAT_TAU_S)
    on_s = rng.uniform(*BOARD_ON_BEFORE_S)
    out: F64 = air_c + heat * (1.0 - np.exp(-(t_s + on_s) / tau))
    return out


def imu_errors(n: int, fs: float, t_s: F64, air_c: F64,
               rng: np.random.Generator) -> ImuErrors:
    """Offsets of gyro and accelerometer over a session (see the module)."""
    die = die_temperature_c(t_s, air_c, rng)
    warmer = (die - die[0])[:, None]
    gyro = (rng.uniform(-GYRO_OFFSET_MAX_DPS, GYRO_OFFSET_MAX_DPS, 3)
            + rng.uniform(-GYRO_TEMPCO_MAX_DPS_PER_C, GYRO_TEMPCO_MAX_DPS_PER_C, 3) * warmer
            + np.cumsum(rng.normal(0.0, GYRO_WALK_DPS_PER_SQRT_S / np.sqrt(fs), (n, 3)),
                        axis=0))
    accel = (rng.uniform(-ACCEL_OFFSET_MAX_G, ACCEL_OFFSET_MAX_G, 3)
             + rng.uniform(-ACCEL_TEMPCO_MAX_G_PER_C, ACCEL_TEMPCO_MAX_G_PER_C, 3) * warmer)
    return ImuErrors(gyro_offset_dps=gyro, accel_offset_g=accel, die_c=die)


def floor_vibration_g(n: int, fs: float, rng: np.random.Generator) -> F64:
    """Vertical acceleration of the floor (g): footsteps in the room and a machine's hum."""
    t = np.arange(n) / fs
    out = rng.uniform(0.0, HUM_G) * np.sin(2 * np.pi * rng.uniform(*HUM_HZ) * t
                                           + rng.uniform(0, 2 * np.pi))
    per_s = rng.uniform(*STEPS_PER_MIN) / 60.0
    if per_s > 0:
        knocks = np.zeros(n)
        at = np.cumsum(rng.exponential(1.0 / per_s, int(per_s * n / fs) + 2))
        at = at[at < n / fs]
        knocks[(at * fs).astype(np.int64)] = rng.uniform(*STEP_KNOCK_G, at.size)
        # A knock rings the floor: a decaying oscillation (a two-pole resonator).
        f0 = rng.uniform(*STEP_HZ)
        r = float(np.exp(-1.0 / (0.05 * fs)))
        w0 = 2 * np.pi * f0 / fs
        out = out + lfilter([1.0], [1.0, -2 * r * np.cos(w0), r * r], knocks)
    result: F64 = out
    return result


def measured_imu(gyro_ideal: F64, accel_ideal: F64, errors: ImuErrors, contact: npt.NDArray[
        np.bool_], fs: float, rng: np.random.Generator) -> tuple[F64, F64]:
    """What the IMU reads: ideal readings plus offsets, tremor while the foot touches the
    ball, and noise."""
    n = gyro_ideal.shape[0]
    tremor = np.stack([_lowpass_noise(rng, n, fs, tau_s=0.05) for _ in range(3)], axis=1)
    gyro = (gyro_ideal + errors.gyro_offset_dps + contact[:, None] * TREMOR_DPS * tremor
            + rng.normal(0.0, GYRO_NOISE_DPS, (n, 3)))
    accel = accel_ideal + errors.accel_offset_g + rng.normal(0.0, ACCEL_NOISE_G, (n, 3))
    return gyro, accel


def _lowpass_noise(rng: np.random.Generator, n: int, fs: float, *, tau_s: float) -> F64:
    """Unit Gaussian noise, first-order low-passed."""
    a = float(np.exp(-1.0 / (fs * tau_s)))
    white = rng.normal(0.0, 1.0 / np.sqrt((1 - a) / (1 + a)), n)
    y: F64 = lfilter([1 - a], [1.0, -a], white, zi=[a * rng.normal()])[0]
    return y
