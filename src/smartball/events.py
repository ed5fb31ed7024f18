"""Events: what happened in a session, as the ``--events`` JSON lines of DESIGN.md say.

One object a line: ``{"t_s": device seconds, "type": ..., ...}`` with types ``connected``,
``info``, ``zone`` (``zone``, ``force_n``), ``hold_start``, ``hold_end`` (``duration_s``,
``mean_force_n``), ``too_hard`` (``force_n``), ``gap`` (``lost_samples``), ``status``,
``disconnected``, ``reconnected``, and with a routine ``step_start``, ``step_end`` and
``routine_end``. Processing emits zone/hold/too_hard and the routine's; the device side
emits the rest.

Where the pressure sensor was at the end of its range the force is not known: a ``too_hard``
or ``zone`` event there, and a ``hold_end`` over such a moment, carry ``null`` for their
forces and ``"beyond": true`` (beyond what this ball can measure), never a number.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import IO, Any

EVENT_TYPES = (
    "connected",
    "info",
    "zone",
    "hold_start",
    "hold_end",
    "too_hard",
    "gap",
    "status",
    "disconnected",
    "reconnected",
    "step_start",
    "step_end",
    "routine_end",
)

ZONES = ("rest", "light", "moderate", "deep", "too_hard")
"""Zone names, in order of force; processing uses their indices as int8 codes."""


@dataclass(frozen=True, slots=True)
class Event:
    t_s: float
    type: str
    fields: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {self.type!r}")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"t_s": _round(self.t_s), "type": self.type}
        out.update({k: _round(v) if isinstance(v, float) else v for k, v in self.fields.items()})
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(", ", ": "))


def _round(x: float) -> float | None:
    # Millisecond resolution is what a 100-200 Hz stream carries; NaN is not JSON.
    return None if not math.isfinite(x) else round(float(x), 4)


class EventWriter:
    """Writes events as JSON lines, flushed as they happen (a listener)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def __call__(self, event: Event) -> None:
        self._stream.write(event.to_json() + "\n")
        self._stream.flush()
