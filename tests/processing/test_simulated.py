"""The processing core on the simulated ball, scored against its truth (a quick version of
benchmarks/accuracy.py on a few scenarios): the raw serial stream through the decoder."""

from __future__ import annotations

import numpy as np
import pytest
from benchmarks.accuracy import hold_scores, too_hard_scores, zone_scores
from benchmarks.simrun import run_sim


@pytest.mark.parametrize("channels", [None, "pressure"])
def test_deep_work_against_truth(channels: str | None) -> None:
    run = run_sim("deep-work", 0, channels)
    judged, correct, reported, true = zone_scores(run)
    assert correct / judged >= 0.95
    assert reported <= 1.2 * true
    matched, n_reported, n_true = hold_scores(run)
    assert n_true >= 2 and matched >= n_true - 1 and n_reported <= n_true
    found, n_presses, false_alarms, latencies = too_hard_scores(run)
    assert n_presses >= 1 and found == n_presses and false_alarms == 0
    assert float(np.median(latencies)) <= 30.0


def test_a_roll_near_the_moderate_edge_keeps_its_label() -> None:
    run = run_sim("roll-near-50", 0, None)
    judged, correct, reported, true = zone_scores(run)
    assert correct / judged >= 0.97
    assert reported <= 1.2 * true


def test_cold_ball_with_deep_holds_against_truth() -> None:
    run = run_sim("cold-deep-holds", 0, "pressure")
    judged, correct, _reported, _true = zone_scores(run)
    assert correct / judged >= 0.97


@pytest.mark.parametrize("channels", [None, "pressure"])
def test_a_short_stop_that_creeps_on_is_no_hold(channels: str | None) -> None:
    # Stops of 1.2-1.9 s, then a creep at 1-3 cm/s; a few real 10 s holds.
    run = run_sim("short-stops", 0, channels)
    true = list(run.truth.holds)  # type: ignore[attr-defined]
    reported = [(e.t_s - float(e.fields["duration_s"]), e.t_s) for e in run.events
                if e.type == "hold_end"]
    assert len(true) >= 2 and len(reported) == len(true)
    for a, b in reported:
        assert any(a < tb and ta < b for ta, tb in true), (a, b, true)
