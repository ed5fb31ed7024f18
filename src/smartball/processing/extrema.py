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
a shared machine; the hour-long commands no slower). Live chunks go through
:class:`TrailingWindowMax`, which carries the window's suffix maxima instead of joining the
values before to each chunk: the live session loop went from 5.6 % to 4.4 % of a core with it
(``benchmarks/live_cpu.py --seconds 20``, quiet machine).
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


class TrailingWindowMax:
    """``max`` of the last ``length`` values up to each sample, fed chunk by chunk.

    The state is the suffix maxima of the ``length - 1`` values before the next chunk: a
    window that ends ``i`` samples into a chunk is the largest of that suffix at ``i`` and the
    chunk's running maximum, so a live chunk of a few samples costs a few numpy calls on short
    arrays, whatever the window (not two passes over ``length`` values, as joining the values
    before to the chunk and calling :func:`window_max` did: 17 us a call on a 2-sample chunk
    with an 800-sample window, nine calls a chunk, ``benchmarks/live_cpu.py``). Exact, so the
    chunking never changes a result (``tests/processing/test_extrema.py``).
    """

    def __init__(self, length: int) -> None:
        self.length = max(1, int(length))
        self._suffix: F64 | None = None

    @property
    def primed(self) -> bool:
        return self._suffix is not None or self.length == 1

    def prime(self, before: F64) -> None:
        """The ``length - 1`` values taken to come before the first chunk."""
        self._suffix = _suffix_max(np.asarray(before, dtype=np.float64)[-(self.length - 1):])

    def update(self, x: F64) -> F64:
        w = self.length
        n = x.shape[0]
        if w == 1 or n == 0:
            return np.array(x, dtype=np.float64)
        s = self._suffix
        if s is None:
            raise ValueError("prime() the values before the first chunk")
        m = w - 1
        head = min(n, m)
        out = np.empty(n)
        out[:head] = np.maximum(s[:head], np.maximum.accumulate(x[:head]))
        if n > m:
            out[m:] = window_max(x, w)
            self._suffix = _suffix_max(x[n - m:])
        else:
            sx = _suffix_max(x)
            self._suffix = np.concatenate([np.maximum(s[n:], sx[0]), sx])
        return out


def _suffix_max(x: F64) -> F64:
    """``out[i] = max(x[i:])``."""
    return np.asarray(np.maximum.accumulate(x[::-1])[::-1], dtype=np.float64)
