"""Simulated people, each with their own zones: what the ball feels like to them.

Pain thresholds differ widely between people, so each simulated person has their own
thresholds, from 0.4x to 1.3x the part's defaults (each threshold a few per cent off the
overall factor, as no two people scale alike). A person takes part in two scenarios, named
after them (``smartball simulate --list``); each seed is another session of the same person:

- ``feel-NAME``: measuring their zones (``smartball zones``): after a few seconds of rest they
  put the foot on the ball and press slowly harder, three times, to a little past the most they
  would want (20-26 s a press, the force growing by a constant share a second, as people do
  when told to press slowly harder; every other press with a moment's hesitation on the way,
  the foot wandering 2 % as a foot pressing does), and let go in between. They mark when it
  starts to feel moderate, deep and too much: each mark comes a reaction time of 0.15-0.45 s
  after the intended force crossed the threshold as they sensed it that press, which is off
  their true threshold by up to +-6 % from press to press. ``smartball simulate feel-NAME
  --out FILE`` writes those marks beside the recording (``FILE.feel.csv``) and the truth of
  their zones (``FILE.person.json``);
- ``session-NAME``: a massage in their own zones: light and moderate rolling, deep holds on
  sore spots, one held as deep as is comfortable (near their edge, not past it), and a few
  presses past their edge of too much; scored against their zones
  (:func:`smartball.sim.people_truth.person_truth`).

``feel`` alone is ``feel-cleo``, whose zones are near the defaults.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from smartball.people.parts import Thresholds, default_thresholds
from smartball.sim.scenario import Phase, Scenario

REACTION_S = (0.15, 0.45)
SENSE = 0.06
"""The sensed threshold is off the true one by up to this share, drawn per press."""
PRESSES = 3
SEGMENT_S = 0.5
"""A slow press is played as short ramps of this length (an exponential, piece by piece)."""
START_N = 6.0
"""The foot is put on the ball (in about half a second), then pressed slowly harder."""


@dataclass(frozen=True, slots=True)
class SimPerson:
    name: str
    factor: float
    """Their thresholds over the part's defaults."""
    spread: tuple[float, float, float]
    """Each felt threshold's own share off ``factor`` (moderate, deep, too hard)."""

    def thresholds(self, part: str = "foot") -> Thresholds:
        """Their true thresholds for a part; the light one is not felt: the part's, or half
        their moderate where that is lower (as ``smartball zones`` sets it)."""
        d = default_thresholds(part)
        moderate, deep, edge = (d[k + 1] * self.factor * (1.0 + self.spread[k])
                                for k in range(3))
        return (min(d[0], moderate / 2.0), moderate, deep, edge)


PEOPLE: dict[str, SimPerson] = {p.name: p for p in (
    SimPerson("ann", 0.42, (0.03, -0.04, 0.02)),    # heel pain: everything hurts early
    SimPerson("ben", 0.65, (-0.05, 0.02, 0.04)),
    SimPerson("cleo", 0.95, (0.04, 0.0, -0.03)),
    SimPerson("dev", 1.12, (0.0, 0.05, -0.04)),
    SimPerson("eli", 1.28, (-0.03, -0.02, 0.01)),   # a heavy runner
)}
KINDS = ("feel", "session")


def parse_person_scenario(name: str) -> tuple[str, SimPerson] | None:
    """``(kind, person)`` if ``name`` is ``feel``, ``feel-NAME`` or ``session-NAME``."""
    if name == "feel":
        return "feel", PEOPLE["cleo"]
    kind, _, who = name.partition("-")
    if kind in KINDS and who in PEOPLE:
        return kind, PEOPLE[who]
    return None


def scenario_names() -> list[str]:
    return [f"{kind}-{p}" for kind in KINDS for p in PEOPLE]


# ---------------------------------------------------------------------------- scenarios


