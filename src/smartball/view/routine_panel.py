"""The routine on the live view: the step in words, time left, how it is going, what next.

:class:`RoutineWatch` is a session listener: after each block (device thread) it turns the
routine's clock the block's result carries
(:class:`~smartball.processing.routine_clock.RoutineClock`)
into an immutable :class:`StepView` under a lock; the view reads that copy. :class:`RoutinePanel`
draws it in its own strip above the plot and highlights the step's target band on the plot.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smartball.coach import StepCue
from smartball.parts import words
from smartball.routines.first_days import FIRST_DAYS_SUFFIX
from smartball.timefmt import mmss

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

    from smartball.events import Event
    from smartball.processing import ProcessResult
    from smartball.routines.model import Routine


@dataclass(frozen=True, slots=True)
class StepView:
    title: str
    started: bool
    ended: bool
    number: int
    """1-based step number (0 before the start)."""
    count: int
    name: str
    instruction: str
    motion: str
    targets: tuple[str, ...]
    step_left_s: float
    routine_left_s: float
    adherence: float | None
    """The step's adherence so far (None for a switch or before any load)."""
    routine_adherence: float | None
    next_name: str | None
    imu: bool | None
    """None until the first samples tell."""
    cue: StepCue
    holds: int = 0
    """Holds made in this step so far."""
    holds_asked: int = 0
    """Holds the step asks for (a ``holds`` step only)."""
    part: str = "foot"
    """The routine's body part (for the words)."""


class RoutineWatch:
    """A session listener keeping the latest :class:`StepView` for the view."""

    def __init__(self, routine: Routine) -> None:
        self.routine = routine
        self._lock = threading.Lock()
        self._view = self._waiting()

    def _waiting(self) -> StepView:
        first = self.routine.steps[0]
        return StepView(
            title=self.routine.title, started=False, ended=False, number=0,
            count=len(self.routine.steps), name=first.name,
            instruction=f"{words(self.routine.part).put_on} to start: "
            + first.instruction[:1].lower()
            + first.instruction[1:], motion=first.motion, targets=first.targets,
            step_left_s=first.seconds, routine_left_s=self.routine.seconds, adherence=None,
            routine_adherence=None, next_name=first.name, imu=None,
            cue=StepCue(first.motion, first.targets, self._light_only()),
            part=self.routine.part,
        )

    def _light_only(self) -> bool:
        return all(s.targets in ((), ("light",)) for s in self.routine.steps)

    def on_event(self, event: Event) -> None:
        pass

    def on_samples(self, result: ProcessResult) -> None:
        clock = result.routine
        if clock is None:
            return
        if not clock.started:
            view = self._waiting()
            with self._lock:
                self._view = view
            return
        steps = self.routine.steps
        j = clock.step
        step = steps[j]
        view = StepView(
            title=self.routine.title, started=True, ended=clock.ended and clock.completed,
            number=j + 1, count=len(steps), name=step.name, instruction=step.instruction,
            motion=step.motion, targets=step.targets, step_left_s=clock.step_left_s,
            routine_left_s=clock.routine_left_s, adherence=clock.step_adherence,
            routine_adherence=clock.adherence,
            next_name=steps[j + 1].name if j + 1 < len(steps) else None,
            imu=clock.imu,
            cue=StepCue(step.motion, step.targets, self._light_only(), clock.stroke_cm,
                        clock.stroke_speed_cm_s, clock.stroke_direction),
            holds=clock.holds, holds_asked=step.holds,
            part=self.routine.part,
        )
        with self._lock:
            self._view = view

    def read(self) -> StepView:
        with self._lock:
            return self._view


