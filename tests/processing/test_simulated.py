"""The processing core on the simulated ball, scored against its truth (a quick version of
benchmarks/accuracy.py on the demo scenario)."""

from __future__ import annotations

import pytest
from benchmarks.accuracy import hold_scores, too_hard_scores, zone_scores
from benchmarks.simrun import run_sim


@pytest.mark.parametrize("channels", [None, "pressure"])
def test_demo_scenario_against_truth(channels: str | None) -> None:
    run = run_sim("demo", 0, channels)
    judged, correct, reported, true = zone_scores(run)
    assert correct / judged >= 0.95
    assert reported <= 1.2 * true
    matched, n_reported, n_true = hold_scores(run)
    assert n_true >= 2 and matched == n_reported == n_true
    found, n_presses, false_alarms, latencies = too_hard_scores(run)
    assert n_presses >= 1 and found == n_presses and false_alarms == 0
    assert max(latencies) <= 2


def test_cold_ball_against_truth() -> None:
    run = run_sim("cold-ball", 0, "pressure")
    judged, correct, _reported, _true = zone_scores(run)
    assert correct / judged >= 0.97
