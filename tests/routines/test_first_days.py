"""The first days of a routine: half length, never deep, until three clean sessions."""

from __future__ import annotations

from smartball.routines.first_days import (
    BREAK_S,
    PastSession,
    first_days,
    first_days_form,
    is_first_days_form,
)
from smartball.routines.model import all_routines, load_routine

DAY = 24 * 3600.0
NOW = 1_800_000_000.0


def test_the_form_halves_every_step_and_caps_deep_at_moderate() -> None:
    for r in all_routines():
        gentle = first_days_form(r)
        assert is_first_days_form(gentle) and not is_first_days_form(r)
        assert gentle.seconds == r.seconds / 2
        for full, short in zip(r.steps, gentle.steps, strict=True):
            assert short.seconds == full.seconds / 2
            assert "deep" not in short.targets
            assert bool(short.targets) == bool(full.targets)
            if full.motion == "holds":
                assert 1 <= short.holds <= full.holds
        assert first_days_form(gentle) == gentle  # once only
    bedtime = first_days_form(load_routine("bedtime"))
    assert all(s.targets in ((), ("moderate",)) for s in bedtime.steps)


def test_new_then_unlocked_after_three_clean_sessions() -> None:
    assert first_days([], NOW).active
    past = [PastSession(NOW - 3 * DAY, 0), PastSession(NOW - 2 * DAY, 2)]
    d = first_days(past, NOW)
    assert d.active and d.clean_sessions == 1 and "1 of 3" in d.reason
    past += [PastSession(NOW - DAY, 0), PastSession(NOW - 0.5 * DAY, 0)]
    d = first_days(past, NOW)
    assert not d.active and d.clean_sessions == 3


def test_two_weeks_away_starts_gently_again() -> None:
    old = [PastSession(NOW - 40 * DAY + i * DAY, 0) for i in range(5)]
    assert first_days(old, NOW).active  # nothing in the last two weeks
    # Back for two sessions after the break: the run before the break does not count.
    back = [*old, PastSession(NOW - 2 * DAY, 0), PastSession(NOW - DAY, 0)]
    d = first_days(back, NOW)
    assert d.active and d.clean_sessions == 2
    assert not first_days([*back, PastSession(NOW - 0.1 * DAY, 0)], NOW).active
    assert BREAK_S == 14 * DAY
