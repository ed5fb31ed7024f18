"""The physics of the ball: from a phase plan to the true and the measured signals.

Pure numpy, vectorised over the whole session (an hour at 100 Hz takes about a second), no
I/O, no protocol. What it models, and why each piece is there:

- Force: the foot's force follows the plan with smooth ramps (fast ones for a press): that is
  the force the person intends. What the foot applies also varies along a heel-to-toe stroke
  (heel and ball of the foot take more load than the arch) and wanders a few percent as a
  person never presses exactly steadily. Both are the truth (intended and applied).
- Pressure: the unloaded baseline follows the ideal gas law (p proportional to absolute
  temperature at constant volume), minus a slow leak; the load adds the ball's response of
  protocol section 4 (:mod:`smartball.sim.response`: a settled curve, and an overshoot that
  settles with a time constant; a release reads low the same way). What the sensor sees
  also carries the hedgehog spikes' ripple while rolling (frequency = speed / spike pitch),
  the floor's vibration where the scenario has one (footsteps, typing:
  :mod:`smartball.sim.floor`), then 2 Pa RMS of noise and the sensor's range limits.
  Ripple, vibration and the response's overshoot are not force: the truth does not have them.
- Temperature: the air warms (or cools) towards the room with a first-order lag of several
  minutes, towards skin temperature while the foot is on the ball; the sensor reads it with
  its own lag and noise.
- IMU, in the ball's own frame: rolling without slipping turns the ball about the horizontal
  axis perpendicular to the stroke at speed / radius; the gyro sees that rate, the
  accelerometer gravity turning with the ball and the floor's shaking. What they read on top
  (offsets drifting with temperature, noise, the foot's tremor) is :mod:`smartball.sim.imu`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from smartball.sensor_range import SENSOR_MAX_PA, SENSOR_MIN_PA
from smartball.sim.balls import Ball
from smartball.sim.floor import floor_vibration_pa
from smartball.sim.imu import floor_vibration_g, imu_errors, measured_imu
from smartball.sim.response import measured_rise_pa
from smartball.sim.scenario import Environment, Phase

F64 = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

G_MPS2 = 9.80665
KELVIN = 273.15
PRESSURE_MIN_PA = SENSOR_MIN_PA
PRESSURE_MAX_PA = SENSOR_MAX_PA
"""The BMP390's range: readings clip here and the frame carries the saturation flag."""
PRESSURE_NOISE_PA = 2.0
TEMP_SENSOR_TAU_S = 15.0
TEMP_NOISE_C = 0.01
ROLLING_MIN_MPS = 0.005
"""Below this the ball counts as stopped (about 7 deg/s on an 80 mm ball)."""
REVERSAL_MAX_S = 0.8
"""A stroke's turnaround shorter than this is still rolling, not a stop."""
CONTACT_N = 5.0

# Where along the foot (m from the back of the heel) each region is, and how a heel-to-toe
# stroke runs. The arch is soft and raised: it takes less of the same push.
REGION_CENTER_M = {"heel": 0.035, "arch": 0.10, "forefoot": 0.165}
STROKE_LENGTH_M = {"heel_toe": 0.13, "side_to_side": 0.05}
HEEL_TOE_START_M = 0.035


@dataclass(frozen=True, slots=True, eq=False)
class Signals:
    """True and measured signals of a session, one row per sample at ``rate_hz``."""

    rate_hz: float
    t_s: F64
    force_n: F64
    """The force the foot applies (the truth: what a scale under the ball would show)."""
    intended_n: F64
    """The force the person means to apply: the plan's level with its ramps, without the
    stroke's heel/arch/ball swing and the foot's wander."""
    rolling: BoolArray
    """The ball is rolling (stroke turnarounds included)."""
    speed_mps: F64
    """Signed speed of the ball along its stroke."""
    air_c: F64
    baseline_pa: F64
    """Unloaded pressure of the air inside the ball (gas law, leak)."""
    pressure_pa: F64
    """What the pressure sensor reads: baseline, the ball's response to the load (with the
    spikes' ripple), noise, clipped to the sensor's range."""
    saturated: BoolArray
    temp_c: F64
    """What the sensor's thermometer reads."""
    gyro_dps: F64
    accel_g: F64
    gyro_offset_dps: F64 | None = None
    """The gyro's true offset per sample (:mod:`smartball.sim.imu`), shape (n, 3)."""

    def __len__(self) -> int:
        return int(self.t_s.shape[0])


