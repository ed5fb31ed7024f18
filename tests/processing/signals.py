"""Hand-made sessions with a known truth, for the processing tests.

A force profile is built from (time, force, rolling) knots; the pressure follows the reference
ball (60 Pa/N over a baseline that obeys the gas law), a rolling hedgehog ball ripples the
force, the rubber takes over part of a load the ball stands still under (the reference ball's
relaxation, 6 % in 0.4 s and 15 % in 6 s), and the gyro turns at a rate that goes with rolling.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from smartball.block import SampleBlock

F64 = npt.NDArray[np.float64]
RATE_HZ = 100.0
P_REF_PA = 101_325.0


@dataclass
class Session:
    block: SampleBlock
    force_n: F64
    """True force."""
    rolling: npt.NDArray[np.bool_]


def session(
    knots: list[tuple[float, float]],
    *,
    rolling: list[tuple[float, float]] | None = None,
    seconds: float | None = None,
    temp_c: F64 | float = 22.0,
    leak_pa_per_s: float = 0.0,
    ripple: float = 0.08,
    roll_dps: float = 150.0,
    gyro: bool = True,
    gyro_bias_dps: tuple[float, float, float] = (1.5, -0.8, 0.4),
    noise_pa: float = 2.0,
    seed: int = 0,
    relax: bool = True,
    wander: float = 0.0,
) -> Session:
    """``knots``: (t_s, force_n) points joined linearly; ``rolling``: [start, end) intervals."""
    end = seconds if seconds is not None else knots[-1][0]
    t = np.arange(0.0, end, 1.0 / RATE_HZ)
    kt, kf = zip(*knots, strict=True)
    force = np.interp(t, kt, kf)
    roll = np.zeros(t.size, np.bool_)
    for a, b in rolling or []:
        roll |= (t >= a) & (t < b)
    rng = np.random.default_rng(seed)
    if wander:
        # Nobody presses exactly steadily: the force wanders a little (it is force, truth).
        a = float(np.exp(-1.0 / (1.2 * RATE_HZ)))
        noise = lfilter([np.sqrt(1 - a * a)], [1.0, -a], rng.normal(0.0, 1.0, t.size))
        force = force * (1.0 + wander * noise)
    # Spikes passing under the foot: the ripple frequency goes with the rolling rate.
    spike_hz = roll_dps / 360.0 * 12.0
    seen = force * (1.0 + np.where(roll, ripple * np.sin(2 * np.pi * spike_hz * t), 0.0))
    if relax:
        seen = seen - sag(force, ~roll)
    temp = np.broadcast_to(np.asarray(temp_c, dtype=np.float64), t.shape).copy()
    base = P_REF_PA * (temp + 273.15) / (temp[0] + 273.15) - leak_pa_per_s * t
    pressure = base + 60.0 * seen + rng.normal(0.0, noise_pa, t.size)
    gyro_dps = None
    if gyro:
        rate = np.where(roll, roll_dps, 0.0)
        gyro_dps = np.stack([rate * 0.6, rate * 0.8, np.zeros_like(rate)], axis=1)
        gyro_dps = gyro_dps + np.asarray(gyro_bias_dps) + rng.normal(0.0, 0.5, (t.size, 3))
    block = SampleBlock.from_arrays(t, pressure_pa=pressure, temp_c=temp, gyro_dps=gyro_dps)
    return Session(block, force, roll)


def sag(force_n: F64, still: npt.NDArray[np.bool_]) -> F64:
    """The reference ball's rubber relaxation, per still/rolling stretch."""
    total = np.zeros_like(force_n)
    bounds = [0, *(np.flatnonzero(np.diff(still.astype(np.int8))) + 1).tolist(), force_n.size]
    for fraction, tau_s in ((0.06, 0.4), (0.15, 6.0)):
        out = np.empty_like(force_n)
        y = 0.0
        for a_i, b_i in itertools.pairwise(bounds):
            a = float(np.exp(-1.0 / (RATE_HZ * (tau_s if still[a_i] else 0.3))))
            x = fraction * force_n[a_i:b_i] if still[a_i] else np.zeros(b_i - a_i)
            out[a_i:b_i] = lfilter([1 - a], [1.0, -a], x, zi=[a * y])[0]
            y = float(out[b_i - 1])
        total += np.minimum(out, fraction * force_n)
    return total
