"""How a simulated body is on the ball for a routine, and the forces that keep a step's zone.

A foot rolls at a desk; the guides also put the ball under the back or the hip lying on the
floor, behind the back or a shoulder blade against a wall, and under the side of the neck. Each
way of being on the ball is a :class:`Posture`:

- ``seated`` (the foot): quick strokes, quick ramps, the foot's few per cent of wander;
- ``floor`` (the back or the hip lying on the floor): the body's weight comes on and off
  slowly (ramps of 1.5-3 s), strokes are slow (pushing with the feet), and a body lying on a
  ball sways and breathes, so the force wanders more (6 % rolling, 4 % held); someone careless
  lets their whole weight down now and then (:attr:`Posture.weight_n`), past the top of the
  reference ball (about 390 N settled);
- ``wall`` (the back or a shoulder leaning against a wall): moderate ramps, strokes and sway;
- ``neck`` (the head resting on the ball): gentle, slow, small strokes.

A routine's posture comes from its part, and for the back from its position in words: lying on
(or sitting on) the floor, else against a wall.

Forces (:func:`force_range`): a stroke swings the force about what the person means (a
heel-to-toe-like swing of about +-11 % over a long stroke, +-5 % across, in
:mod:`smartball.sim.physics`) and the person's wander adds to it. A step's force is drawn from
the middle of the forces whose swing, with three standard deviations of wander, stays inside
the zone (or inside the step's contiguous target zones, if it has several), computed from the
zone's thresholds (the part's defaults or a person's own), not typed per part. Where a zone is
too narrow for the swing (the neck's deep zone, 30-45 N), the force is its middle and the swing
crosses its edges. The foot keeps the forces the simulator has always used
(:data:`FOOT_FORCE_N`), which this rule reproduces within a few newtons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from smartball.events import ZONES
from smartball.people.parts import Thresholds

Range = tuple[float, float]

STROKE_SWING = {"along": (0.11, 0.12), "across": (0.05, 0.05)}
"""How far a stroke takes the force above and below its mean (fractions): along, the
heel-to-toe-like profile of :func:`smartball.sim.physics._region_factor` over a stroke of
8-20 cm (+7-12 %, -9-12 %); across, the 5 % side lean."""
WANDER_SDS = 3.0
"""The wander's standard deviations a force must stay inside its zone by."""
MIDDLE = 0.5
"""Share of the allowed forces (in log terms, about their middle) a performer draws from."""

FOOT_FORCE_N: dict[str, Range] = {"light": (22.0, 32.0), "moderate": (70.0, 75.0),
                                  "deep": (120.0, 130.0)}
FOOT_HOLD_FORCE_N: dict[str, Range] = {"moderate": (74.0, 86.0), "deep": (115.0, 135.0)}


@dataclass(frozen=True, slots=True)
class Posture:
    name: str
    speed_mps: Range
    slow_speed_mps: Range
    """Speeds of a routine that asks for slow strokes (``inflamed``, ``desk``...)."""
    along_m: Range
    across_m: Range
    ramp_s: Range
    """How long the force takes to come on (a step's start, a hold, a release)."""
    wobble: float
    """Wander of the force while rolling (relative standard deviation)."""
    hold_wobble: float
    """Wander while held still (breathing, a body settling)."""
    weight_n: Range | None = None
    """The whole weight let down on the ball (lying on the floor): what someone careless
    does now and then."""


POSTURES: dict[str, Posture] = {p.name: p for p in (
    Posture("seated", (0.03, 0.07), (0.025, 0.045), (0.08, 0.15), (0.04, 0.07), (0.6, 0.6),
            0.04, 0.02),
    Posture("floor", (0.015, 0.03), (0.015, 0.025), (0.10, 0.20), (0.04, 0.08), (1.5, 3.0),
            0.06, 0.04),
    Posture("wall", (0.02, 0.045), (0.02, 0.035), (0.10, 0.18), (0.04, 0.08), (0.8, 1.5),
            0.05, 0.03),
    Posture("neck", (0.015, 0.025), (0.012, 0.02), (0.04, 0.07), (0.03, 0.05), (1.0, 2.0),
            0.04, 0.02),
)}
FLOOR_WEIGHT_N = {"back": (380.0, 500.0), "hip": (420.0, 540.0)}
"""The whole weight let down lying on the floor (as ``floor-back``, ``floor-hip``)."""


def posture_of(part: str, position: str = "") -> Posture:
    """The posture of a routine for ``part`` whose position in words is ``position``."""
    if part == "foot":
        return POSTURES["seated"]
    if part == "neck":
        return POSTURES["neck"]
    words = position.lower()
    if part == "shoulder" or "floor" not in words:
        return POSTURES["wall"]
    return replace(POSTURES["floor"], weight_n=FLOOR_WEIGHT_N.get(part, FLOOR_WEIGHT_N["back"]))


def zone_code(zone: str) -> int:
    return ZONES.index(zone)


def allowed_range(edges_n: Thresholds, zone: str, targets: tuple[str, ...],
                  up: float, down: float) -> Range:
    """Mean forces in ``zone`` whose swing (``up`` and ``down``: fractions of the mean the
    force reaches above and below it) stays inside the run of ``targets`` around ``zone``
    (``zone`` alone if it is not a target). Empty (low > high) where the zone is too narrow."""
    k = zone_code(zone)
    run = [k]
    codes = {zone_code(z) for z in targets}
    if k in codes:
        while run[0] - 1 in codes:
            run.insert(0, run[0] - 1)
        while run[-1] + 1 in codes:
            run.append(run[-1] + 1)
    bounds = (0.0, *edges_n, math.inf)
    lo_zone, hi_zone = bounds[k], bounds[k + 1]
    lo_run, hi_run = bounds[run[0]], bounds[run[-1] + 1]
    return max(lo_zone, lo_run / (1.0 - down)), min(hi_zone, hi_run / (1.0 + up))


def force_range(edges_n: Thresholds, zone: str, targets: tuple[str, ...], *,
                swing: Range, wobble: float) -> Range:
    """The forces a performer draws from for ``zone`` (see the module's text): the middle
    :data:`MIDDLE` of :func:`allowed_range` with a stroke's ``swing`` (up, down) and
    :data:`WANDER_SDS` of ``wobble``; where that is empty, the middle of the zone."""
    w = WANDER_SDS * wobble
    up = (1.0 + swing[0]) * (1.0 + w) - 1.0
    down = 1.0 - (1.0 - swing[1]) * (1.0 - w)
    lo, hi = allowed_range(edges_n, zone, targets, up, down)
    centre = math.sqrt(lo * hi)
    if lo >= hi:
        k = zone_code(zone)
        bounds = (0.0, *edges_n, math.inf)
        a, b = bounds[k], bounds[k + 1]
        centre = min(max(centre, a), b if math.isfinite(b) else centre)
        return centre, centre
    half = (hi / lo) ** (MIDDLE / 2.0)
    return centre / half, centre * half
