"""When a cue is due: a pure listener on the pipeline (no clock, no I/O, no sound).

Everything is in device time, from the processing's per-sample results and its events, so a
live session, its replay and a rendered WAV cue at the same instants:

- ``too_hard``: the first sample of a too-hard warning, then every ``repeat_s`` while it lasts
  and the force is still at or past the line (a person already easing off under it, while the
  warning waits for the force to clear its hysteresis, is not told again);
- ``release``: the sample at which a hold reaches its target (once a hold);
- ``step``: a routine's step starts; ``routine_end``: the routine was completed;
- with voice, ``say`` beside ``step`` (the step's instruction) and ``release``.

The steady zone label's changes are not cues: a sound for every label change would be noise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from smartball.hold_target import HOLD_TARGET_S

if TYPE_CHECKING:
    from smartball.events import Event
    from smartball.processing import ProcessResult

CUE_NAMES = ("too_hard", "release", "step", "routine_end", "say")
TOO_HARD_REPEAT_S = 1.0
RELEASE_WORDS = "Release."


@dataclass(frozen=True, slots=True)
class Cue:
    t_s: float
    """Device seconds of the sample (or event) that made the cue due."""
    name: str
    text: str | None = None
    """What ``say`` speaks."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"t_s": round(self.t_s, 4) if math.isfinite(self.t_s) else None,
                               "cue": self.name}
        if self.text is not None:
            out["text"] = self.text
        return out


class CueMaker:
    """A pipeline listener that calls ``on_cue`` for every cue, as the samples come.

    ``voice``: add ``say`` cues (the step's instruction, "Release.").
    ``line_n``: the too-hard line (the session's zones); None repeats while the warning is on."""

    def __init__(
        self,
        on_cue: Callable[[Cue], None],
        *,
        voice: bool = False,
        repeat_s: float = TOO_HARD_REPEAT_S,
        hold_target_s: float = HOLD_TARGET_S,
        line_n: float | None = None,
    ) -> None:
        self.on_cue = on_cue
        self.voice = voice
        self.repeat_s = repeat_s
        self.hold_target_s = hold_target_s
        self.line_n = line_n
        self._too_hard_on = False
        self._next_too_hard_s = -math.inf
        self._held = False  # the current hold has reached its target

    def on_samples(self, result: ProcessResult) -> None:
        if len(result) == 0:
            return
        cues = self._too_hard(result) + self._release(result)
        cues.sort(key=lambda c: c.t_s)
        for cue in cues:
            self.on_cue(cue)

    def on_event(self, event: Event) -> None:
        if event.type == "step_start":
            self.on_cue(Cue(event.t_s, "step"))
            text = event.fields.get("instruction")
            if self.voice and text:
                self.on_cue(Cue(event.t_s, "say", str(text)))
        elif event.type == "routine_end" and event.fields.get("completed"):
            self.on_cue(Cue(event.t_s, "routine_end"))
        elif event.type == "disconnected":
            self._too_hard_on = False
            self._held = False

    # ------------------------------------------------------------------ per sample

    def _too_hard(self, result: ProcessResult) -> list[Cue]:
        on = np.asarray(result.too_hard, dtype=bool)
        out: list[Cue] = []
        if not on.any():
            self._too_hard_on = False
            return out
        t = result.t_s
        prev_on = self._too_hard_on
        prev_k = -2
        past = (np.ones(len(result), bool) if self.line_n is None
                else (result.force_n >= self.line_n) | result.saturated)
        # Only the samples with the warning on are visited: a run is a few seconds at most.
        for k in np.flatnonzero(on).tolist():
            started = not (prev_on if k == 0 else prev_k == k - 1)
            t_k = float(t[k])
            if started or (past[k] and t_k >= self._next_too_hard_s - 1e-9):
                out.append(Cue(t_k, "too_hard"))
                self._next_too_hard_s = t_k + self.repeat_s
            prev_k = k
        self._too_hard_on = bool(on[-1])
        return out

    def _release(self, result: ProcessResult) -> list[Cue]:
        # A sample stands for its whole period: the hold has lasted its target at the
        # sample that completes it (as the ``hold_end`` event's duration counts).
        period_s = 1.0 / result.sample_rate_hz if result.sample_rate_hz > 0 else 0.0
        elapsed = result.hold_elapsed_s + period_s
        with np.errstate(invalid="ignore"):
            held = elapsed >= self.hold_target_s - 1e-9  # NaN (no hold) is False
        out: list[Cue] = []
        if not held.any():
            self._held = False
            return out
        prev = np.concatenate(([self._held], held[:-1]))
        for k in np.flatnonzero(held & ~prev).tolist():
            out.append(Cue(float(result.t_s[k]), "release"))
            if self.voice:
                out.append(Cue(float(result.t_s[k]), "say", RELEASE_WORDS))
        self._held = bool(held[-1])
        return out
