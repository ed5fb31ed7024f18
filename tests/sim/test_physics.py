"""The physics, tested as physics: each test checks one law or one sensor property."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import periodogram

from smartball.sim.balls import Ball
from smartball.sim.physics import KELVIN
from tests.sim.helpers import settled_from_measured, signals

REST = {"kind": "rest", "duration_s": 20}


def test_pressure_noise_at_rest_is_about_2_pa_rms() -> None:
    s = signals([REST])
    # Remove the slow baseline (temperature) before measuring the noise.
    residual = s.pressure_pa - s.baseline_pa
    assert 1.7 < residual.std() < 2.3


def test_unloaded_pressure_is_the_reference_baseline_at_room_temperature() -> None:
    s = signals([REST])
    assert abs(s.pressure_pa.mean() - Ball().baseline_pa) < 5


def _ripple_hz(speed_mps: float) -> tuple[float, float]:
    """Power-weighted mean frequency of the pressure above the stroke's own frequencies, and
    the ball's mean speed over the spike pitch in the same stretch."""
    s = signals([{"kind": "roll", "force_n": 60, "speed_mps": speed_mps, "duration_s": 30,
                  "stroke": "heel_toe"}])
    mid = slice(500, 2500)
    f, pxx = periodogram(s.pressure_pa[mid] - s.pressure_pa[mid].mean(), fs=100)
    nominal_hz = speed_mps / 0.008
    # Around the fundamental: the stroke and the foot's wander are far below, the spikes'
    # second harmonic far above.
    band = (f > 0.6 * nominal_hz) & (f < 1.4 * nominal_hz)
    centroid_hz = float((f[band] * pxx[band]).sum() / pxx[band].sum())
    return centroid_hz, float(np.abs(s.speed_mps[mid]).mean() / 0.008)


@pytest.mark.parametrize("speed_mps", [0.03, 0.06])
def test_spike_ripple_frequency_is_speed_over_pitch(speed_mps: float) -> None:
    centroid_hz, expected_hz = _ripple_hz(speed_mps)
    assert centroid_hz == pytest.approx(expected_hz, rel=0.1)
    assert expected_hz == pytest.approx(0.95 * speed_mps / 0.008, rel=0.05)


def test_spike_ripple_frequency_doubles_with_speed() -> None:
    slow, _ = _ripple_hz(0.03)
    fast, _ = _ripple_hz(0.06)
    assert fast / slow == pytest.approx(2.0, rel=0.1)


def test_no_ripple_on_a_smooth_ball() -> None:
    roll = {"kind": "roll", "force_n": 60, "speed_mps": 0.05, "duration_s": 20,
            "stroke": "side_to_side"}
    smooth = signals([roll], ball={"spike_pitch_mm": None})
    spiky = signals([roll])
    band = slice(500, 1500)

    def ripple_power(x: np.ndarray) -> float:
        f, pxx = periodogram(x[band] - x[band].mean(), fs=100)
        return float(pxx[(f > 5.5) & (f < 7.0)].sum())

    assert ripple_power(smooth.pressure_pa) < 0.01 * ripple_power(spiky.pressure_pa)


def test_cold_ball_drift_follows_the_gas_law() -> None:
    s = signals([{"kind": "rest", "duration_s": 600}],
                environment={"ball_start_c": -18.0, "room_c": 22.0, "warm_tau_s": 300})
    p_start = s.pressure_pa[:100].mean()
    p_end = s.pressure_pa[-100:].mean()
    t_start = s.air_c[:100].mean() + KELVIN
    t_end = s.air_c[-100:].mean() + KELVIN
    assert p_end / p_start == pytest.approx(t_end / t_start, rel=2e-5)
    # ~0.34 %/K near room temperature, and the ball warmed most of the way.
    assert s.air_c[-1] > 15
    assert (p_end - p_start) / (t_end - t_start) == pytest.approx(
        Ball().baseline_pa / (22.0 + KELVIN), rel=1e-3)


def test_temperature_channel_lags_the_air() -> None:
    s = signals([{"kind": "rest", "duration_s": 120}],
                environment={"ball_start_c": -18.0, "warm_tau_s": 300})
    # While the air warms, the sensor reads behind it by about rate x its 15 s lag.
    rate_c_per_s = np.gradient(s.air_c) * 100
    lag_c = s.air_c - s.temp_c
    assert np.all(lag_c[3000:] > 0)
    assert np.median(lag_c[3000:] / (rate_c_per_s[3000:] * 15.0)) == pytest.approx(1.0, abs=0.1)


def test_foot_warms_the_ball_slowly() -> None:
    s = signals([{"kind": "hold", "force_n": 30, "duration_s": 300}])
    assert 0.5 < s.air_c[-1] - s.air_c[0] < 3.0


def test_leak_lowers_the_baseline() -> None:
    s = signals([{"kind": "rest", "duration_s": 120}], environment={"leak_pa_per_min": 30})
    assert s.baseline_pa[0] - s.baseline_pa[-1] == pytest.approx(60, rel=0.01)


def test_held_press_reads_the_settled_rise_once_settled() -> None:
    s = signals([{"kind": "rest", "duration_s": 2},
                 {"kind": "hold", "force_n": 80, "duration_s": 40, "ramp_s": 0.5}])
    rise = s.pressure_pa - s.baseline_pa
    # The truth is the foot's steady force, not the reading that settles from 20 % high.
    assert np.std(s.force_n[300:]) < 0.05 * 80
    assert rise[250:300].mean() > 1.15 * 60 * s.force_n[250:300].mean()
    assert rise[-500:].mean() == pytest.approx(60 * s.force_n[-500:].mean(), rel=0.01)


