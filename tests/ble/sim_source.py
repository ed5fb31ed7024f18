"""The simulated ball the BLE tests and the delivery benchmark serve over the peripheral."""

from __future__ import annotations

from smartball.sim.ball import SimulatedBall
from smartball.sim.ble_peripheral import SimulatedBallSource


def ball_source(seconds: float = 60.0, scenario: str = "desk") -> SimulatedBallSource:
    """A fault-free scenario: any gap the host sees was made by the BLE path."""
    return SimulatedBallSource(SimulatedBall(scenario, seed=0, seconds=seconds))
