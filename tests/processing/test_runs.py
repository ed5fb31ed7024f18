"""The vectorised sequential helpers agree with the obvious per-sample loops."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartball.processing.runs import Latch, RunConfirm


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
