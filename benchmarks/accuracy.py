"""Processing accuracy and latency against the simulated ball's truth, ball by ball.

Every simulated ball x every scenario x seeds, with the board's gyro and without one (pressure
only). The input is the raw stream: the ball's serial bytes through the decoder, pressure (not
force), in live-sized chunks. Each ball is processed three ways:
- ``uncalibrated``: processing told nothing, so it assumes the reference ball's response;
- ``calibrated``: with the calibration ``smartball calibrate`` fits from that ball's
  scale-calibration recording and marks (when the fit is available);
- ``true response``: with the simulated ball's own response from its truth (what a perfect
  calibration would give: separates the processing from the fit).

Figures, judged against the truth's intended force (the plan, without the stroke's swing):
- zone accuracy: fraction of samples whose label is one of the acceptable zones (both
  neighbours within 3 % of an edge, never too hard under 200 N), leaving out the 0.6 s either
  side of a change of the intended zone (the label's latency);
- flicker: label changes over changes of the intended zone;
- hold F1: a reported hold matches a true one when start and end are each within 1 s;
- too-hard presses caught, and false warnings (no true press within 0.5 s);
- too-hard latency: from the intended force's crossing of 200 N to the warning, in ms;
- the calibration's settled Pa/N (at the truth's loads), overshoot and time constant against
  the simulated ball's.

Run: PYTHONPATH=src:. python benchmarks/accuracy.py [--seeds 3] [--ball NAME] [--scenario NAME]
     [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmarks.simrun import Run, run_sim
from smartball.processing import Calibration

CHANGE_GUARD_S = 0.6
MATCH_S = 1.0
TOO_HARD_WINDOW_S = 0.5
CALIBRATION_SCENARIO = "scale-calibration"
UNDER_LOAD_AT_START = ("attach-mid-press", "noisy-link")
"""Scenarios whose stream can start while a foot is on the ball: until the ball is seen
unloaded the load there cannot be known from the pressure (a foot resting on the ball at
4 N between presses looks like an unloaded ball), so they are also summed up apart."""


def _truth_t(run: Run) -> np.ndarray:
    return run.truth.t_s  # type: ignore[attr-defined, no-any-return]


def zone_scores(run: Run) -> tuple[int, int, int, int]:
    """(judged samples, acceptable labels, reported changes, true changes)."""
    truth: Any = run.truth
    ok = run.row >= 0
    row = run.row[ok]
    tz = truth.intended_zone
    tt = _truth_t(run)
    change_t = tt[1:][np.diff(tz) != 0]
    t = tt[row]
    near = np.zeros(row.size, np.bool_)
    if change_t.size:
        pos = np.searchsorted(change_t, t)
        d_next = np.abs(change_t[np.minimum(pos, change_t.size - 1)] - t)
        d_prev = np.abs(t - change_t[np.maximum(pos - 1, 0)])
        near = np.minimum(d_next, d_prev) <= CHANGE_GUARD_S
    judged = ~near
    good = truth.zone_ok(run.result.zone[ok], row)
    reported = sum(1 for e in run.events if e.type == "zone")
    return int(judged.sum()), int(good[judged].sum()), reported, int(change_t.size)


def _to_truth_time(run: Run, t_s: float) -> float:
    k = min(int(np.searchsorted(run.t_s, t_s)), run.t_s.size - 1)
    r = run.row[k]
    return float(_truth_t(run)[r]) if r >= 0 else float("nan")


def hold_scores(run: Run) -> tuple[int, int, int]:
    """(matched, reported, true)."""
    reported = []
    for e in run.events:
        if e.type == "hold_end":
            start = e.t_s - float(e.fields["duration_s"])
            reported.append((_to_truth_time(run, start), _to_truth_time(run, e.t_s)))
    true = list(run.truth.holds)  # type: ignore[attr-defined]
    used = [False] * len(true)
    matched = 0
    for a, b in reported:
        for i, (ta, tb) in enumerate(true):
            if not used[i] and abs(a - ta) <= MATCH_S and abs(b - tb) <= MATCH_S:
                used[i] = True
                matched += 1
                break
    return matched, len(reported), len(true)


def too_hard_scores(run: Run) -> tuple[int, int, int, list[float]]:
    """(true presses caught, true presses, false warnings, latencies in ms from the intended
    crossing of 200 N to the sample that raised the warning)."""
    true = list(run.truth.too_hard)  # type: ignore[attr-defined]
    tt = _truth_t(run)
    warn_t = []
    for e, k in zip(run.events, run.sample_of_event, strict=True):
        if e.type == "too_hard":
            r = run.row[min(k, run.row.size - 1)]
            warn_t.append(float(tt[r]) if r >= 0 else _to_truth_time(run, e.t_s))
    found = 0
    latencies: list[float] = []
    w = TOO_HARD_WINDOW_S
    for a, b in true:
        hits = [t for t in warn_t if a - w <= t <= b + w]
        if hits:
            found += 1
            latencies.append(1000.0 * (min(hits) - a))
    false = sum(1 for t in warn_t if not any(a - w <= t <= b + w for a, b in true))
    return found, len(true), false, latencies


@dataclass
class Tally:
    judged: int = 0
    correct: int = 0
    reported: int = 0
    true_changes: int = 0
    holds: dict[str, list[int]] = field(
        default_factory=lambda: {"all": [0, 0, 0], "pressure": [0, 0, 0]})
    caught: int = 0
    presses: int = 0
    false: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    worst: list[tuple[float, str]] = field(default_factory=list)
    by_scenario: dict[str, list[int]] = field(default_factory=dict)
    """Per scenario: judged, acceptable, label changes, intended changes, false warnings."""

    def add(self, run: Run, label: str) -> None:
        j, c, rep, true = zone_scores(run)
        self.judged += j
        self.correct += c
        self.reported += rep
        self.true_changes += true
        h = self.holds[run.channels]
        for i, v in enumerate(hold_scores(run)):
            h[i] += v
        f, t, fa, lat = too_hard_scores(run)
        self.caught += f
        self.presses += t
        self.false += fa
        self.latencies_ms += lat
        self.worst.append((c / max(j, 1), f"{label} acc {c / max(j, 1):.4f} "
                                          f"flicker {rep}/{true} th {f}/{t} false {fa}"))
        per = self.by_scenario.setdefault(run.scenario, [0, 0, 0, 0, 0])
        for i, v in enumerate((j, c, rep, true, fa)):
            per[i] += v

    def merge(self, other: Tally) -> None:
        for name in ("judged", "correct", "reported", "true_changes", "caught", "presses",
                     "false"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for k, v in other.holds.items():
            self.holds[k] = [a + b for a, b in zip(self.holds[k], v, strict=True)]
        self.latencies_ms += other.latencies_ms
        self.worst += other.worst
        for name, v in other.by_scenario.items():
            per = self.by_scenario.setdefault(name, [0, 0, 0, 0, 0])
            for i, x in enumerate(v):
                per[i] += x

    def accuracy_without(self, names: tuple[str, ...]) -> float:
        j = sum(v[0] for k, v in self.by_scenario.items() if k not in names)
        c = sum(v[1] for k, v in self.by_scenario.items() if k not in names)
        return c / max(j, 1)

    def scenario_row(self) -> str:
        return ", ".join(f"{name} {c / max(j, 1):.3f}/{rep / max(true, 1):.2f}"
                         for name, (j, c, rep, true, _fa) in sorted(self.by_scenario.items()))

    def rows(self) -> list[str]:
        def f1(m: int, r: int, t: int) -> float:
            p = m / r if r else 1.0
            q = m / t if t else 1.0
            return 2 * p * q / (p + q) if p + q else 0.0

        lat = (f"{np.median(self.latencies_ms):.0f} ms (max {max(self.latencies_ms):.0f})"
               if self.latencies_ms else "n/a")
        hg, hp = self.holds["all"], self.holds["pressure"]
        return [
            f"zone accuracy {self.correct / max(self.judged, 1):.4f}",
            f"flicker {self.reported / max(self.true_changes, 1):.2f} "
            f"({self.reported} label changes / {self.true_changes} intended)",
            f"hold F1 {f1(*hg):.3f} with gyro ({hg[0]} matched / {hg[1]} reported / "
            f"{hg[2]} true), {f1(*hp):.3f} pressure only ({hp[0]}/{hp[1]}/{hp[2]})",
            f"too hard {self.caught}/{self.presses} caught, {self.false} false",
            f"too-hard latency median {lat}",
        ]


def _calibration_from_truth(params: dict[str, Any]) -> Calibration:
    pts = tuple((float(p["force_n"]), float(p["pressure_rise_pa"])) for p in params["points"])
    return Calibration(pts, overshoot=float(params["overshoot"]), tau_s=float(params["tau_s"]))


def _fit_calibration(ball: str) -> tuple[Calibration | None, str]:
    """Calibrate the simulated ball as a user would: record the scale-calibration scenario on
    it (a ``.sbrec`` recording and the marks file beside it), and fit that recording with
    ``smartball calibrate --from FILE --marks MARKS.csv``'s fit."""
    from pathlib import Path

    try:
        from smartball.cli.calibrate_cmd import calibrate_file
    except ImportError:
        return None, "the calibration fit is not available"
    from smartball.sim.ball import SimulatedBall
    from smartball.sim.capture import write_session

    with tempfile.TemporaryDirectory() as tmp:
        sim = SimulatedBall(CALIBRATION_SCENARIO, seed=0, ball=ball)
        files = write_session(Path(tmp) / f"{ball}.sbrec", sim)
        assert files.marks is not None
        fit = calibrate_file(str(files.recording), str(files.marks))
    return fit.calibration, "fitted"