def test_force_from_pressure_matches_the_truth_while_rolling() -> None:
    s = signals([{"kind": "roll", "force_n": 50, "speed_mps": 0.04, "duration_s": 20}])
    implied = settled_from_measured(s.pressure_pa - s.baseline_pa, 100) / 60.0
    # Averaged over a spike pitch the ripple cancels; what is left is the 2 Pa noise.
    kernel = np.ones(25) / 25
    smooth_implied = np.convolve(implied, kernel, mode="same")[100:-100]
    smooth_truth = np.convolve(s.force_n, kernel, mode="same")[100:-100]
    assert np.abs(smooth_implied - smooth_truth).max() < 0.12 * 50


def test_stiffening_ball_reads_more_per_newton() -> None:
    hold = [{"kind": "press", "force_n": 100, "duration_s": 0.5, "ramp_s": 0.05}]
    linear = signals(hold)
    stiff = signals(hold, ball={"stiffening_per_n": 0.001})
    ratio = (stiff.pressure_pa[30:] - stiff.baseline_pa[30:]).mean() / (
        linear.pressure_pa[30:] - linear.baseline_pa[30:]).mean()
    assert ratio == pytest.approx(1.1, rel=0.01)


def test_sensor_range_end_saturates() -> None:
    s = signals([{"kind": "press", "force_n": 300, "duration_s": 2}])
    assert not s.saturated.any()
    s = signals([{"kind": "press", "force_n": 500, "duration_s": 2}],
                ball={"pa_per_n": 60, "baseline_pa": 120_000})
    assert s.saturated.any()
    assert s.pressure_pa.max() == 125_000.0


@pytest.mark.parametrize("stroke", ["heel_toe", "side_to_side"])
def test_gyro_sees_speed_over_radius(stroke: str) -> None:
    s = signals([{"kind": "roll", "force_n": 40, "speed_mps": 0.05, "duration_s": 20,
                  "stroke": stroke}])
    rate_dps = np.linalg.norm(s.gyro_dps, axis=1)
    expected_dps = np.degrees(np.abs(s.speed_mps) / 0.04)
    moving = np.abs(s.speed_mps) > 0.04
    # Bias (up to 2.5 dps per axis), noise and the foot's tremor ride on top.
    assert np.median(np.abs(rate_dps[moving] - expected_dps[moving])) < 5
    assert np.degrees(0.05 / 0.04) == pytest.approx(71.6, abs=0.1)
    assert 60 < np.median(rate_dps[moving]) < 80


def test_gyro_is_quiet_when_the_ball_stands_still() -> None:
    s = signals([{"kind": "hold", "force_n": 80, "duration_s": 10}])
    assert np.percentile(np.linalg.norm(s.gyro_dps, axis=1), 99) < 20


def test_accelerometer_reads_one_g_turning_with_the_ball() -> None:
    s = signals([{"kind": "roll", "force_n": 40, "speed_mps": 0.05, "duration_s": 20}])
    norm = np.linalg.norm(s.accel_g, axis=1)
    assert np.abs(np.median(norm) - 1.0) < 0.03
    # Gravity turns in the ball's frame as it rolls: each axis swings.
    assert (np.ptp(s.accel_g, axis=0) > 0.5).sum() >= 2


def test_gravity_turns_by_the_rolled_angle() -> None:
    s = signals([{"kind": "roll", "force_n": 40, "speed_mps": 0.05, "duration_s": 6,
                  "stroke": "side_to_side"}], ball={"diameter_mm": 80})
    # Integrate the gyro about its own axis; the angle between gravity vectors at two times
    # equals the angle rolled in between.
    a, b = 100, 250
    ga = s.accel_g[a] / np.linalg.norm(s.accel_g[a])
    gb = s.accel_g[b] / np.linalg.norm(s.accel_g[b])
    angle = np.degrees(np.arccos(np.clip(ga @ gb, -1, 1)))
    rolled = np.degrees(abs(np.sum(s.speed_mps[a:b])) / 100 / 0.04)
    rolled = rolled % 360
    rolled = min(rolled, 360 - rolled)
    assert angle == pytest.approx(rolled, abs=4)


def test_same_seed_same_signals_other_seed_other_signals() -> None:
    routine = [{"kind": "roll", "force_n": [30, 60], "speed_mps": [0.03, 0.05],
                "duration_s": [5, 8]}]
    a, b, c = signals(routine, seed=1), signals(routine, seed=1), signals(routine, seed=2)
    assert np.array_equal(a.pressure_pa, b.pressure_pa)
    assert np.array_equal(a.gyro_dps, b.gyro_dps)
    assert len(a) != len(c) or not np.array_equal(a.pressure_pa, c.pressure_pa)


def test_rolling_truth_spans_stroke_turnarounds_and_ends_at_the_stop() -> None:
    s = signals([{"kind": "roll", "force_n": 40, "speed_mps": 0.04, "duration_s": 12},
                 {"kind": "hold", "force_n": 80, "duration_s": 5}])
    assert s.rolling[100:1150].all()
    assert not s.rolling[1205:].any()


def test_release_after_a_deep_hold_reads_low_then_returns_to_the_baseline() -> None:
    s = signals([{"kind": "hold", "force_n": 150, "duration_s": 30},
                 {"kind": "rest", "duration_s": 60}])
    rise_after = (s.pressure_pa - s.baseline_pa)[3000:]
    # Up to 20 % of the settled 9 kPa below the baseline, back within noise a minute later.
    assert -0.21 * 9000 < rise_after.min() < -0.15 * 9000
    assert abs(rise_after[-500:].mean()) < 10
