"""The coaching rules: one line for each situation, in the order that matters."""

from __future__ import annotations

import math

import pytest

from smartball.coach import Advice, CoachConfig, CoachState, advise


def line(**kw: object) -> Advice:
    return advise(CoachState(**kw))  # type: ignore[arg-type]


def test_too_hard_says_ease_off() -> None:
    a = line(zone="too_hard")
    assert a.kind == "warning"
    assert "ease off" in a.text.lower()


def test_too_hard_line_lingers_after_a_short_spike() -> None:
    assert line(zone="deep", since_too_hard_s=0.5).kind == "warning"
    assert line(zone="deep", since_too_hard_s=5.0).kind != "warning"


def test_too_hard_wins_over_a_hold() -> None:
    assert line(zone="too_hard", hold_elapsed_s=4.0).kind == "warning"


def test_hold_counts_down_to_ten() -> None:
    a = line(zone="deep", hold_elapsed_s=3.2)
    assert a.kind == "hold"
    assert "7 s to go" in a.text


def test_hold_never_says_zero_to_go() -> None:
    assert "1 s to go" in line(zone="deep", hold_elapsed_s=9.95).text


def test_hold_past_ten_seconds_says_release() -> None:
    a = line(zone="moderate", hold_elapsed_s=10.0)
    assert a.kind == "release"
    assert "release" in a.text.lower()


def test_nan_hold_is_no_hold() -> None:
    assert line(zone="moderate", hold_elapsed_s=math.nan, rolling=True).kind == "praise"


def test_finished_full_hold_is_praised() -> None:
    a = line(zone="light", since_hold_end_s=1.0, last_hold_s=10.3)
    assert a.kind == "praise"
    assert "well done" in a.text.lower()


def test_short_hold_gets_advice() -> None:
    a = line(zone="light", since_hold_end_s=1.0, last_hold_s=4.0)
    assert a.kind == "adjust"
    assert "10 s" in a.text


def test_old_hold_is_forgotten() -> None:
    assert line(zone="light", since_hold_end_s=30.0, last_hold_s=4.0).text.startswith("Press")


def test_light_asks_for_moderate() -> None:
    assert line(zone="light").text == "Press a little harder for moderate."


def test_deep_is_too_much_for_a_light_target() -> None:
    a = advise(CoachState(zone="deep"), CoachConfig(target_zones=("light",)))
    assert a.kind == "adjust"
    assert "ease off" in a.text.lower()
    assert "light" in a.text


def test_rest_invites_to_start() -> None:
    assert "roll" in line(zone="rest").text.lower()


def test_fast_rolling_says_roll_slower() -> None:
    assert line(zone="moderate", rolling=True, speed_cm_s=20.0).text.startswith("Roll slower")


def test_slow_rolling_in_target_is_good() -> None:
    assert line(zone="deep", rolling=True, speed_cm_s=3.0).kind == "praise"


def test_still_in_target_invites_a_hold() -> None:
    assert "hold" in line(zone="moderate", rolling=False).text.lower()


def test_lost_link_says_waiting() -> None:
    assert line(zone="too_hard", link_ok=False).text.startswith("Waiting for the ball")


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError):
        line(zone="hard")


def test_bad_target_is_refused() -> None:
    with pytest.raises(ValueError):
        CoachConfig(target_zones=("firm",))


def test_fast_too_hard_flag_warns_before_the_zone_catches_up() -> None:
    assert line(zone="deep", too_hard=True).kind == "warning"


def test_the_coach_follows_the_routine_step() -> None:
    from smartball.coach import StepCue, advise_step

    deep = CoachState(zone="deep", rolling=True)
    assert advise_step(deep, StepCue("along", ("light",), light_only=True)).text == (
        "Lighter: this routine stays light.")
    rolling = CoachState(zone="moderate", rolling=True, speed_cm_s=4.0)
    holds = advise_step(rolling, StepCue("holds", ("moderate",))).text
    assert "stop here and hold" in holds.lower()
    assert "Change feet" in advise_step(rolling, StepCue("switch", ())).text
    assert advise_step(rolling, StepCue("along", ("moderate",), stroke_cm=4.0)).text == (
        "Longer strokes: reach heel and toes.")
    assert advise_step(rolling, StepCue("across", ("moderate",), stroke_cm=10.0,
                                        stroke_direction="along")).text.startswith(
        "Side to side now")
    assert advise_step(rolling, StepCue("along", ("moderate",), stroke_cm=10.0,
                                        stroke_speed_cm_s=14.0)).text.startswith("Slower")
    too_hard = CoachState(zone="too_hard", too_hard=True)
    assert advise_step(too_hard, StepCue("along", ("light",))).kind == "warning"


def test_a_light_only_routine_never_praises_a_hold_above_light() -> None:
    from smartball.coach import StepCue, advise_step

    light = StepCue("along", ("light",), light_only=True)
    holding = CoachState(zone="moderate", hold_elapsed_s=4.0)
    assert advise_step(holding, light).text == "Lighter: this routine stays light."
    held = CoachState(zone="moderate", hold_elapsed_s=11.0)
    assert advise_step(held, light).text == "Lighter: this routine stays light."
    after = CoachState(zone="moderate", since_hold_end_s=1.0, last_hold_s=11.0)
    assert advise_step(after, light).text == "Lighter: this routine stays light."
    # Too hard still comes first, and a routine that is not light-only keeps its hold count.
    assert advise_step(CoachState(zone="too_hard", too_hard=True), light).kind == "warning"
    assert advise_step(holding, StepCue("holds", ("moderate",))).kind == "hold"


@pytest.mark.parametrize("part", ["back", "shoulder", "neck", "hip"])
def test_the_words_fit_the_body_part(part: str) -> None:
    from smartball.coach import StepCue, advise_step

    cfg = CoachConfig(part=part)
    lines = [advise(CoachState(zone="rest"), cfg).text,
             advise(CoachState(zone="moderate", rolling=True, speed_cm_s=20.0), cfg).text]
    for motion, direction in (("along", "across"), ("across", "along")):
        lines.append(advise_step(CoachState(zone="light", rolling=True),
                                 StepCue(motion, ("light",), stroke_direction=direction),
                                 cfg).text)
    lines.append(advise_step(CoachState(zone="rest"), StepCue("switch", ()), cfg).text)
    lines.append(advise_step(CoachState(zone="light", rolling=True),
                             StepCue("along", ("light",), stroke_cm=2.0), cfg).text)
    text = " ".join(lines).lower()
    assert "heel" not in text and "toe" not in text and "feet" not in text
    assert "foot" not in text
    # The foot keeps its words.
    foot = advise_step(CoachState(zone="light", rolling=True),
                       StepCue("along", ("light",), stroke_direction="across")).text
    assert foot == "Heel to toe now, along the foot."


def test_an_unknown_part_is_refused() -> None:
    with pytest.raises(ValueError, match="part"):
        CoachConfig(part="knee")
