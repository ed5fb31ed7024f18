"""The vectorised sequential helpers agree with the obvious per-sample loops."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartball.processing.filters import SMALL_CHUNK
from smartball.processing.runs import Latch, RunConfirm, TrailingRange, run_lengths

from .cuts import chunk_cuts, edges


def _latch_loop(s: list[bool], r: list[bool], ns: int, nr: int) -> list[bool]:
    state, cs, cr, out = False, 0, 0, []
    for a, b in zip(s, r, strict=True):
        cs = cs + 1 if a else 0
        cr = cr + 1 if b else 0
        if a and cs == ns:
            state = True
        elif b and cr == nr:
            state = False
        out.append(state)
    return out


def _confirm_loop(v: list[int], count: int) -> list[int]:
    prev, length, out = 0, count, []
    for k, x in enumerate(v):
        length = length + 1 if x == prev else 1
        prev = x
        if length == count:
            out.append(k)
    return out


masks = st.lists(st.tuples(st.booleans(), st.booleans()), max_size=200)


@settings(max_examples=200, deadline=None)
@given(m=masks, ns=st.integers(1, 4), nr=st.integers(1, 4), cut=st.integers(0, 200))
def test_latch_matches_loop(m: list[tuple[bool, bool]], ns: int, nr: int, cut: int) -> None:
    s = [a and not b for a, b in m]  # the callers' masks never overlap
    r = [b for _a, b in m]
    latch = Latch(ns, nr)
    sa, ra = np.array(s, np.bool_), np.array(r, np.bool_)
    got = np.concatenate([latch.update(sa[:cut], ra[:cut]), latch.update(sa[cut:], ra[cut:])])
    assert got.tolist() == _latch_loop(s, r, ns, nr)


@settings(max_examples=200, deadline=None)
@given(v=st.lists(st.integers(0, 3), max_size=200), count=st.integers(1, 5),
       cut=st.integers(0, 200))
def test_run_confirm_matches_loop(v: list[int], count: int, cut: int) -> None:
    rc = RunConfirm(count, 0)
    a = np.array(v, np.int8)
    first = rc.update(a[:cut])
    second = rc.update(a[cut:]) + min(cut, len(v))
    assert np.concatenate([first, second]).tolist() == _confirm_loop(v, count)


# Short chunks (up to SMALL_CHUNK samples) take the per-sample path, long ones the vectorised
# one: fed in random mixed chunk sizes, each helper gives what one long call gives.


@settings(max_examples=100, deadline=None)
@given(m=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=SMALL_CHUNK + 1,
                  max_size=300),
       ns=st.integers(1, 12), nr=st.integers(1, 12), cuts=chunk_cuts)
def test_latch_short_chunks_equal_one_call(m: list[tuple[bool, bool]], ns: int, nr: int,
                                           cuts: list[int]) -> None:
    s = np.array([a for a, _b in m], np.bool_)
    r = np.array([b for _a, b in m], np.bool_)
    whole = Latch(ns, nr).update(s, r)
    latch = Latch(ns, nr)
    parts = [latch.update(s[a:b], r[a:b]) for a, b in edges(cuts, len(m))]
    assert np.array_equal(np.concatenate(parts), whole)


@settings(max_examples=100, deadline=None)
@given(v=st.lists(st.integers(0, 3), min_size=SMALL_CHUNK + 1, max_size=300),
       count=st.integers(1, 12), cuts=chunk_cuts)
def test_run_confirm_short_chunks_equal_one_call(v: list[int], count: int,
                                                 cuts: list[int]) -> None:
    a = np.array(v, np.int8)
    whole = RunConfirm(count, 0).update(a)
    rc = RunConfirm(count, 0)
    parts = [rc.update(a[i:j]) + i for i, j in edges(cuts, len(v))]
    assert np.concatenate(parts).tolist() == whole.tolist()


@settings(max_examples=100, deadline=None)
@given(x=st.lists(st.one_of(st.floats(-1e3, 1e3), st.just(float("nan"))),
                  min_size=SMALL_CHUNK + 1, max_size=300),
       length=st.integers(1, 40), cuts=chunk_cuts)
def test_trailing_range_short_chunks_equal_one_call(x: list[float], length: int,
                                                    cuts: list[int]) -> None:
    a = np.array(x, np.float64)
    whole = TrailingRange(length).update(a)
    tr = TrailingRange(length)
    parts = [tr.update(a[i:j]) for i, j in edges(cuts, len(x))]
    assert np.array_equal(np.concatenate(parts), whole, equal_nan=True)


@settings(max_examples=200, deadline=None)
@given(v=st.lists(st.integers(0, 2), min_size=1, max_size=SMALL_CHUNK),
       prev_value=st.integers(0, 2), prev_len=st.integers(1, 50))
def test_run_lengths_short_path_equals_vectorised(v: list[int], prev_value: int,
                                                  prev_len: int) -> None:
    a = np.array(v, np.int8)
    padded = np.concatenate([a, np.zeros(SMALL_CHUNK + 1, np.int8)])  # the vectorised path
    short = run_lengths(a, prev_value, prev_len)
    assert short.dtype == np.int64
    assert short.tolist() == run_lengths(padded, prev_value, prev_len)[: len(v)].tolist()
