"""Simulated sessions for benchmarks and tests: any scenario, on any ball, with a seed.

    from smartball.sim.api import ball_names, scenario_names, simulate_session

    for ball in ball_names():
        s = simulate_session("roll-near-50", ball=ball, seed=1)
        data = s.serial_bytes()            # what a serial host reads (link faults applied)
        files = s.write(tmp / "x.sbrec")   # a recording as `record` writes it, its truth,
                                           # and for a calibration the marks a user notes
        s.truth.intended_n, s.truth.zone_ok(zones, rows), s.truth.holds, s.truth.too_hard
        s.truth.ball                       # the ball's true response, to score a calibration

Everything is reproducible for ``(scenario, ball, seed, seconds, channels)``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from smartball.sim.ball import SimulatedBall
from smartball.sim.balls import Ball, ball_names
from smartball.sim.capture import SessionFiles
from smartball.sim.catalog import list_scenarios
from smartball.sim.marks import Mark, marks_for
from smartball.sim.physics import Signals
from smartball.sim.scenario import Scenario
from smartball.sim.truth import Truth


def scenario_names() -> list[str]:
    """Names of the scenarios that ship with the package."""
    return list_scenarios()


class SimulatedSession:
    """One simulated session: the device that plays it, its signals and its truth."""

    def __init__(self, device: SimulatedBall) -> None:
        self.device = device

    @property
    def ball(self) -> Ball:
        """The ball it was played on (its true response: :meth:`Ball.parameters`)."""
        return self.device.scenario.ball

    @property
    def truth(self) -> Truth:
        return self.device.truth

    @property
    def signals(self) -> Signals:
        """Every true and measured signal per sample (session time, no link faults)."""
        return self.device.signals

    @cached_property
    def marks(self) -> list[Mark]:
        """The marks a person would note (empty unless the scenario marks loads)."""
        return marks_for(self.device)

    def serial_bytes(self) -> bytes:
        """The whole session as a serial host reads it."""
        return self.device.serial_bytes()

    def write(self, path: Path) -> SessionFiles:
        """The session as a recording at ``path`` (what ``smartball record`` writes), its
        truth at ``path.truth.json`` and, for a calibration, ``path.marks.csv``."""
        from smartball.sim.capture import write_session

        return write_session(path, self.device)


def simulate_session(
    scenario: str | os.PathLike[str] | Scenario,
    *,
    ball: str | Ball | None = None,
    seed: int = 0,
    seconds: float | None = None,
    channels: int | str | Iterable[str] | None = None,
) -> SimulatedSession:
    """``scenario`` (a name, a JSON path or a :class:`Scenario`) played on ``ball`` (a name
    from :func:`ball_names`, a :class:`Ball`, or None: the scenario's own) with ``seed``."""
    return SimulatedSession(SimulatedBall(scenario, seed=seed, seconds=seconds,
                                          channels=channels, ball=ball))


__all__ = ["SessionFiles", "SimulatedSession", "ball_names", "scenario_names",
           "simulate_session"]
