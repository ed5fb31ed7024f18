"""Pacing apart from reading: due times follow the recorded gaps divided by the speed, long
silences can be shortened, and ``speed=None`` never waits."""

from __future__ import annotations

import time

import pytest

from smartball.recording.sync import Pacer, paced
from smartball.transport import Received


def test_due_times_follow_the_recording_at_speed() -> None:
    p = Pacer(2.0)
    assert p.wait_s(100.0) == 0.0
    assert p.wait_s(101.0) == pytest.approx(0.5, abs=0.01)
    assert p.wait_s(101.0) == pytest.approx(0.5, abs=0.01)  # asking again is fine
    assert p.wait_s(103.0) == pytest.approx(1.5, abs=0.01)


def test_long_silences_are_capped_and_time_never_runs_backwards() -> None:
    p = Pacer(1.0, max_gap_s=2.0)
    p.wait_s(0.0)
    assert p.wait_s(60.0) == pytest.approx(2.0, abs=0.01)
    assert p.wait_s(59.0) == pytest.approx(2.0, abs=0.01)


def test_as_fast_as_possible_never_waits() -> None:
    p = Pacer(None)
    assert p.wait_s(0.0) == p.wait_s(1e6) == 0.0
    with pytest.raises(ValueError):
        Pacer(0.0)


def test_paced_yields_in_time() -> None:
    chunks = [Received(10.0 + k * 0.05, b"x") for k in range(5)]
    t0 = time.monotonic()
    assert list(paced(chunks, 2.0)) == chunks
    assert 0.08 <= time.monotonic() - t0 < 0.4
