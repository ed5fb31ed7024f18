"""The numpy running extrema equal ``scipy.ndimage``'s filters, edges included, and the
trailing windows built on them do not depend on how the input is chunked."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from smartball.processing.extrema import TrailingWindowMax, window_max
from smartball.processing.runs import TrailingRange
from smartball.processing.steady import TrailingMax, TrailingMin


def _nearest(x: np.ndarray, w: int) -> np.ndarray:
    """``x`` padded as ``mode="nearest"`` pads it for a window of ``w`` (origin 0)."""
    return np.pad(x, (w // 2, w - 1 - w // 2), mode="edge")


def test_window_extrema_equal_ndimage_on_random_data() -> None:
    rng = np.random.default_rng(3)
    for trial in range(400):
        n = int(rng.integers(1, 300))
        w = int(rng.integers(1, 70))
        if trial % 3 == 0:  # ties, as a quantised sensor gives
            x = rng.integers(-4, 5, n).astype(np.float64)
        else:
            x = rng.normal(size=n) * 10.0 ** rng.integers(-3, 4)
        if trial % 7 == 0:
            x[rng.integers(0, n, 3)] = rng.choice([np.inf, -np.inf], 3)
        np.testing.assert_array_equal(window_max(_nearest(x, w), w),
                                      ndimage.maximum_filter1d(x, w, mode="nearest"))
        np.testing.assert_array_equal(-window_max(-_nearest(x, w), w),
                                      ndimage.minimum_filter1d(x, w, mode="nearest"))
        # Every full window, as the trailing windows use them.
        centre = np.arange(max(0, n - w + 1)) + w // 2
        np.testing.assert_array_equal(window_max(x, w),
                                      ndimage.maximum_filter1d(x, w, mode="nearest")[centre])


def test_window_shorter_than_length_gives_nothing() -> None:
    assert window_max(np.arange(3.0), 4).shape == (0,)
    np.testing.assert_array_equal(window_max(np.arange(4.0), 4), [3.0])
    np.testing.assert_array_equal(window_max(np.arange(4.0), 1), np.arange(4.0))


def _trailing_max_ndimage(x: np.ndarray, w: int, first: float) -> np.ndarray:
    ext = np.concatenate([np.full(w - 1, first), x])
    return ndimage.maximum_filter1d(ext, w, mode="nearest")[np.arange(x.size) + w - 1 - w // 2]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=200), st.integers(1, 40),
       st.lists(st.integers(1, 30), min_size=1, max_size=20))
def test_trailing_windows_equal_ndimage_in_any_chunking(values: list[float], length: int,
                                                        cuts: list[int]) -> None:
    x = np.array(values)
    bounds = np.cumsum([0, *cuts])
    chunks = [x[a:b] for a, b in itertools.pairwise(bounds)]
    chunks.append(x[bounds[-1]:])
    tmax, tmin, trange = TrailingMax(length), TrailingMin(length), TrailingRange(length)
    got_max = np.concatenate([tmax.update(c) for c in chunks])
    got_min = np.concatenate([tmin.update(c) for c in chunks])
    got_range = np.concatenate([trange.update(c) for c in chunks])
    w = tmax.length
    np.testing.assert_array_equal(got_max, _trailing_max_ndimage(x, w, 0.0))
    np.testing.assert_array_equal(got_min, -_trailing_max_ndimage(-x, w, -x[0]))
    want_range = _trailing_max_ndimage(x, w, x[0]) + _trailing_max_ndimage(-x, w, -x[0])
    want_range[np.arange(1, x.size + 1) < w] = np.inf
    np.testing.assert_array_equal(got_range, want_range)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False) | st.just(float("nan")), min_size=1,
                max_size=120),
       st.integers(1, 30), st.lists(st.integers(1, 12), min_size=1, max_size=30))
def test_trailing_window_max_chunked_equals_one_pass(values: list[float], length: int,
                                                     cuts: list[int]) -> None:
    """The suffix-maxima state gives, chunk by chunk, what one pass over the values before and
    the whole input gives (NaN windows included): live chunks of two samples and a file read
    in one block agree bit for bit."""
    x = np.array(values)
    before = np.linspace(-5.0, 5.0, length - 1)
    expected = window_max(np.concatenate([before, x]), length)
    tracker = TrailingWindowMax(length)
    tracker.prime(before)
    parts, start = [], 0
    for cut in itertools.cycle(cuts):
        if start >= x.size:
            break
        parts.append(tracker.update(x[start:start + cut]))
        start += cut
    np.testing.assert_array_equal(np.concatenate(parts), expected)
