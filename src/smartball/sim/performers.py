"""People doing a routine on the simulated ball: one who follows it, one who does not.

A performer turns a routine (:mod:`smartball.routines`) into a scenario (the phases the
physics plays) and knows, for each step, what they did. ``faithful`` rolls each step the way
it asks, in its target zones, and holds on sore spots where asked. ``careless`` does the steps
on time but goes deep when told light (or light to moderate), rolls along when told side to
side, and never stops to hold; lying on the floor, they also let their whole weight down on the
ball now and then (past the top of the reference ball). What they got wrong is in
:func:`wrong_steps`.

The body part is the routine's: its zones (the part's defaults, or a person's own) set the
forces, and how the body is on the ball (a foot at a desk, a back or a hip lying on the floor,
a back or a shoulder against a wall, the neck resting on it) sets the strokes, the ramps and
the sway (:mod:`smartball.sim.postures`). Strokes vary as a person's do: each back-and-forth
has its own length, speed and direction (along: heel to toe, or up and down the back; across:
side to side; a few degrees off each time). As scenarios, performers are named
``ROUTINE-faithful`` and ``ROUTINE-careless`` (``smartball live --sim quick-careless --seed
3``): each seed is another person.

The truth of a performed session is in :mod:`smartball.sim.routine_truth`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from smartball.people.parts import PART_DEFAULTS_N, Thresholds, default_thresholds
from smartball.routines.model import Routine, Step, load_routine, routine_names
from smartball.sim.postures import (
    FOOT_FORCE_N,
    FOOT_HOLD_FORCE_N,
    STROKE_SWING,
    Posture,
    force_range,
    posture_of,
)
from smartball.sim.scenario import Phase, Scenario

STYLES = ("faithful", "careless")
LEAD_IN_S = 3.0
"""The ball lies unloaded this long before the body comes on (the routine starts then)."""
TAIL_S = 5.0
HEADING_SD_DEG = 6.0
SLOW_ROUTINES = ("inflamed", "desk", "sore-spots")
LET_DOWN_EVERY_S = (15.0, 30.0)
"""Lying on the floor, someone careless lets their whole weight down after this long..."""
LET_DOWN_S = (2.0, 5.0)
"""...for this long."""


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


def performer_of(scenario: Scenario) -> tuple[Routine, str] | None:
    """``(routine, style)`` if ``scenario`` is someone doing a routine (by name, or built by
    :func:`performer_scenario`), else None."""
    if isinstance(scenario, PerformerScenario):
        return load_routine(scenario.routine_name), scenario.style
    found = parse_performer(scenario.name)
    if found is None:
        return None
    return load_routine(found[0]), found[1]


def performer_dict(routine: Routine, style: str, seed: int, *,
                   channels: tuple[str, ...] = ("pressure", "gyro", "accel"),
                   ball: dict[str, Any] | None = None,
                   zones_n: Thresholds | None = None) -> dict[str, Any]:
    """The scenario (JSON form) of ``style`` doing ``routine``: concrete phases only;
    ``ball``: the ball's mechanics if not the reference ball (see ``sim.scenario.Ball``);
    ``zones_n``: the zones the person means (default: the routine's part's defaults)."""
    if style not in STYLES:
        raise ValueError(f"a performer is one of {', '.join(STYLES)}, not {style!r}")
    rng = np.random.default_rng([seed, 12])
    body = _Body(posture_of(routine.part, routine.position),
                 zones_n or default_thresholds(routine.part), routine.name in SLOW_ROUTINES)
    phases: list[dict[str, Any]] = [{"kind": "rest", "duration_s": LEAD_IN_S, "region": "arch"}]
    for step in routine.steps:
        phases += _step_phases(step, style, body, rng)
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
            if s.scored and (_goes_deep(s) or s.motion in ("across", "holds"))]


def _goes_deep(step: Step) -> bool:
    """Told light (or light to moderate), someone careless goes deep."""
    return "light" in step.targets and "deep" not in step.targets


# ---------------------------------------------------------------------------- steps


@dataclass(frozen=True, slots=True)
class _Body:
    """How the performer is on the ball, and the zones they mean."""

    posture: Posture
    zones_n: Thresholds
    slow: bool

    @property
    def foot(self) -> bool:
        """The foot at a desk in the foot's default zones: the forces it has always used."""
        return self.posture.name == "seated" and self.zones_n == PART_DEFAULTS_N["foot"]

    def roll_force(self, zone: str, targets: tuple[str, ...], motion: str | None,
                   rng: np.random.Generator) -> float:
        if self.foot:
            return float(rng.uniform(*FOOT_FORCE_N[zone]))
        swing = STROKE_SWING["across" if motion == "across" else "along"]
        return float(rng.uniform(*force_range(self.zones_n, zone, targets, swing=swing,
                                              wobble=self.posture.wobble)))

    def hold_force(self, zone: str, targets: tuple[str, ...], rng: np.random.Generator) -> float:
        if self.foot:
            return float(rng.uniform(*FOOT_HOLD_FORCE_N[zone]))
        return float(rng.uniform(*force_range(self.zones_n, zone, targets, swing=(0.0, 0.0),
                                              wobble=self.posture.hold_wobble)))

    def ramp(self, rng: np.random.Generator) -> float:
        lo, hi = self.posture.ramp_s
        return lo if lo == hi else float(rng.uniform(lo, hi))

    def style(self, phase: dict[str, Any], still: bool = False) -> dict[str, Any]:
        """``phase`` with the posture's sway (the foot's is the physics' default)."""
        if self.posture.name != "seated":
            phase["wobble"] = self.posture.hold_wobble if still else self.posture.wobble
        return phase


