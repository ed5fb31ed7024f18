"""Sessions that change stroke direction step by step: heel to toe, across the arch, across
the ball of the foot, heel to toe again, 40 s or more each.

Each seed is another person (a faithful performer, :mod:`smartball.sim.performers`), another
routine clock (each step 40-60 s) and another start: the ball lies still for up to three
seconds before the foot comes on and rolls (under a third of a second: the recording starts
with the foot already rolling, so nothing is ever seen still), and one session in four starts
with a ball from the fridge (6-10 degC in a 22 degC room), so the gyro's offset drifts as
the ball warms.
The stroke directions' truth is :func:`smartball.sim.routine_truth.true_strokes`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from smartball.routines.model import Routine, Step
from smartball.sim.performers import performer_dict
from smartball.sim.scenario import Scenario

STEPS = (
    ("Heel to toes", "Roll from the heel to the toes and back.", "along"),
    ("Across the arch", "Roll side to side across the arch.", "across"),
    ("Across the ball", "Roll side to side across the ball of the foot.", "across"),
    ("Heel to toes again", "Roll from the heel to the toes and back.", "along"),
)
STEP_S = (40.0, 60.0)
LEAD_IN_S = (0.0, 3.0)
LEAD_IN_MIN_S = 0.3
COLD_START_C = (6.0, 10.0)


def direction_routine(seed: int) -> Routine:
    """The routine a seed's person follows: :data:`STEPS`, each 40-60 s long."""
    rng = np.random.default_rng([seed, 21])
    steps = tuple(Step(name=name, instruction=words, seconds=float(round(rng.uniform(*STEP_S))),
                       targets=("moderate",), motion=motion, foot="left")
                  for name, words, motion in STEPS)
    return Routine(name="directions", title="Changing direction",
                   when="To check stroke directions", steps=steps)


def direction_scenario(seed: int, *, ball: dict[str, Any] | None = None) -> Scenario:
    """The session of a seed's person doing :func:`direction_routine` on ``ball`` (fields of
    a scenario's ball; default the reference ball)."""
    rng = np.random.default_rng([seed, 22])
    data = performer_dict(direction_routine(seed), "faithful", seed, ball=ball)
    lead_in = {**data["routine"][0], "duration_s": float(rng.uniform(*LEAD_IN_S))}
    rolls = data["routine"][1:]
    data["routine"] = [lead_in, *rolls] if lead_in["duration_s"] >= LEAD_IN_MIN_S else rolls
    data["duration_s"] = sum(float(p["duration_s"]) for p in data["routine"])
    if rng.uniform() < 0.25:
        data["environment"] = {"room_c": 22.0, "ball_start_c": float(rng.uniform(*COLD_START_C))}
    data["name"] = "directions"
    data["description"] = "someone rolling along, across the arch, across the ball, along"
    return Scenario.from_dict(data, name="directions")
