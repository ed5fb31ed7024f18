"""A session's summary, accumulated block by block: the ``analyze --json`` dict of DESIGN.md.

Fed :class:`ProcessResult` objects (and the events of ``Processor.finish``) in order, it keeps
only the open zone segment, the open too-hard stretch and running totals, so an hour of input
costs no more memory than a minute. Times in the result are seconds of device time from the
first sample.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from smartball.events import ZONES, Event
from smartball.processing.processor import ProcessResult

if TYPE_CHECKING:
    from smartball.processing.routine_clock import RoutineClock


@dataclass(frozen=True, slots=True)
class SessionTotals:
    """A session's figures as numbers (nothing rounded): what the history lists."""

    duration_s: float
    samples: int
    time_in_zone_s: dict[str, float]
    """Seconds in each zone (names of ``smartball.events.ZONES``)."""
    hold_durations_s: tuple[float, ...]
    """Each hold's length, from its stop to its release."""
    too_hard_presses: int
    max_force_n: float
    """The largest force measured (NaN if none was: every reading beyond the sensor's end)."""
    beyond_s: float = 0.0
    """Time the pressure sensor was at the end of its range: beyond what this ball can
    measure."""


class SessionSummary:
    def __init__(self, source: str, sample_rate_hz: float) -> None:
        self.source = source
        self.sample_rate_hz = float(sample_rate_hz)
        self.samples = 0
        self.t_first: float | None = None
        self.t_last: float | None = None
        self.max_force_n = float("nan")
        """The largest force measured (readings at the sensor's end are not measured)."""
        self.beyond_samples = 0
        self._segments: list[tuple[int, float, float]] = []  # zone, start, end (absolute)
        self._seg_zone: int | None = None
        self._seg_start = 0.0
        self._holds: list[dict[str, Any]] = []
        self._too_hard: list[tuple[float, float, float, bool]] = []
        self._th_open = False
        self._th_start = 0.0
        self._th_peak = float("-inf")
        self._th_beyond = False

    @property
    def period_s(self) -> float:
        return 1.0 / self.sample_rate_hz if self.sample_rate_hz > 0 else 0.0

    def add(self, result: ProcessResult) -> None:
        n = len(result)
        if n:
            t = result.t_s
            if self.t_first is None:
                self.t_first = float(t[0])
            self.t_last = float(t[-1])
            self.samples += n
            saturated = np.asarray(result.saturated, np.bool_)
            self.beyond_samples += int(saturated.sum())
            measured = result.measured_force_n
            if not saturated.all():
                peak = float(np.nanmax(measured))
                if not self.max_force_n >= peak:  # also replaces the initial NaN
                    self.max_force_n = peak
            self._add_zones(t, result.zone)
            self._add_too_hard(t, result.too_hard, measured)
        self.add_events(result.events)

    def add_events(self, events: Iterable[Event]) -> None:
        for ev in events:
            if ev.type == "hold_end":
                self._holds.append({
                    "start_s": ev.t_s - float(ev.fields["duration_s"]),
                    "end_s": ev.t_s,
                    "duration_s": float(ev.fields["duration_s"]),
                    "mean_force_n": _num(ev.fields.get("mean_force_n")),
                    "peak_force_n": _num(ev.fields.get("peak_force_n")),
                    "beyond": bool(ev.fields.get("beyond", False)),
                })

    def _add_zones(self, t: np.ndarray[Any, np.dtype[np.float64]],
                   zone: np.ndarray[Any, np.dtype[np.int8]]) -> None:
        if self._seg_zone is None:
            self._seg_zone = int(zone[0])
            self._seg_start = float(t[0])
        prev = np.empty_like(zone)
        prev[0] = self._seg_zone
        prev[1:] = zone[:-1]
        for k in np.flatnonzero(zone != prev).tolist():
            self._segments.append((self._seg_zone, self._seg_start, float(t[k])))
            self._seg_zone = int(zone[k])
            self._seg_start = float(t[k])

    def _add_too_hard(self, t: np.ndarray[Any, np.dtype[np.float64]],
                      on: np.ndarray[Any, np.dtype[np.bool_]],
                      force_n: np.ndarray[Any, np.dtype[np.float64]]) -> None:
        n = on.shape[0]
        prev = np.empty(n, np.bool_)
        prev[0] = self._th_open
        prev[1:] = on[:-1]
        edges = np.flatnonzero(on != prev).tolist()
        start = 0
        for k in [*edges, n]:
            if self._th_open and k > start:
                # ``force_n`` is the measured force: NaN where the sensor was at its end.
                part = force_n[start:k]
                beyond = np.isnan(part)
                if beyond.any():
                    self._th_beyond = True
                if not beyond.all():
                    self._th_peak = max(self._th_peak, float(np.nanmax(part)))
            if k == n:
                break
            if on[k]:
                self._th_open = True
                self._th_start = float(t[k])
                self._th_peak = float("-inf")
                self._th_beyond = False
            else:
                self._too_hard.append((self._th_start, float(t[k]), self._th_peak,
                                       self._th_beyond))
                self._th_open = False
            start = k

    @property
    def beyond_s(self) -> float:
        """Time the sensor was at the end of its range (beyond what this ball can measure)."""
        return self.beyond_samples * self.period_s

    def _closed(self) -> tuple[float, float, list[tuple[int, float, float]],
                               list[tuple[float, float, float, bool]], dict[str, float]]:
        """The first time, the end, the zone segments and too-hard stretches with the open
        ones ended one sample period after the last sample, and the time in each zone."""
        t0 = self.t_first if self.t_first is not None else 0.0
        end = (self.t_last + self.period_s) if self.t_last is not None else t0
        segments = list(self._segments)
        if self._seg_zone is not None:
            segments.append((self._seg_zone, self._seg_start, end))
        too_hard = list(self._too_hard)
        if self._th_open:
            too_hard.append((self._th_start, end, self._th_peak, self._th_beyond))
        in_zone = dict.fromkeys(ZONES, 0.0)
        for z, a, b in segments:
            in_zone[ZONES[z]] += b - a
        return t0, end, segments, too_hard, in_zone

    def totals(self) -> SessionTotals:
        """The figures so far, as numbers."""
        t0, end, _segments, too_hard, in_zone = self._closed()
        return SessionTotals(
            duration_s=end - t0, samples=self.samples, time_in_zone_s=in_zone,
            hold_durations_s=tuple(h["duration_s"] for h in self._holds),
            too_hard_presses=len(too_hard),
            max_force_n=self.max_force_n if self.samples else 0.0,
            beyond_s=self.beyond_s,
        )

    def as_dict(self, lost_samples: int = 0, crc_errors: int = 0) -> dict[str, Any]:
        """The summary so far; open stretches end one sample period after the last sample."""
        t0, end, segments, too_hard, in_zone = self._closed()
        return {
            "source": self.source,
            "duration_s": _r(end - t0),
            "samples": self.samples,
            "sample_rate_hz": _r(self.sample_rate_hz),
            "lost_samples": int(lost_samples),
            "crc_errors": int(crc_errors),
            "time_in_zone_s": {k: _r(v) for k, v in in_zone.items()},
            "segments": [{"zone": ZONES[z], "start_s": _r(a - t0), "end_s": _r(b - t0)}
                         for z, a, b in segments],
            "holds": [{"start_s": _r(h["start_s"] - t0), "end_s": _r(h["end_s"] - t0),
                       **_forces(("mean_force_n", h["mean_force_n"]),
                                 ("peak_force_n", h["peak_force_n"]), beyond=h["beyond"])}
                      for h in self._holds],
            "too_hard": [{"start_s": _r(a - t0), "end_s": _r(b - t0),
                          **_forces(("peak_force_n", p), beyond=beyond)}
                         for a, b, p, beyond in too_hard],
            "max_force_n": (None if not np.isfinite(self.max_force_n) and self.beyond_samples
                            else _r(self.max_force_n) if self.samples else 0.0),
            "beyond_s": _r(self.beyond_s),
        }


