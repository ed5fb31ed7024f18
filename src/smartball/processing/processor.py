"""The processing core: samples in; force, zone, rolling, holds and warnings out.

Pure (no I/O) and vectorised. All state lives in the :class:`Processor` between calls, so a
session fed in one chunk or in many gives the same arrays and events; live views feed small
chunks, ``analyze`` feeds large ones, through the same code.

Pressure becomes force through the ball's response undone (``response``), the unloaded
baseline (``baseline``) and the ball's settled curve (``calibration``). Then three views of
the force: the *fast* force (at most a short running median) drives the too-hard warning,
whose latency matters most; the *level* (a low-pass that removes a hedgehog ball's ripple)
and the *slow average* (under the stroke rate: what the user means to press), with how far
the force has been swinging about it (``steady``), drive the zone label (``zones``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from smartball.block import SampleBlock
from smartball.events import ZONES, Event
from smartball.processing.baseline import BaselineTracker
from smartball.processing.calibration import Calibration
from smartball.processing.config import ProcessingConfig
from smartball.processing.filters import SosFilter
from smartball.processing.holds import Hold, HoldTracker
from smartball.processing.motion import MotionTracker
from smartball.processing.runs import last_index
from smartball.processing.steady import StillFor, SwingEstimator
from smartball.processing.zones import TOO_HARD, TooHardTracker, ZoneTracker
from smartball.protocol.constants import DEFAULT_RATE_HZ, REFERENCE_BALL_DIAMETER_MM

if TYPE_CHECKING:
    from smartball.processing.routine_clock import RoutineClock

F64 = npt.NDArray[np.float64]

BEYOND_MEMORY_S = 1.5
"""How long the level (1.5 Hz low-pass) still carries a saturated reading: a zone event this
soon after one says beyond, not a force."""

# Order of events that became known at the same sample.
_EVENT_ORDER = {"hold_end": 0, "zone": 1, "too_hard": 2, "hold_start": 3}


@dataclass(frozen=True, slots=True, eq=False)
class ProcessResult:
    """Per-sample arrays of one processed block, and the events it produced."""

    t_s: F64
    force_n: F64
    """Fast force (the too-hard path), newton."""
    force_smooth_n: F64
    """Low-passed force (the zone path), newton."""
    zone: npt.NDArray[np.int8]
    """Steady zone label, an index into ``smartball.events.ZONES``."""
    rolling: npt.NDArray[np.bool_]
    speed_cm_s: F64
    """Rolling speed (NaN without a gyro)."""
    hold_elapsed_s: F64
    """Time into the current hold, from the stop (NaN outside a hold)."""
    too_hard: npt.NDArray[np.bool_]
    """The too-hard warning is on."""
    saturated: npt.NDArray[np.bool_]
    """The pressure sensor was at the end of its range (the frame's flag, or a reading at
    ``saturation_pa``): the force there is beyond what this ball can measure, and
    ``force_n`` holds only where the reading stopped, never a force to show."""
    events: list[Event] = field(default_factory=list)
    """Events in the order they became known. A ``hold_start`` becomes known ``hold_min_s``
    after the stop but is dated at the stop, so its ``t_s`` can be earlier than that of an
    event before it."""
    event_index: list[int] = field(default_factory=list)
    """For each event, the index of the sample at which it became known."""
    sample_rate_hz: float = 0.0
    """The rate the samples were processed at."""
    routine: RoutineClock | None = None
    """With a routine: where it stands at the block's last sample."""

    def __len__(self) -> int:
        return int(self.t_s.shape[0])

    @property
    def measured_force_n(self) -> F64:
        """The fast force where the sensor measured it; NaN where it was at the end of its
        range (beyond what this ball can measure): what may be shown or written."""
        out: F64 = np.where(self.saturated, np.nan, self.force_n)
        return out


