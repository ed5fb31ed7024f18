"""The frame source the BLE peripheral serves in tests and benchmarks."""

from __future__ import annotations

from smartball.sim.ble_peripheral import FrameSource
from tests.ble.counter_ball import CounterBall


def ball_source() -> FrameSource:
    return CounterBall()