def _step_phases(step: Step, style: str, body: _Body,
                 rng: np.random.Generator) -> list[dict[str, Any]]:
    if step.motion == "switch":
        return [{"kind": "rest", "duration_s": step.seconds, "region": "arch"}]
    careless = style == "careless"
    targets = step.targets
    deep = careless and _goes_deep(step)
    if deep:
        targets = ("deep",)
    zone = targets[int(rng.integers(len(targets)))]
    motion = step.motion
    if careless and motion in ("across", "holds"):
        motion = "along"  # side to side asked, along rolled; holds skipped
    force = body.roll_force(zone, targets, motion if motion != "holds" else "along", rng)
    phases: list[dict[str, Any]] = []
    left = step.seconds
    if motion == "holds" and not careless:
        hold_zone = targets[-1] if targets[-1] in ("moderate", "deep") else "moderate"
        holds = step.holds + 1
        roll_s = max(3.0, (left - holds * 13.0) / (holds + 1))
        for _ in range(holds):
            used = _rolls(phases, "along", force, min(roll_s, left), body, rng, step.name)
            left -= used
            hold_s = float(rng.uniform(10.6, 11.6))
            if left < hold_s + 2.5:
                break
            hold: dict[str, Any] = {"kind": "hold", "duration_s": hold_s, "region": "arch",
                                    "force_n": body.hold_force(hold_zone, targets, rng)}
            release_s = float(rng.uniform(1.2, 1.8))
            release: dict[str, Any] = {"kind": "release", "duration_s": release_s,
                                       "region": "arch"}
            if not body.foot:
                hold["ramp_s"] = body.ramp(rng)
                release["ramp_s"] = 0.6 * body.ramp(rng)
                release["duration_s"] = release_s = release_s + release["ramp_s"]
            phases += [body.style(hold, still=True), release]
            left -= hold_s + release_s
        motion = "along"
    kind = motion if motion in ("along", "across") else None
    weight = body.posture.weight_n
    while deep and weight is not None and left > LET_DOWN_EVERY_S[1]:
        # Lying on the floor, careless: the whole weight down now and then, then on.
        left -= _rolls(phases, kind, force, float(rng.uniform(*LET_DOWN_EVERY_S)), body,
                       rng, step.name)
        down_s = float(rng.uniform(*LET_DOWN_S))
        phases.append(body.style({
            "kind": "roll", "duration_s": down_s, "force_n": float(rng.uniform(*weight)),
            "speed_mps": float(rng.uniform(*body.posture.slow_speed_mps)),
            "ramp_s": body.ramp(rng), "stroke": "heel_toe", "region": "arch",
            "heading_deg": float(rng.normal(0.0, HEADING_SD_DEG))}))
        left -= down_s
    left -= _rolls(phases, kind, force, left, body, rng, step.name)
    if left > 1e-6:
        # What is left of the step: one shorter back-and-forth.
        _rolls(phases, kind, force, left, body, rng, step.name, fill=True)
    return phases


def _rolls(out: list[dict[str, Any]], motion: str | None, force_n: float, seconds: float,
           body: _Body, rng: np.random.Generator, step_name: str, *,
           fill: bool = False) -> float:
    """Back-and-forth strokes filling at most ``seconds``; returns the time they take. One
    phase is one back-and-forth: its own length, speed and direction. ``fill``: one
    back-and-forth exactly ``seconds`` long, its length to suit."""
    used = 0.0
    forefoot = "ball" in step_name or "toes" in step_name
    posture = body.posture
    while True:
        kind = motion or ("along" if rng.uniform() < 0.5 else "across")
        speed = float(rng.uniform(*(posture.slow_speed_mps if body.slow
                                    else posture.speed_mps)))
        length = float(rng.uniform(*(posture.along_m if kind == "along" else posture.across_m)))
        period = 2.0 * length / speed
        if fill:
            period = seconds
            length = speed * period / 2.0
        elif used + period > seconds:
            return used
        heading = (0.0 if kind == "along" else 90.0) + float(rng.normal(0.0, HEADING_SD_DEG))
        out.append(body.style({
            "kind": "roll", "duration_s": period, "force_n": force_n, "speed_mps": speed,
            "ramp_s": body.ramp(rng), "stroke": "heel_toe" if kind == "along" else "side_to_side",
            "region": "forefoot" if forefoot and kind == "across" else "arch",
            "stroke_m": length, "heading_deg": heading,
        }))
        used += period
        if fill:
            return used
