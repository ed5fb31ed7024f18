"""The simulated balls: the reference ball of protocol section 4, and other balls a user may own.

Every ball maps force to pressure rise the way the protocol describes (section 4, DESIGN.md
"The ball's response, and calibration"):

- a settled curve ``S = pa_per_n * F * (1 + stiffening_per_n * F)``: the rise once the reading
  has settled under a steady load (its Pa/N grows with load on a stiffening wall);
- a relaxation ``r = S + overshoot * HP(S)``, ``HP`` a first-order high-pass with time
  constant ``tau_s``: a quick press reads ``1 + overshoot`` times the settled rise and settles
  with ``tau_s``; a quick release reads ``overshoot`` times it below the baseline and recovers
  the same way;
- optionally a second, slower relaxation (rubber creep: ``creep_fraction``, ``creep_tau_s``),
  which the one-pole model of the protocol does not capture exactly;
- optionally the relaxation before the curve (``heat_before_stiffening``): the squeeze heats
  the air as if the load were ``F + overshoot * HP(F)``, and the stiffening wall turns that
  into pressure, so the overshoot grows with the load; the protocol's model (the relaxation
  of the settled rise) is only close to it.

A scenario names its ball (the reference ball unless it says otherwise), and any scenario can
be played on any ball of :data:`BALLS`: :meth:`Ball.with_response_of` keeps the scenario's
spikes, size and air and takes the other ball's response.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]

REFERENCE_PA_PER_N = 60.0
REFERENCE_OVERSHOOT = 0.20
REFERENCE_TAU_S = 7.0
PARAMETER_LOADS_N = (20.0, 50.0, 100.0, 150.0, 200.0, 250.0)
"""Loads at which the truth states a ball's settled rise (the span a calibration covers)."""
_RESPONSE_FIELDS = ("name", "description", "pa_per_n", "stiffening_per_n", "overshoot", "tau_s",
                    "creep_fraction", "creep_tau_s", "heat_before_stiffening")


@dataclass(frozen=True, slots=True)
class Ball:
    """A ball's mechanics. The defaults are the reference ball: 80 mm, hedgehog spikes 8 mm
    apart, 60 Pa/N once settled, 20 % overshoot settling with 7 s."""

    name: str = "reference"
    description: str = "the protocol's reference ball: 60 Pa/N settled, 20 % overshoot, 7 s"
    diameter_mm: float = 80.0
    pa_per_n: float = REFERENCE_PA_PER_N
    """Settled rise per newton at small loads."""
    stiffening_per_n: float = 0.0
    """A stiffening wall: settled rise = pa_per_n * F * (1 + stiffening_per_n * F)."""
    overshoot: float = REFERENCE_OVERSHOOT
    """How much higher than the settled rise a quick press reads at first (a fraction)."""
    tau_s: float = REFERENCE_TAU_S
    """Time constant with which the overshoot settles (and a release's undershoot recovers)."""
    creep_fraction: float = 0.0
    """A second, slower relaxation (rubber creep) on top: this fraction, with creep_tau_s."""
    creep_tau_s: float = 40.0
    heat_before_stiffening: bool = False
    """The relaxations act on the force, before the stiffening curve (not on the settled
    rise, as the protocol models it)."""
    spike_pitch_mm: float | None = 8.0
    """None for a smooth ball (no ripple while rolling)."""
    ripple_fraction: float = 0.05
    baseline_pa: float = 101_800.0
    """Unloaded absolute pressure at room temperature."""

    def __post_init__(self) -> None:
        if not self.pa_per_n > 0 or self.stiffening_per_n < 0:
            raise ValueError("a ball needs pa_per_n > 0 and stiffening_per_n >= 0")
        if self.overshoot < 0 or self.creep_fraction < 0:
            raise ValueError("overshoot and creep_fraction are fractions >= 0")
        if not self.tau_s > 0 or not self.creep_tau_s > 0:
            raise ValueError("tau_s and creep_tau_s are more than 0 s")

    @property
    def radius_m(self) -> float:
        return self.diameter_mm / 2000.0

    @property
    def relaxations(self) -> tuple[tuple[float, float], ...]:
        """``(fraction, tau_s)`` of each relaxation term, the protocol's one first."""
        terms = [(self.overshoot, self.tau_s)]
        if self.creep_fraction > 0:
            terms.append((self.creep_fraction, self.creep_tau_s))
        return tuple(terms)

    def settled_rise_pa(self, force_n: npt.ArrayLike) -> F64:
        """The settled curve: pressure rise once the reading has settled under ``force_n``."""
        f = np.asarray(force_n, np.float64)
        out: F64 = self.pa_per_n * f * (1.0 + self.stiffening_per_n * f)
        return out

    def with_response_of(self, other: Ball) -> Ball:
        """This ball's size, spikes and air with ``other``'s response (curve, relaxations)."""
        return dataclasses.replace(self, **{k: getattr(other, k) for k in _RESPONSE_FIELDS})

    def parameters(self) -> dict[str, Any]:
        """The ball's true response, as a calibration should find it (for the truth file)."""
        loads = np.array(PARAMETER_LOADS_N)
        rise = self.settled_rise_pa(loads)
        return {
            "name": self.name,
            "pa_per_n": self.pa_per_n,
            "stiffening_per_n": self.stiffening_per_n,
            "points": [{"force_n": float(f), "pressure_rise_pa": round(float(r), 3)}
                       for f, r in zip(loads, rise, strict=True)],
            "settled_pa_per_n": [[float(f), round(float(r / f), 4)]
                                 for f, r in zip(loads, rise, strict=True)],
            "overshoot": self.overshoot,
            "tau_s": self.tau_s,
            "relaxations": [[a, t] for a, t in self.relaxations],
            "heat_before_stiffening": self.heat_before_stiffening,
            "diameter_mm": self.diameter_mm,
        }


