from __future__ import annotations

import numpy as np
import pytest

from smartball.processing.calibration_holds import HoldFinder
from tests.processing.calibration_signals import linear, play


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_each_steady_hold_is_found_once_released(chunk: int) -> None:
    pr = play(linear(40.0), (25.0, 60.0, 110.0, 250.0), overshoot=0.35, tau_s=4.0,
              wobble=0.015, rest_s=6.0)
    finder = HoldFinder()
    holds = []
    for k in range(0, len(pr.t_s), chunk):
        holds += finder.feed(pr.t_s[k:k + chunk], pr.pressure_pa[k:k + chunk])
    assert len(holds) == len(pr.marks)
    for hold, mark in zip(holds, pr.marks, strict=True):
        # The marks start 0.5 s after the ramp and end 0.3 s before the release.
        assert hold.start_s == pytest.approx(mark.start_s, abs=0.8)
        assert hold.end_s == pytest.approx(mark.end_s, abs=0.8)
        assert hold.duration_s > 10.0


def test_a_quick_touch_is_a_short_hold_and_a_recovering_rest_no_press() -> None:
    t = np.arange(0.0, 30.0, 0.01)
    # A big release (the reading dips and recovers by 1500 Pa), then a 2 s touch.
    p = 101_000.0 - 1500.0 * np.exp(-t / 7.0)
    touch = (t > 20.0) & (t < 22.0)
    p[touch] += 2000.0
    holds = HoldFinder().feed(t, p)
    assert len(holds) == 1 and holds[0].duration_s < 2.0
    assert holds[0].start_s > 20.0
