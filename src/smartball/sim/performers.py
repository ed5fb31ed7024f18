"""People doing a routine on the simulated ball: one who follows it, one who does not.

A performer turns a routine (:mod:`smartball.routines`) into a scenario (the phases the
physics plays) and knows, for each step, what they did. ``faithful`` rolls each step the way
it asks, in its target zones, and holds on sore spots where asked. ``careless`` does the steps
on time but goes deep when told light, rolls heel to toe when told side to side, and never
stops to hold; what they got wrong is in :func:`wrong_steps`.

Strokes vary as a person's do: each back-and-forth has its own length, speed and direction on
the floor (heel to toe, across the arch, across the ball of the foot, a few degrees off
each time). As scenarios, performers are named ``ROUTINE-faithful`` and ``ROUTINE-careless``
(``smartball live --sim quick-careless --seed 3``): each seed is another person.

The truth of a performed session is in :mod:`smartball.sim.routine_truth`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from smartball.routines.model import Routine, Step, load_routine, routine_names
from smartball.sim.scenario import Phase, Scenario

STYLES = ("faithful", "careless")
LEAD_IN_S = 3.0
"""The ball lies unloaded this long before the foot comes on (the routine starts then)."""
TAIL_S = 5.0
# Forces that keep a heel-to-toe stroke (heel +18 %, arch -24 % of the mean, a few % of
# wander) inside one zone.
FORCE_N = {"light": (22.0, 32.0), "moderate": (70.0, 75.0), "deep": (120.0, 130.0)}
HOLD_FORCE_N = {"moderate": (74.0, 86.0), "deep": (115.0, 135.0)}
SPEED_MPS = (0.03, 0.07)
SLOW_SPEED_MPS = (0.025, 0.045)
ALONG_M = (0.08, 0.15)
ACROSS_M = (0.04, 0.07)
HEADING_SD_DEG = 6.0


def performer_name(routine: str, style: str) -> str:
    return f"{routine}-{style}"


def parse_performer(name: str) -> tuple[str, str] | None:
    """``(routine, style)`` if ``name`` names a performer, else None."""
    for style in STYLES:
        suffix = f"-{style}"
        if name.endswith(suffix) and name[: -len(suffix)] in routine_names():
            return name[: -len(suffix)], style
    return None


def performer_scenario(routine: Routine | str, style: str = "faithful", seed: int = 0, *,
                       channels: tuple[str, ...] = ("pressure", "gyro", "accel"),
                       ball: dict[str, Any] | None = None) -> Scenario:
    """The scenario of one person (``seed``) doing ``routine``."""
    r = load_routine(routine) if isinstance(routine, str) else routine
    return Scenario.from_dict(performer_dict(r, style, seed, channels=channels, ball=ball),
                              name=performer_name(r.name, style))


@dataclass(frozen=True, slots=True)
class PerformerScenario(Scenario):
    """A performer by name (``quick-careless``): each seed is another person doing it."""

    routine_name: str = ""
    style: str = "faithful"

    @staticmethod
    def named(routine: str, style: str) -> PerformerScenario:
        base = performer_scenario(routine, style, 0)
        known = {f.name: getattr(base, f.name) for f in fields(Scenario)}
        return PerformerScenario(**known, routine_name=routine, style=style)

    def plan(self, seed: int, seconds: float | None = None) -> list[Phase]:
        person = performer_scenario(self.routine_name, self.style, seed,
                                    channels=self.channels)
        return person.plan(seed, seconds)


def performer_dict(routine: Routine, style: str, seed: int, *,
                   channels: tuple[str, ...] = ("pressure", "gyro", "accel"),
                   ball: dict[str, Any] | None = None) -> dict[str, Any]:
    """The scenario (JSON form) of ``style`` doing ``routine``: concrete phases only;
    ``ball``: the ball's mechanics if not the reference ball (see ``sim.scenario.Ball``)."""
    if style not in STYLES:
        raise ValueError(f"a performer is one of {', '.join(STYLES)}, not {style!r}")
    rng = np.random.default_rng([seed, 12])
    phases: list[dict[str, Any]] = [{"kind": "rest", "duration_s": LEAD_IN_S, "region": "arch"}]
    slow = routine.name in ("inflamed", "desk", "sore-spots")
    for step in routine.steps:
        phases += _step_phases(step, style, slow, rng)
    phases.append({"kind": "rest", "duration_s": TAIL_S, "region": "arch"})
    total = sum(float(p["duration_s"]) for p in phases)
    return {
        "name": performer_name(routine.name, style),
        "description": f"someone doing the {routine.title.lower()} routine, {style}",
        "fill": "rest", "duration_s": total, "channels": list(channels),
        "ball": dict(ball or {}), "routine": phases,
    }


