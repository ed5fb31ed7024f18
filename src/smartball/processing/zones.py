"""The steady zone label and the fast too-hard warning.

The label follows the pressure the user means, not each stroke. Each threshold is a latch,
and the zone is how many latches are set; a latch moves on either of two pieces of evidence:
- the level (the force low-passed enough to remove the spikes' ripple) goes past the threshold
  by more than the force has been swinging (``steady.SwingEstimator``): a deliberate change,
  taken within a fraction of a second;
- the slow average (a low-pass under the stroke rate) goes past the threshold by a small
  hysteresis, moving that way, while the level is past it too (a slow average still catching
  up with a new pressure says nothing about it): a press that hovers near a boundary is
  labelled by its stroke average, and keeps that label through the swings.
The band on the first path is at least the fixed hysteresis and at most ``band_max`` of the
threshold. A new zone then has to hold for the dwell. The too-hard zone is the warning: the
label says too hard exactly while the warning is on (after the dwell), so the two never
disagree; it is never taken from the slow average alone (a slow stroke moves that; a warning
on a roll just under 200 N is false).

The too-hard warning reads the fast force (the settled force, unfiltered): a couple of samples
past the threshold by the swing of the raw force (spikes included) raise it, and a steep rise
(far beyond that swing: a press, already under way the sample before) past the threshold
raises it at that very sample, so in the frame that carries the crossing. A ball not rolling
whose force (a 5-sample running median) has stayed past the threshold for half a second is
pressed too hard, whatever the swing before it: only a rolling foot's peaks are excused.
Without a gyro, "not rolling" comes from the spikes' ripple, which lags a roll that turns into
a press by up to a second: there a force that has stayed past the threshold for half a second
and is smooth (under 1 % about a straight line over the last 0.45 s: a rolling foot's force
ripples by several percent, even at its strokes' turns) is a held press too. Slower
confirmations raise it too: the level past the threshold by the label's band, or (with a
gyro) a ball that has stood still for a moment with its level past the threshold's
hysteresis band, as a press straight from a roll whose swing took the force near the
threshold. A saturated sensor (on a sealed ball, far beyond the threshold) raises it as well.
It ends once the fast force has stayed under the threshold's hysteresis band and no
confirmation holds (the level's holds only once the level has been past the threshold by its
band: a press held past the line, then a hard roll under it whose level stays within the band,
is warned for the press only).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smartball.processing.config import ProcessingConfig
from smartball.processing.filters import SMALL_CHUNK
from smartball.processing.runs import Latch, RunConfirm, last_index, latch
from smartball.processing.steady import LineRipple, RunningMedian, StillFor, TrailingMin

F64 = npt.NDArray[np.float64]
BoolArr = npt.NDArray[np.bool_]
I8 = npt.NDArray[np.int8]

TOO_HARD = 3
"""Index of the too-hard threshold (deep / too hard) in ``thresholds_n``, and of its latch."""

class ZoneTracker:
    def __init__(self, config: ProcessingConfig, rate_hz: float) -> None:
        self.thresholds = np.array(config.thresholds_n, dtype=np.float64)
        self.hysteresis = config.hysteresis
        self.slow_hysteresis = config.slow_hysteresis
        self.band_max = config.band_max
        self.swing_k = config.label_swing_k
        self.latched = np.zeros(4, np.bool_)
        self.dwell = RunConfirm(max(1, round(config.dwell_s * rate_hz)), 0)
        self.label = 0
        self._last_slow: float | None = None

    def band_n(self, thr: float, swing: F64) -> F64:
        """Half-width of the band around ``thr`` that the level must cross (a deliberate
        change): ``label_swing_k`` swings (a fraction of the force), at least the hysteresis,
        at most ``band_max``."""
        out: F64 = thr * np.clip(self.swing_k * swing, self.hysteresis, self.band_max)
        return out

    def update(self, level_n: F64, slow_n: F64 | None = None, swing_n: F64 | None = None,
               too_hard: BoolArr | None = None) -> tuple[I8, npt.NDArray[np.int64]]:
        """The steady label per sample, and the indices where it changed. Without ``slow_n``
        and ``swing_n`` (a fraction of the force) the level alone decides, with the fixed
        hysteresis. ``too_hard``: the warning, which then is the too-hard zone (one word for
        the user: the label says too hard while the warning is on)."""
        n = level_n.shape[0]
        if n == 0:
            return np.empty(0, np.int8), np.empty(0, np.int64)
        if n <= SMALL_CHUNK:
            # benchmarks/fast_paths.py, a 2-sample chunk: 6.6 us here against 90 us by numpy
            # (0.4 % of a core at 50 chunks a second, of a 5 % live budget).
            labels, changes = self._step(level_n, slow_n, swing_n, too_hard)
            return np.array(labels, np.int8), np.array(changes, np.int64)
        f = level_n
        h = self.hysteresis
        hs = self.slow_hysteresis
        raw = np.zeros(n, np.int8)
        rising = falling = np.ones(n, np.bool_)
        if slow_n is not None:
            prev = np.empty(n)
            prev[0] = slow_n[0] if self._last_slow is None else self._last_slow
            prev[1:] = slow_n[:-1]
            self._last_slow = float(slow_n[-1])
            rising, falling = slow_n >= prev, slow_n <= prev
        for i, thr in enumerate(self.thresholds.tolist()):
            up, down = f >= thr * (1 + h), f < thr * (1 - h)
            if swing_n is not None and slow_n is not None:
                band = self.band_n(thr, swing_n)
                # Too hard is never said on a stroke average alone: the warning must not
                # fire on a roll just under it, whose slow average a slow stroke still moves.
                slow_up = ((slow_n >= thr * (1 + hs)) & (f >= thr * (1 + hs)) & rising
                           if i < TOO_HARD else False)
                up = (f >= thr + band) | slow_up
                slow_down = (slow_n < thr * (1 - hs)) & (f < thr * (1 - hs)) & falling
                down = (f < thr - band) | slow_down
            if i == TOO_HARD and too_hard is not None:
                up, down = too_hard, ~too_hard
            state = latch(up, down & ~up, bool(self.latched[i]))
            self.latched[i] = state[-1]
            raw += state.astype(np.int8)
        accepted = self.dwell.update(raw)
        points = np.zeros(n, np.bool_)
        points[accepted] = True
        last = last_index(points)
        label = np.where(last >= 0, raw[np.maximum(last, 0)], self.label).astype(np.int8)
        prev = np.empty(n, np.int8)
        prev[0] = self.label
        prev[1:] = label[:-1]
        self.label = int(label[-1])
        return label, np.flatnonzero(label != prev)

    def _step(self, level_n: F64, slow_n: F64 | None, swing_n: F64 | None,
              too_hard: BoolArr | None) -> tuple[list[int], list[int]]:
        """:meth:`update` sample by sample, for short chunks (where numpy's per-call
        overhead would cost more than the work): the same comparisons on the same values."""
        h, hs, k, bmax = self.hysteresis, self.slow_hysteresis, self.swing_k, self.band_max
        thresholds = self.thresholds.tolist()
        latched = self.latched.tolist()
        levels = level_n.tolist()
        slows = slow_n.tolist() if slow_n is not None else None
        swings = swing_n.tolist() if swing_n is not None else None
        warned = too_hard.tolist() if too_hard is not None else None
        last = self._last_slow
        raw = []
        for j, f in enumerate(levels):
            if slows is None or swings is None:
                for i, thr in enumerate(thresholds):
                    if i == TOO_HARD and warned is not None:
                        latched[i] = warned[j]
                    elif f >= thr * (1 + h):
                        latched[i] = True
                    elif f < thr * (1 - h):
                        latched[i] = False
                raw.append(sum(latched))
                continue
            slow = slows[j]
            prev = slow if last is None else last
            last = slow
            rising, falling = slow >= prev, slow <= prev
            for i, thr in enumerate(thresholds):
                if i == TOO_HARD and warned is not None:
                    latched[i] = warned[j]
                    continue
                band = thr * min(max(k * swings[j], h), bmax)
                up = f >= thr + band or (i < TOO_HARD and slow >= thr * (1 + hs)
                                         and f >= thr * (1 + hs) and rising)
                down = f < thr - band or (slow < thr * (1 - hs) and f < thr * (1 - hs)
                                          and falling)
                if up:
                    latched[i] = True
                elif down:
                    latched[i] = False
            raw.append(sum(latched))
        if slows is not None:
            self._last_slow = last
        self.latched = np.array(latched, np.bool_)
        accepted = set(self.dwell.step(raw))
        label = self.label
        labels, changes = [], []
        for j, r in enumerate(raw):
            if j in accepted and r != label:
                label = r
                changes.append(j)
            labels.append(label)
        self.label = label
        return labels, changes


class TooHardTracker:
    PRESS_UNDER_WAY = 0.25
    """A steep rise raises the warning at once if the sample before had already risen by this
    share of the steep rise."""

    def __init__(self, config: ProcessingConfig, rate_hz: float) -> None:
        thr = config.thresholds_n[TOO_HARD]
        self.on_n = thr
        self.off_n = thr * (1 - config.hysteresis)
        self.hysteresis = config.hysteresis
        self.margin = config.too_hard_margin
        self.swing_k = config.too_hard_swing_k
        self.steep_n = thr * config.too_hard_steep
        self.steep_swings = config.too_hard_steep_swings
        self._floor = TrailingMin(max(1, round(config.too_hard_steep_s * rate_hz)))
        self._median = RunningMedian(config.too_hard_held_median)
        self._pressed = StillFor(config.too_hard_held_s, rate_hz)
        self._stayed = StillFor(config.too_hard_held_s, rate_hz)
        self._ripple = LineRipple(max(3, round(config.too_hard_smooth_s * rate_hz)))
        self.smooth = config.too_hard_smooth
        self.latch = Latch(config.too_hard_confirm, config.too_hard_release)
        self._last: float | None = None
        self._by_level = False

    def update(self, force_n: F64, saturated: BoolArr, swing_n: F64 | None = None,
               level_n: F64 | None = None, band_n: F64 | None = None,
               held_n: F64 | None = None, rolling: BoolArr | None = None,
               by_ripple: BoolArr | None = None,
               ) -> tuple[BoolArr, npt.NDArray[np.int64]]:
        """Per-sample warning state, and the indices where it was raised. ``swing_n``: the
        fast force's swing (a fraction of it). ``level_n`` past the threshold by ``band_n``
        (the label's band) raises it too, and keeps it until the level is under the threshold
        by that band (once the level has been past it so: a warning another path raised
        ends with the force, not held on by a roll whose level stays within the band).
        ``held_n``: the level where the ball has stood still for a while (NaN elsewhere): a
        press held past the threshold's hysteresis band raises it whatever the
        swing before it. ``rolling``: where the ball rolls; elsewhere a force that has stayed
        past the threshold for ``too_hard_held_s`` raises it (without: never rolling).
        ``by_ripple``: where ``rolling`` comes from the force's ripple (no gyro), which lags a
        roll that turns into a press: there a force past the threshold for that long raises
        it, rolling or not, once it is smooth (``too_hard_smooth``)."""
        n = force_n.shape[0]
        before = self.latch.state
        base_on = self.on_n * (1 + self.margin)
        on = base_on if swing_n is None else self.on_n * (
            1 + np.maximum(self.margin, self.swing_k * swing_n))
        # A steep rise, far beyond what the force has been swinging, is a press, not a
        # stroke: it needs no more than the line, and no confirmation.
        need = self.steep_n if swing_n is None else np.maximum(
            self.steep_n, self.steep_swings * swing_n * self.on_n)
        floor = self._floor.update(force_n)
        steep = force_n - floor >= need
        # A press rises over a few samples: a sample that jumps alone is a glitch until the
        # next one confirms it.
        last_n = np.empty(n)
        if n:
            last_n[0] = force_n[0] if self._last is None else self._last
            last_n[1:] = force_n[:-1]
            self._last = float(force_n[-1])
        rising = last_n - floor >= self.PRESS_UNDER_WAY * need
        # A press that stays past the line is too hard whatever the swing before it.
        median = self._median.update(force_n)
        past = median >= self.on_n
        still = past if rolling is None else past & ~rolling
        pressed = self._pressed.update(~still)
        # Without a gyro the ripple still says "rolling" for a while after a roll turns into
        # a press; a force that stays past the line, smooth (a foot's peaks ripple), is held.
        stayed = self._stayed.update(~past)
        asked = np.zeros(n, np.bool_) if by_ripple is None else stayed & by_ripple
        ripple = self._ripple.update(force_n, where=asked)  # only where it can matter
        pressed |= asked & (ripple < self.smooth * median)
        now = ((force_n >= self.on_n) & steep & rising) | pressed
        set_mask = (force_n >= on) | saturated
        reset_mask = (force_n < self.off_n) & ~saturated & ~pressed
        if level_n is not None and band_n is not None:
            # The level keeps the warning it raised until it is under the line by the band;
            # a warning another path raised (a held press, into a roll whose level stays
            # within the band) ends with the force.
            up = level_n >= self.on_n + band_n
            by_level = latch(up, level_n < self.on_n - band_n, self._by_level)
            if n:
                self._by_level = bool(by_level[-1])
            set_mask |= up
            reset_mask &= ~by_level
        if held_n is not None:
            held = held_n >= self.on_n * (1 + self.hysteresis)
            set_mask |= held
            reset_mask &= ~held
        state = self.latch.update(set_mask, reset_mask, now)
        if n == 0:
            return state, np.empty(0, np.int64)
        prev = np.empty(n, np.bool_)
        prev[0] = before
        prev[1:] = state[:-1]
        return state, np.flatnonzero(state & ~prev)

    def reset(self) -> None:
        self.latch.state = False
        self._by_level = False
