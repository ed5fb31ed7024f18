"""The coach: one plain-words line for where the user is right now.

Pure: a :class:`CoachState` in, one :class:`Advice` out. No clock, no I/O, no plotting, so
the same rules serve the live window, tests and any text front end. The rules are ordered
by what matters most: safety (too hard) before the hold count, the hold count before
pressure, pressure before rolling speed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from smartball.events import ZONES
from smartball.hold_target import HOLD_TARGET_S, reached_target
from smartball.parts import DEFAULT_PART, PARTS, words

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
    part: str = DEFAULT_PART
    """The body part the ball is on: the words fit it (no "heel to toe" for a back)."""

    def __post_init__(self) -> None:
        if self.part not in PARTS:
            raise ValueError(f"part must be one of {PARTS}, not {self.part!r}")
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
        w = words(cfg.part)
        return Advice(f"{w.put_on} and roll gently, {w.motions['along']}.", "info")
    if rank < lowest:
        return Advice(f"Press a little harder for {_words(ZONES[lowest])}.", "adjust")
    if rank > highest:
        return Advice(f"Ease off a little: {_words(ZONES[highest])} is enough.", "adjust")
    if state.rolling and math.isfinite(state.speed_cm_s) and state.speed_cm_s > cfg.fast_roll_cm_s:
        return Advice(f"{_SLOWER} {words(cfg.part).motions['along']} in about five seconds.",
                      "adjust")
    if state.rolling:
        return Advice("Good pressure. Roll slowly; stop on a sore spot.", "praise")
    return Advice("Found a sore spot? Stay still to start a hold.", "info")


_SLOWER = "Roll slower:"


def _words(zone: str) -> str:
    return zone.replace("_", " ")


# ---------------------------------------------------------------------------- routines


@dataclass(frozen=True, slots=True)
class StepCue:
    """What the routine's current step asks, and how the last strokes went."""

    motion: str
    """``along``, ``across``, ``holds``, ``free`` or ``switch``."""
    targets: tuple[str, ...]
    light_only: bool = False
    """The whole routine stays light (an inflamed foot)."""
    stroke_cm: float | None = None
    """Length of the last stroke (None without an IMU or before the first)."""
    stroke_speed_cm_s: float | None = None
    stroke_direction: str | None = None


SHORT_STROKE_CM = 7.0
"""A heel-to-toe stroke shorter than this does not reach heel and toes."""
FAST_STROKE_CM_S = 9.0


def advise_step(state: CoachState, cue: StepCue, config: CoachConfig | None = None) -> Advice:
    """The one line to show during a routine's step: safety and holds first, as
    :func:`advise`; then what this step asks (pressure in its targets, its motion)."""
    cfg = config or CoachConfig()
    w = words(cfg.part)
    if cue.motion == "switch":
        if not state.link_ok or state.zone == "too_hard" or state.too_hard:
            return advise(state, config)
        return Advice(w.switch, "info")
    step_cfg = replace(cfg, target_zones=cue.targets)
    general = advise(state, step_cfg)
    if general.kind == "warning" or not state.link_ok:
        return general
    rank = ZONES.index(state.zone)
    if cue.light_only and rank > max(ZONES.index(z) for z in cue.targets):
        # Above light, even when still (a hold): an inflamed foot is never pressed more.
        return Advice("Lighter: this routine stays light.", "adjust")
    if general.kind in ("hold", "release") or state.zone == "rest":
        return general
    if (state.since_hold_end_s is not None and state.last_hold_s is not None
            and state.since_hold_end_s < step_cfg.after_hold_s):
        return general  # how the last hold went
    if rank > max(ZONES.index(z) for z in cue.targets):
        return general
    if rank < min(ZONES.index(z) for z in cue.targets):
        return general
    if cue.motion == "holds" and state.rolling:
        return Advice("Sore spot? Stop here and hold.", "hold")
    fast = (cue.stroke_speed_cm_s is not None and cue.stroke_speed_cm_s > FAST_STROKE_CM_S)
    if fast or general.text.startswith(_SLOWER):
        return Advice("Slower: let the ball sink in as it rolls.", "adjust")
    if cue.motion == "across" and cue.stroke_direction == "along":
        return Advice(w.across_now, "adjust")
    if cue.motion == "along" and cue.stroke_direction == "across":
        return Advice(w.along_now, "adjust")
    if (cue.motion == "along" and cue.stroke_cm is not None
            and cue.stroke_cm < SHORT_STROKE_CM * _STROKE_SCALE[cfg.part]):
        return Advice(w.longer, "adjust")
    if cue.motion in ("along", "across"):
        return Advice(f"Good pressure. Keep rolling {w.motions[cue.motion]}.", "praise")
    if cue.motion == "free":
        return Advice("Good pressure. Keep rolling where it helps.", "praise")
    return general


_STROKE_SCALE = {"foot": 1.0, "back": 1.5, "shoulder": 1.0, "neck": 0.5, "hip": 1.2}
"""The shortest useful stroke along, relative to the foot's: a neck's strokes are small."""
