"""A routine's clock and score: which step the user is in, and how each step went.

Pure: per block, the processing's steady zone label and events and the strokes that ended
in it; out come ``step_start``, ``step_end`` (with the step's adherence) and ``routine_end``
events, each with the index of the sample at which it became known.

The routine starts at the first sample whose steady zone is a load (light or more, >= 10 N)
and its steps follow by time from there. The zone label is chunk-invariant, so a recording
analysed afterwards with the same routine gives the very step boundaries the user saw live.

A step's adherence: the fraction of its loaded time in its target zones, times what its
motion asks: with strokes known (an IMU), the share of strokes rolled the way asked (along or
across); in a ``holds`` step, the holds made out of those asked (at most 1). A routine's
adherence is the mean over its steps with a target, weighted by the time spent in each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from smartball.events import ZONES, Event
from smartball.routines.model import Routine, Step
from smartball.strokes.tracker import Stroke

F64 = npt.NDArray[np.float64]
LOAD_ZONE = ZONES.index("light")


@dataclass(slots=True)
class StepScore:
    """What happened in one step so far."""

    step: Step
    start_s: float
    end_s: float
    """Planned end (device time); the actual end if the session ended in the step."""
    loaded_samples: int = 0
    in_target_samples: int = 0
    holds: int = 0
    too_hard: int = 0
    strokes: list[Stroke] = field(default_factory=list)
    reached: bool = False
    closed: bool = False

    @property
    def in_target_fraction(self) -> float:
        if self.loaded_samples == 0:
            return 0.0
        return self.in_target_samples / self.loaded_samples

    def motion_factor(self, imu: bool) -> float:
        motion = self.step.motion
        if motion == "holds":
            return min(1.0, self.holds / max(1, self.step.holds))
        if motion in ("along", "across") and imu:
            known = [s for s in self.strokes if s.direction is not None]
            if not known:
                return 0.0
            return sum(s.direction == motion for s in known) / len(known)
        return 1.0

    def adherence(self, imu: bool) -> float | None:
        if not self.step.scored or not self.reached:
            return None
        return self.in_target_fraction * self.motion_factor(imu)

    def strokes_summary(self) -> dict[str, Any]:
        lengths = [s.length_cm for s in self.strokes]
        speeds = [s.speed_cm_s for s in self.strokes]
        return {
            "count": len(self.strokes),
            "along": sum(s.direction == "along" for s in self.strokes),
            "across": sum(s.direction == "across" for s in self.strokes),
            "median_length_cm": _rounded_median(lengths),
            "median_speed_cm_s": _rounded_median(speeds),
        }


def _rounded_median(values: list[float]) -> float | None:
    return round(float(np.median(values)), 2) if values else None


class RoutineTracker:
    def __init__(self, routine: Routine, *, imu: bool = True) -> None:
        self.routine = routine
        self.imu = imu
        """Strokes are known (a board with gyro and accelerometer)."""
        self.offsets_s = routine.step_starts_s()
        self.t0_s: float | None = None
        """Device time of the first load: the routine's start."""
        self.index = -1
        """The current step (-1 before the start, ``len(steps)`` after the end)."""
        self.scores: list[StepScore] = []
        self.ended = False
        self.completed = False
        self.t_last_s: float | None = None

    # ------------------------------------------------------------------ state for views

    @property
    def started(self) -> bool:
        return self.t0_s is not None

    @property
    def current(self) -> StepScore | None:
        if 0 <= self.index < len(self.scores):
            return self.scores[self.index]
        return None

    def step_at(self, t_s: float) -> int:
        """The step index at device time ``t_s`` (-1 before the start)."""
        if self.t0_s is None or t_s < self.t0_s:
            return -1
        return int(np.searchsorted(self.offsets_s, t_s - self.t0_s, side="right")) - 1

    def adherence(self) -> float | None:
        """Time-weighted mean adherence over the scored steps reached so far."""
        total = weight = 0.0
        for sc in self.scores:
            a = sc.adherence(self.imu)
            if a is None:
                continue
            w = max(sc.end_s - sc.start_s, 1e-9) if sc.closed else max(
                (self.t_last_s or sc.start_s) - sc.start_s, 1e-9)
            total += a * w
            weight += w
        return total / weight if weight > 0 else None

    # ------------------------------------------------------------------ input

    def update(self, t_s: F64, zone: npt.NDArray[np.int8], events: list[Event],
               event_index: list[int], strokes: list[Stroke],
               stroke_index: list[int]) -> list[tuple[int, Event]]:
        """Routine events of one block, each with the index of the sample it became known at.
        ``event_index`` and ``stroke_index``: the sample at which each processing event and
        stroke became known."""
        n = t_s.shape[0]
        if n == 0 or self.ended:
            return []
        self.t_last_s = float(t_s[-1])
        out: list[tuple[int, Event]] = []
        if self.t0_s is None:
            loaded = np.flatnonzero(zone >= LOAD_ZONE)
            if loaded.size == 0:
                return []
            k0 = int(loaded[0])
            self.t0_s = float(t_s[k0])
            self._open(0, k0, out)
        t0 = self.t0_s
        steps = np.searchsorted(self.offsets_s, t_s - t0, side="right") - 1
        steps[t_s < t0] = -1
        last = len(self.routine.steps)
        # Per-step sample counts, then the boundaries crossed in this block, in order.
        for j in np.unique(steps).tolist():
            if not 0 <= j < last:
                continue
            sel = steps == j
            z = zone[sel]
            loaded_mask = z >= LOAD_ZONE
            sc = self._score(j)
            sc.loaded_samples += int(loaded_mask.sum())
            codes = [ZONES.index(x) for x in sc.step.targets]
            sc.in_target_samples += int(np.isin(z, codes).sum())
        for ev, k in zip(events, event_index, strict=True):
            j = int(steps[k])
            if 0 <= j < last:
                if ev.type == "hold_start":
                    self._score(j).holds += 1
                elif ev.type == "too_hard":
                    self._score(j).too_hard += 1
        for stroke, k in zip(strokes, stroke_index, strict=True):
            j = int(steps[k])
            if 0 <= j < last:
                self._score(j).strokes.append(stroke)
        # Boundaries: where the step index moves on.
        changes = np.flatnonzero(np.diff(np.concatenate([[self.index], steps])) > 0)
        for k in changes.tolist():
            new = int(steps[k])
            while self.index < new:
                self._close(self.index, k, out)
                if self.index + 1 >= last:
                    self._finish_routine(k, True, out)
                    return out
                self._open(self.index + 1, k, out)
        return out

    def finish(self, t_s: float, index: int = 0) -> list[tuple[int, Event]]:
        """End of input: close the step still open and the routine (not completed)."""
        out: list[tuple[int, Event]] = []
        if self.t0_s is None or self.ended:
            return out
        self.t_last_s = t_s
        sc = self.current
        if sc is not None:
            sc.end_s = min(sc.end_s, max(t_s, sc.start_s))
            self._close(self.index, index, out)
        self._finish_routine(index, False, out)
        return out

    # ------------------------------------------------------------------ steps

    def _score(self, j: int) -> StepScore:
        assert self.t0_s is not None
        while len(self.scores) <= j:
            i = len(self.scores)
            self.scores.append(StepScore(self.routine.steps[i], self.t0_s + self.offsets_s[i],
                                         self.t0_s + self.offsets_s[i + 1]))
        return self.scores[j]

    def _open(self, j: int, k: int, out: list[tuple[int, Event]]) -> None:
        sc = self._score(j)
        sc.reached = True
        self.index = j
        s = sc.step
        out.append((k, Event(sc.start_s, "step_start", {
            "step": j + 1, "name": s.name, "instruction": s.instruction, "motion": s.motion,
            "targets": list(s.targets), "foot": s.foot, "seconds": s.seconds,
        })))

    def _close(self, j: int, k: int, out: list[tuple[int, Event]]) -> None:
        if j < 0:
            return
        sc = self._score(j)
        sc.closed = True
        adherence = sc.adherence(self.imu)
        fields: dict[str, Any] = {
            "step": j + 1, "name": sc.step.name,
            "adherence": None if adherence is None else round(adherence, 4),
            "in_target_fraction": (round(sc.in_target_fraction, 4) if sc.step.scored
                                   else None),
            "holds": sc.holds, "too_hard": sc.too_hard,
        }
        if self.imu:
            fields["strokes"] = len(sc.strokes)
        out.append((k, Event(sc.end_s, "step_end", fields)))

    def _finish_routine(self, k: int, completed: bool, out: list[tuple[int, Event]]) -> None:
        self.ended = True
        self.completed = completed
        self.index = len(self.routine.steps) if completed else self.index
        assert self.t0_s is not None
        end = self.t0_s + self.routine.seconds if completed else (self.t_last_s or self.t0_s)
        adherence = self.adherence()
        out.append((k, Event(end, "routine_end", {
            "name": self.routine.name,
            "adherence": None if adherence is None else round(adherence, 4),
            "completed": completed,
        })))

    # ------------------------------------------------------------------ summary

    def summary(self, t_origin_s: float) -> dict[str, Any]:
        """The ``routine`` object of ``analyze --json``; times from ``t_origin_s``."""
        def rel(t: float) -> float:
            return round(t - t_origin_s, 3)

        adherence = self.adherence()
        steps: list[dict[str, Any]] = []
        for j, s in enumerate(self.routine.steps):
            sc = self.scores[j] if j < len(self.scores) and self.scores[j].reached else None
            a = None if sc is None else sc.adherence(self.imu)
            steps.append({
                "name": s.name, "motion": s.motion, "targets": list(s.targets), "foot": s.foot,
                "start_s": None if sc is None else rel(sc.start_s),
                "end_s": None if sc is None else rel(sc.end_s),
                "in_target_fraction": (None if sc is None or not s.scored
                                       else round(sc.in_target_fraction, 4)),
                "adherence": None if a is None else round(a, 4),
                "holds": None if sc is None else sc.holds,
                "too_hard": None if sc is None else sc.too_hard,
                "strokes": sc.strokes_summary() if sc is not None and self.imu else None,
            })
        return {
            "name": self.routine.name, "title": self.routine.title, "part": self.routine.part,
            "adherence": None if adherence is None else round(adherence, 4),
            "started_s": None if self.t0_s is None else rel(self.t0_s),
            "completed": self.completed, "imu": self.imu, "steps": steps,
        }
