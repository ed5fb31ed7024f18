"""The calibration fit on the protocol's response model (section 4, written from the
contract in ``calibration_signals``) and on the simulator's balls, and every refusal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from smartball.errors import InputError
from smartball.processing.calibration_fit import G_MPS2, HeldLoad, fit_calibration
from tests.processing.calibration_signals import Protocol, linear, play, stiffening

LOADS_N = (25.0, 60.0, 110.0, 160.0, 230.0)


def settled_error(fit_points: list[float], truth: list[float]) -> float:
    return float(np.max(np.abs(np.array(fit_points) / np.array(truth) - 1.0)))


@pytest.mark.parametrize("curve_name, overshoot, tau_s, wobble", [
    ("reference", 0.20, 7.0, 0.0),
    ("soft", 0.15, 5.0, 0.0),
    ("stiffening", 0.18, 8.0, 0.0),
    ("heating", 0.35, 12.0, 0.0),
    ("reference", 0.20, 7.0, 0.02),  # a hand that wobbles 2 %
    ("stiffening", 0.60, 2.0, 0.02),
])
def test_fit_finds_the_protocol_response_within_1_percent(
        curve_name: str, overshoot: float, tau_s: float, wobble: float) -> None:
    curve = {"reference": linear(60.0), "soft": linear(40.0),
             "stiffening": stiffening(48.0, 0.0025), "heating": linear(60.0)}[curve_name]
    pr = play(curve, LOADS_N, overshoot=overshoot, tau_s=tau_s, wobble=wobble, seed=3)
    fit = fit_calibration(pr.t_s, pr.pressure_pa, pr.marks)
    cal = fit.calibration
    truth = curve(np.array([m.force_n for m in pr.marks]))
    assert settled_error([lf.settled_rise_pa for lf in fit.loads], list(truth)) < 0.01
    assert cal.overshoot == pytest.approx(overshoot, abs=0.005)
    assert cal.tau_s == pytest.approx(tau_s, rel=0.02)
    assert all(abs(lf.residual_n) < 1.0 for lf in fit.loads)
    assert cal.residual_n is not None and cal.residual_n < 1.0


def test_a_baseline_that_drifts_is_interpolated_between_rests() -> None:
    pr = play(linear(60.0), LOADS_N, drift_pa_per_s=1.0)
    fit = fit_calibration(pr.t_s, pr.pressure_pa, pr.marks)
    truth = [60.0 * m.force_n for m in pr.marks]
    assert settled_error([lf.settled_rise_pa for lf in fit.loads], truth) < 0.01


def test_the_mean_of_a_settling_reading_would_be_far_off() -> None:
    """What the fit is for: the plain mean over each hold reads several percent high."""
    pr = play(linear(60.0), LOADS_N)
    base = float(np.mean(pr.pressure_pa[pr.t_s < 4.0]))
    naive = [float(np.mean(pr.pressure_pa[(pr.t_s >= m.start_s) & (pr.t_s < m.end_s)]))
             - base for m in pr.marks]
    assert settled_error(naive, [60.0 * m.force_n for m in pr.marks]) > 0.04


# ---------------------------------------------------------------------------- the sim's balls


@pytest.fixture(scope="module")
def sim_recordings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from smartball.cli import main

    folder = tmp_path_factory.mktemp("balls")
    out = {}
    for ball in ("soft", "stiffening", "heating", "creep", "warm-stiffening"):
        path = folder / f"{ball}.sbrec"
        assert main(["simulate", "scale-calibration", "--ball", ball, "--seed", "1",
                     "--out", str(path)]) == 0
        out[ball] = path
    return out


@pytest.mark.parametrize("ball", ["soft", "stiffening", "heating", "creep", "warm-stiffening"])
def test_fit_finds_the_simulated_balls(ball: str, sim_recordings: dict[str, Path]) -> None:
    from smartball.cli.calibrate_cmd import calibrate_file
    from smartball.sim.balls import BALLS

    rec = sim_recordings[ball]
    cal = calibrate_file(str(rec), f"{rec}.marks.csv").calibration
    truth = BALLS[ball]
    loads = np.linspace(cal.points[0][0], cal.points[-1][0], 50)
    gain_err = np.abs(cal.rise_pa(loads) / truth.settled_rise_pa(loads) - 1.0)
    if ball != "warm-stiffening":  # its overshoot grows with the load: no one figure
        assert abs(cal.overshoot - truth.overshoot) < 0.05
    if ball == "creep":
        # Two relaxations (5 s and 40 s): the protocol's one-pole response finds the fast
        # one, and the 40 s creep, not settled within a 12 s hold and hard to tell from the
        # floor's drift in a few seconds of rest, reads as part of the settled rise (about
        # 4-6 % with the scenario's leak and vibration).
        assert np.max(gain_err) < 0.07
        assert truth.tau_s * 0.8 < cal.tau_s < truth.creep_tau_s
    else:
        assert np.max(gain_err) < 0.03
        assert abs(cal.tau_s / truth.tau_s - 1.0) < 0.2


# ---------------------------------------------------------------------------- refusals


@pytest.fixture(scope="module")
def protocol() -> Protocol:
    return play(linear(60.0), LOADS_N)


def refused(pr: Protocol, marks: list[HeldLoad], match: str) -> str:
    with pytest.raises(InputError, match=match) as err:
        fit_calibration(pr.t_s, pr.pressure_pa, marks)
    message = str(err.value)
    assert "\n" not in message and message.endswith(".")
    return message


def test_marks_outside_the_file(protocol: Protocol) -> None:
    marks = list(protocol.marks)
    marks[-1] = HeldLoad(marks[-1].start_s, 500.0, marks[-1].force_n)
    refused(protocol, marks, "outside the file")
    marks[-1] = HeldLoad(-3.0, 2.0, marks[-1].force_n)
    refused(protocol, marks, "outside the file")


def test_a_mark_that_ends_before_it_starts(protocol: Protocol) -> None:
    marks = list(protocol.marks)
    marks[0] = HeldLoad(marks[0].end_s, marks[0].start_s, marks[0].force_n)
    refused(protocol, marks, "ends before it starts")


def test_fewer_than_three_loads(protocol: Protocol) -> None:
    refused(protocol, protocol.marks[:2], "at least 3 different loads")
    same = [HeldLoad(m.start_s, m.end_s, 100.0) for m in protocol.marks]
    refused(protocol, same, "at least 3 different loads")


def test_a_load_held_under_4_s(protocol: Protocol) -> None:
    marks = list(protocol.marks)
    m = marks[2]
    marks[2] = HeldLoad(m.start_s, m.start_s + 3.5, m.force_n)
    refused(protocol, marks, "held for 3.5 s, under 4 s")


def test_rises_that_do_not_grow_with_load(protocol: Protocol) -> None:
    marks = list(protocol.marks)
    a, b = marks[1], marks[3]
    marks[1], marks[3] = (HeldLoad(a.start_s, a.end_s, b.force_n),
                          HeldLoad(b.start_s, b.end_s, a.force_n))
    refused(protocol, marks, "does not grow with the load")


def test_no_unloaded_stretch_before_a_load() -> None:
    # From one load straight to the next, the hand never lifted.
    pr = play(linear(60.0), LOADS_N, rest_s=0.0)
    refused(pr, pr.marks, "never seen unloaded and at rest before the load at")
    # Pressed from the first sample.
    pr = play(linear(60.0), LOADS_N, first_rest_s=0.0)
    refused(pr, pr.marks, "never seen unloaded and at rest before the load at")


def test_overlapping_marks_and_no_pressure(protocol: Protocol) -> None:
    marks = list(protocol.marks)
    marks[1] = HeldLoad(marks[0].start_s + 1.0, marks[1].end_s, marks[1].force_n)
    refused(protocol, marks, "overlap")
    with pytest.raises(InputError, match="no pressure readings"):
        fit_calibration(protocol.t_s, np.full_like(protocol.t_s, np.nan), protocol.marks)


@pytest.mark.parametrize("overshoot, tau_s", [(3.0, 7.0), (2.0, 30.0), (0.2, 200.0)])
def test_a_response_no_ball_has_is_refused(overshoot: float, tau_s: float) -> None:
    # Read three times its settled rise at first, or settle over minutes: the fit would find
    # the bound of what a ball does, and settled rises far off.
    pr = play(linear(60.0), LOADS_N, overshoot=overshoot, tau_s=tau_s)
    message = refused(pr, pr.marks, "response cannot be told from this recording")
    assert "record a few seconds of rest after the last load" in message


def test_marks_from_kilograms() -> None:
    assert HeldLoad.from_kg(1.0, 6.0, 10.0).force_n == pytest.approx(10.0 * G_MPS2)
    assert G_MPS2 == 9.80665


def test_fit_on_the_first_loads_of_a_session_cut_short(sim_recordings: dict[str, Path]) -> None:
    """'done' after a few loads: the file ends soon after the last one, loads after it in
    the file are not marked. With the floor's vibration, three or four rests are too few to
    outweigh it: counted as the inverted reading shows it, the vibration damped by a large
    overshoot made that look flattest (an overshoot at its bound, tau 20 s, 50 % off)."""
    from smartball.io.calibration_marks import read_marks
    from smartball.io.load import load_session
    from smartball.sim.balls import BALLS

    rec = sim_recordings["stiffening"]
    block, _ = load_session(rec)
    t = block.t_s - block.t_s[0]
    for n in (3, 4):
        marks = read_marks(f"{rec}.marks.csv")[:n]
        keep = t < marks[-1].end_s + 4.0
        cal = fit_calibration(t[keep], block.pressure_pa[keep], marks).calibration
        truth = BALLS["stiffening"]
        f = np.array([pt[0] for pt in cal.points])
        assert np.max(np.abs(cal.rise_pa(f) / truth.settled_rise_pa(f) - 1.0)) < 0.03
        assert abs(cal.overshoot - truth.overshoot) < 0.05
        assert abs(cal.tau_s / truth.tau_s - 1.0) < 0.2
