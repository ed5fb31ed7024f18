"""Time in tests: a clock tests own (sleeping advances it at once, so pacing is checked
without waiting), and waiting on a condition with a generous timeout."""

from __future__ import annotations

import time
from collections.abc import Callable


class FakeClock:
    def __init__(self, t0_s: float = 1000.0) -> None:
        self.now_s = t0_s
        self.slept_s = 0.0

    def __call__(self) -> float:
        return self.now_s

    def sleep(self, seconds: float) -> None:
        self.now_s += max(0.0, seconds)
        self.slept_s += max(0.0, seconds)


def wait_until(condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    """Return once ``condition()`` holds; fail if it has not within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout_s} s")
        time.sleep(0.005)  # poll interval; the wait ends when the condition holds