def wrong_steps(routine: Routine, style: str) -> list[int]:
    """Indices of the steps the performer does not do as asked."""
    if style == "faithful":
        return []
    return [i for i, s in enumerate(routine.steps)
            if s.scored and (s.targets == ("light",) or s.motion in ("across", "holds"))]


# ---------------------------------------------------------------------------- steps


def _step_phases(step: Step, style: str, slow: bool,
                 rng: np.random.Generator) -> list[dict[str, Any]]:
    if step.motion == "switch":
        return [{"kind": "rest", "duration_s": step.seconds, "region": "arch"}]
    careless = style == "careless"
    targets = step.targets
    if careless and targets == ("light",):
        targets = ("deep",)
    zone = targets[int(rng.integers(len(targets)))]
    force = float(rng.uniform(*FORCE_N[zone]))
    motion = step.motion
    if careless and motion in ("across", "holds"):
        motion = "along"  # side to side asked, heel to toe rolled; holds skipped
    phases: list[dict[str, Any]] = []
    left = step.seconds
    if motion == "holds" and not careless:
        hold_zone = targets[-1] if targets[-1] in HOLD_FORCE_N else "moderate"
        holds = step.holds + 1
        roll_s = max(3.0, (left - holds * 13.0) / (holds + 1))
        for _ in range(holds):
            used = _rolls(phases, "along", force, min(roll_s, left), slow, rng, step.name)
            left -= used
            hold_s = float(rng.uniform(10.6, 11.6))
            if left < hold_s + 2.5:
                break
            phases.append({"kind": "hold", "duration_s": hold_s, "region": "arch",
                           "force_n": float(rng.uniform(*HOLD_FORCE_N[hold_zone]))})
            release_s = float(rng.uniform(1.2, 1.8))
            phases.append({"kind": "release", "duration_s": release_s, "region": "arch"})
            left -= hold_s + release_s
        motion = "along"
    kind = motion if motion in ("along", "across") else None
    left -= _rolls(phases, kind, force, left, slow, rng, step.name)
    if left > 1e-6:
        # What is left of the step: one shorter back-and-forth.
        _rolls(phases, kind, force, left, slow, rng, step.name, fill=True)
    return phases


def _rolls(out: list[dict[str, Any]], motion: str | None, force_n: float, seconds: float,
           slow: bool, rng: np.random.Generator, step_name: str, *,
           fill: bool = False) -> float:
    """Back-and-forth strokes filling at most ``seconds``; returns the time they take. One
    phase is one back-and-forth: its own length, speed and direction. ``fill``: one
    back-and-forth exactly ``seconds`` long, its length to suit."""
    used = 0.0
    forefoot = "ball" in step_name or "toes" in step_name
    while True:
        kind = motion or ("along" if rng.uniform() < 0.5 else "across")
        speed = float(rng.uniform(*(SLOW_SPEED_MPS if slow else SPEED_MPS)))
        length = float(rng.uniform(*(ALONG_M if kind == "along" else ACROSS_M)))
        period = 2.0 * length / speed
        if fill:
            period = seconds
            length = speed * period / 2.0
        elif used + period > seconds:
            return used
        heading = (0.0 if kind == "along" else 90.0) + float(rng.normal(0.0, HEADING_SD_DEG))
        out.append({
            "kind": "roll", "duration_s": period, "force_n": force_n, "speed_mps": speed,
            "ramp_s": 0.6, "stroke": "heel_toe" if kind == "along" else "side_to_side",
            "region": "forefoot" if forefoot and kind == "across" else "arch",
            "stroke_m": length, "heading_deg": heading,
        })
        used += period
        if fill:
            return used
