"""The ball's top: the settled force where the pressure sensor's range ends."""

from __future__ import annotations

import pytest

from smartball.processing.calibration import Calibration
from smartball.sensor_range import (
    SEA_LEVEL_PA,
    SENSOR_MAX_PA,
    ball_top_n,
    check_zones_fit_ball,
)


def test_the_reference_ball_ends_near_390_n_at_sea_level() -> None:
    top = ball_top_n(None)
    assert top == pytest.approx((SENSOR_MAX_PA - SEA_LEVEL_PA) / 60.0, rel=1e-6)
    assert 370 < top < 400


def test_a_stiffer_ball_ends_lower_and_altitude_leaves_more_room() -> None:
    firm = Calibration.fit([(50.0, 4000.0), (100.0, 8000.0), (250.0, 20000.0)])
    assert ball_top_n(firm) < ball_top_n(None)
    # 1500 m: about 845 hPa outside, so about 400 hPa of room.
    assert ball_top_n(None, 84_500.0) > 1.5 * ball_top_n(None)
    assert ball_top_n(None, SENSOR_MAX_PA + 10) == 0.0


def test_zones_above_the_top_are_refused_in_one_sentence() -> None:
    assert check_zones_fit_ball((10, 60, 150, 260), 390.0, "the reference ball") is None
    msg = check_zones_fit_ball((10, 60, 150, 260), 237.0, "your ball 'cork'")
    assert msg is not None and "260 N" in msg and "237 N" in msg and "\n" not in msg
