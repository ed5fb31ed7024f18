"""Pressure to force: baseline through temperature and leaks, calibration, saturation."""

from __future__ import annotations

import numpy as np

from smartball.block import SampleBlock
from smartball.processing import Calibration, Processor
from tests.processing.signals import session

PRESSES = [(0, 0), (20, 0), (21, 80), (31, 80), (32, 0), (60, 0), (61, 40), (71, 40),
           (72, 0), (120, 0), (121, 150), (126, 150), (127, 0), (180, 0)]


def test_cold_ball_warming_up_reads_true_force() -> None:
    # Out of the freezer: -15 C to 20 C over three minutes; the gas law alone would read
    # the baseline rise (about 12 kPa) as 200 N.
    t = np.arange(0, 180, 0.01)
    temp = 20.0 - 35.0 * np.exp(-t / 60.0)
    s = session(PRESSES, temp_c=temp, gyro=False)
    r = Processor().process(s.block)
    assert np.max(np.abs(r.force_n - s.force_n)) < 3.0


def test_temperature_lagging_the_air_is_tracked_while_unloaded() -> None:
    # The sensor reads the air 2 K off for the whole warm-up: a drift the gas law does not
    # explain, which the unloaded follower absorbs between presses.
    t = np.arange(0, 180, 0.01)
    air = 20.0 - 20.0 * np.exp(-t / 80.0)
    s = session(PRESSES, temp_c=air, gyro=False)
    b = s.block
    sensed = SampleBlock.from_arrays(b.t_s, pressure_pa=b.pressure_pa, temp_c=b.temp_c - 2.0)
    r = Processor().process(sensed)
    assert np.max(np.abs(r.force_n - s.force_n)) < 4.0


def test_slow_leak_is_tracked() -> None:
    s = session(PRESSES, leak_pa_per_s=5.0, gyro=False)  # 900 Pa (15 N) over the session
    r = Processor().process(s.block)
    assert np.max(np.abs(r.force_n - s.force_n)) < 3.0
    # Without tracking the end would read -15 N.
    assert abs(r.force_n[-1]) < 1.5


def test_baseline_is_frozen_under_a_long_hold() -> None:
    s = session([(0, 0), (5, 0), (6, 90), (125, 90), (126, 0), (130, 0)], gyro=False)
    r = Processor().process(s.block)
    assert abs(float(np.mean(r.force_n[12000:12400])) - 90.0) < 1.0


def test_user_calibration_is_applied() -> None:
    s = session([(0, 0), (2, 0), (3, 100), (6, 100)], gyro=False)
    # This ball gives 30 Pa/N, so the reference-ball pressure reads double.
    cal = Calibration.fit([(50.0, 1500.0), (100.0, 3000.0)])
    r = Processor(calibration=cal).process(s.block)
    assert abs(float(np.median(r.force_n[400:])) - 200.0) < 2.0


def test_force_column_is_used_directly() -> None:
    t = np.arange(0, 5, 0.01)
    f = np.where(t > 2, 70.0, 0.0)
    r = Processor().process(SampleBlock.from_arrays(t, force_n=f))
    assert np.array_equal(r.force_n, f)


def test_saturation_is_flagged_and_warns() -> None:
    t = np.arange(0, 4, 0.01)
    p = np.full(t.size, 101_325.0)
    p[200:260] = 125_000.0  # the end of the sensor's range
    sat = np.zeros(t.size, np.bool_)
    sat[200:260] = True
    r = Processor().process(SampleBlock.from_arrays(t, pressure_pa=p, saturated=sat))
    assert r.saturated[200:260].all() and not r.saturated[:200].any()
    assert r.too_hard[201:260].all()
    assert [e.type for e in r.events].count("too_hard") == 1


def test_start_under_a_foot_is_corrected_at_the_first_release() -> None:
    # The host attached while the ball carried 60 N: the first reading is no baseline.
    # A real foot wanders (2 %): a ball under it is never quiet, so never taken as at rest.
    s = session([(0, 60), (10, 60), (11, 0), (20, 0), (21, 80), (30, 80)], gyro=False,
                wander=0.02)
    r = Processor().process(s.block)
    assert abs(float(np.median(r.force_n[1300:1900]))) < 1.0
    assert abs(float(np.median(r.force_n[2200:] - s.force_n[2200:]))) < 1.5


def test_a_release_onto_a_resting_foot_does_not_move_the_baseline() -> None:
    # A long deep hold, released onto a foot that rests on the ball at 4 N, very still, for
    # 5 s (as still as an unloaded ball), then lifted off, then a press.
    s = session([(0, 0), (3, 0), (4, 160), (44, 160), (44.3, 4), (49.3, 4), (49.6, 0),
                 (55, 0), (56, 80), (70, 80)], gyro=False)
    r = Processor().process(s.block)
    t = s.block.t_s
    resting = (t > 44.6) & (t < 49.3)
    assert np.max(np.abs(r.force_n[resting] - 4.0)) < 1.0
    assert np.max(np.abs(r.force_n[t > 49.9] - s.force_n[t > 49.9])) < 1.0


def test_a_baseline_too_high_follows_a_lower_reading_at_once() -> None:
    # The host attached while a foot rested on the ball at 20 N: once it is lifted, the
    # settled reading goes under the baseline, which is therefore too high.
    s = session([(0, 20), (5, 20), (5.3, 0), (10, 0), (11, 60), (20, 60)], gyro=False)
    r = Processor().process(s.block)
    t = s.block.t_s
    assert np.max(np.abs(r.force_n[t > 5.5] - s.force_n[t > 5.5])) < 1.0


def test_a_frozen_wrong_baseline_restarts_on_a_quiet_ball() -> None:
    # A step of +600 Pa (10 N) in the unloaded reading that the gas law does not explain,
    # made while a foot was on the ball: after the foot leaves, the ball reads 10 N while
    # quiet; within a few seconds the baseline restarts and it reads 0 again.
    s = session([(0, 0), (3, 0), (4, 60), (10, 60), (10.5, 0), (30, 0)], gyro=False)
    b = s.block
    step = np.where(b.t_s >= 7.0, 600.0, 0.0)
    block = SampleBlock.from_arrays(b.t_s, pressure_pa=b.pressure_pa + step, temp_c=b.temp_c)
    r = Processor().process(block)
    assert float(np.median(r.force_n[1100:1300])) > 8.0
    assert abs(float(np.median(r.force_n[1600:]))) < 0.5
    assert r.zone[-1] == 0
