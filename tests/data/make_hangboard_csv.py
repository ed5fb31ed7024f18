"""Writes ``hangboard_presses.csv``: a force recording in the CSV form (``t_s,force_n``,
100 Hz) of the kind a load cell under a hang board gives, with the presses the too-hard
warning is judged on. Run once; the CSV is kept in the repository.

- 0-2 s unloaded; then a person bounces between about 150 and 195 N (the force swings);
- a press held at 205-214 N for 1.6 s straight from the bouncing, more bouncing, a press
  held at 203-211 N for 0.8 s, more bouncing, three presses of 0.5-0.6 s just past 200 N
  (202-207 N);
- off, then a foot rolling a hedgehog ball (the spikes ripple the force at about 5 Hz) at
  about 180 N, whose heel takes the force past 200 N for under half a second each stroke.

Noise: the load cell's (0.35 N RMS, white), a hand's tremor (8-12 Hz, 0.5 N RMS) and a slow
wander of the held force within its range. The ranges are listed in ``PRESSES`` and
``PEAKS`` (start, end in s) for the tests.

    python tests/data/make_hangboard_csv.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.signal import butter, sosfilt

RATE_HZ = 100
OUT = Path(__file__).with_name("hangboard_presses.csv")
# (start_s, held_s, low_n, high_n): the force stays within [low, high] while held.
HELD = [(13.0, 1.6, 205.0, 214.0), (20.0, 0.8, 203.0, 211.0), (26.0, 0.55, 202.0, 206.0),
        (29.0, 0.6, 203.0, 207.0), (32.0, 0.5, 202.5, 206.5)]
ROLL_S = (40.0, 75.0)
RAMP_S = 0.15


def _smooth(t: np.ndarray, a: float, b: float) -> np.ndarray:
    x = np.clip((t - a) / (b - a), 0.0, 1.0)
    out: np.ndarray = x * x * (3 - 2 * x)
    return out


def build(seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(0, 85.0, 1 / RATE_HZ)
    n = t.size
    # The bouncing between presses: 150-195 N, one bounce every 1.1-1.5 s.
    phase = np.cumsum(2 * np.pi / rng.uniform(1.1, 1.5, n) / RATE_HZ)
    bounce = 172.0 + 21.0 * np.sin(phase)
    on = _smooth(t, 2.0, 3.0) * (1 - _smooth(t, 34.5, 35.5))
    f = bounce * on
    for start, held, lo, hi in HELD:
        mid, half = (lo + hi) / 2, (hi - lo) / 2
        wander = sosfilt(butter(2, 1.5 / (RATE_HZ / 2), output="sos"), rng.normal(0, 1, n))
        wander = np.clip(wander / (np.std(wander) + 1e-9), -1.0, 1.0) * (half - 1.6)
        level = mid + wander
        w = _smooth(t, start - RAMP_S, start) * (1 - _smooth(t, start + held, start + held
                                                             + RAMP_S))
        f = f * (1 - w) + level * w
    # A rolling foot: heel, arch, ball every 2.5-3.5 s, spikes rippling at ~5 Hz.
    a, b = ROLL_S
    roll = _smooth(t, a - 1.5, a) * (1 - _smooth(t, b, b + 1.5))
    stroke = np.cumsum(2 * np.pi / rng.uniform(2.5, 3.5, n) / RATE_HZ)
    heel = np.exp(-(((np.mod(stroke, 2 * np.pi) - np.pi) / 0.7) ** 2))
    foot = 178.0 * (1 + 0.22 * heel - 0.05 * np.cos(2 * stroke))
    ripple = 0.05 * np.sin(2 * np.pi * 5.0 * t + 0.4 * np.sin(2 * np.pi * 0.7 * t))
    f = f + roll * foot * (1 + ripple)
    tremor = sosfilt(butter(2, [8 / 50, 12 / 50], btype="bandpass", output="sos"),
                     rng.normal(0, 1, n))
    tremor *= 0.5 / np.std(tremor)
    loaded = f > 5.0
    f = f + loaded * tremor + rng.normal(0, 0.35, n)
    return t, f


def main() -> None:
    t, f = build()
    lines = ["# A hang-board-like force recording, 100 Hz (tests/data/make_hangboard_csv.py)",
             "t_s,force_n"]
    lines += [f"{a:.2f},{b:.2f}" for a, b in zip(t, f, strict=True)]
    OUT.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
