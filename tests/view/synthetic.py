"""Processing-result-shaped data with a known story, for view tests that need exact states.

The columns match what ``LiveBuffer.on_samples`` reads from a processing result; the story
(rolling, a hold, a too-hard press) is placed at known times so tests can ask for a state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartball.events import ZONES

F64 = npt.NDArray[np.float64]
BOUNDS_N = (10.0, 50.0, 100.0, 200.0)


@dataclass
class SyntheticResult:
    t_s: F64
    force_n: F64
    force_smooth_n: F64
    zone: npt.NDArray[np.int8]
    rolling: npt.NDArray[np.bool_]
    speed_cm_s: F64
    hold_elapsed_s: F64

    def __getitem__(self, key: slice) -> SyntheticResult:
        return SyntheticResult(
            **{name: getattr(self, name)[key] for name in self.__dataclass_fields__}
        )


def zones_of(force_n: F64) -> npt.NDArray[np.int8]:
    return np.searchsorted(np.asarray(BOUNDS_N), force_n, side="right").astype(np.int8)


def result(
    t_s: F64, force_n: F64, *, rolling: bool | npt.NDArray[np.bool_] = True,
    speed_cm_s: float = 4.0, hold_elapsed_s: F64 | None = None,
) -> SyntheticResult:
    n = t_s.shape[0]
    return SyntheticResult(
        t_s=t_s,
        force_n=force_n,
        force_smooth_n=force_n,
        zone=zones_of(force_n),
        rolling=np.broadcast_to(np.asarray(rolling, bool), (n,)).copy(),
        speed_cm_s=np.full(n, speed_cm_s),
        hold_elapsed_s=np.full(n, np.nan) if hold_elapsed_s is None else hold_elapsed_s,
    )


def story(rate_hz: float = 100.0, seconds: float = 40.0) -> SyntheticResult:
    """Rolling at moderate 0-12 s, a hold 12-24 s, a too-hard press 26-28 s, light after."""
    t = np.arange(0.0, seconds, 1.0 / rate_hz)
    f = 70.0 + 15.0 * np.sin(2 * np.pi * 0.3 * t) + 5.0 * np.sin(2 * np.pi * 7.0 * t)
    hold = (t >= 12.0) & (t < 24.0)
    f[hold] = 120.0 + 3.0 * np.sin(2 * np.pi * 0.5 * t[hold])
    hard = (t >= 26.0) & (t < 28.0)
    f[hard] = 215.0
    f[t >= 28.0] = 30.0
    rolling = ~hold
    hold_elapsed = np.where(hold, t - 12.0, np.nan)
    return result(t, f, rolling=rolling, hold_elapsed_s=hold_elapsed)


assert ZONES[zones_of(np.array([215.0]))[0]] == "too_hard"
