"""Performers of the routines for the back, the shoulder, the neck and the hip: forces inside
the part's zones, the truth zoned by the part, and the recording scored for the part by
``analyze`` from its header alone."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from smartball.cli import main
from smartball.events import ZONES
from smartball.people.parts import default_thresholds
from smartball.routines.model import load_routine
from smartball.sim.ball import SimulatedBall
from smartball.sim.people_truth import person_truth
from smartball.sim.performers import performer_scenario, wrong_steps
from smartball.sim.postures import STROKE_SWING, force_range, posture_of
from smartball.sim.routine_truth import routine_truth
from smartball.sim.truth import Truth

PART_ROUTINES = ("back-floor", "back-wall", "shoulder-wall", "neck-light", "hip-sciatica")


def _zone(force_n: np.ndarray, edges: tuple[float, ...]) -> np.ndarray:
    return np.searchsorted(np.array(edges), force_n, side="right")


@pytest.mark.parametrize("name", PART_ROUTINES)
def test_faithful_forces_stay_in_each_steps_targets(name: str) -> None:
    """The intended force of every loaded moment is in its step's targets, and the force
    applied (stroke swing and sway included) almost always."""
    routine = load_routine(name)
    edges = default_thresholds(routine.part)
    ball = SimulatedBall(performer_scenario(routine, "faithful", 4), seed=4)
    truth = routine_truth(ball, routine)
    sig = ball.signals
    for j, step in enumerate(routine.steps):
        s = truth["steps"][j]
        # The steady part of the step: away from its start, a hold's ramps and the releases.
        sel = ((sig.t_s >= s["start_s"] + 4.0) & (sig.t_s < s["end_s"] - 1.0)
               & (sig.intended_n >= edges[0]))
        if not step.scored:
            assert not (sig.intended_n[(sig.t_s >= s["start_s"] + 2.0)
                                       & (sig.t_s < s["end_s"] - 2.0)] > edges[0]).any()
            continue
        codes = [ZONES.index(z) for z in step.targets]
        steady = sel & (np.abs(np.gradient(sig.intended_n)) < 1e-3)
        assert steady.sum() > 0.5 * sel.sum()
        assert np.isin(_zone(sig.intended_n[steady], edges), codes).all(), step.name
        applied = np.isin(_zone(sig.force_n[steady], edges), codes).mean()
        assert applied > 0.995, (step.name, applied)
        assert s["in_target_fraction"] > 0.95


def test_postures_follow_the_routines_position() -> None:
    kinds = {n: posture_of(load_routine(n).part, load_routine(n).position).name
             for n in (*PART_ROUTINES, "quick")}
    assert kinds == {"back-floor": "floor", "back-wall": "wall", "shoulder-wall": "wall",
                     "neck-light": "neck", "hip-sciatica": "floor", "quick": "seated"}
    floor, foot = posture_of("hip", "Sit on the floor"), posture_of("foot")
    assert floor.speed_mps[1] <= foot.speed_mps[0] and floor.ramp_s[0] > foot.ramp_s[1]
    assert floor.wobble > foot.wobble and floor.weight_n is not None


def test_forces_come_from_the_zones() -> None:
    """The same rule on other zones gives other forces; a band's swing stays inside."""
    neck = force_range((5.0, 15.0, 30.0, 45.0), "light", ("light",),
                       swing=STROKE_SWING["along"], wobble=0.04)
    hip = force_range((10.0, 60.0, 150.0, 260.0), "moderate", ("moderate",),
                      swing=STROKE_SWING["along"], wobble=0.06)
    assert 5.0 < neck[0] * 0.77 and neck[1] * 1.25 < 15.0
    assert 60.0 < hip[0] * 0.72 and hip[1] * 1.31 < 150.0
    mine = force_range((8.0, 30.0, 70.0, 120.0), "moderate", ("moderate",),
                       swing=STROKE_SWING["along"], wobble=0.06)
    assert mine[1] < hip[0]


def test_truth_uses_the_parts_zones() -> None:
    """A faithful neck session is all light by the neck's zones (5/15/30/45 N); by the foot's
    it would be mostly rest."""
    routine = load_routine("neck-light")
    ball = SimulatedBall(performer_scenario(routine, "faithful", 0), seed=0)
    truth = routine_truth(ball, routine)
    assert truth["part"] == "neck" and truth["zones_n"] == [5.0, 15.0, 30.0, 45.0]
    for step in truth["steps"]:
        if step["motion"] != "switch":
            assert step["in_target_fraction"] > 0.99
    # The ball's own truth (and so FILE.truth.json) is judged by the neck's zones too; by the
    # foot's, the same force would be mostly rest.
    assert ball.truth.edges_n == (5.0, 15.0, 30.0, 45.0)
    loaded = ball.truth.force_n > 5.0
    assert (ball.truth.zone[loaded] == 1).mean() > 0.9
    back = Truth.from_json(ball.truth.to_json())
    assert back.edges_n == ball.truth.edges_n and back.holds == ball.truth.holds
    as_foot_truth = person_truth(ball.truth, (10.0, 50.0, 100.0, 200.0))
    assert (as_foot_truth.zone[loaded] == 0).mean() > 0.9
    # Careless, the whole head's weight (deep for a neck) is light by the foot's zones.
    careless = SimulatedBall(performer_scenario(routine, "careless", 0), seed=0)
    as_neck = routine_truth(careless, routine)
    as_foot = routine_truth(careless, routine, (10.0, 50.0, 100.0, 200.0))
    assert as_neck["steps"][0]["in_target_fraction"] < 0.05
    assert as_foot["steps"][0]["in_target_fraction"] > 0.9


def test_careless_on_the_floor_goes_deep_and_beyond() -> None:
    """Told light to moderate, someone careless lying on the hip goes deep and now and then
    lets their whole weight down past the ball's top: loaded, never in target."""
    routine = load_routine("hip-sciatica")
    ball = SimulatedBall(performer_scenario(routine, "careless", 1), seed=1)
    truth = routine_truth(ball, routine)
    assert wrong_steps(routine, "careless") == [0, 1, 3, 4]
    warm = truth["steps"][0]
    assert warm["beyond_samples"] > 100 and warm["in_target_fraction"] < 0.1
    assert truth["beyond_samples"] == int(ball.signals.saturated.sum())


def test_a_neck_recording_is_scored_for_the_neck_by_analyze_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "neck.sbrec"
    assert main(["simulate", "neck-light-faithful", "--seed", "0", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["inspect", str(out), "--json"]) == 0
    context = json.loads(capsys.readouterr().out)["context"]
    assert context["part"] == "neck" and context["zones_n"] == [5.0, 15.0, 30.0, 45.0]
    assert context["routine"]["name"] == "neck-light"
    assert main(["analyze", str(out), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)["routine"]
    truth = json.loads((tmp_path / "neck.sbrec.routine-truth.json").read_text())
    assert got["name"] == "neck-light" and got["part"] == "neck"
    for s, t in zip(got["steps"], truth["steps"], strict=True):
        if s["targets"]:
            assert abs(s["in_target_fraction"] - t["in_target_fraction"]) <= 0.02
    assert got["adherence"] >= 0.9
