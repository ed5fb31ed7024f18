"""The truth of a simulated person's sessions (:mod:`smartball.sim.people`): the marks they
note in a feel session, the files written beside its recording, and a session's truth judged
by their own zones. Apart from the scenarios, so that naming a scenario (``sim.catalog``)
does not need the simulated ball.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from smartball.people.feel import FeelMark, feel_csv, feel_path
from smartball.people.parts import Thresholds
from smartball.sim.people import REACTION_S, SENSE, PersonScenario
from smartball.sim.truth import Truth, runs


def feel_marks(ball: Any) -> list[FeelMark]:
    """The marks the person notes in a feel session (seconds from the recording's first
    sample), reproducible for the ball's seed; none for another scenario."""
    from smartball.sim.marks import first_sample_s

    scenario = ball.scenario
    if not isinstance(scenario, PersonScenario) or scenario.kind != "feel":
        return []
    thresholds = scenario.thresholds_n
    truth = ball.truth
    t, f = truth.t_s, truth.intended_n
    rng = np.random.default_rng([ball.seed, 19])
    t0 = first_sample_s(ball)
    marks = []
    for a, b in runs(f > 1.0):
        sensed = [thresholds[k + 1] * (1.0 + float(rng.uniform(-SENSE, SENSE)))
                  for k in range(3)]
        for k, feel in enumerate(("moderate", "deep", "too_hard")):
            above = np.flatnonzero(f[a:b] >= sensed[k])
            if not above.size:
                break
            at = float(t[a + above[0]]) + float(rng.uniform(*REACTION_S))
            if at - t0 >= 0:
                marks.append(FeelMark(round(at - t0, 2), feel))
    return marks


def person_path(path: Path) -> Path:
    return path.with_name(path.name + ".person.json")


def write_person_files(path: Path, ball: Any) -> list[Path]:
    """Beside a simulated recording of a person: their feel marks (a feel session) and the
    truth of their zones. None for other scenarios."""
    scenario = ball.scenario
    if not isinstance(scenario, PersonScenario):
        return []
    written = []
    marks = feel_marks(ball)
    if marks:
        fp = feel_path(path)
        fp.write_text(feel_csv(marks), encoding="utf-8")
        written.append(fp)
    pp = person_path(path)
    pp.write_text(json.dumps({"user": scenario.person, "part": scenario.part,
                              "thresholds_n": [round(x, 2) for x in scenario.thresholds_n]})
                  + "\n", encoding="utf-8")
    written.append(pp)
    return written


def person_truth(truth: Truth, edges_n: Thresholds) -> Truth:
    """``truth`` judged by the zones ``edges_n``: holds from their moderate, too-hard presses
    from their edge."""
    return Truth.from_signals(
        truth.force_n, truth.rolling, truth.rate_hz, index=truth.index, segment=truth.segment,
        scenario=truth.scenario, seed=truth.seed, channels=truth.channels,
        intended_n=truth.intended_n, ball=truth.ball, edges_n=tuple(edges_n),
        t0_s=truth.t0_s)
