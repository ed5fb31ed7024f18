"""The truth of a simulated person's sessions (:mod:`smartball.sim.people`): the marks they
note in a feel session, the files written beside its recording, and a session's truth judged
by their own zones. Apart from the scenarios, so that naming a scenario (``sim.catalog``)
does not need the simulated ball.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from smartball.people.feel import FeelMark, feel_csv, feel_path
from smartball.people.parts import Thresholds
from smartball.sim.people import REACTION_S, SENSE, PersonScenario
from smartball.sim.truth import BOUNDARY_TOLERANCE, HOLD_MIN_S, Truth, runs


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


def _zone_of(f: npt.NDArray[np.float64], edges: Thresholds) -> npt.NDArray[np.int8]:
    return np.searchsorted(np.array(edges), f, side="right").astype(np.int8)


@dataclass(eq=False)
class PersonTruth(Truth):
    """A session's truth judged by a person's own zones: the labels, holds (their moderate)
    and too-hard presses (their edge) they should see."""

    edges_n: Thresholds = (10.0, 50.0, 100.0, 200.0)

    @property
    def intended_zone(self) -> npt.NDArray[np.int8]:
        return _zone_of(self.intended_n, self.edges_n)

    @property
    def zone(self) -> npt.NDArray[np.int8]:
        """Zone of the applied force, by their zones."""
        return _zone_of(self.force_n, self.edges_n)

    def _acceptable(self) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8]]:
        f = self.intended_n
        zone = _zone_of(f, self.edges_n)
        lo, hi = zone.copy(), zone.copy()
        for i, edge in enumerate(self.edges_n):
            band = BOUNDARY_TOLERANCE * edge
            if i != 3:
                hi[(f >= edge - band) & (f < edge)] = i + 1
            lo[(f >= edge) & (f <= edge + band)] = i
        return lo, hi

    @property
    def zone_min(self) -> npt.NDArray[np.int8]:
        return self._acceptable()[0]

    @property
    def zone_max(self) -> npt.NDArray[np.int8]:
        return self._acceptable()[1]

    def to_dict(self) -> dict[str, Any]:
        out = Truth.to_dict(self)
        out["zone_edges_n"] = list(self.edges_n)
        return out

    def zone_ok(self, zone: npt.ArrayLike,
                rows: npt.ArrayLike | None = None) -> npt.NDArray[np.bool_]:
        lo, hi = self._acceptable()
        if rows is not None:
            idx = np.asarray(rows, np.intp)
            lo, hi = lo[idx], hi[idx]
        z = np.asarray(zone)
        out: npt.NDArray[np.bool_] = (z >= lo) & (z <= hi)
        return out


def person_truth(truth: Truth, edges_n: Thresholds) -> PersonTruth:
    """``truth`` judged by the zones ``edges_n``: holds from their moderate, too-hard presses
    from their edge."""
    t = truth.t_s - truth.t0_s
    dt = 1.0 / truth.rate_hz
    f = truth.intended_n
    holds = [(float(t[a]), float(t[b - 1] + dt))
             for a, b in runs(~truth.rolling & (f >= edges_n[1])) if (b - a) * dt >= HOLD_MIN_S]
    too_hard = [(float(t[a]), float(t[b - 1] + dt)) for a, b in runs(f >= edges_n[3])]
    fields = {fld.name: getattr(truth, fld.name) for fld in dataclasses.fields(Truth)}
    fields.update(holds=[(a + truth.t0_s, b + truth.t0_s) for a, b in holds],
                  too_hard=[(a + truth.t0_s, b + truth.t0_s) for a, b in too_hard])
    return PersonTruth(**fields, edges_n=edges_n)