class Processor:
    def __init__(
        self,
        config: ProcessingConfig | None = None,
        calibration: Calibration | None = None,
        ball_diameter_mm: float = REFERENCE_BALL_DIAMETER_MM,
        sample_rate_hz: float = DEFAULT_RATE_HZ,
    ) -> None:
        self.config = config = config or ProcessingConfig()
        self.calibration = calibration or Calibration.reference()
        self.ball_diameter_mm = float(ball_diameter_mm)
        self.sample_rate_hz = float(sample_rate_hz)
        rate = self.sample_rate_hz
        self._baseline = BaselineTracker(self.calibration, config.unloaded_n,
                                         config.baseline_tau_s, rate, config.quiet_range_n,
                                         config.quiet_s, config.quiet_max_n)
        self._level = SosFilter.lowpass(config.level_cutoff_hz, rate)
        self._slow = SosFilter.lowpass(config.slow_cutoff_hz, rate)
        floor_n = config.thresholds_n[0]
        self._level_swing = SwingEstimator(config.swing_window_s, config.swing_delay_s,
                                           config.swing_still_s, config.swing_cap, floor_n, rate)
        # The warning's margin does not drop when the ball seems to stop (without a gyro a
        # slow stroke's heel can look like a stop), and counts only swings both ways (a
        # release shortly before a press is no swing).
        self._fast_swing = SwingEstimator(config.swing_window_s, config.swing_delay_s, None,
                                          config.swing_cap, floor_n, rate, both_ways=True)
        self._still_gyro = StillFor(config.press_still_s, rate)
        self._zones = ZoneTracker(config, rate)
        self._too_hard = TooHardTracker(config, rate)
        self._motion = MotionTracker(config, rate, self.ball_diameter_mm)
        self._holds = HoldTracker(config.hold_min_s, config.hold_target_s)
        self._median_tail = np.empty(0)
        self._last_force = 0.0
        # The level a zone event reports remembers the last second or so of the force: a
        # level that took in a saturated reading this recently is no measured force either.
        self._level_memory = max(1, round(rate * BEYOND_MEMORY_S))
        self._since_saturated = self._level_memory

    # ------------------------------------------------------------------ public

    @property
    def holds(self) -> list[Hold]:
        """Every hold closed so far."""
        return list(self._holds.holds)

    def process(self, block: SampleBlock) -> ProcessResult:
        t = np.asarray(block.t_s, dtype=np.float64)
        # A missing reading (NaN) compares False: not saturated.
        saturated = np.asarray(block.saturated, np.bool_) | (
            block.pressure_pa >= self.config.saturation_pa
        )
        raw = self._raw_force(block)
        rolling, speed = self._motion.update(block.gyro_dps, raw)
        fast = self._fast(raw)
        gyro = np.asarray(np.isfinite(block.gyro_dps).all(axis=1))
        smooth, zone, zone_changes, too_hard, too_hard_on = self._steady(
            fast, rolling, saturated, gyro)
        stopped_pressed = ~rolling & (zone >= self.config.hold_zone)
        settle = np.where(gyro, self.config.hold_settle_s, self.config.hold_settle_ripple_s)
        # A hold's mean and peak are taken on measured forces only (NaN: beyond).
        measured = np.where(saturated, np.nan, fast)
        hold_elapsed, hold_events = self._holds.update(t, stopped_pressed, measured, settle)
        level_beyond = self._level_beyond(saturated)

        keyed: list[tuple[int, int, Event]] = []
        for k in zone_changes.tolist():
            ev = Event(float(t[k]), "zone", {"zone": ZONES[zone[k]],
                                             **_force_fields(float(smooth[k]),
                                                             bool(level_beyond[k]))})
            keyed.append((k, _EVENT_ORDER["zone"], ev))
        for k in too_hard_on.tolist():
            ev = Event(float(t[k]), "too_hard", _force_fields(float(fast[k]), bool(saturated[k])))
            keyed.append((k, _EVENT_ORDER["too_hard"], ev))
        for k, ev in hold_events:
            keyed.append((k, _EVENT_ORDER[ev.type], ev))
        keyed.sort(key=lambda x: (x[0], x[1]))

        return ProcessResult(
            t_s=t, force_n=fast, force_smooth_n=smooth, zone=zone, rolling=rolling,
            speed_cm_s=speed, hold_elapsed_s=hold_elapsed, too_hard=too_hard,
            saturated=saturated, events=[e for _k, _o, e in keyed],
            event_index=[k for k, _o, _e in keyed], sample_rate_hz=self.sample_rate_hz,
        )

    def finish(self, t_s: float) -> list[Event]:
        """Close what is still open at the end of input: a hold (``hold_end``) and the
        too-hard warning. The processor can take more input afterwards as a fresh stretch."""
        events = self._holds.finish(t_s)
        self._too_hard.reset()
        return events

    def end(self, t_s: float) -> list[Event]:
        """The end of the session (after :meth:`finish`): what only ends with it. Nothing
        here; a routine's processing ends its routine."""
        return []

    # ------------------------------------------------------------------ steps

    def _level_beyond(self, saturated: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """Whether the level at each sample took in a saturated reading within its memory."""
        n = saturated.shape[0]
        if n == 0:
            return np.zeros(0, np.bool_)
        ks = np.arange(n)
        last = last_index(saturated)
        age = np.where(last >= 0, ks - last, self._since_saturated + ks + 1)
        self._since_saturated = int(min(age[-1], self._level_memory))
        out: npt.NDArray[np.bool_] = age < self._level_memory
        return out

    def _steady(self, fast: F64, rolling: npt.NDArray[np.bool_],
                saturated: npt.NDArray[np.bool_], gyro: npt.NDArray[np.bool_]
                ) -> tuple[F64, npt.NDArray[np.int8], npt.NDArray[np.int64],
                           npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
        """The level, the steady label and its changes, the warning and where it rose."""
        level = self._level(fast)
        slow = self._slow(fast)
        fast_swing = self._fast_swing.update(fast, slow, rolling)
        # A rolling foot swings by about a tenth (DESIGN.md) before its own swing is known.
        fast_swing = np.where(rolling, np.maximum(fast_swing, self.config.rolling_swing),
                              fast_swing)
        level_swing = self._level_swing.update(level, slow, rolling)
        # A press is a stop, which a gyro tells at once. Without one, the spikes' ripple also
        # fades at each turn of a stroke, where the heel can take the force 20 % up, for as
        # long as a short press lasts: no confirmation from a stop then.
        held = np.where(self._still_gyro.update(rolling) & gyro, level, np.nan)
        top_n = self.config.thresholds_n[TOO_HARD]
        band = self._zones.band_n(top_n, np.maximum(level_swing, fast_swing))
        too_hard, too_hard_on = self._too_hard.update(fast, saturated, fast_swing, level, band,
                                                      held, rolling, ~gyro)
        zone, zone_changes = self._zones.update(level, slow, level_swing, too_hard)
        return level, zone, zone_changes, too_hard, too_hard_on

    def _raw_force(self, block: SampleBlock) -> F64:
        n = len(block)
        if block.force_n is not None:
            force = np.asarray(block.force_n, dtype=np.float64)
            if block.has_pressure and not np.isfinite(force).all():
                force = np.where(np.isfinite(force), force, self._pressure_force(block))
        else:
            force = self._pressure_force(block)
        # A sample with no reading carries the last force, so filters are never fed NaN.
        ok = np.isfinite(force)
        if not ok.all():
            idx = np.maximum.accumulate(np.where(ok, np.arange(n), -1))
            force = np.where(idx >= 0, force[np.maximum(idx, 0)], self._last_force)
        if n:
            self._last_force = float(force[-1])
        return force

    def _pressure_force(self, block: SampleBlock) -> F64:
        rise = self._baseline.rise_pa(block.pressure_pa, block.temp_c)
        return self.calibration.force_n(rise)

    def _fast(self, force: F64) -> F64:
        m = self.config.fast_median
        if m <= 1 or force.shape[0] == 0:
            return force
        tail = self._median_tail if self._median_tail.size else np.repeat(force[:1], m - 1)
        x = np.concatenate([tail, force])
        self._median_tail = x[-(m - 1):].copy()
        win = np.lib.stride_tricks.sliding_window_view(x, m)
        return np.asarray(np.median(win, axis=1), dtype=np.float64)


def _force_fields(force_n: float, beyond: bool) -> dict[str, object]:
    """An event's force: the number where the sensor measured it, else ``"force_n": null``
    and ``"beyond": true`` (beyond what this ball can measure)."""
    if beyond:
        return {"force_n": None, "beyond": True}
    return {"force_n": force_n}
