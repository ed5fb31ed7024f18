"""The API benchmarks build sessions with: any scenario on any ball, reproducible per seed."""

from __future__ import annotations

import numpy as np
import pytest

from smartball.errors import InputError
from smartball.protocol.decoder import StreamDecoder
from smartball.sim.api import ball_names, scenario_names, simulate_session


def test_names() -> None:
    assert ball_names()[0] == "reference" and len(ball_names()) >= 5
    assert {"roll-near-50", "roll-near-100", "roll-near-200", "cold-deep-holds",
            "attach-mid-press", "scale-calibration", "noisy-link"} <= set(scenario_names())


@pytest.mark.parametrize("ball", ["reference", "soft", "creep"])
def test_same_seed_same_session_other_seed_other_session(ball: str) -> None:
    a = simulate_session("roll-near-50", ball=ball, seed=3, seconds=40)
    b = simulate_session("roll-near-50", ball=ball, seed=3, seconds=40)
    c = simulate_session("roll-near-50", ball=ball, seed=4, seconds=40)
    assert a.serial_bytes() == b.serial_bytes()
    assert np.array_equal(a.truth.intended_n, b.truth.intended_n)
    assert a.serial_bytes() != c.serial_bytes()


def test_the_ball_changes_the_pressure_not_the_truth() -> None:
    ref = simulate_session("plantar-fasciitis", seed=2)
    firm = simulate_session("plantar-fasciitis", ball="firm", seed=2)
    assert np.array_equal(ref.truth.force_n, firm.truth.force_n)
    assert ref.truth.holds == firm.truth.holds
    assert firm.truth.ball["name"] == "firm" and firm.ball.pa_per_n == 80
    rise_ref = ref.signals.pressure_pa - ref.signals.baseline_pa
    rise_firm = firm.signals.pressure_pa - firm.signals.baseline_pa
    loaded = ref.truth.force_n > 30
    assert np.median(rise_firm[loaded] / rise_ref[loaded]) == pytest.approx(80 / 60, rel=0.05)


def test_serial_bytes_decode_to_the_truths_samples() -> None:
    s = simulate_session("roll-near-100", ball="stiffening", seed=1, seconds=20,
                         channels="pressure")
    block = StreamDecoder().feed(s.serial_bytes()).samples
    rows = s.truth.lookup(block.segment, block.index)
    assert (rows >= 0).all() and len(rows) == len(s.truth)
    assert np.allclose(block.pressure_pa, s.signals.pressure_pa[rows], atol=0.006)
    assert not block.has_gyro


def test_unknown_ball_is_an_input_error_naming_the_balls() -> None:
    with pytest.raises(InputError, match="reference"):
        simulate_session("demo", ball="squishy")


def test_freezer_ball_with_long_deep_holds() -> None:
    s = simulate_session("cold-deep-holds", seed=0)
    assert s.device.duration_s == pytest.approx(900)
    holds = [b - a for a, b in s.truth.holds]
    assert len(holds) >= 8 and np.median(holds) >= 25
    assert max(s.truth.intended_n) > 120
    # The baseline climbs with the air's warming by far more than a deep press's rise.
    assert s.signals.baseline_pa[-1] - s.signals.baseline_pa[0] > 10_000
    # After each long deep hold the reading is still recovering, below the baseline.
    rise = s.signals.pressure_pa - s.signals.baseline_pa
    for p in [p for p in s.device.plan if p.kind == "hold"][:3]:
        k = round((p.end_s + 1.0) * 100)
        assert rise[k] < -0.1 * 60 * p.force_n


def test_host_attaches_mid_press() -> None:
    for seed in range(3):
        s = simulate_session("attach-mid-press", seed=seed)
        first_hold = next(p for p in s.device.plan if p.kind == "hold")
        attach = s.device.link.attach_at_s
        assert attach is not None and first_hold.start_s + 2 < attach < first_hold.end_s
        block = StreamDecoder().feed(s.serial_bytes()).samples
        row = int(s.truth.lookup(block.segment[:1], block.index[:1])[0])
        assert s.truth.intended_n[row] >= 100  # the first reading is under the foot
