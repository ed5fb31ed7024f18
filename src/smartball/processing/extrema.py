"""Running maxima and minima over a sliding window, in O(n) numpy passes.

The van Herk / Gil-Werman method: cut the input into blocks of the window's length; within
each block take the running maximum forwards and backwards (``np.maximum.accumulate``). A
window starting at ``i`` spans the tail of one block and the head of the next, so its maximum
is the larger of the backward maximum at ``i`` and the forward maximum at ``i + w - 1``.
A maximum is exact in any order, so the result equals ``scipy.ndimage.maximum_filter1d`` on
the same windows (``tests/processing/test_extrema.py`` checks it on random data) and does not
depend on how the input was cut into chunks.

It replaces ``scipy.ndimage`` in the processing core (importing it alone: 0.36 s CPU,
``benchmarks/scipy_alternatives.py``). ``scipy.signal``, which the filters still need, imports
``scipy.ndimage`` itself, so the file commands do not start faster yet (a 5-minute ``analyze``,
``benchmarks/file_commands.py``: 0.76 s wall median against 0.75 s before, within the noise of
a shared machine; the hour-long commands no slower). On a live 2-sample chunk a window of 800
samples costs 15 us here against 5 us in ``ndimage``; the live session loop measured 4.1 % of
a core against 4.4 % before (``benchmarks/live_cpu.py``, noisy), so no short-chunk path is
kept for it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


def window_max(x: F64, length: int) -> F64:
    """``out[i] = max(x[i:i + length])`` for every full window (``len(x) - length + 1``
    values; none if ``x`` is shorter than ``length``). A NaN in a window makes its maximum
    NaN."""
    w = max(1, int(length))
    n = x.shape[0]
    k = n - w + 1
    if k <= 0:
        return np.empty(0)
    if w == 1:
        return np.array(x, dtype=np.float64)
    blocks = -(-n // w)
    padded = np.full(blocks * w, -np.inf)
    padded[:n] = x
    b = padded.reshape(blocks, w)
    forward = np.maximum.accumulate(b, axis=1).ravel()
    backward = np.maximum.accumulate(b[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.maximum(backward[:k], forward[w - 1:w - 1 + k])


def window_min(x: F64, length: int) -> F64:
    """``out[i] = min(x[i:i + length])`` for every full window (see :func:`window_max`)."""
    return -window_max(-x, length)