def feel_dict(person: SimPerson, seed: int, part: str = "foot") -> dict[str, Any]:
    """The feel session (scenario JSON form) of ``person``, session ``seed``."""
    rng = np.random.default_rng([seed, 18])
    edge = person.thresholds(part)[3]
    phases: list[dict[str, Any]] = [{"kind": "rest", "duration_s": float(rng.uniform(4, 6))}]
    for _ in range(PRESSES):
        press_s = float(rng.uniform(20.0, 26.0))
        peak = edge * float(rng.uniform(1.1, 1.16))  # past the most they want, sensed high
        rate = math.log(peak / START_N) / press_s
        n = round(press_s / SEGMENT_S)
        phases.append({"kind": "hold", "duration_s": float(rng.uniform(1.0, 2.0)),
                       "ramp_s": float(rng.uniform(0.4, 0.7)), "force_n": START_N,
                       "wobble": 0.02, "region": "arch"})
        pause_at = int(rng.integers(n // 4, 3 * n // 4)) if rng.uniform() < 0.5 else -1
        for j in range(1, n + 1):
            force = START_N * math.exp(rate * j * SEGMENT_S)
            phases.append({"kind": "hold", "duration_s": SEGMENT_S, "ramp_s": SEGMENT_S,
                           "force_n": force, "wobble": 0.02, "region": "arch"})
            if j == pause_at:  # a moment's hesitation, then on
                phases.append({"kind": "hold", "duration_s": float(rng.uniform(0.5, 1.5)),
                               "force_n": force, "wobble": 0.02, "region": "arch"})
        phases.append({"kind": "hold", "duration_s": float(rng.uniform(0.4, 0.8)),
                       "force_n": peak, "wobble": 0.02, "region": "arch"})
        phases.append({"kind": "rest", "duration_s": float(rng.uniform(5.0, 8.0)),
                       "ramp_s": float(rng.uniform(0.6, 1.0))})
    total = sum(float(p["duration_s"]) for p in phases)
    return {"name": f"feel-{person.name}", "fill": "rest", "duration_s": total,
            "description": f"{person.name} measures their {part} zones: three slow presses "
                           "to the most they would want, marking moderate, deep and too hard",
            "routine": phases}


def session_dict(person: SimPerson, seed: int, part: str = "foot") -> dict[str, Any]:
    """A massage by ``person`` in their own zones (scenario JSON form), session ``seed``."""
    rng = np.random.default_rng([seed, 20])
    light, moderate, deep, edge = person.thresholds(part)

    def roll(force_n: float, seconds: float) -> dict[str, Any]:
        return {"kind": "roll", "duration_s": seconds, "force_n": force_n,
                "speed_mps": float(rng.uniform(0.03, 0.06)),
                "stroke": ["heel_toe", "side_to_side"], "ramp_s": 0.8}

    phases: list[dict[str, Any]] = [{"kind": "rest", "duration_s": 4.0}]
    for _ in range(3):
        phases.append(roll(math.sqrt(light * moderate) * float(rng.uniform(0.9, 1.1)),
                           float(rng.uniform(20, 30))))
        phases.append(roll(moderate * float(rng.uniform(1.38, 1.48)), float(rng.uniform(25, 35))))
        phases.append({"kind": "hold", "duration_s": float(rng.uniform(9, 12)),
                       "force_n": deep * float(rng.uniform(1.25, 1.4)), "ramp_s": 0.8})
        phases.append({"kind": "release", "duration_s": float(rng.uniform(1.5, 2.5)),
                       "force_n": light * 0.4})
        phases.append(roll(deep * float(rng.uniform(1.22, 1.3)), float(rng.uniform(15, 25))))
        # As deep as is comfortable: held near their edge, never past it.
        phases.append({"kind": "hold", "duration_s": float(rng.uniform(6, 9)),
                       "force_n": edge * float(rng.uniform(0.8, 0.86)), "ramp_s": 1.0})
        phases.append({"kind": "release", "duration_s": float(rng.uniform(1.5, 2.5)),
                       "force_n": light * 0.4})
        phases.append(roll(moderate * float(rng.uniform(0.72, 0.8)), float(rng.uniform(15, 20))))
        phases.append({"kind": "press", "duration_s": float(rng.uniform(1.2, 2.0)),
                       "force_n": edge * float(rng.uniform(1.15, 1.3))})
        phases.append({"kind": "release", "duration_s": float(rng.uniform(2.0, 3.0)),
                       "force_n": light * 0.4})
        phases.append({"kind": "rest", "duration_s": float(rng.uniform(6, 9))})
    total = sum(float(p["duration_s"]) for p in phases)
    return {"name": f"session-{person.name}", "fill": "rest", "duration_s": total,
            "description": f"{person.name} rolls, holds and once presses too hard, in their "
                           "own zones", "routine": phases}


@dataclass(frozen=True, slots=True)
class PersonScenario(Scenario):
    """A person's scenario by name: each seed is another session of the same person."""

    person: str = "cleo"
    kind: str = "feel"
    part: str = "foot"

    @staticmethod
    def named(kind: str, person: SimPerson, part: str = "foot") -> PersonScenario:
        base = Scenario.from_dict(_dict(kind, person, 0, part), name=f"{kind}-{person.name}")
        known = {f.name: getattr(base, f.name) for f in dataclasses.fields(Scenario)}
        return PersonScenario(**known, person=person.name, kind=kind, part=part)

    def plan(self, seed: int, seconds: float | None = None) -> list[Phase]:
        data = _dict(self.kind, PEOPLE[self.person], seed, self.part)
        return Scenario.from_dict(data, name=self.name).plan(seed, seconds)

    @property
    def thresholds_n(self) -> Thresholds:
        return PEOPLE[self.person].thresholds(self.part)


def _dict(kind: str, person: SimPerson, seed: int, part: str) -> dict[str, Any]:
    return feel_dict(person, seed, part) if kind == "feel" else session_dict(person, seed, part)
