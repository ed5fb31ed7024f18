from __future__ import annotations

import numpy as np
import pytest

from smartball.errors import InputError
from smartball.processing import REFERENCE_PA_PER_N, Calibration


def test_reference_is_60_pa_per_newton() -> None:
    cal = Calibration.reference()
    assert np.allclose(cal.force_n([0.0, 600.0, 60_000.0]), [0.0, 10.0, 1000.0])
    assert cal.force_n(-120.0) == pytest.approx(-2.0)
    assert REFERENCE_PA_PER_N == 60.0


def test_fit_passes_through_points_and_inverts() -> None:
    cal = Calibration.fit([(50.0, 2600.0), (20.0, 1100.0), (100.0, 5600.0), (50.0, 2400.0)])
    assert cal.points == ((20.0, 1100.0), (50.0, 2500.0), (100.0, 5600.0))
    assert np.allclose(cal.force_n([1100.0, 2500.0, 5600.0]), [20.0, 50.0, 100.0])
    # Beyond the last point: straight on with the curve's slope there, which a stiffening
    # curve has steeper than its last chord (62 Pa/N).
    beyond = cal.force_n(5600.0 + np.array([0.0, 3100.0, 6200.0]))
    assert np.diff(beyond) == pytest.approx([np.diff(beyond)[0]] * 2)
    assert 100.0 < beyond[2] < 200.0
    # Between points: a smooth monotone curve, not straight chords.
    assert 46.0 < float(cal.rise_pa(35.0)) / 35.0 < 55.0
    f = np.linspace(-5, 300, 50)
    assert np.allclose(cal.force_n(cal.rise_pa(f)), f)
    assert np.all(np.diff(cal.force_n(np.linspace(-100, 20_000, 500))) > 0)


def test_fit_refuses_a_curve_that_does_not_rise() -> None:
    with pytest.raises(InputError, match="grow with the load"):
        Calibration.fit([(20.0, 1500.0), (50.0, 1400.0)])
    with pytest.raises(InputError):
        Calibration.fit([])
    with pytest.raises(InputError):
        Calibration.fit([(-1.0, 100.0)])


def test_json_round_trip_and_bad_json() -> None:
    cal = Calibration.fit([(20.0, 1100.0), (80.0, 4700.0)])
    assert Calibration.from_json(cal.to_json()) == cal
    with pytest.raises(InputError, match="calibration"):
        Calibration.from_json('{"nope": 1}')