def simulate(
    plan: Sequence[Phase],
    *,
    ball: Ball,
    environment: Environment,
    rate_hz: float,
    seed: int,
) -> Signals:
    """Every signal of the session described by ``plan``, reproducible for a seed."""
    if not plan:
        raise ValueError("a session needs at least one phase")
    rng = np.random.default_rng([seed, 3])
    fs = float(rate_hz)
    dt = 1.0 / fs
    total_s = plan[-1].end_s
    n = max(1, round(total_s * fs))
    t = np.arange(n) / fs

    starts = np.array([p.start_s for p in plan])
    k = np.clip(np.searchsorted(starts, t + 0.5 * dt, side="right") - 1, 0, len(plan) - 1)
    first = np.minimum(np.searchsorted(t, starts - 0.5 * dt), n - 1)  # first sample of each phase
    tau = t - starts[k]
    dur = np.array([p.duration_s for p in plan])[k]

    # --- force the foot intends, with ramps between phases
    level = np.array([p.force_n for p in plan])
    prev = np.concatenate([[0.0], level[:-1]])
    ramp = np.maximum(np.array([p.ramp_s for p in plan]), dt)[k]
    x = np.clip(tau / ramp, 0.0, 1.0)
    f_cmd = prev[k] + (level[k] - prev[k]) * x * x * (3.0 - 2.0 * x)

    # --- motion: back-and-forth strokes with smooth turnarounds, easing in and out
    moving = np.array([p.moving for p in plan])
    speed = np.array([p.speed_mps for p in plan])
    stroke_len = np.array(
        [_stroke_length_m(p, rng.uniform(0.85, 1.15)) for p in plan]
    )
    period = np.where(moving, 2.0 * stroke_len / np.where(moving, speed, 1.0), 1.0)
    ease = _smoothstep(tau / 0.4) * _smoothstep((dur - tau) / 0.4) * moving[k]
    sharp = 6.0
    v = speed[k] * ease * np.tanh(sharp * np.sin(2 * np.pi * tau / period[k])) / np.tanh(sharp)
    pos = np.cumsum(v) * dt
    pos_rel = pos - pos[first[k]]
    rolling = _close_gaps(np.abs(v) > ROLLING_MIN_MPS, int(REVERSAL_MAX_S * fs))

    # --- where under the foot the ball is, and what that does to the force
    heel_toe = np.array([p.stroke == "heel_toe" for p in plan])
    centre = np.array([REGION_CENTER_M[p.region] for p in plan])
    u = np.where(heel_toe[k], HEEL_TOE_START_M + pos_rel, centre[k])
    norm = np.array([_mean_region_factor(p, L) for p, L in zip(plan, stroke_len, strict=False)])
    region = np.where(moving[k], _region_factor(u) / norm[k], 1.0)
    side = np.where(heel_toe[k], 0.0, 0.05 * np.sin(np.pi * pos_rel / stroke_len[k]))
    wander = _lowpass_noise(rng, n, fs, tau_s=1.2, sigma=1.0)
    wobble = np.array([(0.04 if p.moving else 0.02) if p.wobble is None else p.wobble
                       for p in plan])
    wander_sigma = wobble[k]
    force = f_cmd * (1.0 + (region - 1.0 + side) * ease) * (1.0 + wander_sigma * wander)
    force = np.maximum(force, 0.0)

    # --- temperature of the air inside, and the sensor's reading of it
    air = _air_temperature(t, force > CONTACT_N, environment)
    temp = _first_order(air, fs, TEMP_SENSOR_TAU_S) + rng.normal(0, TEMP_NOISE_C, n)

    # --- pressure
    baseline = (ball.baseline_pa * (air + KELVIN) / (environment.room_c + KELVIN)
                - environment.leak_pa_per_min * t / 60.0)
    ripple = _spike_ripple(pos, ball, rng) * ease if ball.spike_pitch_mm else np.zeros(n)
    rise = measured_rise_pa(force * (1.0 + ripple), ball, fs)
    floor = floor_vibration_pa(n, fs, environment.floor_vibration_pa,
                               np.random.default_rng([seed, 9]))
    raw = baseline + rise + floor + rng.normal(0, PRESSURE_NOISE_PA, n)
    saturated = (raw <= PRESSURE_MIN_PA) | (raw >= PRESSURE_MAX_PA)
    pressure = np.clip(raw, PRESSURE_MIN_PA, PRESSURE_MAX_PA)

    # --- IMU in the ball's frame (its own draws: the rest of the session stays the same)
    imu_rng = np.random.default_rng([seed, 7])
    floor = floor_vibration_g(n, fs, imu_rng)
    gyro, accel = _imu(plan, k, first, v, pos, ball.radius_m, fs, rng, floor)
    errors = imu_errors(n, fs, t, air, imu_rng)
    gyro, accel = measured_imu(gyro, accel, errors, force > CONTACT_N, fs, imu_rng)

    return Signals(
        rate_hz=fs, t_s=t, force_n=force, intended_n=f_cmd, rolling=rolling, speed_mps=v, air_c=air,
        baseline_pa=baseline, pressure_pa=pressure, saturated=saturated, temp_c=temp,
        gyro_dps=gyro, accel_g=accel, gyro_offset_dps=errors.gyro_offset_dps,
    )


