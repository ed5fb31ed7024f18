"""Fit a ball's response (protocol section 4) to a scale calibration: the pressure a ball
read while it was pressed to a few known loads, each held steady for a while.

The model: the settled rise ``S = curve(F)``; the reading is ``S + overshoot*HP(S)``, ``HP``
a first-order high-pass with ``tau_s``. So a quick press reads high at first and settles,
and after a release the reading sits below the baseline and recovers, both as
``exp(-t/tau_s)``. Its exact inverse, ``(1 + s*tau) / (1 + s*tau*(1 + overshoot))``, turns
the reading back into ``baseline + S(t)``. The fit:

- finds each load's press step (where the reading crossed halfway from the rest before it to
  the hold) and the unloaded stretch before it (quiet, low: the hand off the board);
- chooses ``overshoot`` and ``tau_s`` so that the inverted reading is flat over every
  unloaded stretch and every hold, all loads together (least squares). After a release the
  hand is off the ball, so how the reading recovers is the ball's alone; a hand is never
  perfectly steady, so how a hold settles also carries the hand's wobble, which fitting
  ``S + A*exp(-t/tau)`` hold by hold mistakes for settling (with a 2 % wobble, errors of
  5-25 % in ``S``). So each hold counts by how little it wobbles, and the rests pin what
  the holds cannot. The rests count in the reading's own units: the inverse damps what is
  faster than its time constant by ``1 + overshoot``, so a floor's vibration, counted in the
  inverted reading, would make the largest overshoot look flattest (with a few loads and a
  file that ends soon after the last, it did: an overshoot at its bound, 50 % off);
- refuses a response at the bounds of what a ball does (an overshoot of 1.5, a time constant
  of two minutes): the recording could not tell it;
- judges a rest quiet by its slope (a straight line's through a second of readings) against
  a tenth of the load per second, or five times the slope's own noise as measured there,
  whichever is larger: a floor's vibration moves a light load's reading that much;
- lets one drift, shared by the rests (and one by the holds), run through the flatness: a
  leak or the air warming is not settling;
- takes each load's settled rise as the mean of the inverted reading over its window minus
  the baseline (the inverted rest before it, and after it where there is one: a slow drift
  is interpolated). Not the mean of a reading still settling: the inversion removed that.

Where the stiffening curve and the relaxation fit better the other way round (the squeeze's
heat relaxing the load before the wall's stiffening turns it into pressure), the settled
rises are taken from that order instead (see :func:`_heat_first`).

The curve is the monotone cubic (PCHIP) through the origin and the settled points.
Each point's residual (newton) is its distance from a smooth curve through all of them
(``rise = a*F + b*F**2``): a large one means that load was misread or not held steady.

Pure: arrays and marks in, a :class:`CalibrationFit` out, no I/O. Bad input is refused with
an :class:`~smartball.errors.InputError` of one sentence.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartball.errors import InputError
from smartball.processing.calibration import REFERENCE_TAU_S, Calibration
from smartball.processing.response import inverse_sos

F64 = npt.NDArray[np.float64]

G_MPS2 = 9.80665
"""Standard gravity: a scale's kilograms to newtons."""
MIN_LOADS = 3
MIN_HOLD_S = 4.0
MIN_REST_S = 1.0
"""An unloaded stretch shorter than this does not show the baseline."""
SMOOTH_S = 0.2
"""Moving average used to find steps and rests (not for the fits)."""
RAMP_MARGIN_S = 0.6
"""Samples this close after the press step are still the hand's ramp: not fitted."""
QUIET_SLOPE_PER_S = 0.1
"""A rest is quiet: the reading moves by less than this fraction of the hold per second..."""
SLOPE_S = 1.0
"""...its slope taken as a straight line's through this long a stretch of readings..."""
QUIET_NOISE_SIGMAS = 5.0
"""...or by less than this many times the slope's own noise, as measured in the stretch
(a floor's vibration, footsteps and typing, moves a light load's reading as much)."""
REST_TRIM_S = (0.4, 0.2)
"""Left out at the start and the end of a quiet stretch: the tails of the hand's ramps."""
TAU_BOUNDS_S = (0.2, 120.0)
MAX_OVERSHOOT = 1.5
"""No ball reads two and a half times its settled rise at first (the reference: 1.2)."""
AT_BOUND = 0.99
"""A fitted overshoot or time constant this close to its upper bound is no ball's: refused."""
NOISE_FLOOR_PA = 0.5
MIN_DRIFT_STRETCHES = 4
ORDER_MARGIN = 0.9
"""The response's parts are taken the other way round only where that leaves less than this
share of the protocol's order's misfit: on a ball whose curve is nearly straight the two
orders fit alike, and the protocol's is kept."""


