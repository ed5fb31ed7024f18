"""Holds on sore spots: the ball stopped while the force stays at moderate or above.

A stop becomes a hold once it has lasted ``hold_min_s``; the hold is then dated from the
stop, not from the moment it was confirmed. It ends when the ball rolls again or the force
drops below moderate. Only the points where the condition starts or ends are visited; the
forces of the current stop are kept until it ends, so its mean does not depend on how the
input was split into chunks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartball import hold_target
from smartball.events import Event
from smartball.processing.runs import last_index

F64 = npt.NDArray[np.float64]
BoolArr = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Hold:
    start_s: float
    end_s: float
    mean_force_n: float
    peak_force_n: float
    reached_target: bool
    beyond: bool = False
    """The force went beyond what this ball can measure during the hold: its mean and peak
    are not known (NaN)."""

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def _since_confirmed(known: BoolArr, starts: BoolArr, before: bool) -> BoolArr:
    """Whether the current stop was confirmed at or before each sample (``before``: the stop
    open at the start of the chunk was)."""
    mark = np.where(known, 1, np.where(starts, 0, -1))
    last = last_index(mark >= 0)
    out: BoolArr = np.where(last >= 0, mark[np.maximum(last, 0)] == 1, before)
    return out


class HoldTracker:
    def __init__(self, hold_min_s: float, hold_target_s: float) -> None:
        self.hold_min_s = hold_min_s
        self.hold_target_s = hold_target_s
        self.in_stop = False
        self.start_s = 0.0
        self.confirmed = False
        self._forces: list[F64] = []
        self.holds: list[Hold] = []
        """Every hold closed so far."""

    def elapsed_s(self, t_s: float) -> float:
        return t_s - self.start_s if self.in_stop and self.confirmed else float("nan")

    def update(self, t_s: F64, stopped_pressed: BoolArr, force_n: F64,
               settle_s: F64 | float = 0.0) -> tuple[F64, list[tuple[int, Event]]]:
        """Per-sample time into the current hold (NaN outside one), and the events with the
        index of the sample at which each became known. ``settle_s``: a stop is confirmed
        once it has lasted ``hold_min_s`` plus this (the time a slow roll takes to show)."""
        n = t_s.shape[0]
        events: list[tuple[int, Event]] = []
        if n == 0:
            return np.empty(0), events
        c = stopped_pressed
        prev = np.empty(n, np.bool_)
        prev[0] = self.in_stop
        prev[1:] = c[:-1]
        starts = c & ~prev
        last = last_index(starts)
        start_t = np.where(last >= 0, t_s[np.maximum(last, 0)], self.start_s)
        elapsed = np.where(c, t_s - start_t, np.nan)
        known = c & (elapsed >= self.hold_min_s + settle_s - 1e-9)
        # Once confirmed, a stop stays so (a settle time that shrinks does not undo it).
        confirmed = known | (c & _since_confirmed(known, starts, self.in_stop and self.confirmed))
        hold_elapsed = np.where(confirmed, elapsed, np.nan)

        # Visit only the starts, confirmations and ends of stops, in order.
        prev_conf = np.empty(n, np.bool_)
        prev_conf[0] = self.in_stop and self.confirmed
        prev_conf[1:] = confirmed[:-1]
        ends = prev & ~c
        points = np.flatnonzero(starts | ends | (confirmed & ~prev_conf))
        seg_from = 0  # first index of this chunk that belongs to the current stop
        for k in points.tolist():
            if ends[k]:
                self._forces.append(force_n[seg_from:k])
                self._close(float(t_s[k]), k, events)
            if starts[k]:
                self.in_stop = True
                self.start_s = float(t_s[k])
                self.confirmed = False
                self._forces = []
                seg_from = k
            if confirmed[k] and not prev_conf[k]:
                self.confirmed = True
                events.append((k, Event(self.start_s, "hold_start")))
        if self.in_stop:
            self._forces.append(force_n[seg_from:])
        return hold_elapsed, events

    def _close(self, end_s: float, k: int, events: list[tuple[int, Event]]) -> None:
        if self.confirmed:
            f = np.concatenate(self._forces) if self._forces else np.empty(0)
            # A force not measured (NaN: the sensor at its end) leaves mean and peak unknown.
            known = bool(f.size) and bool(np.isfinite(f).all())
            hold = Hold(
                start_s=self.start_s,
                end_s=end_s,
                mean_force_n=float(np.mean(f)) if known else float("nan"),
                peak_force_n=float(np.max(f)) if known else float("nan"),
                reached_target=hold_target.reached_target(end_s - self.start_s, self.hold_target_s),
                beyond=bool(f.size) and not known,
            )
            self.holds.append(hold)
            fields: dict[str, object] = {
                "duration_s": hold.duration_s,
                "mean_force_n": hold.mean_force_n,
                "peak_force_n": hold.peak_force_n,
                "reached_target": hold.reached_target,
            }
            if hold.beyond:
                fields.update(mean_force_n=None, peak_force_n=None, beyond=True)
            events.append((k, Event(end_s, "hold_end", fields)))
        self.in_stop = False
        self.confirmed = False
        self._forces = []

    def finish(self, t_s: float) -> list[Event]:
        """Close a stop still open at the end of input (a hold if it was confirmed)."""
        events: list[tuple[int, Event]] = []
        if self.in_stop:
            self._close(t_s, 0, events)
        return [e for _k, e in events]
