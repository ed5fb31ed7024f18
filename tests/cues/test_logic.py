"""When cues are due: at once and every second while too hard, once when a hold reaches its
target, at a step and at the routine's end; never for a steady label's change; the same
cues however the samples are cut into blocks."""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence

import numpy as np
import pytest

from smartball.cues import Cue, CueMaker
from smartball.events import Event
from smartball.processing import ProcessResult

RATE_HZ = 100


def result(t_s: np.ndarray, too_hard: np.ndarray, hold_s: np.ndarray,
           zone: np.ndarray | None = None) -> ProcessResult:
    n = len(t_s)
    force = np.where(too_hard, 250.0, 60.0)
    return ProcessResult(
        t_s=t_s, force_n=force, force_smooth_n=force,
        zone=np.full(n, 2, np.int8) if zone is None else zone.astype(np.int8),
        rolling=np.zeros(n, bool), speed_cm_s=np.full(n, np.nan), hold_elapsed_s=hold_s,
        too_hard=too_hard, saturated=np.zeros(n, bool))


def session(seconds: float = 40.0) -> ProcessResult:
    """Too hard from 5.00 to 7.50 s and 20.00 to 20.30 s; a hold stopped at 10 s (known at
    12 s) until 25 s; the zone label changing every few seconds."""
    t = np.arange(round(seconds * RATE_HZ)) / RATE_HZ
    too_hard = ((t >= 5.0) & (t < 7.5)) | ((t >= 20.0) & (t < 20.3))
    hold = np.where((t >= 12.0) & (t < 25.0), t - 10.0, np.nan)
    zone = (t // 3 % 4).astype(np.int8)
    return result(t, too_hard, hold, zone)


def cues_of(blocks: list[ProcessResult], events: Sequence[Event] = (), voice: bool = False,
            ) -> list[Cue]:
    out: list[Cue] = []
    maker = CueMaker(out.append, voice=voice)
    for b in blocks:
        maker.on_samples(b)
    for ev in events:
        maker.on_event(ev)
    return out


def split(r: ProcessResult, edges: list[int]) -> list[ProcessResult]:
    bounds = [0, *edges, len(r)]
    return [result(r.t_s[a:b], r.too_hard[a:b], r.hold_elapsed_s[a:b], r.zone[a:b])
            for a, b in itertools.pairwise(bounds)]


def test_too_hard_sounds_at_once_and_every_second_while_it_lasts() -> None:
    cues = [c for c in cues_of([session()]) if c.name == "too_hard"]
    assert [c.t_s for c in cues] == pytest.approx([5.0, 6.0, 7.0, 20.0])


def test_too_hard_does_not_repeat_once_the_force_is_eased_under_the_line() -> None:
    """The warning waits for the force to clear its hysteresis; a person easing off under the
    line meanwhile is not told again, and is told at once if they press past it again."""
    t = np.arange(600) / RATE_HZ
    force = np.select([t < 1.0, t < 1.8, t < 3.2, t < 3.6], [100.0, 230.0, 190.0, 215.0], 100.0)
    too_hard = (t >= 1.0) & (t < 4.5)  # on from 1.0 s until the force clears 180 N at 4.5 s
    r = dataclasses.replace(result(t, too_hard, np.full(t.size, np.nan)), force_n=force)
    cues: list[Cue] = []
    maker = CueMaker(cues.append, line_n=200.0)
    maker.on_samples(r)
    # 2.0 s would repeat, but the force is under the line; back past it at 3.2 s, due: at once.
    assert [c.t_s for c in cues] == pytest.approx([1.0, 3.2])
    everyone: list[Cue] = []
    CueMaker(everyone.append).on_samples(r)  # without the line: every second the warning is on
    assert [c.t_s for c in everyone] == pytest.approx([1.0, 2.0, 3.0, 4.0])


def test_a_hold_reaching_ten_seconds_chimes_once() -> None:
    cues = [c for c in cues_of([session()]) if c.name == "release"]
    assert [c.t_s for c in cues] == pytest.approx([20.0])


def test_a_hold_of_exactly_ten_seconds_chimes_at_its_last_sample() -> None:
    # 1000 stopped samples at 100 Hz: the hold_end event says 10.00 s; the chime is due.
    t = np.arange(2000) / RATE_HZ
    stopped = (t >= 5.0) & (t < 15.0 - 1e-9)
    r = result(t, np.zeros(len(t), bool), np.where(stopped & (t >= 7.0), t - 5.0, np.nan))
    r = dataclasses.replace(r, sample_rate_hz=float(RATE_HZ))
    cues = [c for c in cues_of([r]) if c.name == "release"]
    assert [c.t_s for c in cues] == pytest.approx([14.99])


def test_steady_label_changes_are_not_cues() -> None:
    t = np.arange(3000) / RATE_HZ
    zone = (t // 2 % 4).astype(np.int8)
    none = np.zeros(len(t), bool)
    assert cues_of([result(t, none, np.full(len(t), np.nan), zone)]) == []


@pytest.mark.parametrize("edges", [[1], [500, 501, 502], [599, 600, 601, 1999, 2000],
                                   list(range(7, 4000, 7)), list(range(1, 4000))])
def test_the_same_cues_however_the_samples_are_cut(edges: list[int]) -> None:
    whole = session()
    assert cues_of(split(whole, edges)) == cues_of([whole])


def test_a_new_step_and_the_routines_end_have_their_cues_and_voice_its_words() -> None:
    events = [
        Event(3.0, "step_start", {"step": 1, "name": "warm up", "instruction": "Roll lightly.",
                                  "seconds": 60}),
        Event(3.0, "zone", {"zone": "light", "force_n": 20.0}),
        Event(63.0, "step_end", {"step": 1}),
        Event(63.0, "routine_end", {"name": "r", "completed": True}),
    ]
    assert cues_of([], events) == [Cue(3.0, "step"), Cue(63.0, "routine_end")]
    spoken = cues_of([session()], events, voice=True)
    assert Cue(3.0, "say", "Roll lightly.") in spoken
    assert [c.text for c in spoken if c.name == "say" and math.isclose(c.t_s, 20.0)] == [
        "Release."]


def test_a_routine_stopped_before_its_end_is_no_routine_end_cue() -> None:
    assert cues_of([], [Event(9.0, "routine_end", {"completed": False})]) == []
