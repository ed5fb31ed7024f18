from __future__ import annotations

import numpy as np
import pytest

from smartball.events import ZONES
from smartball.sim.ball import SimulatedBall
from smartball.sim.truth import Truth, zone_of


def test_zone_thresholds_follow_the_design() -> None:
    forces = [0, 9.99, 10, 49.9, 50, 99.9, 100, 199.9, 200, 400]
    names = [ZONES[z] for z in zone_of(forces)]
    assert names == ["rest", "rest", "light", "light", "moderate", "moderate", "deep", "deep",
                     "too_hard", "too_hard"]


def test_holds_need_the_ball_stopped_at_moderate_for_2_s() -> None:
    rate = 100
    force = np.zeros(1500)
    rolling = np.zeros(1500, bool)
    force[100:400] = 80  # 3 s stopped at moderate: a hold
    force[500:650] = 80  # 1.5 s: too short
    force[700:1000] = 80  # 3 s but rolling: not a hold
    rolling[700:1000] = True
    force[1100:1400] = 30  # 3 s stopped at light: not a hold
    truth = Truth.from_signals(force, rolling, rate)
    assert truth.holds == [(1.0, 4.0)]
    assert truth.too_hard == []


def test_hold_starts_when_the_ball_stops() -> None:
    force = np.full(800, 70.0)
    rolling = np.zeros(800, bool)
    rolling[:300] = True
    truth = Truth.from_signals(force, rolling, 100)
    assert truth.holds == [(3.0, 8.0)]


def test_too_hard_intervals() -> None:
    force = np.zeros(500)
    force[100:150] = 250
    truth = Truth.from_signals(force, np.zeros(500, bool), 100)
    assert truth.too_hard == [(1.0, 1.5)]


def test_truth_json_round_trip() -> None:
    truth = SimulatedBall("demo", seconds=20).truth
    back = Truth.from_json(truth.to_json())
    assert np.allclose(back.force_n, truth.force_n, atol=1e-3)
    assert np.array_equal(back.zone, zone_of(back.force_n))
    assert np.array_equal(back.rolling, truth.rolling)
    assert np.array_equal(back.index, truth.index)
    assert back.holds == pytest.approx(truth.holds)
    assert np.allclose(back.t_s, truth.t_s)
    assert back.scenario == "demo"


def test_demo_truth_has_two_holds_and_one_too_hard_press() -> None:
    truth = SimulatedBall("demo", seed=0).truth
    assert len(truth.holds) == 2
    assert all(8 <= b - a <= 12 for a, b in truth.holds)
    assert len(truth.too_hard) == 1
    assert truth.time_in_zone_s()["too_hard"] == pytest.approx(
        truth.too_hard[0][1] - truth.too_hard[0][0])


def test_lookup_aligns_received_samples() -> None:
    truth = Truth.from_signals(np.arange(10.0), np.zeros(10, bool), 100,
                               index=np.array([0, 1, 2, -1, -1, 0, 1, 2, 3, 4]),
                               segment=np.array([0, 0, 0, -1, -1, 1, 1, 1, 1, 1], np.int32))
    rows = truth.lookup([0, 1, 1, 2], [2, 0, 4, 0])
    assert rows.tolist() == [2, 5, 9, -1]
