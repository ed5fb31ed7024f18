"""``LiveBuffer``: what the live view reads, filled by the device thread.

A Session listener. The device thread calls :meth:`LiveBuffer.on_samples` and
:meth:`LiveBuffer.on_event`; the plotting thread calls :meth:`LiveBuffer.read`, which copies
the last few seconds and the link/hold/battery state under one lock, so a frame never mixes
two moments. The sample columns live in a fixed ring (no allocation per chunk, bounded
memory however long the session). The view never touches the transport.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from smartball.events import ZONES, Event
from smartball.protocol.constants import StatusFlag
from smartball.protocol.messages import BATTERY_PERCENT_UNKNOWN

F64 = npt.NDArray[np.float64]


class ResultLike(Protocol):
    """The per-sample columns of a processing result that the view shows."""

    t_s: F64
    force_n: F64
    force_smooth_n: F64
    zone: npt.NDArray[np.int8]
    rolling: npt.NDArray[np.bool_]
    speed_cm_s: F64
    hold_elapsed_s: F64
    too_hard: npt.NDArray[np.bool_]
    """The fast too-hard warning (ahead of the smoothed zone)."""
    saturated: npt.NDArray[np.bool_]
    """The sensor at the end of its range: beyond what this ball can measure."""


@dataclass(frozen=True, slots=True)
class LiveFrame:
    """A consistent copy of the buffer at one moment (what one drawn frame shows)."""

    t_s: F64
    """Device seconds of the samples in the window, oldest first."""
    force_n: F64
    """The force per sample; NaN where beyond what this ball can measure (``beyond``)."""
    force_smooth_n: F64
    zone_codes: npt.NDArray[np.int8]
    beyond: npt.NDArray[np.bool_]
    """The sensor was at the end of its range at these samples."""
    now_t_s: float
    """Device time of the newest sample (NaN before the first)."""
    elapsed_s: float
    """Session clock: device seconds since the first sample (0 before it)."""
    force_now_n: float
    """The newest force; NaN if none, or if the newest reading is beyond (``beyond_now``)."""
    beyond_now: bool
    """The newest reading is at the sensor's end: beyond what this ball can measure."""
    zone: str
    rolling: bool
    speed_cm_s: float
    hold_elapsed_s: float | None
    too_hard_now: bool
    """The fast too-hard warning is on at the newest sample."""
    link: str
    """``waiting``, ``connected``, ``reconnecting`` or ``ended``."""
    lost_samples: int
    battery_percent: int | None
    battery_mv: int | None
    charging: bool
    holds: int
    last_hold_s: float | None
    since_hold_end_s: float | None
    since_too_hard_s: float | None
    too_hard_count: int
    samples: int
    """Samples received since the start (not only those in the window)."""


