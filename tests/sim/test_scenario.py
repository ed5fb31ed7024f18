from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartball.errors import InputError, InputFileNotFound
from smartball.sim.catalog import list_scenarios, load_scenario

EXPECTED = {"desk", "plantar-fasciitis", "inflamed", "bedtime", "deep-work", "cold-ball",
            "noisy-link", "demo", "pressure-only", "scale-calibration", "roll-near-50",
            "roll-near-100", "roll-near-200", "cold-deep-holds", "attach-mid-press"}


def test_all_scenarios_ship_and_load() -> None:
    assert EXPECTED <= set(list_scenarios())
    for name in list_scenarios():
        sc = load_scenario(name)
        assert sc.name == name
        assert sc.description
        plan = sc.plan(0)
        assert sc.duration_s is not None
        assert plan[-1].end_s == pytest.approx(sc.duration_s)


def test_plan_is_reproducible_and_varies_with_the_seed() -> None:
    sc = load_scenario("plantar-fasciitis")
    assert sc.plan(3) == sc.plan(3)
    assert sc.plan(3) != sc.plan(4)


def test_plan_fills_requested_seconds_by_repeating_the_routine() -> None:
    sc = load_scenario("demo")
    plan = sc.plan(0, seconds=400)
    assert plan[-1].end_s == pytest.approx(400)
    assert sum(p.kind == "press" for p in plan) >= 4


def test_plan_cuts_at_requested_seconds() -> None:
    plan = load_scenario("desk").plan(0, seconds=12.5)
    assert plan[-1].end_s == pytest.approx(12.5)


def test_demo_shows_rolling_holds_and_one_too_hard_press() -> None:
    plan = load_scenario("demo").plan(0)
    kinds = [p.kind for p in plan]
    assert "roll" in kinds and kinds.count("hold") >= 2
    assert [p.force_n >= 200 for p in plan].count(True) == 1
    assert plan[-1].end_s == pytest.approx(90)


def test_inflamed_stays_light() -> None:
    for seed in range(5):
        assert all(p.force_n < 50 for p in load_scenario("inflamed").plan(seed))


def test_unknown_name_lists_the_available_scenarios() -> None:
    with pytest.raises(InputError) as info:
        load_scenario("nope")
    message = str(info.value)
    assert "nope" in message and "demo" in message and "desk" in message


def test_scenario_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"routine": [{"kind": "roll", "duration_s": [3, 4]}]}))
    sc = load_scenario(path)
    assert sc.name == "mine"
    assert 3 <= sc.plan(0)[-1].end_s <= 4
    with pytest.raises(InputFileNotFound):
        load_scenario(tmp_path / "missing.json")


@pytest.mark.parametrize("routine", [
    [],
    [{"kind": "jump", "duration_s": 1}],
    [{"kind": "roll"}],
    [{"kind": "roll", "duration_s": 2, "stroke": "circles"}],
])
def test_invalid_scenarios_are_input_errors(tmp_path: Path, routine: list[object]) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"routine": routine}))
    with pytest.raises(InputError):
        load_scenario(path).plan(0)


def test_not_json_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(InputError):
        load_scenario(path)


def test_scale_calibration_presses_six_or_seven_steady_loads_on_a_stiffening_ball() -> None:
    from smartball.sim.ball import SimulatedBall

    for seed in range(4):
        ball = SimulatedBall("scale-calibration", seed=seed)
        assert ball.scenario.ball.name == "stiffening"
        loads = [p for p in ball.plan if p.mark]
        assert 6 <= len(loads) <= 7
        forces = sorted(p.force_n for p in loads)
        assert forces[0] <= 35 and forces[-1] >= 220
        assert all(11.5 <= p.duration_s <= 14.5 for p in loads)
        # An unloaded stretch before every load.
        for p in loads:
            before = ball.plan[ball.plan.index(p) - 1]
            assert before.kind == "rest" and before.duration_s >= 6