class RoutinePanel:
    """The routine strip (its own axes) and the target band on the force plot."""

    def __init__(self, ax: Axes, ax_trace: Axes, bands: dict[str, tuple[float, float]]) -> None:
        from matplotlib.patches import Rectangle
        from matplotlib.transforms import blended_transform_factory

        self.ax = ax
        self.bands = bands
        kw: dict[str, Any] = dict(transform=ax.transAxes, animated=True, va="center")
        self.step_text = ax.text(0.0, 0.83, "", ha="left", fontsize=18, fontweight="bold", **kw)
        self.time_text = ax.text(1.0, 0.83, "", ha="right", fontsize=17, fontweight="bold",
                                 **kw)
        self.instruction_text = ax.text(0.0, 0.5, "", ha="left", fontsize=16, **kw)
        self.aim_text = ax.text(0.0, 0.15, "", ha="left", fontsize=14, color="#1B5E20", **kw)
        self.score_text = ax.text(1.0, 0.15, "", ha="right", fontsize=14, **kw)
        self.next_text = ax_trace.text(0.01, 0.97, "", ha="left", va="top", fontsize=13,
                                       transform=ax_trace.transAxes, animated=True,
                                       color="#333333")
        trans = blended_transform_factory(ax_trace.transAxes, ax_trace.transData)
        self.band = Rectangle((0.0, 0.0), 1.0, 0.0, transform=trans, facecolor="none",
                              edgecolor="#1B5E20", linewidth=3.0, hatch="//", alpha=0.55,
                              animated=True)
        ax_trace.add_patch(self.band)

    @property
    def artists(self) -> list[Artist]:
        return [self.band, self.step_text, self.instruction_text, self.time_text,
                self.aim_text, self.score_text, self.next_text]

    def show(self, v: StepView) -> None:
        if v.targets:
            lo = self.bands[v.targets[0]][0]
            hi = self.bands[v.targets[-1]][1]
            self.band.set_y(lo)
            self.band.set_height(hi - lo)
            self.band.set_visible(True)
        else:
            self.band.set_visible(False)
        w = words(v.part)
        what = w.motions[v.motion]
        target = " to ".join(dict.fromkeys((v.targets[0], v.targets[-1]))) if v.targets else \
            w.unloaded
        if not v.started:
            self.step_text.set_text(f"{v.title}: ready")
            self.time_text.set_text(f"routine {mmss(v.routine_left_s)}")
        elif v.ended:
            self.step_text.set_text(f"{v.title}: done")
            self.time_text.set_text("routine complete")
        else:
            first = "First days · " if v.title.endswith(FIRST_DAYS_SUFFIX) else ""
            self.step_text.set_text(f"{first}Step {v.number} of {v.count}: {v.name}")
            self.time_text.set_text(f"{mmss(v.step_left_s)} left in step · "
                                    f"{mmss(v.routine_left_s)} in all")
        self.instruction_text.set_text(v.instruction)
        self.aim_text.set_text(f"aim: {target}, {what}")
        parts = []
        if v.holds_asked and v.started and not v.ended:
            # Why a holds step scores low until its holds are made.
            # More holds than asked are all counted; "3 of 2" is not a count anyone makes.
            parts.append(f"holds {v.holds} of {v.holds_asked}" if v.holds <= v.holds_asked
                         else f"holds {v.holds} ({v.holds_asked} asked)")
        if v.adherence is not None:
            parts.append(f"this step {100 * v.adherence:.0f} %")
        if v.routine_adherence is not None:
            parts.append(f"routine {100 * v.routine_adherence:.0f} %")
        if v.imu is False:
            parts.append("no strokes: no gyro")
        elif v.cue.stroke_cm is not None and v.started and not v.ended and not v.holds_asked:
            way = f" {v.cue.stroke_direction}" if v.cue.stroke_direction else ""
            parts.insert(0, f"last stroke {v.cue.stroke_cm:.0f} cm{way}")
        self.score_text.set_text(" · ".join(parts))
        if v.ended:
            self.next_text.set_text("")
        else:
            self.next_text.set_text(f"next: {v.next_name}" if v.next_name else "next: the end")
