"""A scale calibration played on the protocol's response model (section 4), written here
from the contract alone: ``r = S + overshoot * HP(S)`` with ``S = curve(F)``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from smartball.processing.calibration_fit import HeldLoad

F64 = npt.NDArray[np.float64]
BASELINE_PA = 101_325.0


@dataclass(frozen=True)
class Protocol:
    t_s: F64
    pressure_pa: F64
    marks: list[HeldLoad]


def smoothstep(x: F64) -> F64:
    x = np.clip(x, 0.0, 1.0)
    out: F64 = x * x * (3.0 - 2.0 * x)
    return out


def play(curve: Callable[[F64], F64], loads_n: Sequence[float], *, overshoot: float = 0.2,
         tau_s: float = 7.0, hold_s: float = 12.0, rest_s: float = 5.0, ramp_s: float = 0.8,
         first_rest_s: float = 5.0, noise_pa: float = 2.0, wobble: float = 0.0,
         drift_pa_per_s: float = 0.0, rate_hz: float = 100.0, seed: int = 0) -> Protocol:
    """The ball on a scale, pressed to each load (held ``hold_s``), released in between;
    the marks are the holds after the ramp, as a person would note them."""
    rng = np.random.default_rng(seed)
    total = first_rest_s + len(loads_n) * (hold_s + ramp_s + rest_s)
    t = np.arange(0.0, total, 1.0 / rate_hz)
    force = np.zeros_like(t)
    marks = []
    start = first_rest_s
    for load in loads_n:
        up = smoothstep((t - start) / ramp_s)
        down = smoothstep((t - (start + ramp_s + hold_s)) / ramp_s)
        force += load * (up - down)
        marks.append(HeldLoad(start + ramp_s + 0.5, start + ramp_s + hold_s - 0.3, load))
        start += ramp_s + hold_s + rest_s
    if wobble:
        w = lfilter([0.01], [1.0, -0.99], rng.normal(0, 1.0, len(t)))
        force *= 1.0 + wobble * w / np.std(w)
        # What the scale shows is the mean force of the window.
        marks = [HeldLoad(m.start_s, m.end_s, float(np.mean(
            force[(t >= m.start_s) & (t < m.end_s)]))) for m in marks]
    settled = curve(force)
    # HP(x)' = x' - HP(x)/tau, sampled step-invariantly: a step decays by e per sample.
    e = float(np.exp(-1.0 / (rate_hz * tau_s)))
    hp = lfilter([1.0, -1.0], [1.0, -e], settled)
    rise = settled + overshoot * hp
    pressure = BASELINE_PA + drift_pa_per_s * t + rise + rng.normal(0, noise_pa, len(t))
    return Protocol(t, pressure, marks)


def linear(pa_per_n: float) -> Callable[[F64], F64]:
    def curve(f: F64) -> F64:
        out: F64 = pa_per_n * f
        return out
    return curve


def stiffening(pa_per_n: float, per_n: float) -> Callable[[F64], F64]:
    def curve(f: F64) -> F64:
        out: F64 = pa_per_n * f * (1.0 + per_n * f)
        return out
    return curve