REFERENCE = Ball()

BALLS: dict[str, Ball] = {
    b.name: b
    for b in (
        REFERENCE,
        Ball(name="soft", description="a softer ball: 40 Pa/N settled, 15 % overshoot, 5 s",
             pa_per_n=40.0, overshoot=0.15, tau_s=5.0),
        Ball(name="firm", description="a firmer ball: 80 Pa/N settled, 25 % overshoot, 9 s",
             pa_per_n=80.0, overshoot=0.25, tau_s=9.0),
        Ball(name="stiffening",
             description="a wall that stiffens with load: about 50 Pa/N at 20 N, 60 at 100 N, "
                         "78 at 250 N; 18 % overshoot, 8 s",
             pa_per_n=48.0, stiffening_per_n=0.0025, overshoot=0.18, tau_s=8.0),
        Ball(name="heating",
             description="air that heats more under a squeeze and cools slowly: 60 Pa/N, "
                         "35 % overshoot, 12 s",
             overshoot=0.35, tau_s=12.0),
        Ball(name="creep",
             description="rubber that creeps: 55 Pa/N, 14 % overshoot settling in 5 s and a "
                         "further 6 % over 40 s",
             pa_per_n=55.0, overshoot=0.14, tau_s=5.0, creep_fraction=0.06, creep_tau_s=40.0),
        Ball(name="warm-stiffening",
             description="a stiffening wall whose squeeze heat acts before the stiffening: about "
                         "50 Pa/N at 20 N, 78 at 250 N; 18 % overshoot at light loads, 25 % at "
                         "250 N, 8 s",
             pa_per_n=48.0, stiffening_per_n=0.0025, overshoot=0.18, tau_s=8.0,
             heat_before_stiffening=True),
    )
}
"""Every simulated ball by name; any scenario can be played on any of them."""


def ball_names() -> list[str]:
    """Names of the simulated balls, the reference ball first."""
    return list(BALLS)


def get_ball(name: str) -> Ball:
    """The simulated ball called ``name``; ValueError names the known ones."""
    try:
        return BALLS[name]
    except KeyError:
        raise ValueError(f"there is no simulated ball {name!r}; choose one of: "
                         f"{', '.join(BALLS)}") from None


def ball_from_json(value: Any) -> Ball:
    """A scenario's ``"ball"``: a ball's name, or fields on top of a named ball
    (``{"variant": "soft", "spike_pitch_mm": null}``) or of the reference ball."""
    if isinstance(value, str):
        return get_ball(value)
    if not isinstance(value, dict):
        raise ValueError("a scenario's ball is a ball's name or an object of ball fields")
    fields = dict(value)
    base = get_ball(str(fields.pop("variant", "reference")))
    return dataclasses.replace(base, **fields)
