"""Processing-result-shaped data with a known story, for view tests that need exact states.

The columns match what ``LiveBuffer.on_samples`` reads from a processing result; the story
(rolling, a hold, a too-hard press) is placed at known times so tests can ask for a state.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartball.events import ZONES, Event

F64 = npt.NDArray[np.float64]
BOUNDS_N = (10.0, 50.0, 100.0, 200.0)


@dataclass
class SyntheticResult:
    t_s: F64
    force_n: F64
    force_smooth_n: F64
    zone: npt.NDArray[np.int8]
    rolling: npt.NDArray[np.bool_]
    speed_cm_s: F64
    hold_elapsed_s: F64
    too_hard: npt.NDArray[np.bool_]
    saturated: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return int(self.t_s.shape[0])

    def __getitem__(self, key: slice) -> SyntheticResult:
        return SyntheticResult(
            **{name: getattr(self, name)[key] for name in self.__dataclass_fields__}
        )


def zones_of(force_n: F64) -> npt.NDArray[np.int8]:
    return np.searchsorted(np.asarray(BOUNDS_N), force_n, side="right").astype(np.int8)


def result(
    t_s: F64, force_n: F64, *, rolling: bool | npt.NDArray[np.bool_] = True,
    speed_cm_s: float = 4.0, hold_elapsed_s: F64 | None = None,
    saturated: npt.NDArray[np.bool_] | None = None,
) -> SyntheticResult:
    n = t_s.shape[0]
    return SyntheticResult(
        t_s=t_s,
        force_n=force_n,
        force_smooth_n=force_n,
        zone=zones_of(force_n),
        rolling=np.broadcast_to(np.asarray(rolling, bool), (n,)).copy(),
        speed_cm_s=np.full(n, speed_cm_s),
        hold_elapsed_s=np.full(n, np.nan) if hold_elapsed_s is None else hold_elapsed_s,
        too_hard=(force_n >= BOUNDS_N[3]) | (False if saturated is None else saturated),
        saturated=np.zeros(n, bool) if saturated is None else saturated,
    )


def story(rate_hz: float = 100.0, seconds: float = 40.0) -> SyntheticResult:
    """Rolling at moderate 0-12 s, a hold 12-24 s, a too-hard press 26-28 s, light after."""
    t = np.arange(0.0, seconds, 1.0 / rate_hz)
    f = 70.0 + 15.0 * np.sin(2 * np.pi * 0.3 * t) + 5.0 * np.sin(2 * np.pi * 7.0 * t)
    hold = (t >= 12.0) & (t < 24.0)
    f[hold] = 120.0 + 3.0 * np.sin(2 * np.pi * 0.5 * t[hold])
    hard = (t >= 26.0) & (t < 28.0)
    f[hard] = 215.0
    f[t >= 28.0] = 30.0
    rolling = ~hold
    hold_elapsed = np.where(hold, t - 12.0, np.nan)
    return result(t, f, rolling=rolling, hold_elapsed_s=hold_elapsed)


assert ZONES[zones_of(np.array([215.0]))[0]] == "too_hard"


class SyntheticSession:
    """Plays :func:`story` to its listeners from a thread, like a session's device thread:
    ``speed`` times real time, in chunks of ``chunk`` samples, with the events the story has."""

    def __init__(self, *, speed: float = 1.0, chunk: int = 10, rate_hz: float = 100.0,
                 seconds_of_story: float = 40.0) -> None:
        self.result = story(rate_hz, seconds_of_story)
        self.speed = speed
        self.chunk = chunk
        self.rate_hz = rate_hz
        self.listeners: list[object] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.started_with: float | None = None

    def add_listener(self, listener: object) -> None:
        self.listeners.append(listener)

    def start(self, seconds: float | None = None) -> None:
        self.started_with = seconds
        self._thread = threading.Thread(target=self._run, args=(seconds,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def _emit(self, event: Event) -> None:
        for listener in self.listeners:
            listener.on_event(event)  # type: ignore[attr-defined]

    def _run(self, seconds: float | None) -> None:
        # Like a real session, ``seconds`` is wall time.
        r = self.result
        n = r.t_s.shape[0]
        self._emit(Event(0.0, "connected", {"port": "synthetic"}))
        self._emit(Event(0.0, "status", {"battery_percent": 77, "battery_mv": 3850}))
        t0 = time.monotonic()
        marks = [(24.0, Event(24.0, "hold_end", {"duration_s": 12.0, "mean_force_n": 120.0})),
                 (26.0, Event(26.0, "too_hard", {"force_n": 215.0})),
                 (12.0, Event(12.0, "hold_start", {}))]
        for i in range(0, n, self.chunk):
            if self._stop.is_set():
                break
            part = r[i : min(i + self.chunk, n)]
            due = t0 + float(part.t_s[-1]) / self.speed
            if seconds is not None and due > t0 + seconds:
                break
            delay = due - time.monotonic()
            if delay > 0 and self._stop.wait(delay):
                break
            for listener in self.listeners:
                listener.on_samples(part)  # type: ignore[attr-defined]
            for at, ev in list(marks):
                if part.t_s[-1] >= at:
                    self._emit(ev)
                    marks.remove((at, ev))
        self._emit(Event(float(r.t_s[-1]), "disconnected", {}))
