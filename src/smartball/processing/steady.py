"""How far the force swings about what the user means to press, over a stroke.

A foot's force swings between heel, arch and ball as it rolls (a tenth or more of the force,
over strokes of 2 to 10 s), a hedgehog ball's spikes ripple it, and nobody presses exactly
steadily; the user means the stroke's average. The zone label and the too-hard warning ask how
far a reading may stray from that average before it says something new. This module answers
with the largest deviation of a signal from its slow average (a low-pass under the stroke
rate) over the last ``window_s`` of rolling, above or below, as a fraction of that average: a
foot swings by a share of its force, so a roll that moves to another pressure keeps swinging
by the same share, and the first strokes at the new pressure are judged by it.

Only a rolling ball swings: a still one (a hold, a press) counts no swing, nor does one at
rest, so a press from a
hold is judged with the fixed hysteresis alone. A stroke's turnaround stops the ball for a
moment, so the ball counts as still only once it has been still for ``still_s``.

A deliberate change of pressure is not a swing, though the slow average lags it: each
deviation is capped at ``cap``, and the estimate used at a sample is the one
of ``delay_s`` earlier (longer than a ramp and the level's lag), so a crossing is judged
against how much the force swung before it began to move, not against the move itself.

Pure: no I/O; state carried between chunks (filter states, the trailing window, the delay).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from smartball.processing.extrema import TrailingWindowMax
from smartball.processing.filters import SMALL_CHUNK
from smartball.processing.runs import run_lengths, run_lengths_step

F64 = npt.NDArray[np.float64]
BoolArr = npt.NDArray[np.bool_]


class TrailingMax:
    """Largest of the last ``length`` values up to each sample (before the first value: 0,
    or with ``from_first`` the first value)."""

    def __init__(self, length: int, from_first: bool = False) -> None:
        self.length = max(1, int(length)) | 1  # odd: the windows the thresholds were tuned with
        self._max = TrailingWindowMax(self.length)
        self._from_first = from_first
        if not from_first:
            self._max.prime(np.zeros(self.length - 1))

    def update(self, x: F64) -> F64:
        if x.shape[0] == 0:
            return np.empty(0)
        if not self._max.primed:
            self._max.prime(np.full(self.length - 1, x[0]))
        return self._max.update(x)  # window i ends at sample i


class TrailingMin:
    """Smallest of the last ``length`` values up to each sample (the first value before)."""

    def __init__(self, length: int) -> None:
        self._max = TrailingMax(length, from_first=True)

    def update(self, x: F64) -> F64:
        return -self._max.update(-x)


class RunningMedian:
    """Median of the last ``length`` values up to each sample (the first value before): a
    noise dip of a sample or two does not break a run, and an edge is only delayed."""

    def __init__(self, length: int) -> None:
        self.length = max(1, int(length))
        self._tail: F64 | None = None

    def update(self, x: F64) -> F64:
        m = self.length
        n = x.shape[0]
        if m == 1 or n == 0:
            return np.array(x, dtype=np.float64)
        tail = self._tail if self._tail is not None else np.repeat(x[:1], m - 1)
        if n <= SMALL_CHUNK:
            values = tail.tolist() + x.tolist()
            if all(map(math.isfinite, values)):  # NaN: numpy's median says NaN
                self._tail = np.array(values[-(m - 1):], dtype=np.float64)
                return np.array([_median_of(values[i : i + m]) for i in range(n)],
                                dtype=np.float64)
        ext = np.concatenate([tail, x])
        self._tail = ext[-(m - 1):].copy()
        win = np.lib.stride_tricks.sliding_window_view(ext, m)
        return np.asarray(np.median(win, axis=1), dtype=np.float64)


def _median_of(values: list[float]) -> float:
    """``np.median`` of a few finite floats, the same bits: the middle value, or the mean of
    the middle two (their sum halved, as ``np.mean`` does)."""
    s = sorted(values)
    h = len(s) // 2
    return s[h] if len(s) % 2 else (s[h - 1] + s[h]) / 2.0


class LineRipple:
    """RMS of the last ``length`` values about the straight line through them (least squares):
    what a smooth force leaves (a press held, settling or easing, leaves little), and what a
    hedgehog ball's spikes ripple a rolling foot's force by. Before the first value: the
    first value. The same windows whatever the chunks (each window summed on its own), so a
    caller may ask for some windows only and get, there, what it would get from all."""

    def __init__(self, length: int) -> None:
        self.length = m = max(3, int(length))
        x = np.arange(m) - (m - 1) / 2.0
        self._unit = x / np.sqrt(float(np.dot(x, x)))
        self._tail: F64 | None = None

    def update(self, x: F64, where: BoolArr | None = None) -> F64:
        """The ripple of the window ending at each sample; with ``where``, only at the
        samples it marks (NaN elsewhere): windows cost ``length`` operations each."""
        m = self.length
        if x.shape[0] == 0:
            return np.empty(0)
        tail = self._tail if self._tail is not None else np.repeat(x[:1], m - 1)
        ext = np.concatenate([tail, x])
        self._tail = ext[-(m - 1):].copy()
        if where is not None and not where.any():  # the usual case: no window asked for
            return np.full(x.shape[0], np.nan)
        view = np.lib.stride_tricks.sliding_window_view(ext, m)
        if where is None:
            return self._rms(np.ascontiguousarray(view))
        out = np.full(x.shape[0], np.nan)
        rows = np.flatnonzero(where)
        if rows.shape[0]:
            out[rows] = self._rms(view[rows])
        return out

    def _rms(self, win: F64) -> F64:
        m = self.length
        dev = win - win.mean(axis=1, keepdims=True)
        along = (dev * self._unit).sum(axis=1)
        energy = (dev * dev).sum(axis=1) - along * along
        return np.asarray(np.sqrt(np.maximum(energy, 0.0) / m), dtype=np.float64)


class StillFor:
    """Whether the ball has been still (not rolling) for at least ``seconds`` up to each
    sample (``None``: never)."""

    def __init__(self, seconds: float | None, rate_hz: float) -> None:
        self._n = (1 << 30) if seconds is None else max(1, round(seconds * rate_hz))
        self._run = (0, self._n)

    def update(self, rolling: BoolArr) -> BoolArr:
        n = rolling.shape[0]
        if n == 0:
            return np.zeros(0, np.bool_)
        if n <= SMALL_CHUNK:  # a live chunk: the same, sample by sample
            still_list = [0 if r else 1 for r in rolling.tolist()]
            runs = run_lengths_step(still_list, *self._run)
            self._run = (still_list[-1], min(runs[-1], self._n))
            return np.array([bool(s) and r >= self._n for s, r in zip(still_list, runs,
                                                                         strict=True)])
        still = ~rolling
        lengths = run_lengths(still.astype(np.int8), *self._run)
        self._run = (int(still[-1]), int(min(lengths[-1], self._n)))
        out: BoolArr = still & (lengths >= self._n)
        return out


class SwingEstimator:
    def __init__(self, window_s: float, delay_s: float, still_s: float | None, cap: float,
                 floor_n: float, rate_hz: float, both_ways: bool = False) -> None:
        """``still_s`` None: a still ball keeps the swing it had (for ``window_s``).
        ``both_ways``: the swing is the smaller of the largest deviations above and below (a
        stroke swings both ways, a step of pressure one way only)."""
        self.both_ways = both_ways
        self.cap = float(cap)
        self.floor_n = float(floor_n)
        self._above = TrailingMax(max(1, round(window_s * rate_hz)))
        self._below = TrailingMax(max(1, round(window_s * rate_hz)))
        self._delay = max(0, round(delay_s * rate_hz))
        self._tail = np.zeros(self._delay)
        self._still = StillFor(still_s, rate_hz)

    def update(self, level_n: F64, slow_n: F64, rolling: BoolArr) -> F64:
        """Largest swing of ``level_n`` about ``slow_n`` over the recent strokes, as a
        fraction of ``slow_n``, as known ``delay_s`` ago; 0 once the ball has been still for
        ``still_s``."""
        n = level_n.shape[0]
        if n == 0:
            return np.empty(0)
        settled = self._still.update(rolling)
        rel = (level_n - slow_n) / np.maximum(np.abs(slow_n), self.floor_n)
        # A ball at rest (under the lowest zone's threshold) swings no more than a still one.
        quiet = settled | (np.abs(level_n) < self.floor_n)
        dev = np.where(quiet, 0.0, np.clip(rel, -self.cap, self.cap))
        above, below = self._above.update(dev), self._below.update(-dev)
        swing = np.minimum(above, below) if self.both_ways else np.maximum(above, below)
        if self._delay:
            ext = np.concatenate([self._tail, swing])
            self._tail = ext[n:].copy()
            swing = ext[:n]
        return np.where(settled, 0.0, swing)
