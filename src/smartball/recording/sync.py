"""Pacing: when each recorded chunk is due, apart from reading it (python-can's MessageSync).

A :class:`Pacer` maps a chunk's recorded host time to a moment on this machine's monotonic
clock: the first chunk is due at once, each later one after the recorded gap divided by
``speed``. ``speed=None`` is as fast as possible. Long silences (the ball unplugged for a
minute) can be shortened with ``max_gap_s``.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Pacer:
    def __init__(
        self,
        speed: float | None = 1.0,
        *,
        max_gap_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed is not None and speed <= 0:
            raise ValueError("speed must be positive (or None: as fast as possible)")
        self.speed = speed
        self.max_gap_s = max_gap_s
        self.clock = clock
        """Seconds of a monotonic clock (``time.monotonic``; tests pass their own)."""
        self._origin_mono: float | None = None
        self._last_rec: float | None = None
        self._due_rec = 0.0  # recorded seconds since the first chunk, gaps capped

    def wait_s(self, recorded_time_s: float) -> float:
        """Seconds from now until a chunk recorded at ``recorded_time_s`` is due (<= 0: now).

        Call it for every chunk in order; asking again for the same time is fine."""
        if self.speed is None:
            return 0.0
        now = self.clock()
        if self._origin_mono is None or self._last_rec is None:
            self._origin_mono = now
            self._last_rec = recorded_time_s
            return 0.0
        if recorded_time_s != self._last_rec:
            gap = max(0.0, recorded_time_s - self._last_rec)
            if self.max_gap_s is not None:
                gap = min(gap, self.max_gap_s)
            self._due_rec += gap
            self._last_rec = recorded_time_s
        return self._origin_mono + self._due_rec / self.speed - now

