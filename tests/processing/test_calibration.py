from __future__ import annotations

import json

import numpy as np
import pytest

from smartball.errors import InputError
from smartball.processing import REFERENCE_PA_PER_N, Calibration
from smartball.processing.calibration import REFERENCE_OVERSHOOT, REFERENCE_TAU_S


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


def test_file_version_2_round_trip_keeps_the_response() -> None:
    cal = Calibration.fit([(30.0, 1500.0), (100.0, 6200.0), (200.0, 13_000.0)],
                          overshoot=0.31, tau_s=11.5, residual_n=0.4,
                          created="2026-12-01T10:00:00+00:00", ball="SmartBall-CDEF (01)")
    doc = json.loads(cal.to_json())
    assert doc["version"] == 2
    assert doc["response"] == {"overshoot": 0.31, "tau_s": 11.5}
    assert set(doc) == {"version", "points", "response", "residual_n", "created", "ball"}
    back = Calibration.from_json(cal.to_json())
    assert back == cal


def test_version_1_files_load_with_the_reference_response() -> None:
    v1 = json.dumps({"version": 1, "points": [{"force_n": 20.0, "pressure_rise_pa": 1100.0},
                                              {"force_n": 80.0, "pressure_rise_pa": 4700.0}]})
    cal = Calibration.from_json(v1)
    assert cal.points == ((20.0, 1100.0), (80.0, 4700.0))
    assert (cal.overshoot, cal.tau_s) == (REFERENCE_OVERSHOOT, REFERENCE_TAU_S)
    assert (REFERENCE_OVERSHOOT, REFERENCE_TAU_S) == (0.2, 7.0)
    assert Calibration.reference().overshoot == 0.2


@pytest.mark.parametrize("text", [
    "", "[1, 2]", '{"points": "many"}', '{"version": 2, "points": [{"force_n": 1}]}',
    '{"version": 2, "points": [{"force_n": 10, "pressure_rise_pa": 600}], "response": 3}',
    "not json at all",
])
def test_what_is_not_a_calibration_is_one_sentence(text: str) -> None:
    with pytest.raises(InputError, match="not a SmartBall calibration file") as err:
        Calibration.from_json(text)
    assert str(err.value).count(".") <= 2 and "\n" not in str(err.value)


def test_a_response_no_ball_has_is_refused() -> None:
    doc = {"version": 2, "points": [{"force_n": 10, "pressure_rise_pa": 600}],
           "response": {"overshoot": -0.5, "tau_s": 7.0}}
    with pytest.raises(InputError, match="overshoot"):
        Calibration.from_json(json.dumps(doc))
    doc["response"] = {"overshoot": 0.2, "tau_s": 0.0}
    with pytest.raises(InputError, match="time constant"):
        Calibration.from_json(json.dumps(doc))
    doc["version"] = 3
    with pytest.raises(InputError, match="newer"):
        Calibration.from_json(json.dumps(doc))
