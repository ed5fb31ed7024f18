"""The one-line live gauge of ``live --no-plot`` on a terminal: the word, the force, the hold
count, and the routine's step with its time left, rewritten in place a few times a second.

A pipeline listener; it writes only when its stream is a terminal (the caller decides) and
at most ``RATE_HZ`` times a second, so a replay at full speed does not flood the terminal.
"""

from __future__ import annotations

import math
import time
from typing import IO, TYPE_CHECKING

from smartball.events import ZONES
from smartball.sensor_range import BEYOND_WORDS

if TYPE_CHECKING:
    from smartball.events import Event
    from smartball.processing import ProcessResult

RATE_HZ = 5.0
WORDS = {"rest": "rest", "light": "light", "moderate": "moderate", "deep": "deep",
         "too_hard": "TOO HARD"}


class StepClock:
    """The routine's current step and its time left, from ``step_start``/``routine_end``."""

    def __init__(self) -> None:
        self.step = 0
        self.name = ""
        self.instruction = ""
        self.end_s = math.nan
        self.ended = False

    def on_event(self, event: Event) -> None:
        if event.type == "step_start":
            f = event.fields
            self.step = int(f.get("step", 0))
            self.name = str(f.get("name", ""))
            self.instruction = str(f.get("instruction", ""))
            self.end_s = event.t_s + float(f.get("seconds", math.nan))
        elif event.type == "routine_end":
            self.ended = True

    def left_s(self, t_s: float) -> float:
        return max(0.0, self.end_s - t_s) if math.isfinite(self.end_s) else math.nan


def mmss(seconds: float) -> str:
    s = max(0, math.ceil(seconds))
    return f"{s // 60}:{s % 60:02d}"


class Gauge:
    def __init__(self, stream: IO[str], *, clock: StepClock | None = None) -> None:
        self.stream = stream
        self.clock = clock or StepClock()
        self.word = "waiting for the ball"
        self.force_n = math.nan
        self.beyond = False
        """The newest reading is at the sensor's end: the words, not a number."""
        self.hold_s = math.nan
        self.t_s = math.nan
        self.lines = 0
        self._last_mono = -math.inf
        self._width = 0

    def on_samples(self, result: ProcessResult) -> None:
        if len(result) == 0:
            return
        zone = ZONES[int(result.zone[-1])]
        self.word = WORDS["too_hard"] if bool(result.too_hard[-1]) else WORDS[zone]
        self.beyond = bool(result.saturated[-1])
        self.force_n = math.nan if self.beyond else float(result.force_n[-1])
        self.hold_s = float(result.hold_elapsed_s[-1])
        self.t_s = float(result.t_s[-1])
        now = time.monotonic()
        if now - self._last_mono >= 1.0 / RATE_HZ:
            self._last_mono = now
            self.draw()

    def on_event(self, event: Event) -> None:
        self.clock.on_event(event)
        if event.type == "disconnected":
            self.word = "waiting for the ball"
            self.draw()

    def line(self) -> str:
        parts = [f"{self.word:<8}"]
        if self.beyond:
            parts.append(BEYOND_WORDS)
        elif math.isfinite(self.force_n):
            parts.append(f"{max(0.0, self.force_n):4.0f} N")
        if math.isfinite(self.hold_s):
            parts.append(f"hold {min(self.hold_s, 99):2.0f} s")
        c = self.clock
        if c.ended:
            parts.append("routine done")
        elif c.step:
            left = c.left_s(self.t_s)
            parts.append(f"step {c.step} {c.name}" + (f", {mmss(left)} left"
                                                       if math.isfinite(left) else ""))
        return "  ".join(parts)

    def draw(self) -> None:
        text = self.line()
        pad = max(0, self._width - len(text))
        self._width = len(text)
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self.lines += 1

    def close(self) -> None:
        if self.lines:
            self.draw()
            self.stream.write("\n")
            self.stream.flush()