def _one(args: tuple[str, str, int, str | None, str]) -> tuple[str, str, Tally]:
    ball, scenario, seed, channels, mode = args
    cal: Calibration | None = None
    if mode == "true response":
        from smartball.sim.balls import get_ball

        cal = _calibration_from_truth(get_ball(ball).parameters())
    elif mode == "calibrated":
        cal = _CALIBRATIONS.get(ball)
    run = run_sim(scenario, seed, channels, ball=ball, calibration=cal)
    t = Tally()
    t.add(run, f"{ball}/{mode}/{scenario}/{run.channels}/{seed}")
    return ball, mode, t


_CALIBRATIONS: dict[str, Calibration] = {}


def _calibration_rows(ball: str, cal: Calibration) -> list[str]:
    from smartball.sim.balls import get_ball

    truth = get_ball(ball).parameters()
    rows = []
    worst = 0.0
    for f, pa_per_n in truth["settled_pa_per_n"]:
        got = float(cal.rise_pa(f)) / f
        worst = max(worst, abs(got / pa_per_n - 1.0))
    rows.append(f"calibration settled Pa/N: worst {100 * worst:.1f} % off over "
                f"{len(truth['settled_pa_per_n'])} loads")
    rows.append(f"calibration overshoot {cal.overshoot:.3f} (true {truth['overshoot']:.3f}, "
                f"off by {abs(cal.overshoot - truth['overshoot']):.3f})")
    rows.append(f"calibration tau {cal.tau_s:.2f} s (true {truth['tau_s']:.2f} s, off by "
                f"{100 * abs(cal.tau_s / truth['tau_s'] - 1):.0f} %)")
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--scenario", action="append")
    ap.add_argument("--ball", action="append")
    ap.add_argument("--mode", action="append",
                    choices=["uncalibrated", "calibrated", "true response"])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--worst", type=int, default=3, help="worst runs to list per row")
    args = ap.parse_args()
    os.environ.setdefault("SMARTBALL_HOME", tempfile.mkdtemp(prefix="smartball-bench-"))
    from smartball.sim.balls import ball_names
    from smartball.sim.catalog import list_scenarios

    scenarios = args.scenario or list(list_scenarios())
    balls = args.ball or ball_names()
    modes = args.mode or ["uncalibrated", "calibrated", "true response"]
    notes: dict[str, str] = {}
    if "calibrated" in modes:
        for b in balls:
            cal, note = _fit_calibration(b)
            notes[b] = note
            if cal is not None:
                _CALIBRATIONS[b] = cal
    jobs = [(b, s, seed, ch, m) for b in balls for m in modes
            if not (m == "calibrated" and b not in _CALIBRATIONS)
            for s in scenarios for seed in range(args.seeds) for ch in (None, "pressure")]
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs, initializer=_init,
                                 initargs=(_CALIBRATIONS,)) as pool:
            results = list(pool.map(_one, jobs))
    else:
        results = list(map(_one, jobs))
    for ball, mode, t in results:
        tallies[(ball, mode)].merge(t)
    print(f"{len(scenarios)} scenarios x {args.seeds} seeds x (gyro, pressure only), raw "
          f"serial stream through the decoder: {', '.join(scenarios)}")
    for b in balls:
        for m in modes:
            if (b, m) not in tallies:
                print(f"\n{b} / {m}: not run ({notes.get(b, '')})")
                continue
            t = tallies[(b, m)]
            print(f"\n{b} / {m}")
            for row in t.rows():
                print(f"  {row}")
            if m == "calibrated":
                for row in _calibration_rows(b, _CALIBRATIONS[b]):
                    print(f"  {row}")
            print(f"    per scenario (zone accuracy/flicker): {t.scenario_row()}")
            present = tuple(n for n in UNDER_LOAD_AT_START if n in t.by_scenario)
            if present:
                print(f"    zone accuracy without the streams that start under a foot "
                      f"({', '.join(present)}): {t.accuracy_without(present):.4f}")
            for _acc, text in sorted(t.worst)[: args.worst]:
                print(f"    worst: {text}")
    return 0


def _init(cals: dict[str, Calibration]) -> None:
    _CALIBRATIONS.update(cals)


if __name__ == "__main__":
    sys.exit(main())