# ---------------------------------------------------------------------------- pieces


def _smoothstep(x: F64) -> F64:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def _stroke_length_m(p: Phase, vary: float) -> float:
    """A phase's stroke length: its own, or the stroke's usual one times ``vary``."""
    return p.stroke_m if p.stroke_m is not None else STROKE_LENGTH_M[p.stroke] * vary


def _region_factor(u: F64) -> F64:
    def bump(c: float) -> F64:
        return np.exp(-(((u - c) / 0.035) ** 2))

    # About +-10 % about the stroke's mean between heel, arch and ball of the foot.
    return (1.0 + 0.06 * bump(REGION_CENTER_M["heel"]) - 0.14 * bump(REGION_CENTER_M["arch"])
            + 0.04 * bump(REGION_CENTER_M["forefoot"]))


def _mean_region_factor(p: Phase, length_m: float) -> float:
    """Mean of the region factor over a heel-to-toe stroke, so ``force_n`` is the stroke's
    mean force (1 for side-to-side strokes, which stay in one region)."""
    if p.stroke != "heel_toe":
        return float(_region_factor(np.array([REGION_CENTER_M[p.region]]))[0])
    u = HEEL_TOE_START_M + np.linspace(0.0, length_m, 101)
    return float(_region_factor(u).mean())


def _spike_ripple(pos: F64, ball: Ball, rng: np.random.Generator) -> F64:
    """Relative ripple of the reading as spikes pass under the foot, as a function of where
    the ball has rolled. The spikes of a real hedgehog ball are not on a perfect line along
    the rolling path: their spacing and height vary, the same way every time the ball rolls
    over the same spot, so spacing and amplitude wobble with position, not with time."""
    assert ball.spike_pitch_mm
    pitch_m = ball.spike_pitch_mm / 1000.0
    phase = 2 * np.pi * pos / pitch_m
    amplitude = np.ones_like(pos)
    for _ in range(3):
        wavelength_m = rng.uniform(2.5, 8.0) * pitch_m
        phase += 0.35 * np.sin(2 * np.pi * pos / wavelength_m + rng.uniform(0, 2 * np.pi))
        amplitude += 0.12 * np.sin(2 * np.pi * pos / (1.7 * wavelength_m)
                                   + rng.uniform(0, 2 * np.pi))
    shape = np.sin(phase) + 0.3 * np.sin(2 * phase + 0.7)
    out: F64 = ball.ripple_fraction * amplitude * shape
    return out


def _close_gaps(mask: BoolArray, max_gap: int) -> BoolArray:
    """``mask`` with runs of False shorter than ``max_gap`` between two Trues set True."""
    out = mask.copy()
    if not out.any():
        return out
    edges = np.flatnonzero(np.diff(out.astype(np.int8)))
    falls = edges[out[edges]] + 1  # first False of a gap
    rises = edges[~out[edges]] + 1  # first True after a gap
    for a in falls:
        j = np.searchsorted(rises, a)
        if j < len(rises) and rises[j] - a < max_gap:
            out[a : rises[j]] = True
    return out


