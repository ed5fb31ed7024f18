"""One rule for "the hold reached its target", whoever says it."""

from smartball.cli.analyze_cmd import format_summary
from smartball.hold_target import HOLD_TARGET_S, reached_target


def test_release_on_the_cue_counts_as_reached() -> None:
    assert reached_target(HOLD_TARGET_S)
    assert reached_target(9.6)
    assert not reached_target(9.4)
    assert reached_target(5.0, target_s=5.0) and not reached_target(4.0, target_s=5.0)


def test_analyze_text_uses_the_rule() -> None:
    summary = {
        "source": "x", "duration_s": 60.0, "samples": 6000, "sample_rate_hz": 100.0,
        "lost_samples": 0, "crc_errors": 0,
        "time_in_zone_s": {"rest": 30.0, "light": 0.0, "moderate": 30.0, "deep": 0.0,
                           "too_hard": 0.0},
        "segments": [],
        "holds": [
            {"start_s": 10.0, "end_s": 19.9, "mean_force_n": 70.0, "peak_force_n": 80.0},
            {"start_s": 30.0, "end_s": 36.0, "mean_force_n": 70.0, "peak_force_n": 80.0},
        ],
        "too_hard": [], "max_force_n": 80.0,
    }
    assert "holds: 2 (1 reached 10 s)" in format_summary(summary)