@dataclass(frozen=True, slots=True)
class HeldLoad:
    """One row of a marks file: the window (seconds from the first sample) in which the
    scale showed ``force_n``."""

    start_s: float
    end_s: float
    force_n: float

    @staticmethod
    def from_kg(start_s: float, end_s: float, load_kg: float) -> HeldLoad:
        return HeldLoad(start_s, end_s, load_kg * G_MPS2)


@dataclass(frozen=True, slots=True)
class LoadFit:
    load: HeldLoad
    settled_rise_pa: float
    """Settled pressure rise over the unloaded baseline."""
    baseline_pa: float
    """The unloaded baseline under this load."""
    step_s: float
    """When the press crossed halfway to the hold."""
    residual_n: float
    """Scale force minus the force a smooth curve through all points gives for this rise."""


@dataclass(frozen=True, slots=True)
class CalibrationFit:
    calibration: Calibration
    loads: tuple[LoadFit, ...]
    """In the order of the marks' times."""


def fit_calibration(
    t_s: npt.ArrayLike,
    pressure_pa: npt.ArrayLike,
    loads: Sequence[HeldLoad],
    *,
    ball: str | None = None,
    created: str | None = None,
) -> CalibrationFit:
    """The ball's response from its pressure readings and the held loads.

    ``t_s``: sample times, seconds (the marks count from the first sample); ``pressure_pa``:
    the absolute readings. ``ball``/``created`` are kept in the calibration."""
    t = np.asarray(t_s, dtype=np.float64)
    p = np.asarray(pressure_pa, dtype=np.float64)
    if t.shape != p.shape or t.ndim != 1:
        raise ValueError("t_s and pressure_pa must be 1-D arrays of the same length")
    keep = np.isfinite(t) & np.isfinite(p)
    if not keep.any():
        raise InputError("the file has no pressure readings; calibrate from a recording, a "
                         "capture or a CSV with a 'pressure_pa' column.")
    t, p = t[keep] - t[keep][0], p[keep]
    marks = _check_marks(loads, float(t[-1]))
    smooth = _moving_average(t, p, SMOOTH_S)
    slope = _slope(t, p, SLOPE_S)

    steps: list[_Step] = []
    for k, mark in enumerate(marks):
        prev_end = marks[k - 1].end_s if k else 0.0
        prev_level = _level(t, smooth, marks[k - 1]) if k else None
        steps.append(_find_step(t, smooth, slope, mark, prev_end, prev_level))
    rests = [s.rest for s in steps]
    after = _rest_after(t, smooth, slope, marks[-1])
    if after is not None:
        rests.append(after)

    holds = [_window(t, max(m.start_s, step.t_s + RAMP_MARGIN_S), m.end_s)
             for m, step in zip(marks, steps, strict=True)]
    for mark, sl in zip(marks, holds, strict=True):
        if sl.stop - sl.start < 2:
            raise InputError(f"the load held at {mark.start_s:g}-{mark.end_s:g} s has no "
                             "samples after the press; check the marks' times against the "
                             "file.")
    dt_s = float(np.median(np.diff(t))) if len(t) > 1 else 0.01
    overshoot, tau_s = _fit_response(t, p, rests, holds, dt_s)
    if overshoot >= AT_BOUND * MAX_OVERSHOOT or tau_s >= AT_BOUND * TAU_BOUNDS_S[1]:
        # What the recording tells is no ball's response: its settled rises would be far
        # off, and nothing would show it.
        raise InputError("the ball's response cannot be told from this recording (it "
                         "settles more, or more slowly, than a ball does); hold each load "
                         "steady for about 12 s and record a few seconds of rest after the "
                         "last load.")
    inverted = invert(p, overshoot, tau_s, dt_s)
    rest_t = np.array([float(np.mean(t[r])) for r in rests])
    rest_base = np.array([float(np.mean(inverted[r])) for r in rests])
    centres = np.array([0.5 * (m.start_s + m.end_s) for m in marks])
    base = np.array([float(np.interp(c, rest_t[k:k + 2], rest_base[k:k + 2]))
                     for k, c in enumerate(centres)])
    rises = np.array([float(np.mean(inverted[sl])) for sl in holds]) - base
    if np.all(rises > 0) and len(set(np.round([m.force_n for m in marks], 6))) >= MIN_LOADS:
        rises = _heat_first(t, p, rests, holds, marks, inverted, rest_t, rest_base, rises,
                            dt_s)

    fits: list[LoadFit] = []
    for mark, step, base_pa, rise_pa in zip(marks, steps, base, rises, strict=True):
        if not rise_pa > 0:
            raise InputError(f"the load held at {mark.start_s:.1f}-{mark.end_s:.1f} s "
                             f"({mark.force_n:.0f} N) shows no pressure rise over the "
                             "unloaded ball; check the marks' times against the file.")
        fits.append(LoadFit(mark, float(rise_pa), float(base_pa), step.t_s, float("nan")))

    _check_rising(fits)
    residuals = _residuals_n(np.array([f.load.force_n for f in fits]),
                             np.array([f.settled_rise_pa for f in fits]))
    fits = [LoadFit(f.load, f.settled_rise_pa, f.baseline_pa, f.step_s, float(r))
            for f, r in zip(fits, residuals, strict=True)]
    calibration = Calibration.fit(
        [(f.load.force_n, f.settled_rise_pa) for f in fits],
        overshoot=overshoot,
        tau_s=tau_s,
        residual_n=float(np.sqrt(np.mean(residuals**2))),
        created=created,
        ball=ball,
    )
    return CalibrationFit(calibration, tuple(fits))