def _lowpass_noise(rng: np.random.Generator, n: int, fs: float, *, tau_s: float,
                   sigma: float) -> F64:
    """Gaussian noise, first-order low-passed, with standard deviation ``sigma``."""
    a = float(np.exp(-1.0 / (fs * tau_s)))
    white = rng.normal(0.0, sigma / np.sqrt((1 - a) / (1 + a)), n)
    y: F64 = lfilter([1 - a], [1.0, -a], white, zi=[a * rng.normal(0.0, sigma)])[0]
    return y


def _first_order(x: F64, fs: float, tau_s: float) -> F64:
    a = float(np.exp(-1.0 / (fs * tau_s)))
    y: F64 = lfilter([1 - a], [1.0, -a], x, zi=[a * x[0]])[0]
    return y


def _air_temperature(t: F64, contact: BoolArray, env: Environment) -> F64:
    """First-order exchange with the room, and with the foot while it touches the ball.
    Slow enough to integrate on a 1 s grid and interpolate."""
    start = env.room_c if env.ball_start_c is None else env.ball_start_c
    grid = np.arange(0.0, t[-1] + 2.0)
    c = np.interp(grid, t, contact.astype(np.float64))
    temp = np.empty_like(grid)
    temp[0] = start
    for i in range(1, len(grid)):
        lam = 1.0 / env.warm_tau_s + c[i] / env.foot_tau_s
        target = (env.room_c / env.warm_tau_s + c[i] * env.foot_c / env.foot_tau_s) / lam
        temp[i] = target + (temp[i - 1] - target) * np.exp(-lam)
    return np.interp(t, grid, temp)


def _random_rotation(rng: np.random.Generator) -> F64:
    q = rng.normal(size=4)
    w, x, y, z = q / np.linalg.norm(q)
    return np.array([
        [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
        [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
        [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
    ])


def _axis_rotation(axis: F64, angle: float) -> F64:
    kx = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    out: F64 = np.eye(3) + np.sin(angle) * kx + (1 - np.cos(angle)) * (kx @ kx)
    return out


def _imu(
    plan: Sequence[Phase], k: npt.NDArray[np.intp], first: npt.NDArray[np.intp], v: F64,
    pos: F64, radius_m: float, fs: float, rng: np.random.Generator, floor_g: F64,
) -> tuple[F64, F64]:
    """Ideal gyro (deg/s) and accelerometer (g) in the ball's frame, rolling without slip, on
    a floor whose vertical acceleration is ``floor_g``.

    Within a phase the ball turns about one fixed horizontal axis (perpendicular to its
    stroke), so its orientation is that rotation applied to the orientation at the phase's
    start; the phases chain. World: z up."""
    n = len(v)
    heading = 0.0
    axes = np.empty((len(plan), 3))
    dirs = np.empty((len(plan), 3))
    for j, p in enumerate(plan):
        if p.moving:
            base = 0.0 if p.stroke == "heel_toe" else np.pi / 2
            heading = base + rng.normal(0.0, np.radians(8.0))
            if p.heading_deg is not None:
                heading = np.radians(p.heading_deg)
        dirs[j] = (np.cos(heading), np.sin(heading), 0.0)
        axes[j] = (-np.sin(heading), np.cos(heading), 0.0)  # z x direction
    r_start = np.empty((len(plan), 3, 3))
    r_start[0] = _random_rotation(rng)
    for j in range(1, len(plan)):
        angle = (pos[first[j]] - pos[first[j - 1]]) / radius_m
        r_start[j] = _axis_rotation(axes[j - 1], angle) @ r_start[j - 1]
    rt = np.transpose(r_start, (0, 2, 1))[k]  # world -> body, at each sample's phase start

    rate = v / radius_m  # rad/s about the phase's axis
    body_axis = np.einsum("nij,nj->ni", rt, axes[k])
    gyro = np.degrees(rate)[:, None] * body_axis

    theta = (pos - pos[first[k]]) / radius_m
    a_lin = np.gradient(v) * fs / G_MPS2
    w = np.zeros((n, 3))
    w[:, 2] = 1.0 + floor_g
    w += a_lin[:, None] * dirs[k]
    kk = axes[k]
    c, s = np.cos(theta)[:, None], np.sin(theta)[:, None]
    kdotw = np.einsum("ni,ni->n", kk, w)[:, None]
    rotated = w * c - np.cross(kk, w) * s + kk * kdotw * (1 - c)  # Rot(k, -theta) w
    accel = np.einsum("nij,nj->ni", rt, rotated)
    return gyro, accel
