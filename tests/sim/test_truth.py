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
    assert np.allclose(back.intended_n, truth.intended_n, atol=1e-3)
    assert np.array_equal(back.zone_min, truth.zone_min)
    assert back.ball == truth.ball and back.ball["name"] == "reference"


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


def test_acceptable_zones_near_edges() -> None:
    from smartball.sim.truth import acceptable_zones

    forces = [30.0, 48.0, 49.0, 50.0, 51.4, 52.0, 97.5, 102.9, 150.0, 195.0, 199.9, 200.0,
              205.9, 207.0]
    lo, hi = acceptable_zones(forces)
    names = [(ZONES[a], ZONES[b]) for a, b in zip(lo, hi, strict=True)]
    assert names == [
        ("light", "light"), ("light", "light"), ("light", "moderate"), ("light", "moderate"),
        ("light", "moderate"), ("moderate", "moderate"), ("moderate", "deep"),
        ("moderate", "deep"), ("deep", "deep"),
        # Below 200 N a too-hard label is a false alarm; from 200 N a little late is fine.
        ("deep", "deep"), ("deep", "deep"), ("deep", "too_hard"), ("deep", "too_hard"),
        ("too_hard", "too_hard"),
    ]


def test_holds_and_too_hard_follow_the_intended_force() -> None:
    rate = 100
    n = 1200
    intended = np.full(n, 190.0)
    intended[600:700] = 230.0
    swing = 1.0 + 0.12 * np.sin(np.arange(n) / 30.0)  # a stroke's heel and arch
    applied = intended * swing
    rolling = np.ones(n, bool)
    truth = Truth.from_signals(applied, rolling, rate, intended_n=intended)
    assert (applied[:600] >= 200).any()
    assert truth.too_hard == [(6.0, 7.0)]  # from the crossing, not from the swing
    ok = truth.zone_ok(truth.zone)
    assert not ok[:600].all()  # the applied force's zone flips; the intended one does not
    assert truth.zone_ok(np.full(600, 3), np.arange(600)).all()


@pytest.mark.parametrize(("name", "low", "high"), [
    ("roll-near-50", 45.0, 58.0), ("roll-near-100", 90.0, 110.0),
    ("roll-near-200", 180.0, 198.0),
])
def test_boundary_rolls_say_what_the_user_intends(name: str, low: float, high: float) -> None:
    for seed in range(2):
        ball = SimulatedBall(name, seed=seed)
        truth = ball.truth
        rolls = [p for p in ball.plan if p.kind == "roll" and low <= p.force_n <= high]
        assert len(rolls) >= 6
        assert {p.stroke for p in rolls} == {"heel_toe", "side_to_side"}
        for p in rolls:
            rows = (truth.t_s >= p.start_s + p.ramp_s) & (truth.t_s < p.end_s)
            assert np.allclose(truth.intended_n[rows], p.force_n)
            # The foot's swing and wobble move the applied force well beyond the intended
            # one, across the edge, while the intended zone stays put.
            swing = truth.force_n[rows] / p.force_n
            wide = 0.08 if p.stroke == "heel_toe" else 0.03
            assert swing.min() < 1 - wide and swing.max() > 1 + wide
            assert len(set(truth.intended_zone[rows].tolist())) == 1
        edge = {"roll-near-50": 50.0, "roll-near-100": 100.0, "roll-near-200": 200.0}[name]
        near = np.abs(truth.intended_n - edge) <= 0.03 * edge
        if edge < 200:
            assert (truth.zone_max[near] > truth.zone_min[near]).all()


def test_a_roll_just_under_200_n_is_no_too_hard_press_but_a_real_press_is() -> None:
    for seed in range(3):
        ball = SimulatedBall("roll-near-200", seed=seed)
        truth = ball.truth
        presses = [p for p in ball.plan if p.kind == "press"]
        assert len(presses) == 1
        assert (truth.force_n[truth.intended_n < 200] >= 200).any()  # the heel's share
        assert len(truth.too_hard) == 1
        crossing, end = truth.too_hard[0]
        p = presses[0]
        assert p.start_s < crossing < p.start_s + p.ramp_s
        k = round(crossing * truth.rate_hz)
        assert truth.intended_n[k] >= 200 > truth.intended_n[k - 1]
        assert end <= p.end_s + 0.5


def test_every_scenario_has_intended_force_and_ball_parameters() -> None:
    from smartball.sim.catalog import list_scenarios

    for name in list_scenarios():
        truth = SimulatedBall(name, seed=0, seconds=30).truth
        assert truth.intended_force_n is not None and len(truth.intended_n) == len(truth)
        assert (truth.zone_min <= truth.intended_zone).all()
        assert (truth.intended_zone <= truth.zone_max).all()
        assert truth.ball["overshoot"] >= 0 and truth.ball["tau_s"] > 0
        assert len(truth.ball["settled_pa_per_n"]) >= 5


def test_version_1_truth_still_loads() -> None:
    data = SimulatedBall("demo", seconds=5).truth.to_dict()
    for key in ("intended_force_n", "intended_zone", "zone_min", "zone_max", "ball"):
        data.pop(key)
    data["version"] = 1
    back = Truth.from_dict(data)
    assert np.array_equal(back.intended_n, back.force_n)
