"""Is the ball rolling, and how fast: from the gyro, or from the force's ripple without one.

With a gyro the angular rate, less a bias estimated while the ball is at rest, gives both the
speed (rate times radius) and the rolling flag (a latch between ``stopped_dps`` and
``rolling_dps``). Without one, a hedgehog ball's spikes ripple the force while it rolls and a
held press is smooth: the band-passed force's RMS, relative to the force, decides.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smartball.processing.config import ProcessingConfig
from smartball.processing.filters import SMALL_CHUNK, Ema, SosFilter, first_order
from smartball.processing.runs import Latch, TrailingRange, last_index
from smartball.processing.steady import TrailingMax

F64 = npt.NDArray[np.float64]
BoolArr = npt.NDArray[np.bool_]


class GyroBias:
    """Per-axis bias, a slow average of the rate over samples taken at rest."""

    def __init__(self, tau_s: float, rate_hz: float) -> None:
        self.alpha = float(1.0 - np.exp(-1.0 / max(tau_s * rate_hz, 1e-9)))
        self.bias = np.zeros(3)
        self.seen = False

    def update(self, gyro_dps: F64, at_rest: BoolArr) -> F64:
        n = gyro_dps.shape[0]
        if n <= SMALL_CHUNK:
            return self._step(gyro_dps.tolist(), at_rest.tolist())
        idx = np.flatnonzero(at_rest)
        if idx.size == 0:
            return np.broadcast_to(self.bias, (n, 3)).copy()
        x = gyro_dps[idx]
        before = self.bias  # for the samples before the first rest sample of this block
        if not self.seen:
            # The first rest sample starts the average, so the bias does not creep up from 0.
            self.bias = x[0].copy()
            self.seen = True
        a = self.alpha
        zi = (1.0 - a) * self.bias
        y = np.stack([first_order(a, a - 1.0, x[:, i], float(zi[i]))[0] for i in range(3)], axis=1)
        # A sample's bias is the estimate after the last rest sample at or before it.
        pos = np.zeros(n, np.int64) - 1
        pos[idx] = np.arange(idx.size)
        last = last_index(pos >= 0)
        src = pos[np.maximum(last, 0)]
        out = np.where((last >= 0)[:, None], y[np.maximum(src, 0)], before)
        self.bias = np.asarray(y[-1], dtype=np.float64).copy()
        return np.asarray(out, dtype=np.float64)

    def _step(self, rows: list[list[float]], at_rest: list[bool]) -> F64:
        """:meth:`update` sample by sample, for short chunks: the same recurrence as
        :func:`first_order`'s loop, on the rest samples only."""
        if not any(at_rest):
            return np.broadcast_to(self.bias, (len(rows), 3)).copy()
        current = self.bias.tolist()  # for the samples before the first rest sample
        if not self.seen:
            self.bias = np.array(rows[at_rest.index(True)], dtype=np.float64)
            self.seen = True
        a = self.alpha
        a1 = a - 1.0
        z = [(1.0 - a) * b for b in self.bias.tolist()]
        out = []
        for row, rest in zip(rows, at_rest, strict=True):
            if rest:
                current = [z_i + a * v for z_i, v in zip(z, row, strict=True)]
                z = [v * 0.0 - y * a1 for v, y in zip(row, current, strict=True)]
            out.append(current)
        self.bias = np.array(current, dtype=np.float64)
        return np.array(out, dtype=np.float64)


