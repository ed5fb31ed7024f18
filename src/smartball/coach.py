"""The coach: one plain-words line for where the user is right now.

Pure: a :class:`CoachState` in, one :class:`Advice` out. No clock, no I/O, no plotting, so
the same rules serve the live window, tests and any text front end. The rules are ordered
by what matters most: safety (too hard) before the hold count, the hold count before
pressure, pressure before rolling speed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from smartball.events import ZONES
from smartball.hold_target import HOLD_TARGET_S, reached_target

"""A hold is counted to this many seconds; then the coach says release."""


@dataclass(frozen=True, slots=True)
class CoachConfig:
    target_zones: tuple[str, ...] = ("moderate", "deep")
    """The zones the user aims for (an inflamed foot: ``("light",)``)."""
    hold_target_s: float = HOLD_TARGET_S
    fast_roll_cm_s: float = 8.0
    """Rolling faster than this is too quick for the tissue to respond."""
    too_hard_linger_s: float = 2.0
    """The ease-off line stays this long after a too-hard warning, so a short spike is seen."""
    after_hold_s: float = 4.0
    """How long the line about a finished hold stays up."""

    def __post_init__(self) -> None:
        unknown = [z for z in self.target_zones if z not in ZONES]
        if not self.target_zones or unknown:
            raise ValueError(f"target zones must be some of {ZONES}, not {self.target_zones}")


@dataclass(frozen=True, slots=True)
class CoachState:
    """What the coach needs to know; times are seconds, NaN or None when not known."""

    zone: str
    """Current zone name (one of ``smartball.events.ZONES``)."""
    too_hard: bool = False
    """The fast too-hard warning is on (it leads the smoothed zone)."""
    rolling: bool = False
    speed_cm_s: float = math.nan
    hold_elapsed_s: float | None = None
    """Seconds into the current hold; None when not holding."""
    since_too_hard_s: float | None = None
    """Seconds since the last too-hard warning; None if there was none."""
    since_hold_end_s: float | None = None
    last_hold_s: float | None = None
    """Duration of the last finished hold."""
    link_ok: bool = True
    """False while the ball is not connected (lost or not yet found)."""


@dataclass(frozen=True, slots=True)
class Advice:
    text: str
    kind: str
    """``warning``, ``hold``, ``release``, ``praise``, ``adjust`` or ``info``: how to show it."""


def advise(state: CoachState, config: CoachConfig | None = None) -> Advice:
    """The one line to show for ``state``."""
    cfg = config or CoachConfig()
    if state.zone not in ZONES:
        raise ValueError(f"unknown zone {state.zone!r}")
    if not state.link_ok:
        return Advice("Waiting for the ball: keep it nearby and switched on.", "info")

    if state.zone == "too_hard" or state.too_hard or (
        state.since_too_hard_s is not None and state.since_too_hard_s < cfg.too_hard_linger_s
    ):
        return Advice("Too hard: ease off now. It should never hurt.", "warning")

    hold = state.hold_elapsed_s
    if hold is not None and math.isfinite(hold):
        if hold >= cfg.hold_target_s:
            return Advice("Release now, then roll on to the next spot.", "release")
        left = max(1, math.ceil(cfg.hold_target_s - hold))
        return Advice(f"Good hold: stay still and breathe, {left} s to go.", "hold")

    if (
        state.since_hold_end_s is not None
        and state.since_hold_end_s < cfg.after_hold_s
        and state.last_hold_s is not None
    ):
        if reached_target(state.last_hold_s, cfg.hold_target_s):
            return Advice("Well done. Roll on slowly to the next sore spot.", "praise")
        return Advice(
            f"Short hold. Next time stay on the spot for {cfg.hold_target_s:.0f} s.", "adjust"
        )

    rank = ZONES.index(state.zone)
    lowest = min(ZONES.index(z) for z in cfg.target_zones)
    highest = max(ZONES.index(z) for z in cfg.target_zones)
    if state.zone == "rest":
        return Advice("Put your foot on the ball and roll gently, heel to toe.", "info")
    if rank < lowest:
        return Advice(f"Press a little harder for {_words(ZONES[lowest])}.", "adjust")
    if rank > highest:
        return Advice(f"Ease off a little: {_words(ZONES[highest])} is enough.", "adjust")
    if state.rolling and math.isfinite(state.speed_cm_s) and state.speed_cm_s > cfg.fast_roll_cm_s:
        return Advice("Roll slower: heel to toe in about five seconds.", "adjust")
    if state.rolling:
        return Advice("Good pressure. Roll slowly; stop on a sore spot.", "praise")
    return Advice("Found a sore spot? Stay still to start a hold.", "info")


def _words(zone: str) -> str:
    return zone.replace("_", " ")
