"""Playing timed items in real time (or faster): pacing is separate from producing them.

``realtime(ball.serial_chunks())`` yields each chunk when its device time has come; a
transport or the pseudo-terminal writes it out. The clock and sleep are arguments so tests
run without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def realtime(
    items: Iterable[tuple[float, T]],
    speed: float = 1.0,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[tuple[float, T]]:
    """Yield ``(t_s, item)`` no earlier than ``t_s / speed`` seconds after the first call.
    ``speed`` 2 plays twice as fast; ``float('inf')`` does not wait at all."""
    if speed <= 0:
        raise ValueError("speed must be positive")
    start = clock()
    t_first: float | None = None
    for t_s, item in items:
        if t_first is None:
            t_first = t_s
        if speed != float("inf"):
            wait = start + (t_s - t_first) / speed - clock()
            if wait > 0:
                sleep(wait)
        yield t_s, item
