"""Thresholds from a feel session: the median force at the marks, a reaction time before
them; and the refusals (marks out of order, too few whole presses)."""

from __future__ import annotations

import numpy as np
import pytest

from smartball.errors import InputError
from smartball.people.feel import REACTION_S, FeelMark, thresholds_from_feel

RATE_HZ = 100.0


def session(peaks: list[float], press_s: float = 20.0, rest_s: float = 5.0
            ) -> tuple[np.ndarray, np.ndarray, list[tuple[float, float]]]:
    """Presses growing by a constant share a second from 6 N to ``peak``; (t, force, and each
    press's start and growth rate)."""
    f_parts, presses = [], []
    t0 = 0.0
    for peak in [*peaks]:
        rest = np.zeros(int(rest_s * RATE_HZ))
        n = int(press_s * RATE_HZ)
        rate = np.log(peak / 6.0) / press_s
        press = 6.0 * np.exp(rate * np.arange(n) / RATE_HZ)
        f_parts += [rest, press]
        presses.append((t0 + rest_s, rate))
        t0 += rest_s + press_s
    f = np.concatenate([*f_parts, np.zeros(int(rest_s * RATE_HZ))])
    return np.arange(f.size) / RATE_HZ, f, presses


def when(start: float, rate: float, force_n: float) -> float:
    return start + np.log(force_n / 6.0) / rate + REACTION_S


def marks_for(presses: list[tuple[float, float]], felt: list[tuple[float, float, float]]
              ) -> list[FeelMark]:
    out = []
    for (start, rate), values in zip(presses, felt, strict=True):
        for feel, v in zip(("moderate", "deep", "too_hard"), values, strict=True):
            out.append(FeelMark(when(start, rate, v), feel))
    return out


def test_each_threshold_is_the_median_of_its_marks() -> None:
    t, f, presses = session([150.0, 150.0, 150.0])
    felt = [(30.0, 60.0, 120.0), (34.0, 64.0, 130.0), (28.0, 58.0, 118.0)]
    result = thresholds_from_feel(t, f, marks_for(presses, felt))
    assert result.thresholds_n[1:] == pytest.approx((30.0, 60.0, 120.0), rel=0.01)
    assert result.thresholds_n[0] == 10.0  # not felt: the foot's
    assert result.spread_n == pytest.approx((6.0, 6.0, 12.0), rel=0.05)


def test_a_low_moderate_takes_the_light_threshold_down_with_it() -> None:
    t, f, presses = session([60.0, 60.0])
    result = thresholds_from_feel(t, f, marks_for(presses, [(14.0, 25.0, 50.0)] * 2))
    assert result.thresholds_n[0] == pytest.approx(7.0, rel=0.02)


def test_marks_out_of_order_within_a_press_are_refused() -> None:
    t, f, presses = session([150.0, 150.0, 150.0])
    marks = marks_for(presses, [(30.0, 60.0, 120.0)] * 3)
    start, rate = presses[1]
    marks[3] = FeelMark(when(start, rate, 60.0), "moderate")
    marks[4] = FeelMark(when(start, rate, 30.0), "deep")
    with pytest.raises(InputError, match=r"out of order: moderate .* after deep"):
        thresholds_from_feel(t, f, marks)


def test_fewer_than_two_whole_presses_are_refused() -> None:
    t, f, presses = session([150.0, 150.0, 150.0])
    marks = marks_for(presses, [(30.0, 60.0, 120.0)] * 3)
    del marks[5], marks[7]  # the second and third presses lack their too-hard mark
    with pytest.raises(InputError, match="only 1 ramp had all three marks"):
        thresholds_from_feel(t, f, marks)


def test_a_mark_where_nobody_pressed_is_refused() -> None:
    t, f, presses = session([150.0, 150.0])
    marks = [*marks_for(presses, [(30.0, 60.0, 120.0)] * 2), FeelMark(1.0, "moderate")]
    with pytest.raises(InputError, match="not pressed"):
        thresholds_from_feel(t, f, marks)


def test_thresholds_that_do_not_rise_are_refused() -> None:
    t, f, presses = session([150.0, 150.0])
    with pytest.raises(Exception, match="do not rise"):
        thresholds_from_feel(t, f, marks_for(presses, [(30.0, 31.0, 120.0)] * 2))
