"""Where a routine stands at a moment: the step clock a view, a cue or a summary shows.

Each processed block with a routine carries one :class:`RoutineClock` (at its last sample)
in its result, so listeners read the routine's progress from what the processing hands
out, never from the processing's insides.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RoutineClock:
    name: str
    """The routine's name."""
    t_s: float
    """Device time the clock was read at (the block's last sample)."""
    started: bool
    """The first load started the routine."""
    ended: bool
    completed: bool
    """Ended by its last step's end (not by the end of the input)."""
    step: int
    """The current step, 0-based (0 before the start; the last step after the end)."""
    step_left_s: float
    """Seconds left in the step (the whole first step before the start)."""
    routine_left_s: float
    step_adherence: float | None
    """The step's adherence so far (None for a switch or before any load)."""
    adherence: float | None
    """The routine's adherence so far, over the scored steps reached."""
    holds: int
    """Holds made in this step so far."""
    imu: bool | None
    """Strokes are known (a gyro and accelerometer); None before the first samples."""
    stroke_cm: float | None = None
    """The last stroke of the step: its length, speed and direction, if any."""
    stroke_speed_cm_s: float | None = None
    stroke_direction: str | None = None