def invert(pressure_pa: F64, overshoot: float, tau_s: float, dt_s: float) -> F64:
    """The settled reading (baseline + ``S``) from the reading: the exact inverse of the
    response, as processing runs it (:func:`smartball.processing.response.inverse_sos`), on
    the whole reading at once; the ball at rest before the first sample."""
    from scipy.signal import sosfilt, sosfilt_zi

    sos = inverse_sos(overshoot, tau_s, 1.0 / dt_s)
    out: F64 = sosfilt(sos, pressure_pa, zi=sosfilt_zi(sos) * pressure_pa[0])[0]
    return out


def _fit_response(t: F64, p: F64, rests: list[slice], holds: list[slice],
                  dt_s: float) -> tuple[float, float]:
    """``(overshoot, tau_s)`` that make the inverted reading flattest over the rests and the
    holds. ``rests[k]`` is the rest before ``holds[k]`` (and one more may follow the last
    hold; the first rest only counts as a rest if it is the only one: a file may start
    mid-recovery).

    The rests (the hand off the ball) pin the recovery's slope, ``overshoot / tau_s``, but
    are too short to separate the two; the holds show how far a press overshoots, but also
    the hand's wobble, slow and correlated. So: the rests first; then the holds join, each
    weighed by how much its flattened reading still moves and how slowly (a wobbling hold
    counts little, a steady one as much as a rest). A hold's flatness is relative to its
    rise over the rest before it: a response that smooths everything into a slow crawl
    (a huge overshoot and time constant) flattens the holds only by shrinking them."""
    from scipy.optimize import least_squares

    flat_rests = rests[1:] if len(rests) > 1 else rests
    end = max(seg.stop for seg in rests + holds)
    head = p[:end]
    bounds = ([0.0, np.log(TAU_BOUNDS_S[0])], [MAX_OVERSHOOT, np.log(TAU_BOUNDS_S[1])])

    def inverted(x: F64) -> F64:
        return invert(head, float(x[0]), float(np.exp(x[1])), dt_s)

    def rest_flatness(inv: F64, weights: list[float], overshoot: float) -> list[F64]:
        # The inverse damps what is faster than its time constant by ``1 + overshoot``: the
        # rests' noise, counted as it is in the inverted reading, would favour the largest
        # overshoot (the floor's vibration damped, not the recovery flattened). In the
        # reading's own units the noise weighs the same whatever the response tried.
        return [r * (1.0 + overshoot) for r in _flatness(t, inv, flat_rests, weights)]

    def rises(inv: F64) -> F64:
        return np.array([np.mean(inv[h]) - np.mean(inv[r])
                         for h, r in zip(holds, rests[:len(holds)], strict=True)])

    rest_w = [1.0 / _noise_pa(p[seg]) for seg in flat_rests]

    def rests_only(x: F64) -> F64:
        return np.concatenate(rest_flatness(inverted(x), rest_w, float(x[0])))

    # The rests' cost has a long valley (overshoot / tau_s fixed) with more than one dip:
    # start from the best few points of a grid and keep the best end.
    grid = [np.array([ov, np.log(tau)]) for ov in (0.05, 0.1, 0.2, 0.35, 0.6)
            for tau in (2.0, 4.0, 7.0, 12.0, 20.0, 35.0)]
    grid.sort(key=lambda x: float(np.sum(rests_only(x) ** 2)))
    ends = [least_squares(rests_only, x0, bounds=bounds, x_scale=[0.1, 0.3]).x
            for x0 in grid[:3]]
    rise1 = np.maximum(np.abs(rises(p)), 1.0)
    hold_w = [1.0 / _correlated_noise_pa(_wobble(t[seg], p[seg]), dt_s) for seg in holds]

    def everything(x: F64) -> F64:
        inv = inverted(x)
        scale = rise1 / np.maximum(np.abs(rises(inv)), 1e-3 * rise1)
        parts = rest_flatness(inv, rest_w, float(x[0]))
        parts += _flatness(t, inv, holds, [w * k for w, k in zip(hold_w, scale, strict=True)])
        return np.concatenate(parts)

    best = min((least_squares(everything, x0, bounds=bounds, x_scale=[0.1, 0.3])
                for x0 in ends), key=lambda r: float(r.cost))
    return float(best.x[0]), float(np.exp(best.x[1]))


