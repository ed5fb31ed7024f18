"""The per-sample paths that short (live) chunks take give the bits the numpy paths give:
fed in random mixed chunk sizes, each helper returns what one long call returns."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartball.processing.filters import SMALL_CHUNK
from smartball.processing.motion import GyroBias
from smartball.processing.steady import LineRipple, RunningMedian, StillFor

from .cuts import chunk_cuts, edges

# Few distinct values, signed zeros and NaN: ties and the medians' edge cases come up often.
values = st.one_of(st.sampled_from([0.0, -0.0, 1.0, 2.5, -3.0, 1e-300]),
                   st.floats(-1e3, 1e3), st.floats(-1e3, 1e3), st.floats(-1e3, 1e3),
                   st.just(float("nan")))


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal, NaN where NaN, and the same sign of every zero."""
    return bool(np.array_equal(a, b, equal_nan=True)
                and np.array_equal(np.signbit(a), np.signbit(b)))


@settings(max_examples=150, deadline=None)
@given(x=st.lists(values, min_size=SMALL_CHUNK + 1, max_size=300), length=st.integers(1, 8),
       cuts=chunk_cuts)
def test_running_median_short_chunks_equal_one_call(x: list[float], length: int,
                                                    cuts: list[int]) -> None:
    a = np.array(x, np.float64)
    whole = RunningMedian(length).update(a)
    rm = RunningMedian(length)
    parts = [rm.update(a[i:j]) for i, j in edges(cuts, len(x))]
    joined = np.concatenate(parts)
    assert np.array_equal(joined, whole, equal_nan=True)
    # The value of a median is exact; where zeros of both signs tie, either may be the middle.
    nonzero = joined != 0
    assert np.array_equal(np.signbit(joined[nonzero]), np.signbit(whole[nonzero]))


def test_running_median_short_path_is_numpys_median() -> None:
    rng = np.random.default_rng(3)
    for length in (2, 4, 5):
        x = rng.normal(100.0, 30.0, 400)
        rm = RunningMedian(length)
        got = np.concatenate([rm.update(x[i:i + 2]) for i in range(0, len(x), 2)])
        ext = np.concatenate([np.repeat(x[:1], length - 1), x])
        want = np.median(np.lib.stride_tricks.sliding_window_view(ext, length), axis=1)
        assert _same_bits(got, want)


@settings(max_examples=150, deadline=None)
@given(r=st.lists(st.booleans(), min_size=SMALL_CHUNK + 1, max_size=300),
       seconds=st.one_of(st.none(), st.floats(0.005, 0.2)), cuts=chunk_cuts)
def test_still_for_short_chunks_equal_one_call(r: list[bool], seconds: float | None,
                                               cuts: list[int]) -> None:
    a = np.array(r, np.bool_)
    whole = StillFor(seconds, 200.0).update(a)
    sf = StillFor(seconds, 200.0)
    parts = [sf.update(a[i:j]) for i, j in edges(cuts, len(r))]
    joined = np.concatenate(parts)
    assert joined.dtype == np.bool_
    assert np.array_equal(joined, whole)


@settings(max_examples=100, deadline=None)
@given(x=st.lists(st.floats(-1e3, 1e3), min_size=SMALL_CHUNK + 1, max_size=300),
       asked=st.lists(st.booleans(), min_size=300, max_size=300), cuts=chunk_cuts)
def test_line_ripple_asked_nowhere_keeps_its_windows(x: list[float], asked: list[bool],
                                                     cuts: list[int]) -> None:
    a = np.array(x, np.float64)
    where = np.array(asked[: len(x)], np.bool_)
    where[: len(x) // 2] = False  # chunks that ask for no window, then some that do
    whole = LineRipple(9).update(a, where=where)
    lr = LineRipple(9)
    parts = [lr.update(a[i:j], where=where[i:j]) for i, j in edges(cuts, len(x))]
    assert np.array_equal(np.concatenate(parts), whole, equal_nan=True)


def test_line_ripple_chunks_that_ask_nothing_carry_the_same_values() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(150.0, 40.0, 200)
    where = np.zeros(200, np.bool_)
    where[100:] = rng.random(100) < 0.5
    whole = LineRipple(9).update(x, where=where)
    for chunk in (1, 2, 5):
        lr = LineRipple(9)
        parts = [lr.update(x[i:i + chunk], where=where[i:i + chunk])
                 for i in range(0, len(x), chunk)]
        assert np.array_equal(np.concatenate(parts), whole, equal_nan=True)
        assert np.isfinite(whole[where]).all() and np.isnan(whole[~where]).all()


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(st.floats(-50, 50), st.floats(-50, 50), st.floats(-50, 50),
                               st.booleans()), min_size=SMALL_CHUNK + 1, max_size=300),
       cuts=chunk_cuts)
def test_gyro_bias_short_chunks_equal_one_call(rows: list[tuple[float, float, float, bool]],
                                              cuts: list[int]) -> None:
    g = np.array([r[:3] for r in rows], np.float64)
    rest = np.array([r[3] for r in rows], np.bool_)
    whole = GyroBias(0.5, 200.0)
    want = whole.update(g, rest)
    gb = GyroBias(0.5, 200.0)
    parts = [gb.update(g[i:j], rest[i:j]) for i, j in edges(cuts, len(rows))]
    got = np.concatenate(parts)
    assert got.shape == want.shape == (len(rows), 3)
    assert _same_bits(got, want)
    assert _same_bits(gb.bias, whole.bias)
