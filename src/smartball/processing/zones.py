"""The steady zone label (hysteresis and dwell) and the fast too-hard warning.

The label reads the low-passed force; each threshold is a latch with its own hysteresis band
(entered above ``thr * (1 + h)``, left below ``thr * (1 - h)``), and the zone is how many
latches are set. Since the bands do not overlap, that equals the usual clamp recursion and
needs no loop. A new zone then has to hold for the dwell before the label takes it.

The too-hard warning reads the fast force: a couple of samples at or above the threshold (or
a saturated sensor, which on a sealed ball means far beyond it) raise it at once.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smartball.processing.config import ProcessingConfig
from smartball.processing.filters import SMALL_CHUNK
from smartball.processing.runs import Latch, RunConfirm, last_index, latch

F64 = npt.NDArray[np.float64]
BoolArr = npt.NDArray[np.bool_]
I8 = npt.NDArray[np.int8]


class ZoneTracker:
    def __init__(self, config: ProcessingConfig, rate_hz: float) -> None:
        h = config.hysteresis
        self.up = np.array([t * (1 + h) for t in config.thresholds_n])
        self.down = np.array([t * (1 - h) for t in config.thresholds_n])
        self._up, self._down = self.up.tolist(), self.down.tolist()
        self.latched = np.zeros(4, np.bool_)
        self.dwell = RunConfirm(max(1, round(config.dwell_s * rate_hz)), 0)
        self.label = 0

    def update(self, force_smooth_n: F64) -> tuple[I8, npt.NDArray[np.int64]]:
        """The steady label per sample, and the indices where it changed."""
        n = force_smooth_n.shape[0]
        if n == 0:
            return np.empty(0, np.int8), np.empty(0, np.int64)
        if n <= SMALL_CHUNK:
            # benchmarks/fast_paths.py, a 2-sample chunk: 6.6 us here against 90 us by numpy
            # (0.4 % of a core at 50 chunks a second, of a 5 % live budget).
            labels, changes = self._step(force_smooth_n.tolist())
            return np.array(labels, np.int8), np.array(changes, np.int64)
        raw = np.zeros(n, np.int8)
        f = force_smooth_n
        for i in range(4):
            state = latch(f >= self.up[i], f < self.down[i], bool(self.latched[i]))
            self.latched[i] = state[-1]
            raw += state.astype(np.int8)
        accepted = self.dwell.update(raw)
        points = np.zeros(n, np.bool_)
        points[accepted] = True
        last = last_index(points)
        label = np.where(last >= 0, raw[np.maximum(last, 0)], self.label).astype(np.int8)
        prev = np.empty(n, np.int8)
        prev[0] = self.label
        prev[1:] = label[:-1]
        self.label = int(label[-1])
        return label, np.flatnonzero(label != prev)

    def _step(self, force_smooth_n: list[float]) -> tuple[list[int], list[int]]:
        """:meth:`update` sample by sample, for short chunks (where numpy's per-call
        overhead would cost more than the work)."""
        up, down = self._up, self._down
        latched = self.latched.tolist()
        raw = []
        for f in force_smooth_n:
            for i in range(4):
                if f >= up[i]:
                    latched[i] = True
                elif f < down[i]:
                    latched[i] = False
            raw.append(sum(latched))
        self.latched = np.array(latched, np.bool_)
        accepted = set(self.dwell.step(raw))
        label = self.label
        labels, changes = [], []
        for k, r in enumerate(raw):
            if k in accepted and r != label:
                label = r
                changes.append(k)
            labels.append(label)
        self.label = label
        return labels, changes


class TooHardTracker:
    def __init__(self, config: ProcessingConfig) -> None:
        thr = config.thresholds_n[3]
        self.on_n = thr
        self.off_n = thr * (1 - config.hysteresis)
        self.latch = Latch(config.too_hard_confirm, config.too_hard_release)

    @property
    def active(self) -> bool:
        return self.latch.state

    def update(self, force_n: F64, saturated: BoolArr) -> tuple[BoolArr, npt.NDArray[np.int64]]:
        """Per-sample warning state, and the indices where it was raised."""
        n = force_n.shape[0]
        before = self.latch.state
        state = self.latch.update((force_n >= self.on_n) | saturated,
                                  (force_n < self.off_n) & ~saturated)
        if n == 0:
            return state, np.empty(0, np.int64)
        prev = np.empty(n, np.bool_)
        prev[0] = before
        prev[1:] = state[:-1]
        return state, np.flatnonzero(state & ~prev)

    def reset(self) -> None:
        self.latch.state = False