def _heat_first(t: F64, p: F64, rests: list[slice], holds: list[slice],
                marks: list[HeldLoad], inverted: F64, rest_t: F64, rest_base: F64,
                rises: F64, dt_s: float) -> F64:
    """The settled rises again, with the response's two parts the other way round: the
    squeeze's heat relaxing the load, then the settled curve turning that into pressure
    (``curve(F + overshoot * HP(F))``), where that flattens the rests and holds better than
    the protocol's order. On a ball whose curve is straight the two are the same; on a
    stiffening wall they differ, and a wall whose heat acts before the stiffening overshoots
    more, and undershoots less, the heavier the load."""
    force = np.array([m.force_n for m in marks])
    design = np.column_stack([force, force**2])
    (a, b), *_ = np.linalg.lstsq(design, rises, rcond=None)
    if not (a > 0 and b > 0):
        return rises  # a straight (or softening) curve: the two orders are one

    def rise_pa(f: F64) -> F64:  # the smooth curve through the settled points...
        out: F64 = a * f + b * f * f
        return out

    def force_n(r: F64) -> F64:  # ...and its inverse (straight below the smallest reading)
        out: F64 = (-a + np.sqrt(np.maximum(a * a + 4.0 * b * r, 0.0))) / (2.0 * b)
        return out

    # A straight line through the rests' levels: smooth, so that it bends no rest (what it
    # misses of the baseline is taken out after, as in the protocol's order).
    base_t = np.polyval(np.polyfit(rest_t, rest_base, 1 if len(rest_t) > 1 else 0), t)
    # The reading as the load it stands for (in pascal at the curve's slope at no load, so
    # noise and weights compare as in the reading itself).
    load = a * force_n(p - base_t)
    ov_l, tau_l = _fit_response(t, load, rests, holds, dt_s)
    settled_load = invert(load, ov_l, tau_l, dt_s)
    back = base_t + rise_pa(settled_load / a)  # the same, as pressure
    weights = ([1.0 / _noise_pa(p[r]) for r in rests]
               + [1.0 / _correlated_noise_pa(_wobble(t[h], p[h]), dt_s) for h in holds])
    segs = list(rests) + list(holds)

    def cost(y: F64) -> float:
        return float(sum(np.sum(r**2) for r in _flatness(t, y, segs, weights)))

    if not cost(back) < ORDER_MARGIN * cost(inverted):
        return rises
    load_rest = np.array([float(np.mean(settled_load[r])) for r in rests])
    out = []
    for k, (m, h) in enumerate(zip(marks, holds, strict=True)):
        centre = 0.5 * (m.start_s + m.end_s)
        rest_load = float(np.interp(centre, rest_t[k:k + 2], load_rest[k:k + 2]))
        out.append(float(rise_pa(np.array((float(np.mean(settled_load[h])) - rest_load)
                                          / a))))
    return np.array(out)


