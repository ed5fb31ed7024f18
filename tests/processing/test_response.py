"""The ball's response (protocol section 4) undone: a press reads its settled force at once, a
release does not undershoot, in any chunking."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartball.processing import Calibration, Processor
from smartball.processing.response import ResponseInverse
from tests.processing.signals import measured_rise, session


def test_a_step_press_reads_the_true_force_right_after_the_press() -> None:
    # Measured, the press reads 20 % high at first and settles over 7 s.
    s = session([(0, 0), (3, 0), (3.1, 100), (40, 100), (40.1, 0), (60, 0)], gyro=False)
    raw_n = (s.block.pressure_pa - s.block.pressure_pa[0]) / 60.0
    assert raw_n[320] > 115.0
    r = Processor().process(s.block)
    after = (s.block.t_s > 3.2) & (s.block.t_s < 40.0)
    assert np.max(np.abs(r.force_n[after] - 100.0)) < 2.0


def test_a_release_reads_no_undershoot() -> None:
    s = session([(0, 0), (3, 0), (3.1, 150), (63, 150), (63.1, 0), (90, 0)], gyro=False)
    raw_n = (s.block.pressure_pa - s.block.pressure_pa[0]) / 60.0
    assert raw_n[6330] < -20.0  # the measured reading undershoots by up to 30 N
    r = Processor().process(s.block)
    rest = s.block.t_s > 63.3
    assert np.max(np.abs(r.force_n[rest])) < 1.0


def test_another_balls_response_is_undone_with_its_calibration() -> None:
    s = session([(0, 0), (3, 0), (3.1, 80), (30, 80), (30.1, 0), (33, 0), (33.1, 60),
                 (50, 60)], gyro=False, pa_per_n=40.0, overshoot=0.35, tau_s=12.0)
    cal = Calibration(((100.0, 4000.0),), overshoot=0.35, tau_s=12.0)
    r = Processor(calibration=cal).process(s.block)
    judged = np.abs(np.diff(s.force_n, prepend=0.0)) == 0
    judged &= (s.block.t_s > 3.2) & ((s.block.t_s < 30) | (s.block.t_s > 33.2))
    assert np.max(np.abs(r.force_n - s.force_n)[judged]) < 0.02 * 80.0


def test_the_inverse_undoes_the_protocols_response() -> None:
    t = np.arange(0, 60, 0.01)
    settled = np.interp(t, [0, 5, 5.2, 30, 30.3, 40, 41, 60], [0, 0, 6000, 6000, 0, 0, 3000, 3000])
    measured = measured_rise(settled, 0.2, 7.0)
    out = ResponseInverse(0.2, 7.0, 100.0)(measured)
    # Another discretisation of the same continuous response: within a few Pa (0.1 N).
    assert np.max(np.abs(out - settled)) < 6.0


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), cuts=st.lists(st.integers(0, 500), max_size=80))
def test_in_chunks_equals_one_call(seed: int, cuts: list[int]) -> None:
    rng = np.random.default_rng(seed)
    x = 101_325.0 + np.repeat(rng.uniform(0, 9000, 25), 20) + rng.normal(0, 2, 500)
    x[rng.integers(0, 500, 4)] = np.nan
    whole = ResponseInverse(0.2, 7.0, 100.0)(x)
    inv = ResponseInverse(0.2, 7.0, 100.0)
    edges = [0, *sorted(set(cuts)), 500]
    parts = [inv(x[a:b]) for a, b in itertools.pairwise(edges)]
    assert np.array_equal(np.concatenate(parts), whole, equal_nan=True)
