"""Lying on the floor on the ball (the back, the hip): larger, slower forces than a foot's,
and presses past the ball's top, which the simulated sensor clips and flags as the
firmware does."""

from __future__ import annotations

import numpy as np
import pytest

from smartball.protocol.decoder import StreamDecoder
from smartball.sensor_range import SENSOR_MAX_PA, ball_top_n
from smartball.sim.ball import SimulatedBall
from smartball.sim.balls import get_ball


@pytest.mark.parametrize("scenario", ["floor-back", "floor-hip"])
@pytest.mark.parametrize("ball", ["reference", "firm"])
def test_floor_sessions_press_past_the_balls_top(scenario: str, ball: str) -> None:
    sim = SimulatedBall(scenario, seed=1, ball=ball)
    sig = sim.signals
    loaded = sig.force_n > 20
    # Larger than a foot's (whose deep holds are 100-160 N), and past the ball's top.
    assert np.median(sig.force_n[loaded]) > 150
    b = get_ball(ball)
    assert sig.force_n.max() > 1.1 * ball_top_n(None, b.baseline_pa) * 60 / b.pa_per_n
    assert sig.saturated.sum() > 300
    assert (sig.pressure_pa <= SENSOR_MAX_PA).all()
    # Slower than a foot's press (220 N in 0.12 s, up to 2750 N/s): a body's weight comes
    # on over a second or more.
    assert np.max(np.abs(np.diff(sig.intended_n))) * sig.rate_hz < 1200

    # The frames flag exactly what the sensor clipped (the flag is per frame).
    dec = StreamDecoder()
    block = dec.feed(sim.serial_bytes()).samples
    row = sim.truth.lookup(block.segment, block.index)
    ok = row >= 0
    clipped = np.zeros(len(block), bool)
    clipped[ok] = sig.saturated[row[ok]]
    assert block.saturated[clipped].all()
    near = np.convolve(clipped, np.ones(5), mode="same") > 0
    assert not block.saturated[~near].any()