class LiveBuffer:
    """Ring buffer of the processed stream plus the session state the view shows."""

    def __init__(self, capacity: int = 8192) -> None:
        # 8192 samples: 40 s at 200 Hz, twice the default 20 s window at the fastest rate.
        if capacity < 2:
            raise ValueError("capacity must be at least 2")
        self._lock = threading.Lock()
        self._cap = capacity
        self._t = np.full(capacity, np.nan)
        self._f = np.full(capacity, np.nan)
        self._fs = np.full(capacity, np.nan)
        self._z = np.zeros(capacity, np.int8)
        self._sat = np.zeros(capacity, np.bool_)
        self._head = 0  # next write position
        self._count = 0  # valid samples in the ring (<= capacity)
        self._total = 0
        self._first_t = math.nan
        self._rolling = False
        self._speed = math.nan
        self._hold: float | None = None
        self._too_hard_now = False
        self._link = "waiting"
        self._lost = 0
        self._battery_percent: int | None = None
        self._battery_mv: int | None = None
        self._charging = False
        self._holds = 0
        self._last_hold_s: float | None = None
        self._hold_end_t = math.nan
        self._too_hard_t = math.nan
        self._too_hard_count = 0

    # -- listener side (device thread) --------------------------------------------------

    def on_samples(self, result: ResultLike) -> None:
        t = np.asarray(result.t_s, dtype=np.float64)
        n = int(t.shape[0])
        if n == 0:
            return
        sat = np.asarray(result.saturated, dtype=np.bool_)
        # A reading at the sensor's end is no force: nothing downstream may show it as one.
        f = np.where(sat, np.nan, np.asarray(result.force_n, dtype=np.float64))
        fs = np.asarray(result.force_smooth_n, dtype=np.float64)
        z = np.asarray(result.zone, dtype=np.int8)
        hold = float(result.hold_elapsed_s[-1])
        with self._lock:
            if math.isnan(self._first_t):
                self._first_t = float(t[0])
            self._write(t, f, fs, z, sat)
            self._total += n
            self._rolling = bool(result.rolling[-1])
            self._speed = float(result.speed_cm_s[-1])
            self._hold = hold if math.isfinite(hold) else None
            flagged = np.flatnonzero(np.asarray(result.too_hard))
            self._too_hard_now = bool(flagged.size and flagged[-1] == n - 1)
            if flagged.size:
                # "Since too hard" counts from the end of the press, not its start.
                self._too_hard_t = float(t[flagged[-1]])
            if self._link == "waiting":
                # Samples prove a link even if the source sends no ``connected`` event.
                self._link = "connected"

    def _write(self, t: F64, f: F64, fs: F64, z: npt.NDArray[np.int8],
               sat: npt.NDArray[np.bool_]) -> None:
        n = t.shape[0]
        if n >= self._cap:
            c = self._cap
            t, f, fs, z, sat = t[-c:], f[-c:], fs[-c:], z[-c:], sat[-c:]
            n = self._cap
        end = self._head + n
        if end <= self._cap:
            sl = slice(self._head, end)
            self._t[sl], self._f[sl], self._fs[sl], self._z[sl] = t, f, fs, z
            self._sat[sl] = sat
        else:
            k = self._cap - self._head
            pairs: tuple[tuple[npt.NDArray[Any], npt.NDArray[Any]], ...] = (
                (self._t, t), (self._f, f), (self._fs, fs), (self._z, z), (self._sat, sat))
            for dst, src in pairs:
                dst[self._head :] = src[:k]
                dst[: n - k] = src[k:]
        self._head = end % self._cap
        self._count = min(self._cap, self._count + n)

    def on_event(self, event: Event) -> None:
        fields = event.fields
        with self._lock:
            kind = event.type
            if kind in ("connected", "reconnected"):
                self._link = "connected"
            elif kind == "disconnected":
                # The session keeps trying; an ``ended`` link is set by :meth:`mark_ended`.
                self._link = "reconnecting"
            elif kind == "gap":
                self._lost += int(fields.get("lost_samples", 0) or 0)
            elif kind == "status":
                self._status(fields)
            elif kind == "hold_end":
                self._holds += 1
                dur = fields.get("duration_s")
                self._last_hold_s = float(dur) if dur is not None else None
                self._hold_end_t = event.t_s
                self._hold = None
            elif kind == "too_hard":
                if math.isnan(self._too_hard_t) or event.t_s > self._too_hard_t:
                    self._too_hard_t = event.t_s
                self._too_hard_count += 1

    def _status(self, fields: dict[str, Any]) -> None:
        pct = fields.get("battery_percent")
        self._battery_percent = (None if pct is None or pct == BATTERY_PERCENT_UNKNOWN
                                 else int(pct))
        mv = fields.get("battery_mv")
        self._battery_mv = None if mv is None else int(mv)
        if "charging" in fields:
            self._charging = bool(fields["charging"])
        elif "flags" in fields:
            self._charging = StatusFlag.CHARGING in StatusFlag(int(fields["flags"]))

    def mark_ended(self) -> None:
        """The session is over (its thread finished): the view says so."""
        with self._lock:
            self._link = "ended"

    # -- view side (plotting thread) -----------------------------------------------------

    def read(self, window_s: float = 20.0) -> LiveFrame:
        with self._lock:
            n = self._count
            idx = (self._head - n + np.arange(n)) % self._cap
            t = self._t[idx]
            now = float(t[-1]) if n else math.nan
            if n:
                keep = int(np.searchsorted(t, now - window_s, side="left"))
                idx = idx[keep:]
                t = t[keep:]
            f, fs, z, sat = self._f[idx], self._fs[idx], self._z[idx], self._sat[idx]
            zone_code = int(z[-1]) if len(z) else 0
            force_now = float(f[-1]) if len(f) else math.nan
            beyond_now = bool(sat[-1]) if len(sat) else False
            return LiveFrame(
                t_s=t,
                force_n=f,
                force_smooth_n=fs,
                zone_codes=z,
                beyond=sat,
                now_t_s=now,
                elapsed_s=0.0 if not n else now - self._first_t,
                force_now_n=force_now,
                beyond_now=beyond_now,
                zone=ZONES[zone_code] if 0 <= zone_code < len(ZONES) else "rest",
                rolling=self._rolling,
                speed_cm_s=self._speed,
                hold_elapsed_s=self._hold,
                too_hard_now=self._too_hard_now,
                link=self._link,
                lost_samples=self._lost,
                battery_percent=self._battery_percent,
                battery_mv=self._battery_mv,
                charging=self._charging,
                holds=self._holds,
                last_hold_s=self._last_hold_s,
                since_hold_end_s=_since(now, self._hold_end_t),
                since_too_hard_s=_since(now, self._too_hard_t),
                too_hard_count=self._too_hard_count,
                samples=self._total,
            )


def _since(now: float, then: float) -> float | None:
    if math.isnan(then) or math.isnan(now):
        return None
    return max(0.0, now - then)