class MotionTracker:
    def __init__(self, config: ProcessingConfig, rate_hz: float, ball_diameter_mm: float) -> None:
        self.config = config
        self.radius_cm = ball_diameter_mm / 20.0
        self.bias = GyroBias(config.gyro_bias_tau_s, rate_hz)
        self.force_range = TrailingRange(max(3, round(rate_hz)))
        self.rate_smooth = Ema(config.gyro_smooth_s, rate_hz)
        self.gyro_latch = Latch(1, 1)
        self.creep_axes = [Ema(config.creep_tau_s, rate_hz) for _ in range(3)]
        self.creep_latch = Latch(1, 1)
        self.ripple_filter = SosFilter.bandpass(*config.ripple_band_hz, rate_hz=rate_hz)
        self.ripple_energy = Ema(config.ripple_tau_s, rate_hz)
        # A ripple has to last: the band-pass answers a fast press or release with a single
        # bump, which is not rolling.
        self.ripple_latch = Latch(max(1, round(config.ripple_confirm_s * rate_hz)), 1)
        self.creep_filter = SosFilter.bandpass(*config.creep_band_hz, rate_hz=rate_hz)
        self.creep_energy = Ema(config.creep_ripple_tau_s, rate_hz)
        self.ramp_recent = TrailingMax(max(1, round(config.creep_after_ramp_s * rate_hz)))
        self.creep_ripple_latch = Latch(max(1, round(config.creep_ripple_confirm_s * rate_hz)), 1)
        self.level_filter = SosFilter.lowpass(config.smooth_cutoff_hz, rate_hz)
        self.slow_filter = SosFilter.lowpass(1.0, rate_hz)
        self._last_slow: float | None = None
        self.rate_hz = rate_hz

    def update(self, gyro_dps: F64, force_n: F64) -> tuple[BoolArr, F64]:
        """Per-sample rolling flag and speed in cm/s (NaN without a gyro)."""
        cfg = self.config
        n = force_n.shape[0]
        if n == 0:
            return np.empty(0, np.bool_), np.empty(0)
        have: BoolArr = np.asarray(np.isfinite(gyro_dps).all(axis=1), dtype=np.bool_)
        g = np.where(have[:, None], gyro_dps, 0.0)
        # Nobody turns a ball without touching it: with the force quiet for a second (no foot
        # is that still) and low, the ball is at rest and the gyro reads its bias. A low
        # force alone is not enough: a baseline that started under a foot reads low.
        quiet = self.force_range.update(force_n) <= cfg.quiet_range_n
        at_rest = (have & quiet & (np.abs(force_n) < cfg.thresholds_n[0])
                   & (np.abs(g) < cfg.gyro_bias_max_dps).all(axis=1))
        bias = self.bias.update(g, at_rest)
        turn = np.where(have[:, None], g - bias, 0.0)
        raw_rate = np.sqrt((turn**2).sum(axis=1))
        rate = self.rate_smooth(raw_rate)
        roll_gyro = self.gyro_latch.update(rate > cfg.rolling_dps, rate < cfg.stopped_dps)
        # A slow creep turns the ball one way: its rate, averaged as a vector, stands out of
        # the tremor and the floor's shaking (which average out) and of the offset left.
        # Faster turns are capped (a creep is what matters), so a roll that stops short is
        # not averaged on for long.
        capped = turn * (np.minimum(1.0, 2.0 * cfg.creep_dps / np.maximum(raw_rate, 1e-9)))[:, None]
        creep = np.sqrt(sum(ema(capped[:, i]) ** 2 for i, ema in enumerate(self.creep_axes)))
        roll_gyro |= self.creep_latch.update(
            creep > cfg.creep_dps, (creep < cfg.creep_stop_dps) & (rate < cfg.creep_turn_dps))
        speed = np.where(have, np.deg2rad(rate) * self.radius_cm, np.nan)

        ripple = self.ripple_filter(force_n)
        rms = np.sqrt(np.maximum(self.ripple_energy(ripple * ripple), 0.0))
        level = np.maximum(self.level_filter(force_n), cfg.thresholds_n[0])
        # A press or a release is a ramp, whose band-passed energy is no ripple: while the
        # slow force moves fast, the ripple cannot say "rolling".
        slow = self.slow_filter(force_n)
        prev = np.empty_like(slow)
        prev[0] = self._last_slow if self._last_slow is not None else slow[0]
        prev[1:] = slow[:-1]
        self._last_slow = float(slow[-1])
        ramp = np.abs(slow - prev) * self.rate_hz > cfg.ramp_per_s * level
        roll_ripple = self.ripple_latch.update(
            (rms > np.maximum(cfg.ripple_on * level, cfg.ripple_floor_n)) & ~ramp,
            rms < np.maximum(cfg.ripple_off * level, cfg.ripple_floor_n * 0.6),
        )
        # A slow creep ripples slowly, under the rolling band: it is rolling all the same.
        creep_x = self.creep_filter(force_n)
        creep_rms = np.sqrt(np.maximum(self.creep_energy(creep_x * creep_x), 0.0))
        # A press or a release leaves its mark in this band for a while after it: no creep
        # is taken from it, and it ends one.
        after_ramp = self.ramp_recent.update(ramp.astype(np.float64)) > 0
        roll_ripple |= self.creep_ripple_latch.update(
            (creep_rms > np.maximum(cfg.creep_ripple_on * level, cfg.ripple_floor_n))
            & ~after_ramp,
            (creep_rms < np.maximum(cfg.creep_ripple_off * level, cfg.ripple_floor_n * 0.6))
            | ramp,
        )
        return np.where(have, roll_gyro, roll_ripple), speed
