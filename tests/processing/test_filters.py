"""The small-chunk loops of ``processing.filters`` against scipy's vectorised filters: the
same output, bit for bit, whatever the chunking."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from smartball.processing.filters import SMALL_CHUNK, Ema, SosFilter, first_order

FILTERS = {
    "lowpass": lambda: SosFilter.lowpass(2.5, 100.0),
    "bandpass": lambda: SosFilter.bandpass(2.5, 15.0, 100.0),
    "highpass": lambda: SosFilter.bandpass(2.5, 15.0, 10.0),
    "order4": lambda: SosFilter.lowpass(1.0, 100.0, order=4),
}


def _signal(seed: int, n: int = 600) -> np.ndarray:
    rng = np.random.default_rng(seed)
    steps = np.repeat(rng.uniform(-300.0, 3000.0, n // 50 + 1), 50)[:n]
    return steps + rng.normal(0.0, 10.0 ** rng.uniform(-3, 2), n) + 101_325.0 * (seed % 2)


def _chunked(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, cuts: list[int]
             ) -> np.ndarray:
    edges = [0, *sorted(set(cuts)), x.shape[0]]
    return np.concatenate([f(x[a:b]) for a, b in itertools.pairwise(edges)])


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_the_loop_equals_sosfilt_bit_for_bit(name: str) -> None:
    for seed in range(6):
        x = _signal(seed)
        whole = FILTERS[name]()(x)  # one call: scipy's sosfilt
        zi = signal.sosfilt_zi(FILTERS[name]().sos) * x[0]
        assert np.array_equal(whole, signal.sosfilt(FILTERS[name]().sos, x, zi=zi)[0])
        for size in (1, 2, 3, SMALL_CHUNK):
            assert np.array_equal(_chunked(FILTERS[name](), x, list(range(size, 600, size))),
                                  whole), (name, seed, size)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 1000), cuts=st.lists(st.integers(0, 600), max_size=80),
       name=st.sampled_from(sorted(FILTERS)))
def test_mixed_chunk_sizes_give_the_whole_output(seed: int, cuts: list[int], name: str) -> None:
    x = _signal(seed)
    assert np.array_equal(_chunked(FILTERS[name](), x, cuts), FILTERS[name]()(x))


def test_ema_in_small_chunks_equals_one_call() -> None:
    x = _signal(3)
    assert np.array_equal(_chunked(Ema(0.12, 100.0), x, list(range(2, 600, 2))),
                          Ema(0.12, 100.0)(x))


@pytest.mark.parametrize(("b0", "a1"), [(0.3, -0.7), (1.0, -0.999), (0.05, 0.5)])
def test_first_order_equals_lfilter(b0: float, a1: float) -> None:
    rng = np.random.default_rng(7)
    for n in (1, 2, 5, SMALL_CHUNK, SMALL_CHUNK + 1, 100):
        x = rng.normal(0.0, 100.0, n)
        x[n // 2] = 0.0
        z0 = float(rng.normal())
        want, want_z = signal.lfilter([b0], [1.0, a1], x, zi=[z0])
        got, got_z = first_order(b0, a1, x, z0)
        assert np.array_equal(got, want) and got_z == want_z[0], n


def test_first_order_carries_nan_like_lfilter() -> None:
    x = np.array([1.0, np.nan, 2.0])
    want, want_z = signal.lfilter([0.5], [1.0, -0.5], x, zi=[0.25])
    got, got_z = first_order(0.5, -0.5, x, 0.25)
    assert np.array_equal(got, want, equal_nan=True)
    assert np.isnan(got_z) and np.isnan(want_z[0])
