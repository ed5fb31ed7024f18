"""Floor vibration: what a home's floor does to a pressure reading through whatever the ball
stands on (a scale on a wooden floor, a board on the ball).

Footsteps and typing shake the floor; the ball's reading follows as a small pressure
fluctuation, loaded or not. Modelled as episodes of events, each a damped oscillation:

- footsteps: someone walks by for a few seconds now and then, a step every 0.45-0.65 s, each
  ringing the floor at 8-20 Hz for about a tenth of a second; a heavier step now and then;
- typing: bursts of key presses at 3-8 per second, each a short click at 25-45 Hz;
- a broadband rumble (machines, traffic, the floor's own give) that never stops.

The sum is scaled so that its RMS over the session is ``rms_pa``; within a walking episode it
is louder than that, between episodes quieter. Pure numpy, reproducible for a generator.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]

WALK_EVERY_S = (6.0, 25.0)
"""A walking episode starts after this long (uniform), and lasts 2-8 s."""
TYPING_EVERY_S = (2.0, 12.0)
HUM_SHARE = 0.5
"""Share of the RMS that is the steady broadband rumble."""


def floor_vibration_pa(n: int, fs: float, rms_pa: float, rng: np.random.Generator) -> F64:
    """``n`` samples at ``fs`` of floor vibration as the pressure sensor sees it, RMS
    ``rms_pa`` over the whole stretch (zeros for ``rms_pa`` 0)."""
    if rms_pa <= 0 or n < 2:
        return np.zeros(n)
    duration_s = n / fs
    # Footsteps: episodes of walking.
    steps = np.zeros(n)
    t = float(rng.uniform(0.0, WALK_EVERY_S[1]))
    while t < duration_s:
        end = t + float(rng.uniform(2.0, 8.0))
        step_t = t
        while step_t < min(end, duration_s):
            i = int(step_t * fs)
            if i < n:
                steps[i] += float(rng.lognormal(0.0, 0.4)) * (2.5 if rng.uniform() < 0.1 else 1.0)
            step_t += float(rng.uniform(0.45, 0.65))
        t = end + float(rng.uniform(*WALK_EVERY_S))
    # Typing: bursts of key presses.
    keys = np.zeros(n)
    t = float(rng.uniform(0.0, TYPING_EVERY_S[1]))
    while t < duration_s:
        end = t + float(rng.uniform(1.0, 6.0))
        rate = float(rng.uniform(3.0, 8.0))
        key_t = t
        while key_t < min(end, duration_s):
            i = int(key_t * fs)
            if i < n:
                keys[i] += float(rng.lognormal(0.0, 0.5))
            key_t += float(rng.exponential(1.0 / rate))
        t = end + float(rng.uniform(*TYPING_EVERY_S))
    step_wave = _ring(steps, fs, float(rng.uniform(8.0, 20.0)), 0.10)
    key_wave = 0.3 * _ring(keys, fs, float(rng.uniform(25.0, 45.0)), 0.02)
    events = step_wave + key_wave
    events_rms = float(np.sqrt(np.mean(events**2)))
    hum = rng.normal(0.0, 1.0, n)
    hum_rms = HUM_SHARE * rms_pa
    if events_rms > 0:
        out: F64 = (np.sqrt(max(rms_pa**2 - hum_rms**2, 0.0)) * events / events_rms
                    + hum_rms * hum)
    else:
        out = rms_pa * hum
    return out


def _ring(impulses: F64, fs: float, freq_hz: float, decay_s: float) -> F64:
    """Each impulse rings as ``exp(-t/decay) * sin(2 pi f t)`` (an IIR resonator)."""
    from scipy.signal import lfilter

    r = float(np.exp(-1.0 / (fs * decay_s)))
    w = 2.0 * np.pi * freq_hz / fs
    out: F64 = lfilter([0.0, r * np.sin(w)], [1.0, -2.0 * r * np.cos(w), r * r], impulses)
    return out
