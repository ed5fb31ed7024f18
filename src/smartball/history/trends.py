"""The history by day: what ``smartball trends`` draws (no plotting here, no numpy).

Days are local calendar days. A routine counts as done in the morning when it started before
noon, in the evening from 17:00, in the afternoon between; the plantar fasciitis routine,
for one, asks for a morning and an evening.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from smartball.history.row import SessionRow

if TYPE_CHECKING:
    from smartball.people.store import PersonZones

PRESSING_ZONES = ("light", "moderate", "deep", "too_hard")
"""Zones drawn as minutes per day (rest is the time the ball was not pressed)."""
REFERENCE_BALL = "the reference ball (60 Pa/N)"
"""How a session kept without a calibration turned pressure into force."""


def part_of_day(hour: int) -> str:
    return "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"


@dataclass(slots=True)
class RoutineDays:
    name: str
    done: dict[dt.date, set[str]] = field(default_factory=dict)
    """Day -> the parts of the day (morning/afternoon/evening) it was done."""
    adherence: dict[dt.date, list[float]] = field(default_factory=dict)

    def days_with(self, part: str) -> int:
        return sum(part in parts for parts in self.done.values())

    def days_both(self) -> int:
        return sum({"morning", "evening"} <= parts for parts in self.done.values())


@dataclass(slots=True)
class Trends:
    days: list[dt.date]
    minutes: dict[str, list[float]]
    """Zone -> minutes pressing in that zone each day."""
    sessions: list[int]
    holds: list[int]
    holds_reached: list[int]
    too_hard: list[int]
    routines: list[RoutineDays]
    calibrations: dict[str, int] = field(default_factory=dict)
    """How the sessions drawn turned pressure into force (a calibration's name as the
    history keeps it; ``REFERENCE_BALL`` for none) -> how many sessions, most first."""
    user: str = ""
    """Whose sessions (empty: everyone's)."""
    tolerance: dict[str, list[float | None]] = field(default_factory=dict)
    """Body part -> the edge of too much (N) in force each day (None before the first
    measurement): the person's pressure tolerance for that part."""
    measured: dict[str, list[tuple[dt.date, float]]] = field(default_factory=dict)
    """Body part -> each measurement's date and edge of too much within the days."""

    @property
    def total_sessions(self) -> int:
        return sum(self.sessions)


def by_day(rows: list[SessionRow], last_day: dt.date, n_days: int) -> Trends:
    """The ``n_days`` days up to ``last_day`` (included); rows outside are left out."""
    first = last_day - dt.timedelta(days=n_days - 1)
    days = [first + dt.timedelta(days=k) for k in range(n_days)]
    minutes = {z: [0.0] * n_days for z in PRESSING_ZONES}
    sessions, holds, reached, too_hard = ([0] * n_days for _ in range(4))
    routines: dict[str, RoutineDays] = {}
    calibrations: dict[str, int] = {}
    for r in rows:
        when = dt.datetime.fromtimestamp(r.started_at)
        k = (when.date() - first).days
        if not 0 <= k < n_days:
            continue
        sessions[k] += 1
        name = r.calibration or REFERENCE_BALL
        calibrations[name] = calibrations.get(name, 0) + 1
        for z in PRESSING_ZONES:
            minutes[z][k] += float(getattr(r, f"{z}_s")) / 60.0
        holds[k] += r.holds
        reached[k] += r.holds_reached
        too_hard[k] += r.too_hard_presses
        if r.routine:
            rd = routines.setdefault(r.routine, RoutineDays(r.routine))
            rd.done.setdefault(when.date(), set()).add(part_of_day(when.hour))
            if r.adherence is not None:
                rd.adherence.setdefault(when.date(), []).append(float(r.adherence))
    ordered = sorted(routines.values(), key=lambda rd: (-len(rd.done), rd.name))
    used = dict(sorted(calibrations.items(), key=lambda kv: (-kv[1], kv[0])))
    return Trends(days, minutes, sessions, holds, reached, too_hard, ordered, used)


def tolerance(person: PersonZones, days: list[dt.date]) -> tuple[
        dict[str, list[float | None]], dict[str, list[tuple[dt.date, float]]]]:
    """Per body part the person measured: the edge of too much in force on each day (the
    last measurement on or before it), and the measurements made within the days."""
    in_force: dict[str, list[float | None]] = {}
    measured: dict[str, list[tuple[dt.date, float]]] = {}
    for part, ms in person.parts.items():
        if not ms:
            continue
        row: list[float | None] = []
        for d in days:
            m = person.in_force_on(part, d.isoformat())
            row.append(None if m is None else m.thresholds_n[3])
        if all(v is None for v in row):
            continue
        in_force[part] = row
        measured[part] = [(dt.date.fromisoformat(m.date), m.thresholds_n[3]) for m in ms
                          if days[0].isoformat() <= m.date <= days[-1].isoformat()]
    return in_force, measured
