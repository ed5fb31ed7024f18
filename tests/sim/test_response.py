"""The ball's response to a load, against protocol section 4 and each ball's name.

The numbers come from the protocol (reference: 60 Pa/N settled, a quick press reads 20 % high
and settles with 7 s, a release reads low the same way) and from each ball's stated
parameters, measured on the simulated sensor reading as a scale would judge it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from smartball.sim.balls import BALLS, REFERENCE, Ball, ball_names, get_ball
from smartball.sim.physics import Signals
from tests.sim.helpers import settled_from_measured, signals

RATE = 100


def step(force_n: float, hold_s: float = 60.0, ball: Any = "reference",
         rest_after_s: float = 0.0) -> Signals:
    """Rest 5 s, a quick steady press (no wobble), optionally a quick release."""
    routine: list[dict[str, Any]] = [
        {"kind": "rest", "duration_s": 5},
        {"kind": "hold", "force_n": force_n, "duration_s": hold_s, "ramp_s": 0.05,
         "wobble": 0.0},
    ]
    if rest_after_s:
        routine.append({"kind": "rest", "duration_s": rest_after_s, "ramp_s": 0.05})
    return signals(routine, ball=ball)


def rise(s: Signals) -> np.ndarray:
    return s.pressure_pa - s.baseline_pa


def at(s: Signals, t_s: float, width_s: float = 0.2) -> float:
    """Mean rise over ``width_s`` from ``t_s`` (averages the 2 Pa noise)."""
    rows = (s.t_s >= t_s) & (s.t_s < t_s + width_s)
    return float(rise(s)[rows].mean())


def fitted_tau_s(s: Signals, start_s: float, stop_s: float, settled_pa: float) -> float:
    """Time constant of ``rise - settled`` between two times (log-linear fit)."""
    rows = (s.t_s >= start_s) & (s.t_s < stop_s)
    excess = np.abs(rise(s)[rows] - settled_pa)
    slope = np.polyfit(s.t_s[rows], np.log(excess), 1)[0]
    return float(-1.0 / slope)


def test_reference_ball_settles_at_60_pa_per_n() -> None:
    for force in (30.0, 100.0, 220.0):
        s = step(force, hold_s=80)
        assert at(s, 80.0, 4.0) / force == pytest.approx(60.0, rel=0.005)


def test_reference_quick_press_reads_1_2_times_then_settles_with_7_s() -> None:
    s = step(100.0)
    settled = 6000.0
    assert at(s, 5.06, 0.05) / settled == pytest.approx(1.2, abs=0.01)
    assert fitted_tau_s(s, 5.5, 25.0, settled) == pytest.approx(7.0, rel=0.03)
    # One time constant after the press, the excess is down to 1/e.
    assert (at(s, 12.05 - 0.1) - settled) / (0.2 * settled) == pytest.approx(np.exp(-1),
                                                                             abs=0.02)


def test_reference_release_reads_low_the_same_way() -> None:
    s = step(150.0, hold_s=80, rest_after_s=40)
    settled = 9000.0
    released = 85.0
    assert at(s, released + 0.06, 0.05) == pytest.approx(-0.2 * settled, rel=0.03)
    assert fitted_tau_s(s, released + 0.5, released + 20.0, 0.0) == pytest.approx(7.0, rel=0.03)
    assert abs(at(s, released + 38.0, 2.0)) < 0.005 * settled


def test_the_protocols_inverse_recovers_the_applied_force() -> None:
    s = signals([{"kind": "rest", "duration_s": 3},
                 {"kind": "hold", "force_n": 120, "duration_s": 12, "ramp_s": 0.1},
                 {"kind": "rest", "duration_s": 10}])
    force = settled_from_measured(rise(s), RATE) / 60.0
    assert np.abs(force - s.force_n).max() < 0.5


def test_ball_names_and_lookup() -> None:
    names = ball_names()
    assert names[0] == "reference"
    assert {"soft", "firm", "stiffening", "heating", "creep"} <= set(names)
    assert get_ball("reference") == REFERENCE == Ball()
    with pytest.raises(ValueError, match="soft"):
        get_ball("squishy")


@pytest.mark.parametrize("name", ["soft", "firm", "heating"])
def test_each_linear_ball_has_its_own_gain_overshoot_and_tau(name: str) -> None:
    ball = BALLS[name]
    s = step(100.0, hold_s=90, ball=name)
    settled = ball.pa_per_n * 100.0
    assert at(s, 90.0, 4.0) / 100.0 == pytest.approx(ball.pa_per_n, rel=0.005)
    assert at(s, 5.06, 0.05) / settled == pytest.approx(1 + ball.overshoot, abs=0.01)
    stop = 5.0 + 3 * ball.tau_s
    assert fitted_tau_s(s, 5.5, stop, settled) == pytest.approx(ball.tau_s, rel=0.03)


def test_soft_and_firm_span_40_to_80_pa_per_n() -> None:
    assert BALLS["soft"].pa_per_n == 40.0 and BALLS["firm"].pa_per_n == 80.0
    assert BALLS["heating"].overshoot > REFERENCE.overshoot
    assert BALLS["heating"].tau_s > REFERENCE.tau_s


def test_stiffening_wall_reads_more_pa_per_n_under_more_load() -> None:
    ball = BALLS["stiffening"]
    per_n = [at(step(f, hold_s=70, ball="stiffening"), 70.0, 4.0) / f for f in (25, 100, 240)]
    assert per_n[0] < per_n[1] < per_n[2]
    assert per_n[2] / per_n[0] > 1.3
    for f, measured in zip((25, 100, 240), per_n, strict=True):
        assert measured == pytest.approx(ball.pa_per_n * (1 + ball.stiffening_per_n * f),
                                         rel=0.005)


def test_creep_keeps_sinking_after_the_one_pole_has_settled() -> None:
    creep = step(100.0, hold_s=200, ball="creep")
    ref = step(100.0, hold_s=200)
    ball = BALLS["creep"]

    def sink(s: Signals) -> float:
        """How much the reading still sinks from 20 s into the hold to the end."""
        return at(s, 25.0, 2.0) / at(s, 200.0, 4.0) - 1

    # The protocol's one pole has settled by 20 s (e^-20/7 x 20 % = 1.2 %) ...
    assert sink(ref) < 0.015
    # ... the creep has not: a second, slower relaxation.
    assert sink(creep) > 0.03
    assert at(creep, 200.0, 4.0) / 100 == pytest.approx(ball.pa_per_n, rel=0.01)
    assert at(creep, 5.06, 0.05) / (ball.pa_per_n * 100) == pytest.approx(
        1 + ball.overshoot + ball.creep_fraction, abs=0.01)


def test_a_scenario_plays_on_any_ball_keeping_its_spikes() -> None:
    from smartball.sim.catalog import load_scenario

    sc = load_scenario("demo")
    firm = sc.on_ball("firm")
    assert firm.ball.pa_per_n == 80.0 and firm.ball.name == "firm"
    assert firm.ball.spike_pitch_mm == sc.ball.spike_pitch_mm
    assert firm.routine == sc.routine


def test_ball_parameters_state_the_settled_curve() -> None:
    params = BALLS["stiffening"].parameters()
    assert params["name"] == "stiffening"
    loads = [p["force_n"] for p in params["points"]]
    assert loads[0] <= 20 and loads[-1] >= 250
    per_n = [v for _, v in params["settled_pa_per_n"]]
    assert per_n == sorted(per_n) and per_n[-1] > per_n[0]
    assert params["overshoot"] == 0.18 and params["tau_s"] == 8.0
    assert BALLS["creep"].parameters()["relaxations"] == [[0.14, 5.0], [0.06, 40.0]]
