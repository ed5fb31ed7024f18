"""Vectorised sequential logic with carried state: latches and confirmed runs.

Hysteresis, dwell and "N samples in a row" are sequential by nature; written as a Python loop
over samples they would take seconds for an hour of data. Here each is expressed with
cumulative maxima over index arrays, so the cost is a few numpy passes, and the state between
chunks is a couple of scalars, which makes chunked and whole-input results identical.

A live session feeds a couple of samples at a time, where those numpy passes cost far more in
per-call overhead than the work they do. :class:`Latch` steps sample by sample on such chunks
(``Latch.step``, with ``RunConfirm.step``, its list form, which the zone label uses too):
``benchmarks/fast_paths.py`` measured 4.9 us against 81 us a 2-sample call, three latches a
chunk, about 1.1 % of a core at 50 chunks a second. :func:`run_lengths` does too
(``run_lengths_step``): five "still for" runs a chunk (``steady.StillFor``) cost 9 us each
by numpy, 2 us so. ``tests/processing/test_runs.py`` checks the list forms against the numpy
ones.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smartball.processing.extrema import TrailingWindowMax
from smartball.processing.filters import SMALL_CHUNK

BoolArr = npt.NDArray[np.bool_]
IntArr = npt.NDArray[np.int64]


def last_index(mask: BoolArr) -> IntArr:
    """For each sample, the index of the last True at or before it (-1 if none)."""
    idx = np.where(mask, np.arange(mask.shape[0]), -1)
    return np.maximum.accumulate(idx) if idx.size else idx.astype(np.int64)


def latch(set_mask: BoolArr, reset_mask: BoolArr, state0: bool) -> BoolArr:
    """A set/reset latch: True after a set, False after a reset, else the previous state.

    Where both masks are True the set wins.
    """
    points = set_mask | reset_mask
    last = last_index(points)
    return np.where(last >= 0, set_mask[np.maximum(last, 0)], state0)


def run_lengths(values: npt.NDArray[np.integer], prev_value: int, prev_len: int) -> IntArr:
    """For each sample, how many samples in a row (this one included) had its value.

    ``prev_value``/``prev_len`` describe the run that ended the previous chunk.
    """
    n = values.shape[0]
    if 0 < n <= SMALL_CHUNK:  # see the module's docstring for the figures
        return np.array(run_lengths_step(values.tolist(), prev_value, prev_len), np.int64)
    change = np.empty(n, np.bool_)
    if n:
        change[0] = values[0] != prev_value
        change[1:] = values[1:] != values[:-1]
    start = last_index(change)
    k = np.arange(n, dtype=np.int64)
    return np.where(start >= 0, k - start + 1, prev_len + k + 1)


def run_lengths_step(values: list[int], prev_value: int, prev_len: int) -> list[int]:
    """:func:`run_lengths` on a list, sample by sample: for short chunks."""
    out = []
    value, length = prev_value, prev_len
    for v in values:
        if v == value:
            length += 1
        else:
            value, length = v, 1
        out.append(length)
    return out


class RunConfirm:
    """Accepts a value once it has held for ``count`` samples in a row (a dwell).

    ``update(values)`` returns the indices where a run reached ``count`` samples, i.e. where
    its value becomes accepted.
    """

    def __init__(self, count: int, initial: int) -> None:
        self.count = max(1, int(count))
        self.value = int(initial)
        self.length = self.count  # the initial value counts as accepted

    def update(self, values: npt.NDArray[np.integer]) -> IntArr:
        n = values.shape[0]
        if n == 0:
            return np.empty(0, np.int64)
        lengths = run_lengths(values, self.value, self.length)
        self.value = int(values[-1])
        self.length = int(min(lengths[-1], self.count))
        return np.flatnonzero(lengths == self.count)

    def step(self, values: list[int]) -> list[int]:
        """:meth:`update` on a list, sample by sample (for :meth:`Latch.step` and the zone
        label's short chunks)."""
        accepted = []
        value, length, count = self.value, self.length, self.count
        for k, v in enumerate(values):
            if v == value:
                length = min(length, count) + 1  # past ``count`` only "more than" matters
            else:
                value, length = v, 1
            if length == count:
                accepted.append(k)
        self.value, self.length = value, min(length, count)
        return accepted


class Latch:
    """A set/reset latch whose set and reset each need ``n`` consecutive samples."""

    def __init__(self, set_count: int, reset_count: int, state: bool = False) -> None:
        self.state = state
        self._set = RunConfirm(set_count, 0)
        self._reset = RunConfirm(reset_count, 0)

    def update(self, set_mask: BoolArr, reset_mask: BoolArr,
               set_now: BoolArr | None = None) -> BoolArr:
        """``set_now``: samples that set at once, without waiting for the run (evidence that
        needs no confirmation; they count in the set runs too)."""
        n = set_mask.shape[0]
        if 0 < n <= SMALL_CHUNK:  # see the module's docstring for the figures
            now = None if set_now is None else set_now.tolist()
            return np.array(self.step(set_mask.tolist(), reset_mask.tolist(), now),
                            dtype=np.bool_)
        if set_now is not None:
            set_mask = set_mask | set_now
        set_at = np.zeros(set_mask.shape[0], np.bool_)
        reset_at = np.zeros(set_mask.shape[0], np.bool_)
        # Only runs of True matter: a confirm point of value 1 is a set/reset point.
        s = self._set.update(set_mask.astype(np.int8))
        set_at[s[set_mask[s]]] = True
        if set_now is not None:
            set_at |= set_now
        r = self._reset.update(reset_mask.astype(np.int8))
        reset_at[r[reset_mask[r]]] = True
        out = latch(set_at, reset_at, self.state)
        if out.size:
            self.state = bool(out[-1])
        return out

    def step(self, set_mask: list[bool], reset_mask: list[bool],
             set_now: list[bool] | None = None) -> list[bool]:
        """:meth:`update` on a list, sample by sample: for short chunks."""
        if set_now is not None:
            set_mask = [a or b for a, b in zip(set_mask, set_now, strict=True)]
        set_at = set(self._set.step([int(v) for v in set_mask]))
        if set_now is not None:
            set_at.update(k for k, v in enumerate(set_now) if v)
        reset_at = set(self._reset.step([int(v) for v in reset_mask]))
        out = []
        state = self.state
        for k, (s, r) in enumerate(zip(set_mask, reset_mask, strict=True)):
            if s and k in set_at:
                state = True
            elif r and k in reset_at:
                state = False
            out.append(state)
        self.state = state
        return out


class TrailingRange:
    """Max minus min of the last ``length`` values up to each sample (``inf`` until that many
    have been seen, or when a NaN is among them)."""

    def __init__(self, length: int) -> None:
        self.length = max(1, int(length)) | 1  # odd: the windows the thresholds were tuned with
        self._hi = TrailingWindowMax(self.length)
        self._neg_lo = TrailingWindowMax(self.length)
        self._seen = 0

    def update(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        w = self.length
        n = x.shape[0]
        if n == 0:
            return np.empty(0)
        hi_src = lo_src = x
        nan = np.isnan(x)
        if nan.any():
            hi_src = np.where(nan, np.inf, x)
            lo_src = np.where(nan, -np.inf, x)
        if not self._hi.primed:  # the windows before w values are inf whatever they hold
            self._hi.prime(np.full(w - 1, hi_src[0]))
            self._neg_lo.prime(np.full(w - 1, -lo_src[0]))
        out = self._hi.update(hi_src) + self._neg_lo.update(-lo_src)
        if self._seen + 1 < w:
            out[self._seen + np.arange(1, n + 1) < w] = np.inf
        self._seen += n
        return np.asarray(out, dtype=np.float64)
