"""Hand-made sessions with a known truth, for the processing tests.

A force profile is built from (time, force, rolling) knots; the pressure follows the reference
ball of protocol section 4 (settled: 60 Pa/N over a baseline that obeys the gas law; measured:
the settled rise plus 0.20 of its high-pass with a 7 s time constant), a rolling hedgehog ball
ripples the force, and the gyro turns at a rate that goes with rolling.
"""

from __future__ import annotations

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
    intended_n: F64
    """The force meant (the knots), without the stroke's swing and the foot's wander."""


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
    pa_per_n: float = 60.0,
    overshoot: float = 0.2,
    tau_s: float = 7.0,
    wander: float = 0.0,
    swing: float = 0.0,
    stroke_s: float = 3.0,
) -> Session:
    """``knots``: (t_s, force_n) points joined linearly (the intended force); ``rolling``:
    [start, end) intervals. ``swing``: while rolling, the foot's force swings this fraction of
    it over heel, arch and ball, one heel-to-toe-and-back stroke every ``stroke_s``."""
    end = seconds if seconds is not None else knots[-1][0]
    t = np.arange(0.0, end, 1.0 / RATE_HZ)
    kt, kf = zip(*knots, strict=True)
    force = np.interp(t, kt, kf)
    roll = np.zeros(t.size, np.bool_)
    for a, b in rolling or []:
        roll |= (t >= a) & (t < b)
    rng = np.random.default_rng(seed)
    intended = force.copy()
    if swing:
        # Heel (up), arch (down), ball (up), arch, heel: the stroke's mean is the intended.
        phase = 2 * np.pi * t / stroke_s
        pattern = np.cos(2 * phase) * 0.8 + np.cos(phase) * 0.2
        force = force * (1.0 + np.where(roll, swing * pattern / 1.0, 0.0))
    if wander:
        # Nobody presses exactly steadily: the force wanders a little (it is force, truth).
        a = float(np.exp(-1.0 / (1.2 * RATE_HZ)))
        noise = lfilter([np.sqrt(1 - a * a)], [1.0, -a], rng.normal(0.0, 1.0, t.size))
        force = force * (1.0 + wander * noise)
    # Spikes passing under the foot: the ripple frequency goes with the rolling rate.
    spike_hz = roll_dps / 360.0 * 12.0
    seen = force * (1.0 + np.where(roll, ripple * np.sin(2 * np.pi * spike_hz * t), 0.0))
    temp = np.broadcast_to(np.asarray(temp_c, dtype=np.float64), t.shape).copy()
    base = P_REF_PA * (temp + 273.15) / (temp[0] + 273.15) - leak_pa_per_s * t
    rise = measured_rise(pa_per_n * seen, overshoot, tau_s)
    pressure = base + rise + rng.normal(0.0, noise_pa, t.size)
    gyro_dps = None
    if gyro:
        rate = np.where(roll, roll_dps, 0.0)
        gyro_dps = np.stack([rate * 0.6, rate * 0.8, np.zeros_like(rate)], axis=1)
        gyro_dps = gyro_dps + np.asarray(gyro_bias_dps) + rng.normal(0.0, 0.5, (t.size, 3))
    block = SampleBlock.from_arrays(t, pressure_pa=pressure, temp_c=temp, gyro_dps=gyro_dps)
    return Session(block, force, roll, intended)


def measured_rise(settled_pa: F64, overshoot: float, tau_s: float,
                  rate_hz: float = RATE_HZ) -> F64:
    """What the sensor reads for a settled rise (protocol section 4): ``S + overshoot * HP(S)``,
    ``HP(S) = S - LP(S)`` with ``LP' = (S - LP) / tau_s``, solved exactly between samples for
    a rise that is linear between them, from rest."""
    e = float(np.exp(-1.0 / (tau_s * rate_hz)))
    x = np.asarray(settled_pa, dtype=np.float64)
    m_tau = np.diff(x) * tau_s * rate_hz  # slope times tau over each sample step
    u = np.empty_like(x)
    u[0] = (1.0 - e) * x[0]
    u[1:] = x[1:] - m_tau * (1.0 - e) - e * x[:-1]
    lp = lfilter([1.0], [1.0, -e], u, zi=[e * x[0]])[0]
    return np.asarray(x + overshoot * (x - lp), dtype=np.float64)
