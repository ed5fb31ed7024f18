"""Pacing apart from reading: due times follow the recorded gaps divided by the speed, long
silences can be shortened, and ``speed=None`` never waits."""

from __future__ import annotations

import pytest

from smartball.recording.sync import Pacer
from tests.clock import FakeClock


def test_due_times_follow_the_recording_at_speed() -> None:
    clock = FakeClock()
    p = Pacer(2.0, clock=clock)
    assert p.wait_s(100.0) == 0.0
    assert p.wait_s(101.0) == 0.5
    assert p.wait_s(101.0) == 0.5  # asking again is fine
    clock.sleep(0.2)
    assert p.wait_s(103.0) == pytest.approx(1.3)  # due 1.5 s after the start; 0.2 s passed


def test_long_silences_are_capped_and_time_never_runs_backwards() -> None:
    p = Pacer(1.0, max_gap_s=2.0, clock=FakeClock())
    p.wait_s(0.0)
    assert p.wait_s(60.0) == 2.0
    assert p.wait_s(59.0) == 2.0


def test_as_fast_as_possible_never_waits() -> None:
    p = Pacer(None)
    assert p.wait_s(0.0) == p.wait_s(1e6) == 0.0
    with pytest.raises(ValueError):
        Pacer(0.0)