def _r(x: float) -> float:
    # Millisecond resolution is what the stream carries; NaN is not JSON (0.0 for "none").
    return round(float(x), 4) if np.isfinite(x) else 0.0


def _num(x: Any) -> float:
    return float("nan") if x is None else float(x)


def _forces(*named: tuple[str, float], beyond: bool) -> dict[str, Any]:
    """Forces of a hold or a too-hard stretch: their numbers, or (the sensor at its end at
    some moment of it) null and ``"beyond": true``, never a force it did not measure."""
    if beyond:
        return {**{k: None for k, _v in named}, "beyond": True}
    return {k: _r(v) for k, v in named}


class SummaryListener:
    """A pipeline listener that sums a session up as it goes: the one summary of a live
    session (for the history), a replay and ``analyze`` (made at the first samples, at
    their rate). ``routine()`` tells the routine followed and how it went."""

    def __init__(self, source: str = "",
                 on_result: Callable[[ProcessResult], None] | None = None) -> None:
        self.source = source
        self.on_result = on_result
        """Also handed each block's result (the report keeps a trace of the force)."""
        self.summary: SessionSummary | None = None
        self.clock: RoutineClock | None = None
        """Where the routine stood at the last samples (None without a routine)."""
        self._routine_end: dict[str, Any] | None = None

    def on_samples(self, result: ProcessResult) -> None:
        if self.summary is None:
            self.summary = SessionSummary(self.source, result.sample_rate_hz)
        self.summary.add(result)
        if result.routine is not None:
            self.clock = result.routine
        if self.on_result is not None:
            self.on_result(result)

    def on_event(self, event: Event) -> None:
        if self.summary is not None:
            self.summary.add_events((event,))
        if event.type == "routine_end":
            self._routine_end = dict(event.fields)

    def routine(self) -> tuple[str | None, float | None]:
        """The routine followed and its adherence: from its ``routine_end`` event, or (a
        session stopped before the routine's end) from where it stood at the last samples."""
        if self._routine_end is not None:
            adherence = self._routine_end.get("adherence")
            return (str(self._routine_end.get("name")),
                    None if adherence is None else float(adherence))
        if self.clock is None:
            return None, None
        return self.clock.name, self.clock.adherence
