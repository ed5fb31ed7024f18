"""The processing with a routine: force, zones and holds as ever, plus strokes and the
routine's steps, in one chunk-invariant :class:`RoutineProcessor`.

It is a :class:`~smartball.processing.Processor` whose results also carry the routine's
events (``step_start``, ``step_end``, ``routine_end``), each at the sample where it became
known, so a live session, its replay and ``analyze`` of its recording agree. Pure, no I/O.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from smartball.block import SampleBlock
from smartball.events import Event
from smartball.processing import Calibration, ProcessingConfig, Processor, ProcessResult
from smartball.processing.routine_clock import RoutineClock
from smartball.routines.model import Routine
from smartball.routines.tracker import RoutineTracker
from smartball.strokes.tracker import Stroke, StrokeTracker

_ASKS = {"along": "along", "across": "across", "holds": "along"}
"""The stroke direction a step's motion asks for (holds are found rolling heel to toe)."""


class RoutineProcessor(Processor):
    def __init__(
        self,
        routine: Routine,
        config: ProcessingConfig | None = None,
        calibration: Calibration | None = None,
        ball_diameter_mm: float = 80.0,
        sample_rate_hz: float = 100.0,
    ) -> None:
        super().__init__(config, calibration, ball_diameter_mm, sample_rate_hz)
        self.routine = routine
        self.tracker = RoutineTracker(routine, imu=False)
        self.strokes: StrokeTracker | None = None
        """Made at the first block that carries gyro and accelerometer readings."""
        self._imu_known = False

    @property
    def has_imu(self) -> bool:
        return self.strokes is not None

    def _asked(self, t_s: float) -> str | None:
        j = self.tracker.step_at(t_s)
        if j < 0:
            return "along"  # before the start the coach asks for heel to toe
        if j >= len(self.routine.steps):
            return None
        return _ASKS.get(self.routine.steps[j].motion)

    def process(self, block: SampleBlock) -> ProcessResult:
        result = super().process(block)
        if len(block) and not self._imu_known:
            self._imu_known = True
            if block.has_gyro and block.has_accel:
                self.strokes = StrokeTracker(self.sample_rate_hz, self.ball_diameter_mm,
                                             asked=self._asked)
                self.tracker.imu = True
        strokes: list[Stroke] = []
        if self.strokes is not None and len(block):
            strokes = self.strokes.update(block.t_s, block.gyro_dps, block.accel_g)
        stroke_index = np.searchsorted(result.t_s, [s.known_s for s in strokes]).tolist()
        routine = self.tracker.update(result.t_s, result.zone, result.events,
                                      result.event_index, strokes, stroke_index)
        clock = self.clock(float(result.t_s[-1])) if len(result) else None
        if not routine:
            return dataclasses.replace(result, routine=clock)
        keyed = [(k, 0, i, e) for i, (k, e) in enumerate(
            zip(result.event_index, result.events, strict=True))]
        keyed += [(k, 1, i, e) for i, (k, e) in enumerate(routine)]
        keyed.sort(key=lambda x: (x[0], x[1], x[2]))
        return dataclasses.replace(result, events=[x[3] for x in keyed],
                                   event_index=[x[0] for x in keyed], routine=clock)

    def clock(self, now_s: float) -> RoutineClock:
        """Where the routine stands at device time ``now_s``."""
        tracker = self.tracker
        steps = self.routine.steps
        imu = self.has_imu if self._imu_known else None
        if not tracker.started or tracker.t0_s is None:
            return RoutineClock(self.routine.name, now_s, False, False, False, 0,
                                steps[0].seconds, self.routine.seconds, None, None, 0, imu)
        j = min(tracker.step_at(now_s), len(steps) - 1)
        t0 = tracker.t0_s
        offsets = tracker.offsets_s
        sc = tracker.scores[j] if j < len(tracker.scores) else None
        last = sc.strokes[-1] if sc is not None and sc.strokes else None
        return RoutineClock(
            name=self.routine.name, t_s=now_s, started=True, ended=tracker.ended,
            completed=tracker.completed, step=j,
            step_left_s=max(0.0, t0 + offsets[j + 1] - now_s),
            routine_left_s=max(0.0, t0 + offsets[-1] - now_s),
            step_adherence=(None if sc is None or sc.loaded_samples == 0
                            else sc.adherence(self.has_imu)),
            adherence=tracker.adherence(), holds=0 if sc is None else sc.holds, imu=imu,
            stroke_cm=None if last is None else last.length_cm,
            stroke_speed_cm_s=None if last is None else last.speed_cm_s,
            stroke_direction=None if last is None else last.direction,
        )

    def end(self, t_s: float) -> list[Event]:
        """The end of the session: the last stroke, the step still open, the routine."""
        if self.strokes is not None:
            for stroke in self.strokes.finish(t_s):
                j = self.tracker.step_at(stroke.start_s)
                if 0 <= j < len(self.tracker.scores) and not self.tracker.ended:
                    self.tracker.scores[j].strokes.append(stroke)
        return [e for _k, e in self.tracker.finish(t_s)]
