"""Simulated people doing a routine: the faithful one does what each step asks, the careless
one does not, and the truth says so."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from smartball.cli import main
from smartball.routines.model import load_routine
from smartball.sim.ball import SimulatedBall
from smartball.sim.performers import wrong_steps
from smartball.sim.routine_truth import routine_truth


def test_each_seed_is_another_person() -> None:
    a = SimulatedBall("after-run-faithful", seed=1)
    b = SimulatedBall("after-run-faithful", seed=2)
    assert a.plan[3] != b.plan[3]
    assert SimulatedBall("after-run-faithful", seed=1).plan == a.plan


def test_faithful_follows_and_careless_does_not() -> None:
    routine = load_routine("inflamed")
    good = routine_truth(SimulatedBall("inflamed-faithful", seed=3), routine)
    bad = routine_truth(SimulatedBall("inflamed-careless", seed=3), routine)
    for j, step in enumerate(routine.steps):
        if not step.scored:
            continue
        assert good["steps"][j]["in_target_fraction"] > 0.95
        assert bad["steps"][j]["in_target_fraction"] < 0.05  # deep when told light
        if step.motion == "across":
            assert {s["direction"] for s in good["steps"][j]["strokes"]} == {"across"}
            assert {s["direction"] for s in bad["steps"][j]["strokes"]} == {"along"}
    assert wrong_steps(routine, "careless") == [0, 1, 3, 4]


def test_strokes_vary_in_length_and_speed() -> None:
    truth = routine_truth(SimulatedBall("quick-faithful", seed=5), load_routine("quick"))
    lengths = np.array([s["length_cm"] for s in truth["strokes"]])
    durations = np.array([s["end_s"] - s["start_s"] for s in truth["strokes"]])
    assert lengths.std() > 1.0 and (lengths / durations).std() > 0.5


def test_simulate_writes_the_routine_truth(tmp_path: Path) -> None:
    out = tmp_path / "s.sbrec"
    assert main(["simulate", "plantar-fasciitis-careless", "--seed", "2", "--out",
                 str(out)]) == 0
    truth = json.loads((tmp_path / "s.sbrec.routine-truth.json").read_text())
    assert truth["style"] == "careless" and truth["wrong_steps"] == [0, 1, 3, 4]
    assert [s["holds"] for s in truth["steps"]] == [0, 0, 0, 0, 0]
