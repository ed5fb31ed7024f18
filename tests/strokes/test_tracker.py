"""Strokes from a simulated ball's IMU against the truth of its motion."""

from __future__ import annotations

import numpy as np

from smartball.sim.ball import SimulatedBall
from smartball.sim.performers import performer_scenario
from smartball.sim.routine_truth import true_strokes
from smartball.strokes.tracker import StrokeTracker


def _ball(style: str) -> SimulatedBall:
    return SimulatedBall(performer_scenario("after-run", style, 3), seed=3, seconds=130)


def _measure(ball: SimulatedBall, chunk: int) -> list:  # type: ignore[type-arg]
    s = ball.signals
    tr = StrokeTracker(s.rate_hz, 80.0)
    out = []
    for a in range(0, len(s), chunk):
        out += tr.update(s.t_s[a:a + chunk], s.gyro_dps[a:a + chunk], s.accel_g[a:a + chunk])
    return out


def test_strokes_count_length_and_direction_follow_the_motion() -> None:
    ball = _ball("faithful")
    truth = true_strokes(ball)
    got = _measure(ball, 1000)
    assert abs(len(got) - len(truth)) <= max(2, 0.05 * len(truth))
    ends = np.array([g.end_s for g in got])
    errors, right = [], 0
    for t in truth:
        g = got[int(np.argmin(np.abs(ends - t["end_s"])))]
        errors.append(abs(g.length_cm - t["length_cm"]) / t["length_cm"])
        right += g.direction == t["direction"]
    assert np.median(errors) < 0.1
    assert right >= 0.9 * len(truth)
    assert {t["direction"] for t in truth} == {"along", "across"}


def test_chunking_does_not_change_the_strokes() -> None:
    ball = _ball("careless")
    whole = _measure(ball, 100_000)
    assert _measure(ball, 3) == whole


def test_no_imu_no_strokes() -> None:
    n = 500
    tr = StrokeTracker(100.0, 80.0)
    nan = np.full((n, 3), np.nan)
    assert tr.update(np.arange(n) / 100.0, nan, nan) == []
