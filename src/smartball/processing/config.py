"""Tunable figures of the processing core, with the defaults of DESIGN.md.

Everything here is a plain value, so a configuration can be compared, printed and stored.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from smartball.hold_target import HOLD_TARGET_S


@dataclass(frozen=True, slots=True)
class ProcessingConfig:
    thresholds_n: tuple[float, float, float, float] = (10.0, 50.0, 100.0, 200.0)
    """Lower edges of light, moderate, deep and too hard, in newton."""
    hysteresis: float = 0.05
    """Relative half-width of the band around each threshold: a zone is entered above
    ``thr * (1 + hysteresis)`` and left below ``thr * (1 - hysteresis)``."""
    slow_hysteresis: float = 0.02
    """The same for the slow average (the stroke's mean), which hardly swings."""
    dwell_s: float = 0.08
    """A new zone must hold this long before the steady label takes it."""
    smooth_cutoff_hz: float = 2.5
    """Low-pass corner of the force the ripple is judged against (no gyro)."""
    level_cutoff_hz: float = 1.5
    """Low-pass corner of the level the zone label reads: removes the spikes' ripple and the
    foot's tremor, keeps a deliberate change of pressure within a fraction of a second."""
    slow_cutoff_hz: float = 0.12
    """Low-pass corner of the slow average: under the rate of a stroke (heel, arch, ball and
    back take 2 to 9 s), so what is left is what the user means to press."""
    swing_window_s: float = 8.0
    """The swing is the largest deviation from the slow average over this long (a stroke)."""
    swing_delay_s: float = 1.0
    """A crossing is judged against the swing of this long before (not the move itself)."""
    swing_still_s: float = 0.5
    """A ball still for this long no longer swings (a stroke's turnaround is shorter)."""
    swing_cap: float = 0.2
    """A deviation counts as swing up to this fraction of the slow average (beyond it, it is
    a deliberate change)."""
    rolling_swing: float = 0.1
    """Swing a rolling ball is granted at least at the too-hard edge (a foot's +-10 % over heel,
    arch and ball), before its own has been measured."""
    label_swing_k: float = 1.0
    """The label's band around a threshold is this many swings of the level (at least the
    hysteresis, at most ``band_max`` of the threshold)."""
    band_max: float = 0.3
    """Widest band around a threshold, as a fraction of it."""
    fast_median: int = 1
    """Samples in the running median of the fast force (1 = raw force, 3 = one sample late)."""

    too_hard_confirm: int = 2
    """Consecutive fast samples at or above the too-hard threshold that raise the warning
    (on the paths that need confirming: a steep rise or a held press raise it at once)."""
    too_hard_release: int = 10
    """Consecutive fast samples below the too-hard threshold minus the hysteresis that end it."""
    too_hard_margin: float = 0.01
    too_hard_swing_k: float = 1.5
    """The fast path raises the warning at the threshold plus this many swings of the
    fast force (spikes included; a fraction of the threshold), and at least
    ``too_hard_margin`` of it: a roll just under it, whose instantaneous peaks go over, does
    not raise it."""
    press_still_s: float = 0.3
    """A ball still this long by its gyro, with its level past the too-hard band, is a press
    there, whatever the swing before it."""
    too_hard_steep: float = 0.15
    too_hard_steep_swings: float = 3.0
    too_hard_steep_s: float = 0.25
    """A force that rose within ``too_hard_steep_s`` by this fraction of the threshold, and
    by this many swings, is a press (a stroke swings less and slower): past the threshold it
    raises the warning at once, whatever the swing (at the sample that crossed it, so in the
    frame that carries the crossing)."""
    too_hard_held_s: float = 0.5
    """A ball not rolling whose force has stayed at or past the too-hard threshold this long is
    pressed there: the warning, whatever the swing before it (only a rolling foot's peaks are
    excused)."""
    too_hard_held_median: int = 5
    """Samples in the running median the held press is read on (a noise dip of a sample or
    two does not break it; an edge is only delayed)."""
    too_hard_smooth_s: float = 0.45
    too_hard_smooth: float = 0.01
    """Without a gyro, a force that has stayed past the too-hard threshold for
    ``too_hard_held_s`` is a held press, though the ripple still calls the ball rolling (it
    lags a roll that turns into a press), where its RMS about a straight line over the last
    ``too_hard_smooth_s`` is under this fraction of it: a hedgehog ball's spikes ripple a
    rolling foot's force by several percent, its strokes' turns included; a hand holding a
    press wobbles by a fraction of one."""

    hold_min_s: float = 2.0
    """A stop under moderate force or more counts as a hold after this long."""
    hold_settle_s: float = 0.4
    """A stop becomes a hold once it has lasted ``hold_min_s`` plus this (dated from the stop
    all the same): the time a slow creep takes to show on the gyro, so a short stop that
    creeps on is never a hold."""
    hold_settle_ripple_s: float = 1.0
    """The same without a gyro: a slow creep's ripple takes longer to show."""
    hold_target_s: float = HOLD_TARGET_S
    """The coach counts a hold to this, then says release."""
    hold_zone: int = 2
    """Lowest steady zone (index into ``ZONES``) that keeps a hold: moderate."""

    stopped_dps: float = 20.0
    """Angular rate (bias removed) under which the ball counts as stopped."""
    rolling_dps: float = 28.0
    """Angular rate above which a stopped ball counts as rolling again (hysteresis)."""
    gyro_smooth_s: float = 0.08
    """Time constant of the angular-rate magnitude smoothing."""
    creep_dps: float = 9.0
    """The angular rate (bias removed), averaged as a vector over ``creep_tau_s``, above which
    the ball rolls however slowly (1 cm/s on an 80 mm ball turns it 14 deg/s): a foot's
    tremor and a shaking floor average out, an unknown gyro offset of 3 deg/s per axis stays
    under it."""
    creep_stop_dps: float = 6.0
    """The same average under which a creeping ball has stopped, if its rate's magnitude is
    also under ``creep_turn_dps`` (a stroke turning back averages to nothing for a moment,
    but it still turns)."""
    creep_turn_dps: float = 13.0
    creep_tau_s: float = 0.15
    """Time constant of that average."""
    gyro_bias_tau_s: float = 5.0
    """Time constant of the gyro bias estimate, updated only at rest."""
    gyro_bias_max_dps: float = 30.0
    """A raw rate above this is motion, never bias."""

    ripple_band_hz: tuple[float, float] = (2.5, 15.0)
    """Band of a hedgehog ball's spike ripple while it rolls (used without a gyro)."""
    ripple_tau_s: float = 0.12
    """Time constant of the ripple energy."""
    ripple_on: float = 0.024
    """Ripple RMS over the steady force above which the ball counts as rolling (no gyro)."""
    ripple_off: float = 0.02
    """Ripple RMS over the steady force under which it counts as stopped (no gyro)."""
    ripple_confirm_s: float = 0.25
    """The ripple must stay above ``ripple_on`` this long to count as rolling (no gyro)."""
    ramp_per_s: float = 0.4
    """While the 1 Hz low-passed force changes faster than this fraction of itself per second
    (a press or a release), the ripple does not count as rolling (no gyro)."""
    ripple_floor_n: float = 1.0
    """Ripple RMS that counts as rolling whatever the force (no gyro)."""
    creep_band_hz: tuple[float, float] = (1.2, 5.0)
    """Band of the ripple of a ball creeping on at 1 to 3 cm/s (spikes 8 mm apart pass at
    1.2 to 4 Hz), used without a gyro."""
    creep_ripple_tau_s: float = 0.12
    creep_ripple_on: float = 0.02
    """Creep ripple RMS over the steady force above which the ball creeps (no gyro)."""
    creep_ripple_off: float = 0.014
    creep_ripple_confirm_s: float = 0.15
    """The creep ripple must stay above ``creep_ripple_on`` this long (no gyro)."""
    creep_after_ramp_s: float = 0.5
    """A press or a release shows in the creep band this long after it (no gyro)."""

    baseline_tau_s: float = 3.0
    """Time constant of the unloaded-baseline tracker (runs only while unloaded)."""
    unloaded_n: float = 3.0
    """A pressure rise under the equivalent of this force counts as unloaded."""
    quiet_range_n: float = 0.5
    quiet_s: float = 6.0
    quiet_max_n: float = 30.0
    """A reading within ``quiet_range_n`` for ``quiet_s`` that reads under ``quiet_max_n`` is an
    unloaded ball (no foot is that still for longer than a rest between presses): the
    baseline restarts there if it was wrong."""
    saturation_pa: float = 124_900.0
    """A pressure at or above this is at the end of the sensor's range (BMP390: 125 kPa)."""

    def __post_init__(self) -> None:
        t = self.thresholds_n
        if len(t) != 4 or any(b <= a for a, b in itertools.pairwise(t)) or t[0] <= 0:
            raise ValueError("thresholds_n must be four increasing positive forces")
        if not 0 <= self.hysteresis < 0.3:
            raise ValueError("hysteresis must be between 0 and 0.3")
        hi = [x * (1 + self.hysteresis) for x in t]
        lo = [x * (1 - self.hysteresis) for x in t]
        if any(h >= lo_next for h, lo_next in zip(hi, lo[1:], strict=False)):
            raise ValueError("the hysteresis bands of neighbouring thresholds overlap")
        if not 0 <= self.hysteresis <= self.band_max <= 0.3:
            raise ValueError("band_max must be between the hysteresis and 0.3")
        if (self.too_hard_confirm < 1 or self.too_hard_release < 1 or self.fast_median < 1
                or self.too_hard_held_median < 1):
            raise ValueError("confirmation counts must be at least 1")
        if (self.rolling_dps < self.stopped_dps or self.ripple_on < self.ripple_off
                or self.creep_dps < self.creep_stop_dps
                or self.creep_ripple_on < self.creep_ripple_off):
            raise ValueError("the rolling threshold must not be below the stopped threshold")