def _flatness(t: F64, y: F64, segs: list[slice], weights: list[float]) -> list[F64]:
    """Weighted residuals of each stretch about its mean, less one drift (Pa/s) shared by
    all of them, fitted: a leak, or the air warming, is no settling. (From fewer than
    ``MIN_DRIFT_STRETCHES`` stretches a drift would pass for their settling: none then.)"""
    ys = [y[sg] - np.mean(y[sg]) for sg in segs]
    xs = [t[sg] - np.mean(t[sg]) for sg in segs]
    num = sum(w * w * float(np.dot(x, r)) for x, r, w in zip(xs, ys, weights, strict=True))
    den = sum(w * w * float(np.dot(x, x)) for x, w in zip(xs, weights, strict=True))
    drift = num / den if den > 0 and len(segs) >= MIN_DRIFT_STRETCHES else 0.0
    return [w * (r - drift * x) for x, r, w in zip(xs, ys, weights, strict=True)]


def _wobble(t: F64, y: F64) -> F64:
    """What a hold's reading does besides settling: less its least-squares fit by a level,
    the reference ball's settling and a drift (the hand's wobble, mostly)."""
    x = t - t[0]
    design = np.column_stack([np.ones_like(x), np.exp(-x / REFERENCE_TAU_S), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    out: F64 = y - design @ coef
    return out


def _noise_pa(y: F64) -> float:
    """The sensor's white noise, from sample-to-sample differences."""
    return max(NOISE_FLOOR_PA, float(np.std(np.diff(y))) / np.sqrt(2.0) if len(y) > 2 else 0.0)


def _correlated_noise_pa(y: F64, dt_s: float) -> float:
    """How much a stretch moves about its mean, times the square root of how many samples
    move together (a hand's wobble lasts about a second): the weight it deserves per
    sample in a least-squares sum."""
    r = y - np.mean(y)
    sigma = max(NOISE_FLOOR_PA, float(np.std(r)))
    block = max(1, round(1.0 / dt_s))
    n = len(r) // block
    if n < 2:
        return sigma
    means = r[: n * block].reshape(n, block).mean(axis=1)
    together = float(np.clip(block * np.var(means) / sigma**2, 1.0, block))
    return sigma * float(np.sqrt(together))


# ---------------------------------------------------------------------------- checks


def _check_marks(loads: Sequence[HeldLoad], duration_s: float) -> list[HeldLoad]:
    marks = sorted(loads, key=lambda m: m.start_s)
    for m in marks:
        if not all(np.isfinite([m.start_s, m.end_s, m.force_n])):
            raise InputError("every mark needs a start, an end and a load; fill in the "
                             "empty one.")
        if m.end_s <= m.start_s:
            raise InputError(f"the mark {m.start_s:g}-{m.end_s:g} s ends before it starts; "
                             "write the start of the steady window first, then its end.")
        if m.start_s < 0 or m.end_s > duration_s + 0.05:
            raise InputError(f"the mark {m.start_s:g}-{m.end_s:g} s is outside the file, "
                             f"which lasts {duration_s:.1f} s; give times in seconds from "
                             "its first sample.")
        if m.force_n <= 0:
            raise InputError(f"the load of the mark at {m.start_s:g} s is not above zero; "
                             "note what the scale showed while the ball was pressed.")
    for a, b in itertools.pairwise(marks):
        if b.start_s < a.end_s:
            raise InputError(f"the marks at {a.start_s:g} s and {b.start_s:g} s overlap; "
                             "release the ball between two loads and mark each on its own.")
    short = [m for m in marks if m.end_s - m.start_s < MIN_HOLD_S]
    if short:
        m = short[0]
        raise InputError(f"the load at {m.start_s:g} s was held for {m.end_s - m.start_s:.1f} "
                         f"s, under {MIN_HOLD_S:g} s; hold each load steady for about 12 s.")
    if len({round(m.force_n, 6) for m in marks}) < MIN_LOADS:
        raise InputError(f"a calibration needs at least {MIN_LOADS} different loads "
                         f"(these marks have {len({m.force_n for m in marks})}); press to "
                         "loads from about 20 N to 250 N.")
    return marks


def _check_rising(fits: list[LoadFit]) -> None:
    by_force = sorted(fits, key=lambda f: f.load.force_n)
    for a, b in itertools.pairwise(by_force):
        if b.load.force_n > a.load.force_n and b.settled_rise_pa <= a.settled_rise_pa:
            raise InputError(
                f"the pressure rise does not grow with the load: {b.load.force_n:.0f} N read "
                f"{b.settled_rise_pa:.0f} Pa but {a.load.force_n:.0f} N read "
                f"{a.settled_rise_pa:.0f} Pa; check those scale readings and marks, or "
                "repeat those loads.")


# ---------------------------------------------------------------------------- pieces


@dataclass(frozen=True, slots=True)
class _Step:
    t_s: float
    """The press crossed halfway from the rest to the hold."""
    rest: slice
    """The unloaded stretch before it (sample indices)."""


def _moving_average(t: F64, p: F64, width_s: float) -> F64:
    dt = float(np.median(np.diff(t))) if len(t) > 1 else 1.0
    n = max(1, round(width_s / dt))
    if n == 1 or len(p) < n:
        return p.copy()
    kernel = np.ones(n) / n
    padded = np.concatenate([np.full(n // 2, p[0]), p, np.full(n - 1 - n // 2, p[-1])])
    out: F64 = np.convolve(padded, kernel, mode="valid")
    return out


def _window(t: F64, start_s: float, end_s: float) -> slice:
    a, b = np.searchsorted(t, [start_s, end_s], side="left")
    return slice(int(a), int(b))


def _level(t: F64, p: F64, mark: HeldLoad) -> float:
    return float(np.median(p[_window(t, mark.start_s, mark.end_s)]))


def _runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """``[start, stop)`` of each run of True."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _slope(t: F64, p: F64, width_s: float) -> F64:
    """The reading's slope (Pa/s) at each sample: a straight line's through ``width_s`` of
    readings centred on it (Savitzky-Golay)."""
    from scipy.signal import savgol_filter

    dt = float(np.median(np.diff(t))) if len(t) > 1 else 1.0
    n = max(3, round(width_s / dt) | 1)
    if len(p) < n:
        return np.gradient(p, t) if len(p) > 1 else np.zeros_like(p)
    out: F64 = savgol_filter(p, n, 1, deriv=1, delta=dt, mode="interp")
    return out


def _quiet_slope(slope: F64, span: float) -> float:
    """How fast a quiet stretch's reading may move: a tenth of the load per second, or the
    noise of its slope where that is larger (robust: the median absolute slope, as most of
    a stretch between two loads is at rest)."""
    noise = 1.4826 * float(np.median(np.abs(slope))) if len(slope) else 0.0
    return max(QUIET_SLOPE_PER_S * span, QUIET_NOISE_SIGMAS * noise)


def _find_step(t: F64, smooth: F64, slope_all: F64, mark: HeldLoad, prev_end_s: float,
               prev_level: float | None) -> _Step:
    """The press step of a held load, and the unloaded stretch before it."""
    gap = _window(t, prev_end_s, mark.start_s + 0.5 * (mark.end_s - mark.start_s))
    hold = smooth[_window(t, mark.start_s, mark.end_s)]
    level = float(np.median(hold))
    seg = smooth[gap]
    if len(seg) < 2:
        raise _no_rest(mark)
    low = float(np.min(seg))
    mid = 0.5 * (low + level)
    below = np.flatnonzero(seg < mid)
    if len(below) == 0 or below[-1] + 1 >= len(seg):
        raise _no_rest(mark)
    j = int(below[-1])  # the last sample below halfway; the next one is above it
    x0, x1 = seg[j], seg[j + 1]
    t_gap = t[gap]
    t_step = float(t_gap[j] + (mid - x0) / (x1 - x0) * (t_gap[j + 1] - t_gap[j]))

    # Quiet and low: the ball unloaded (perhaps still recovering from the last release).
    span = level - low
    slope = slope_all[gap]
    quiet = (seg < mid) & (np.abs(slope) < _quiet_slope(slope[seg < mid], span))
    if prev_level is not None:
        # Below halfway from the previous hold too: a load eased to another is no rest.
        quiet &= seg < low + 0.5 * (prev_level - low)
    quiet[j + 1:] = False
    runs = _trimmed(t_gap, quiet)
    if not runs:
        raise _no_rest(mark)
    a, b = runs[-1]
    return _Step(t_step, slice(gap.start + a, gap.start + b))


def _trimmed(t: F64, quiet: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """The quiet runs without their ends, those still long enough to show the baseline."""
    out = []
    for a, b in _runs(quiet):
        a2, b2 = np.searchsorted(t, [t[a] + REST_TRIM_S[0], t[b - 1] - REST_TRIM_S[1]])
        if b2 > a2 and t[b2 - 1] - t[a2] >= MIN_REST_S:
            out.append((int(a2), int(b2)))
    return out


def _rest_after(t: F64, smooth: F64, slope_all: F64, mark: HeldLoad) -> slice | None:
    """The first unloaded stretch after the last load, if the file goes on that long."""
    sl = _window(t, mark.end_s, float(t[-1]) + 1.0)
    seg = smooth[sl]
    if len(seg) < 2:
        return None
    level = _level(t, smooth, mark)
    low = float(np.min(seg))
    span = level - low
    slope = slope_all[sl]
    low_half = seg < low + 0.5 * span
    quiet = low_half & (np.abs(slope) < _quiet_slope(slope[low_half], span))
    runs = _trimmed(t[sl], quiet)
    if not runs:
        return None
    a, b = runs[0]
    return slice(sl.start + a, sl.start + b)


def _no_rest(mark: HeldLoad) -> InputError:
    return InputError(f"the ball was never seen unloaded and at rest before the load at "
                      f"{mark.start_s:g} s; take the hand off the board for a few seconds "
                      "before each load.")


def _residuals_n(force_n: F64, rise_pa: F64) -> F64:
    """Scale force minus the force of a smooth curve (``a*F + b*F**2``, through the origin,
    rising over the loads' range; a straight line where that does not rise)."""
    design = np.column_stack([force_n, force_n**2])
    (a, b), *_ = np.linalg.lstsq(design, rise_pa, rcond=None)
    if not (a > 0 and a + 2.0 * b * float(np.max(force_n)) > 0):
        a, b = float(np.sum(force_n * rise_pa) / np.sum(force_n**2)), 0.0
    if b == 0.0:
        line: F64 = force_n - rise_pa / a
        return line
    disc = np.maximum(a * a + 4.0 * b * rise_pa, 0.0)
    smooth_force: F64 = (-a + np.sqrt(disc)) / (2.0 * b)
    out: F64 = force_n - smooth_force
    return out
