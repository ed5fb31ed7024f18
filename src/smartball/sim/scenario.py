"""Scenarios: how a session with the ball goes, as data (``scenarios/*.json``).

A scenario is a routine of phases (roll, hold, release, press, rest), grouped and repeated,
with ranges instead of fixed numbers where a person would vary; a seed turns it into one
concrete :class:`Phase` plan. It also names the ball (``"ball"``: a name from
:data:`smartball.sim.balls.BALLS`, or an object of ball fields, optionally on top of
``"variant"``), the environment (temperature, leak) and the link faults. This module only
reads and expands data; the signals come from :mod:`smartball.sim.physics`.

Routine items (JSON objects):

- a phase: ``{"kind": K, "duration_s": D, ...}`` with K one of :data:`PHASE_KINDS`;
  ``force_n``, ``speed_mps``, ``ramp_s`` numbers; ``stroke`` ``"heel_toe"`` or
  ``"side_to_side"``; ``region`` ``"heel"``, ``"arch"`` or ``"forefoot"``; ``"mark": true``
  on a hold whose load the person reads off a scale (a calibration); ``wobble``: how much the
  force wanders (relative standard deviation; default 0.04 rolling, 0.02 still); optionally
  ``stroke_m`` (each stroke's length) and ``heading_deg`` (its direction on the floor).
- a group: ``{"repeat": R, "phases": [...]}``.
- a choice: ``{"choice": [item, item, ...]}`` (one of them, uniformly).
- any item may carry ``"p": 0.3``: it happens with that probability.

A number may be written ``[lo, hi]``: drawn uniformly per seed (integers for ``repeat``);
a list of strings is a choice. The routine is played from the start again, with new draws,
until the requested length is filled.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from smartball.errors import InputError
from smartball.sim.balls import Ball, ball_from_json, get_ball

PHASE_KINDS = ("rest", "roll", "hold", "release", "press")
STROKES = ("heel_toe", "side_to_side")
REGIONS = ("heel", "arch", "forefoot")

# Defaults of a phase, by kind: (force_n, speed_mps, ramp_s). A release leaves the foot
# resting on the ball; a rest takes it off; a press is fast (that is what overshoots).
_KIND_DEFAULTS: dict[str, tuple[float, float, float]] = {
    "rest": (0.0, 0.0, 0.5),
    "roll": (40.0, 0.04, 0.6),
    "hold": (80.0, 0.0, 0.6),
    "release": (4.0, 0.0, 0.4),
    "press": (220.0, 0.0, 0.12),
}


@dataclass(frozen=True, slots=True)
class Phase:
    """One concrete step of a session, in session time."""

    kind: str
    start_s: float
    duration_s: float
    force_n: float
    speed_mps: float = 0.0
    ramp_s: float = 0.5
    stroke: str = "heel_toe"
    region: str = "arch"
    mark: bool = False
    """The person notes the scale while this phase is steady (a calibration's held load)."""
    wobble: float | None = None
    """How much the force wanders (relative standard deviation); None: a foot's (4 % while
    rolling, 2 % still)."""
    stroke_m: float | None = None
    """Length of each stroke of a roll; None: the stroke's usual length, varied per phase."""
    heading_deg: float | None = None
    """Direction of the strokes on the floor (0: heel to toe); None: by ``stroke``, varied."""

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s

    @property
    def moving(self) -> bool:
        return self.kind == "roll" and self.speed_mps > 0


@dataclass(frozen=True, slots=True)
class Environment:
    room_c: float = 22.0
    ball_start_c: float | None = None
    """Air temperature of the ball at the start; None: room temperature."""
    warm_tau_s: float = 420.0
    """Time constant of the ball's air towards room temperature."""
    foot_c: float = 31.0
    foot_tau_s: float = 1800.0
    """Time constant towards skin temperature while the foot is on the ball."""
    leak_pa_per_min: float = 0.0
    floor_vibration_pa: float = 0.0
    """RMS of the floor's vibration (footsteps, typing) in the pressure reading, Pa."""


@dataclass(frozen=True, slots=True)
class Link:
    """Faults between the ball and the host."""

    corrupt_byte_rate: float = 0.0
    """Probability that a serial byte arrives with flipped bits."""
    drop_frame_rate: float = 0.0
    """Probability that a frame is lost on the link (it was sent: seq still advances)."""
    drop_bursts_per_min: float = 0.0
    """Bursts of 5-30 consecutive lost frames."""
    fifo_overflows_per_min: float = 0.0
    """Samples lost inside the device (3-12 at a time): index jumps, FIFO-overflow flag."""
    restarts_at_s: tuple[float, ...] = ()
    """Session times at which the device reboots (new boot_id, index from 0)."""
    reboot_s: float = 1.2
    attach_at_s: float | None = None
    """The host attaches mid-stream at this time; the capture starts mid-frame."""


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str
    routine: tuple[Mapping[str, Any], ...]
    ball: Ball = field(default_factory=Ball)
    environment: Environment = field(default_factory=Environment)
    link: Link = field(default_factory=Link)
    channels: tuple[str, ...] = ("pressure", "gyro", "accel")
    rate_hz: int = 100
    duration_s: float | None = None
    """Nominal length; None: one pass of the routine (depends on the seed)."""
    raw_link: Mapping[str, Any] = field(default_factory=dict)
    raw_environment: Mapping[str, Any] = field(default_factory=dict)
    """The scenario's environment as written: a number may be a range, drawn per seed."""
    fill: str = "repeat"
    """What fills ``duration_s`` when one pass of the routine is shorter: ``"repeat"`` the
    routine (new draws), or ``"rest"`` (the foot off the ball until the end). Beyond
    ``duration_s`` (``seconds`` asked for explicitly) the routine always repeats."""

    @staticmethod
    def from_dict(data: Mapping[str, Any], *, name: str | None = None) -> Scenario:
        try:
            routine = tuple(data["routine"])
            _check_routine(routine)
            raw_link = dict(data.get("link", {}))
            raw_env = dict(data.get("environment", {}))
            return Scenario(
                name=str(data.get("name", name or "custom")),
                description=str(data.get("description", "")),
                routine=routine,
                ball=ball_from_json(data.get("ball", "reference")),
                environment=_environment(raw_env, np.random.default_rng(0)),
                link=_link(raw_link, np.random.default_rng(0)),
                channels=tuple(data.get("channels", ("pressure", "gyro", "accel"))),
                rate_hz=int(data.get("rate_hz", 100)),
                duration_s=None if data.get("duration_s") is None else float(data["duration_s"]),
                raw_link=raw_link,
                raw_environment=raw_env,
                fill=_fill(data.get("fill", "repeat")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"the scenario {name or data.get('name')!r} is not valid ({exc}); "
                             "see smartball/sim/scenario.py for the format.") from exc

    def on_ball(self, ball: Ball | str) -> Scenario:
        """This scenario played on another ball (a :class:`Ball` or a name): the other ball's
        response, with this scenario's spikes, size and air."""
        if isinstance(ball, str):
            try:
                ball = get_ball(ball)
            except ValueError as exc:
                raise InputError(f"{exc}.") from exc
        other = ball
        return dataclasses.replace(self, ball=self.ball.with_response_of(other))

    def link_for(self, seed: int) -> Link:
        """The link faults with this seed's draws (restart times may be ranges)."""
        return _link(self.raw_link, np.random.default_rng([seed, 2]))

    def environment_for(self, seed: int) -> Environment:
        """The environment with this seed's draws (any number may be a range)."""
        if not self.raw_environment:
            return self.environment
        return _environment(self.raw_environment, np.random.default_rng([seed, 6]))

    def plan(self, seed: int, seconds: float | None = None) -> list[Phase]:
        """The concrete phases for a seed, filling ``seconds`` (default: ``duration_s``, or
        one pass of the routine). The last phase is cut at the end."""
        try:
            return self._plan(seed, seconds)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"the scenario {self.name!r} is not valid ({exc}); "
                             "see smartball/sim/scenario.py for the format.") from exc

    def _plan(self, seed: int, seconds: float | None) -> list[Phase]:
        rng = np.random.default_rng([seed, 1])
        target = seconds if seconds is not None else self.duration_s
        phases: list[Phase] = []
        t = 0.0
        while True:
            t = _expand(self.routine, rng, t, phases)
            if target is None or t >= target or not phases:
                break
            if self.fill == "rest" and (seconds is None or seconds <= (self.duration_s or 0)):
                phases.append(Phase("rest", t, target - t, 0.0, 0.0, 0.5))
                break
        if target is not None:
            phases = [p for p in phases if p.start_s < target]
            last = phases[-1]
            if last.end_s > target:
                phases[-1] = dataclasses.replace(last, duration_s=target - last.start_s)
        return phases


def _fill(value: Any) -> str:
    if value not in ("repeat", "rest"):
        raise ValueError(f"fill is 'repeat' or 'rest', not {value!r}")
    return str(value)


def _link(raw: Mapping[str, Any], rng: np.random.Generator) -> Link:
    raw = dict(raw)
    if "restarts_at_s" in raw:
        raw["restarts_at_s"] = tuple(float(_draw(v, rng)) for v in raw["restarts_at_s"])
    if raw.get("attach_at_s") is not None:
        raw["attach_at_s"] = float(_draw(raw["attach_at_s"], rng))
    return Link(**raw)


def _environment(raw: Mapping[str, Any], rng: np.random.Generator) -> Environment:
    fields: dict[str, Any] = {k: (None if v is None else float(_draw(v, rng)))
                              for k, v in raw.items()}
    return Environment(**fields)


def _draw(value: Any, rng: np.random.Generator, *, integer: bool = False) -> Any:
    if isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            return value[int(rng.integers(len(value)))]
        if len(value) != 2:
            raise ValueError(f"a range is [lo, hi], not {value!r}")
        lo, hi = float(value[0]), float(value[1])
        if integer:
            return int(rng.integers(int(lo), int(hi) + 1))
        return float(rng.uniform(lo, hi))
    return int(value) if integer else value


def _check_routine(items: tuple[Mapping[str, Any], ...] | list[Mapping[str, Any]]) -> None:
    if not items:
        raise ValueError("a routine needs at least one phase")
    for item in items:
        if "phases" in item:
            _check_routine(item["phases"])
        elif "choice" in item:
            _check_routine(item["choice"])
        else:
            if item.get("kind") not in PHASE_KINDS:
                raise ValueError(f"phase kind {item.get('kind')!r} is not one of {PHASE_KINDS}")
            if "duration_s" not in item:
                raise ValueError(f"a {item['kind']} phase needs duration_s")
            for key, known in (("stroke", STROKES), ("region", REGIONS)):
                value = item.get(key, known[0])
                for v in value if isinstance(value, list) else [value]:
                    if v not in known:
                        raise ValueError(f"{key} {v!r} is not one of {known}")


def _expand(items: Any, rng: np.random.Generator, t: float, out: list[Phase]) -> float:
    for item in items:
        if "p" in item and rng.uniform() >= float(item["p"]):
            continue
        if "phases" in item:
            for _ in range(_draw(item.get("repeat", 1), rng, integer=True)):
                t = _expand(item["phases"], rng, t, out)
        elif "choice" in item:
            pick = item["choice"][int(rng.integers(len(item["choice"])))]
            t = _expand([pick], rng, t, out)
        else:
            kind = item["kind"]
            force0, speed0, ramp0 = _KIND_DEFAULTS[kind]
            duration = float(_draw(item["duration_s"], rng))
            if not math.isfinite(duration) or duration <= 0:
                raise ValueError("a phase lasts more than 0 s")
            stroke = str(_draw(item.get("stroke", "heel_toe"), rng))
            region = str(_draw(item.get("region", ["heel", "arch", "forefoot"]), rng))
            if stroke not in STROKES or region not in REGIONS:
                raise ValueError(f"stroke {stroke!r} or region {region!r} is not known")
            phase = Phase(
                kind=kind,
                start_s=t,
                duration_s=duration,
                force_n=max(0.0, float(_draw(item.get("force_n", force0), rng))),
                speed_mps=(float(_draw(item.get("speed_mps", speed0), rng))
                           if kind == "roll" else 0.0),
                ramp_s=float(_draw(item.get("ramp_s", ramp0), rng)),
                stroke=stroke,
                region=region,
                mark=bool(item.get("mark", False)),
                wobble=None if item.get("wobble") is None else float(_draw(item["wobble"], rng)),
                stroke_m=None if item.get("stroke_m") is None else float(item["stroke_m"]),
                heading_deg=(None if item.get("heading_deg") is None
                             else float(item["heading_deg"])),
            )
            out.append(phase)
            t += duration
    return t
