"""The routine's clock and score: steps by time from the first load, chunk-invariant."""

from __future__ import annotations

import numpy as np

from smartball.events import Event
from smartball.routines.model import Routine, Step
from smartball.routines.tracker import RoutineTracker

RATE = 100.0


def _routine() -> Routine:
    return Routine("t", "Test", "now", (
        Step("one", "Light.", 4.0, ("light",), "free", "left"),
        Step("switch", "Change.", 2.0, (), "switch", "right"),
        Step("two", "Moderate.", 4.0, ("moderate",), "free", "right"),
    ))


def _zones() -> np.ndarray:
    t = np.arange(0, 14, 1 / RATE)
    z = np.zeros(t.shape, np.int8)
    z[(t >= 1.5) & (t < 4.5)] = 1  # light, in target
    z[(t >= 4.5) & (t < 5.5)] = 3  # deep, out of target
    z[(t >= 7.5) & (t < 11.5)] = 2  # moderate, in target
    return z


def _run(chunk: int) -> tuple[list[tuple[float, str, dict[str, object]]], RoutineTracker]:
    t = np.arange(0, 14, 1 / RATE)
    z = _zones()
    tr = RoutineTracker(_routine(), imu=False)
    out = []
    for a in range(0, len(t), chunk):
        for _k, ev in tr.update(t[a:a + chunk], z[a:a + chunk], [], [], [], []):
            out.append((round(ev.t_s, 6), ev.type, ev.fields))
    return out, tr


def test_steps_start_at_the_first_load_and_follow_by_time() -> None:
    events, tr = _run(len(np.arange(0, 14, 1 / RATE)))
    starts = [t for t, kind, _f in events if kind == "step_start"]
    assert starts == [1.5, 5.5, 7.5]
    assert events[-1][1] == "routine_end" and events[-1][0] == 11.5
    ends = [f for _t, kind, f in events if kind == "step_end"]
    assert ends[0]["in_target_fraction"] == 0.75  # 3 s light, 1 s deep
    assert ends[1]["adherence"] is None  # a switch is not scored
    assert ends[1]["in_target_fraction"] is None  # as in analyze --json
    assert ends[2]["adherence"] == 1.0
    assert tr.adherence() == (0.75 * 4 + 1.0 * 4) / 8


def test_any_chunking_gives_the_same_events() -> None:
    whole, _ = _run(100_000)
    for chunk in (1, 2, 7, 33):
        assert _run(chunk)[0] == whole


def test_holds_and_too_hard_count_in_their_step() -> None:
    t = np.arange(0, 14, 1 / RATE)
    z = _zones()
    tr = RoutineTracker(_routine(), imu=False)
    events = [Event(8.0, "hold_start"), Event(9.0, "too_hard", {"force_n": 210.0})]
    tr.update(t, z, events, [800, 900], [], [])
    assert tr.scores[2].holds == 1 and tr.scores[2].too_hard == 1


def test_a_session_that_ends_early_ends_the_routine_not_completed() -> None:
    t = np.arange(0, 3, 1 / RATE)
    tr = RoutineTracker(_routine(), imu=False)
    tr.update(t, np.ones(t.shape, np.int8), [], [], [], [])
    out = [e for _k, e in tr.finish(3.0)]
    assert [e.type for e in out] == ["step_end", "routine_end"]
    assert out[-1].fields["completed"] is False
